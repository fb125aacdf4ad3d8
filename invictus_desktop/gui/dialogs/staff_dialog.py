"""Add or edit one member of a school's staff by hand."""

import logging

from PySide6.QtWidgets import QLineEdit, QWidget

from invictus_desktop.gui.dialogs.base import FormDialog, FormProblem, required_text
from invictus_desktop.services.imports.staff import EMAIL, StaffRow
from invictus_desktop.services.schools import StaffView

log = logging.getLogger(__name__)


class StaffDialog(FormDialog):
    """A member of staff's name, code, email, job and subjects.

    Attributes:
        staff_id: the member being edited, or None for a new one.
        title_edit, first_edit, last_edit, code_edit, email_edit, job_edit,
            subjects_edit: the fields, in tab order.
    """

    def __init__(
        self, member: StaffView | None = None, parent: QWidget | None = None
    ) -> None:
        title = "Edit member of staff" if member else "Add a member of staff"
        super().__init__(title, "&Save" if member else "&Add", parent)
        self.staff_id = member.id if member else None

        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("Mr, Mrs, Ms, Dr…")
        self.title_edit.setMaxLength(20)
        self.first_edit = QLineEdit()
        self.last_edit = QLineEdit()
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(16)
        self.code_edit.setPlaceholderText("The timetable's initials, e.g. ASH")
        self.email_edit = QLineEdit()
        self.job_edit = QLineEdit()
        self.subjects_edit = QLineEdit()
        self.add_row("&Title", self.title_edit)
        self.add_row("&First name", self.first_edit)
        self.add_row("&Last name", self.last_edit)
        self.add_row("Staff &code", self.code_edit)
        self.add_row("E&mail", self.email_edit)
        self.add_row("&Job title", self.job_edit)
        self.add_row("Su&bjects", self.subjects_edit)

        if member is not None:
            self.title_edit.setText(member.title)
            self.first_edit.setText(member.first_name)
            self.last_edit.setText(member.last_name)
            self.code_edit.setText(member.staff_code)
            self.email_edit.setText(member.email)
            self.job_edit.setText(member.job_title)
            self.subjects_edit.setText(member.subjects)
        self.title_edit.setFocus()

    def values(self) -> StaffRow:
        first = required_text(self.first_edit, "a first name")
        last = required_text(self.last_edit, "a last name")
        email = self.email_edit.text().strip()
        if email and not EMAIL.match(email):
            raise FormProblem(f"{email} is not an email address.", self.email_edit)
        return StaffRow(
            staff_code=self.code_edit.text().strip(),
            title=self.title_edit.text().strip(),
            first_name=first,
            last_name=last,
            email=email,
            job_title=self.job_edit.text().strip(),
            subjects=self.subjects_edit.text().strip(),
        )

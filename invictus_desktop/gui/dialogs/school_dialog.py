"""A school's details: the fields (shared with the Schools screen's Details
tab) and the New school dialog."""

import logging

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from invictus_desktop.gui.dialogs.base import FormDialog, FormProblem
from invictus_desktop.gui.labels import SCHOOL_PHASES
from invictus_desktop.services.schools import URN, SchoolDetails, SchoolView

log = logging.getLogger(__name__)


class SchoolFields:
    """The edits for a school's details, added as rows of a form layout.

    Attributes:
        name_edit, urn_edit, phase_combo, head_edit, lead_edit, lead_email_edit:
            the fields, in tab order.
    """

    def __init__(self, form: QFormLayout) -> None:
        self.name_edit = QLineEdit()
        self.urn_edit = QLineEdit()
        self.urn_edit.setPlaceholderText("Six or seven digits")
        self.urn_edit.setMaxLength(7)
        self.phase_combo = QComboBox()
        self.phase_combo.setEditable(True)
        self.phase_combo.addItems(SCHOOL_PHASES)
        self.head_edit = QLineEdit()
        self.lead_edit = QLineEdit()
        self.lead_email_edit = QLineEdit()
        rows = [
            ("N&ame", self.name_edit),
            ("&URN", self.urn_edit),
            ("Phas&e", self.phase_combo),
            ("Head&teacher", self.head_edit),
            ("Safeguarding &lead", self.lead_edit),
            ("Safeguarding lead e&mail", self.lead_email_edit),
        ]
        for text, field in rows:
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        for first, second in zip(self.widgets(), self.widgets()[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def widgets(self) -> list[QWidget]:
        return [self.name_edit, self.urn_edit, self.phase_combo, self.head_edit,
                self.lead_edit, self.lead_email_edit]

    def show(self, school: SchoolView) -> None:
        self.name_edit.setText(school.name)
        self.urn_edit.setText(school.urn)
        self.phase_combo.setCurrentText(school.phase)
        self.head_edit.setText(school.headteacher_name)
        self.lead_edit.setText(school.safeguarding_lead_name)
        self.lead_email_edit.setText(school.safeguarding_lead_email)

    def clear(self) -> None:
        for edit in (self.name_edit, self.urn_edit, self.head_edit, self.lead_edit,
                     self.lead_email_edit):
            edit.clear()
        self.phase_combo.setCurrentText("")

    def set_read_only(self, read_only: bool) -> None:
        for edit in (self.name_edit, self.urn_edit, self.head_edit, self.lead_edit,
                     self.lead_email_edit):
            edit.setReadOnly(read_only)
        self.phase_combo.setEnabled(not read_only)

    def details(self) -> SchoolDetails:
        """The details typed, checked as far as the form can; else `FormProblem`."""
        name = self.name_edit.text().strip()
        if not name:
            raise FormProblem("Please enter the school's name.", self.name_edit)
        urn = self.urn_edit.text().strip()
        if urn and not URN.match(urn):
            raise FormProblem("A URN is six or seven digits.", self.urn_edit)
        return SchoolDetails(
            name=name,
            urn=urn,
            phase=self.phase_combo.currentText().strip() or "secondary",
            headteacher_name=self.head_edit.text().strip(),
            safeguarding_lead_name=self.lead_edit.text().strip(),
            safeguarding_lead_email=self.lead_email_edit.text().strip(),
        )


class NewSchoolDialog(FormDialog):
    """Add a school to the trust.

    Attributes:
        school_fields: the school's details.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New school", "Add &school", parent)
        self.school_fields = SchoolFields(self.form)
        self.school_fields.phase_combo.setCurrentText("secondary")
        self.school_fields.name_edit.setFocus()

    def values(self) -> SchoolDetails:
        return self.school_fields.details()

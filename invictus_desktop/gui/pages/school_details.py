"""The Schools screen's Details tab: a school's name, URN, phase, Headteacher
and safeguarding lead, editable by those who may."""

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from invictus_desktop.gui.dialogs.base import LABEL_ALIGNMENT, FormProblem
from invictus_desktop.gui.dialogs.school_dialog import SchoolFields
from invictus_desktop.gui.pages.allowed import READ_ONLY_SCHOOL, allow
from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.widgets import InlineMessage
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.schools import SchoolDetails, SchoolView, update_school

log = logging.getLogger(__name__)

FORM_MAX_WIDTH = 560


class SchoolDetailsPanel(QWidget):
    """Shows one school's details; saves them when the person may edit.

    Signals:
        saved(str): the school's details were saved (its id).

    Attributes:
        school: the school shown, or None.
        fields: the edits (name, URN, phase, Headteacher, safeguarding lead).
        save_button: saves the details (disabled, with the reason, if read only).
        message: what went wrong saving.
    """

    saved = Signal(str)

    def __init__(self, page: Page, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.school: SchoolView | None = None
        self._page = page

        form_widget = QWidget()
        form_widget.setMaximumWidth(FORM_MAX_WIDTH)
        form = QFormLayout(form_widget)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(14)
        form.setLabelAlignment(LABEL_ALIGNMENT)
        self.fields = SchoolFields(form)
        self.message = InlineMessage()
        self.message.setMaximumWidth(FORM_MAX_WIDTH)
        self.save_button = QPushButton("Sa&ve details")
        self.save_button.setObjectName("primary")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        layout.addWidget(form_widget)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addStretch(1)
        QWidget.setTabOrder(self.fields.lead_email_edit, self.save_button)

        self.save_button.clicked.connect(self._on_save_button_clicked)
        for edit in (self.fields.name_edit, self.fields.urn_edit, self.fields.head_edit,
                     self.fields.lead_edit, self.fields.lead_email_edit):
            edit.returnPressed.connect(self._on_save_button_clicked)

    def show_school(self, school: SchoolView, editable: bool) -> None:
        self.school = school
        self.message.clear_message()
        self.fields.show(school)
        self.fields.set_read_only(not editable)
        allow(self.save_button, editable, READ_ONLY_SCHOOL)

    def clear(self) -> None:
        self.school = None
        self.fields.clear()
        self.message.clear_message()

    def _on_save_button_clicked(self) -> None:
        if self.school is None or not self.save_button.isEnabled():
            return
        try:
            details = self.fields.details()
        except FormProblem as problem:
            self.message.show_error(str(problem))
            if problem.field is not None:
                problem.field.setFocus()
            return

        self.message.clear_message()
        self.save_button.setEnabled(False)
        self._page.run(
            _save_details,
            self.school.id,
            details,
            on_success=self._on_details_saved,
            on_failure=self._on_save_failed,
            description="Saving the school's details…",
        )

    def _on_details_saved(self, school_id: str) -> None:
        self.save_button.setEnabled(True)
        self._page.status_message.emit("Saved the school's details.")
        self.saved.emit(school_id)

    def _on_save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.message.show_error(self._page.failure_text(error))


def _save_details(profile: UnlockedProfile, school_id: str, details: SchoolDetails) -> str:
    update_school(profile, school_id, details)
    return school_id

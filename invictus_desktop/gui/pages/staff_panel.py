"""The Schools screen's Staff tab: the school's staff list, added to by hand
or imported from the school's export."""

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from invictus_desktop.gui.dialogs.base import OpenDialogs
from invictus_desktop.gui.dialogs.import_kinds import staff_import
from invictus_desktop.gui.dialogs.import_preview import ImportPreviewDialog, ImportSpec
from invictus_desktop.gui.dialogs.staff_dialog import StaffDialog
from invictus_desktop.gui.pages.allowed import READ_ONLY_SCHOOL, allow
from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.tables import (
    Row,
    RowsModel,
    fit_columns,
    make_table,
    select_payload,
)
from invictus_desktop.gui.tables import selected_payload as selected_row_payload
from invictus_desktop.services.imports.staff import StaffRow
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.schools import StaffView, list_staff, save_staff_member

log = logging.getLogger(__name__)

COLUMNS = ["Code", "Name", "Job title", "Subjects", "Email"]


class StaffPanel(QWidget):
    """A school's staff: the teachers whose lessons are visited.

    Signals:
        staff_changed(): staff were added, edited or imported.

    Attributes:
        school_id: the school shown, or None.
        staff: the staff on screen.
        model, table: the staff list.
        add_button, edit_button, import_button: the changes (disabled, with
            the reason, when read only).
        dialogs: the dialogs open from this tab.
    """

    staff_changed = Signal()

    def __init__(self, page: Page, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.school_id: str | None = None
        self.staff: list[StaffView] = []
        self.dialogs = OpenDialogs()
        self._page = page
        self._editable = False

        self.count_label = QLabel()
        self.count_label.setObjectName("caption")
        self.add_button = QPushButton("&Add staff member…")
        self.edit_button = QPushButton("&Edit…")
        self.import_button = QPushButton("&Import staff…")
        self.import_button.setToolTip("Read a CSV or Excel export of the staff list")
        tools = QHBoxLayout()
        tools.addWidget(self.add_button)
        tools.addWidget(self.edit_button)
        tools.addWidget(self.import_button)
        tools.addStretch(1)
        tools.addWidget(self.count_label)

        self.model = RowsModel(COLUMNS, self)
        self.table = make_table(self.model, "Staff", stretch_column=4)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(10)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.table.activated.connect(self._on_edit_button_clicked)
        self.table.selectionModel().selectionChanged.connect(
            self._on_table_selection_changed
        )

    # Showing ---------------------------------------------------------------

    def show_school(self, school_id: str, editable: bool) -> None:
        self.school_id = school_id
        self._editable = editable
        self.reload()

    def reload(self) -> None:
        if self.school_id is None:
            return
        school_id = self.school_id
        self._page.run(
            list_staff,
            school_id,
            on_success=lambda staff: self._show_staff(school_id, staff),
            description="Loading the staff list…",
        )

    def _show_staff(self, school_id: str, staff: list[StaffView]) -> None:
        if school_id != self.school_id:  # another school was chosen meanwhile
            return
        selected = selected_row_payload(self.table)
        self.staff = staff
        self.model.set_rows([
            Row([m.staff_code, m.display_name, m.job_title, m.subjects, m.email], m.id)
            for m in staff
        ])
        fit_columns(self.table, 0, 1, 2)
        if selected is not None:
            select_payload(self.table, selected)
        self.count_label.setText("1 member of staff" if len(staff) == 1
                                 else f"{len(staff)} members of staff")
        self._update_buttons()

    def clear(self) -> None:
        self.dialogs.close_all()
        self.school_id = None
        self.staff = []
        self.model.clear()
        self.count_label.clear()

    def _selected(self) -> StaffView | None:
        staff_id = selected_row_payload(self.table)
        return next((m for m in self.staff if m.id == staff_id), None)

    def _update_buttons(self) -> None:
        allow(self.add_button, self._editable, READ_ONLY_SCHOOL)
        allow(self.import_button, self._editable, READ_ONLY_SCHOOL)
        has_selection = self._selected() is not None
        reason = READ_ONLY_SCHOOL if not self._editable else "Select a member of staff."
        allow(self.edit_button, self._editable and has_selection, reason)

    # Reacting --------------------------------------------------------------

    def _on_table_selection_changed(self) -> None:
        self._update_buttons()

    def _on_add_button_clicked(self) -> None:
        if self._editable:
            self._open_staff_dialog(None)

    def _on_edit_button_clicked(self) -> None:
        member = self._selected()
        if self._editable and member is not None:
            self._open_staff_dialog(member)

    def _open_staff_dialog(self, member: StaffView | None) -> None:
        dialog = StaffDialog(member, self)
        self.dialogs.add(dialog)
        dialog.submitted.connect(lambda row: self._on_staff_dialog_submitted(dialog, row))
        dialog.open()

    def _on_staff_dialog_submitted(self, dialog: StaffDialog, row: StaffRow) -> None:
        task = self._page.run(
            _save_member,
            self.school_id,
            row,
            dialog.staff_id,
            on_success=lambda _id: self._on_member_saved(dialog),
            on_failure=lambda error: dialog.show_error(self._page.failure_text(error)),
            description="Saving…",
        )
        dialog.track(task)

    def _on_member_saved(self, dialog: StaffDialog) -> None:
        dialog.saved()
        self._page.status_message.emit("Saved the member of staff.")
        self.staff_changed.emit()
        self.reload()

    def _on_import_button_clicked(self) -> None:
        if not self._editable or self.school_id is None:
            return
        spec = staff_import(self.school_id)
        dialog = ImportPreviewDialog(spec, self._page, self)
        self.dialogs.add(dialog)
        dialog.imported.connect(
            lambda result: self._on_import_dialog_imported(spec, result)
        )
        dialog.open()

    def _on_import_dialog_imported(self, spec: ImportSpec, result: object) -> None:
        self._page.status_message.emit(spec.done_message(result))
        self.staff_changed.emit()
        self.reload()


def _save_member(
    profile: UnlockedProfile, school_id: str, row: StaffRow, staff_id: str | None
) -> str:
    return save_staff_member(profile, school_id, row, staff_id)

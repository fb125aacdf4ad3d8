"""The QUAD planner's visit schedule: lessons added by hand or imported from
the school's timetable, removed with Delete (after a confirmation)."""

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.dialogs.base import OpenDialogs, confirm
from invictus_desktop.gui.dialogs.import_kinds import timetable_import
from invictus_desktop.gui.dialogs.import_preview import ImportPreviewDialog, ImportSpec
from invictus_desktop.gui.dialogs.slot_dialog import SlotDialog
from invictus_desktop.gui.labels import day_label, period_and_time
from invictus_desktop.gui.pages.allowed import READ_ONLY_PLANNING, allow
from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.tables import (
    Row,
    RowsModel,
    fit_columns,
    make_table,
    selected_payload,
)
from invictus_desktop.services import planning
from invictus_desktop.services.planning import QuadPlan, Slot, SlotView
from invictus_desktop.services.schools import StaffView

log = logging.getLogger(__name__)

COLUMNS = ["Day", "Period / time", "Room", "Teacher", "Subject", "Year group", "Class"]


class SchedulePanel(QGroupBox):
    """The visit schedule of the QUAD the planner shows.

    Signals:
        schedule_changed(): a lesson was added or removed, or a timetable imported.

    Attributes:
        plan: the plan shown, or None.
        model, table: the schedule, one lesson a row, in time order.
        add_button, remove_button, import_button: the changes (planners only).
        count_label: how many lessons are scheduled.
        dialogs: the dialogs open from the schedule (and the Delete confirmation).
    """

    schedule_changed = Signal()

    def __init__(self, page: Page, parent: QWidget | None = None) -> None:
        super().__init__("Visit schedule", parent)
        self.plan: QuadPlan | None = None
        self.dialogs = OpenDialogs()
        self._page = page
        self._staff: list[StaffView] = []
        self._may_plan = False

        self.add_button = QPushButton("Add &lesson…")
        self.remove_button = QPushButton("Re&move lesson")
        self.remove_button.setToolTip("Remove the selected lesson (Delete)")
        self.import_button = QPushButton("&Import timetable…")
        self.import_button.setToolTip("Read the school's timetable export (CSV or Excel)")
        self.count_label = QLabel()
        self.count_label.setObjectName("caption")
        tools = QHBoxLayout()
        tools.addWidget(self.add_button)
        tools.addWidget(self.remove_button)
        tools.addWidget(self.import_button)
        tools.addStretch(1)
        tools.addWidget(self.count_label)

        self.model = RowsModel(COLUMNS, self)
        self.table = make_table(self.model, "Visit schedule", stretch_column=6)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_remove_button_clicked)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.table.selectionModel().selectionChanged.connect(
            self._on_table_selection_changed
        )

    # Showing ---------------------------------------------------------------

    def show_plan(self, plan: QuadPlan, staff: list[StaffView], may_plan: bool) -> None:
        self.plan = plan
        self._staff = staff
        self._may_plan = may_plan
        names = self._staff_names()
        self.model.set_rows([Row(_cells(slot, names), slot.id) for slot in plan.schedule])
        fit_columns(self.table, 0, 1, 2, 3, 4, 5)
        count = len(plan.schedule)
        self.count_label.setText("1 lesson" if count == 1 else f"{count} lessons")
        self._update_buttons()

    def clear(self) -> None:
        self.dialogs.close_all()
        self.plan = None
        self._staff = []
        self.model.clear()
        self.count_label.clear()

    def _staff_names(self) -> dict[str, str]:
        return {member.id: member.display_name for member in self._staff}

    def _selected(self) -> SlotView | None:
        slot_id = selected_payload(self.table)
        if self.plan is None or slot_id is None:
            return None
        return next((slot for slot in self.plan.schedule if slot.id == slot_id), None)

    def _update_buttons(self) -> None:
        allow(self.add_button, self._may_plan, READ_ONLY_PLANNING)
        allow(self.import_button, self._may_plan, READ_ONLY_PLANNING)
        reason = READ_ONLY_PLANNING if not self._may_plan else "Select a lesson first."
        allow(self.remove_button, self._may_plan and self._selected() is not None, reason)

    # Reacting --------------------------------------------------------------

    def _on_table_selection_changed(self) -> None:
        self._update_buttons()

    def _on_add_button_clicked(self) -> None:
        if self.plan is None or not self._may_plan:
            return
        summary = self.plan.summary
        dialog = SlotDialog(summary.starts_on, summary.ends_on, self._staff, self)
        self.dialogs.add(dialog)
        dialog.submitted.connect(lambda slot: self._on_slot_dialog_submitted(dialog, slot))
        dialog.open()

    def _on_slot_dialog_submitted(self, dialog: SlotDialog, slot: Slot) -> None:
        assert self.plan is not None
        task = self._page.run(
            planning.add_slot,
            self.plan.summary.id,
            slot,
            on_success=lambda _slot_id: self._on_slot_added(dialog),
            on_failure=lambda error: dialog.show_error(self._page.failure_text(error)),
            description="Adding the lesson…",
        )
        dialog.track(task)

    def _on_slot_added(self, dialog: SlotDialog) -> None:
        dialog.saved()
        self._page.status_message.emit("Added the lesson to the schedule.")
        self.schedule_changed.emit()

    def _on_remove_button_clicked(self) -> None:
        slot = self._selected()
        if slot is None or not self._may_plan:
            return
        when = period_and_time(slot.period, slot.starts_at, None)
        teacher = _cells(slot, self._staff_names())[3]
        text = (
            f"Remove {slot.subject or 'the lesson'} with {teacher} "
            f"({day_label(slot.day)}, {when}) from the schedule?"
        )
        box = confirm(self, "Remove lesson", text, "&Remove",
                      lambda: self._remove(slot.id))
        self.dialogs.add(box)

    def _remove(self, slot_id: str) -> None:
        self._page.run(
            planning.remove_slot,
            slot_id,
            on_success=self._on_slot_removed,
            description="Removing the lesson…",
        )

    def _on_slot_removed(self, _result: None) -> None:
        self._page.status_message.emit("Removed the lesson from the schedule.")
        self.schedule_changed.emit()
        self.table.setFocus()

    def _on_import_button_clicked(self) -> None:
        if self.plan is None or not self._may_plan:
            return
        spec = timetable_import(self.plan.summary.id)
        dialog = ImportPreviewDialog(spec, self._page, self)
        self.dialogs.add(dialog)
        dialog.imported.connect(
            lambda result: self._on_import_dialog_imported(spec, result)
        )
        dialog.open()

    def _on_import_dialog_imported(self, spec: ImportSpec, result: object) -> None:
        self._page.status_message.emit(spec.done_message(result))
        self.schedule_changed.emit()


def _cells(slot: SlotView, staff_names: dict[str, str]) -> list[str]:
    """A lesson's cells; a teacher on the staff list by their name there (a
    timetable often names them by code)."""
    return [
        day_label(slot.day),
        period_and_time(slot.period, slot.starts_at, slot.ends_at),
        slot.room,
        staff_names.get(slot.staff_member_id or "", slot.teacher_name),
        slot.subject,
        slot.year_group,
        slot.class_name,
    ]

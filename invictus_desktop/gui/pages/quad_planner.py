"""The planner for one QUAD: its team, its focus areas (linked to the school's
SIP priorities, or standing alone) and its visit schedule."""

import logging
from typing import NamedTuple

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
from invictus_desktop.gui.dialogs.focus_area_dialog import FocusAreaDialog, FocusValues
from invictus_desktop.gui.dialogs.team_dialog import TeamDialog
from invictus_desktop.gui.labels import (
    STATUS_WORDS,
    TEAM_ROLE_WORDS,
    date_span,
    kind_label,
    term_label,
)
from invictus_desktop.gui.pages.allowed import READ_ONLY_PLANNING, allow
from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.pages.quad_schedule import SchedulePanel
from invictus_desktop.gui.tables import (
    Row,
    RowsModel,
    fit_columns,
    make_table,
    selected_payload,
)
from invictus_desktop.services import planning, schools, sips
from invictus_desktop.services.access import Permissions, describe_permissions
from invictus_desktop.services.planning import FocusView, PersonView, QuadPlan
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.schools import StaffView
from invictus_desktop.services.sips import PriorityView
from invictus_desktop.store.vocabulary import TeamRole

log = logging.getLogger(__name__)

TOP_BOXES_HEIGHT = 230


class PlannerData(NamedTuple):
    """Everything the planner shows or offers, read in one worker job."""

    permissions: Permissions
    plan: QuadPlan
    people: list[PersonView]
    priorities: list[PriorityView]  # the school's SIP for the QUAD's year
    staff: list[StaffView]


def load_planner(profile: UnlockedProfile, quad_id: str) -> PlannerData:
    plan = planning.load_plan(profile, quad_id)
    sip = sips.load_sip(profile, plan.school_id, plan.summary.academic_year)
    return PlannerData(
        describe_permissions(profile),
        plan,
        planning.list_people(profile),
        sip.priorities if sip is not None else [],
        schools.list_staff(profile, plan.school_id),
    )


class QuadPlanner(QWidget):
    """One QUAD's plan. Read only, with the reason, for those who do not plan.

    Signals:
        back_requested(): the user wants the list of QUADs again.
        visits_requested(str): the user wants the visits of this QUAD (its id).

    Attributes:
        data: what is on screen, or None.
        heading, subheading: the QUAD's reference; school, term, dates, status.
        back_button, visits_button: to the list; to the QUAD's visits.
        team_model, team_table, team_button: the team and its editor.
        focus_model, focus_table: the focus areas and their linked priorities.
        add_focus_button, edit_focus_button, remove_focus_button: their changes.
        schedule: the visit schedule.
        dialogs: the dialogs open from the team and focus areas.
    """

    back_requested = Signal()
    visits_requested = Signal(str)

    def __init__(self, page: Page, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: PlannerData | None = None
        self.dialogs = OpenDialogs()
        self._page = page
        self._quad_id: str | None = None
        self._build()

    @property
    def quad_id(self) -> str | None:
        return self._quad_id

    # Building --------------------------------------------------------------

    def _build(self) -> None:
        self.back_button = QPushButton("← &All QUADs")
        self.back_button.setToolTip("Back to the list of QUADs (Alt+Left)")
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.subheading = QLabel()
        self.subheading.setObjectName("intro")
        self.subheading.setTextFormat(Qt.TextFormat.PlainText)
        self.visits_button = QPushButton("&Visits…")
        self.visits_button.setToolTip("Record and review this QUAD's lesson visits")
        title = QVBoxLayout()
        title.setSpacing(2)
        title.addWidget(self.heading)
        title.addWidget(self.subheading)
        header = QHBoxLayout()
        header.setSpacing(14)
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(title, 1)
        header.addWidget(self.visits_button, 0, Qt.AlignmentFlag.AlignTop)

        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(self._build_team_box(), 2)
        top.addWidget(self._build_focus_box(), 3)
        self.schedule = SchedulePanel(self._page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addLayout(top)
        layout.addWidget(self.schedule, 1)

        self.back_button.clicked.connect(self.back_requested)
        back = QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back_requested)
        self.visits_button.clicked.connect(self._on_visits_button_clicked)
        self.schedule.schedule_changed.connect(self._on_schedule_schedule_changed)

    def _build_team_box(self) -> QGroupBox:
        box = QGroupBox("Team")
        box.setFixedHeight(TOP_BOXES_HEIGHT)
        self.team_model = RowsModel(["Name", "Part in this QUAD"], self)
        self.team_table = make_table(self.team_model, "Team")
        self.team_button = QPushButton("Edit &team…")
        buttons = QHBoxLayout()
        buttons.addWidget(self.team_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.setSpacing(8)
        layout.addWidget(self.team_table, 1)
        layout.addLayout(buttons)
        self.team_button.clicked.connect(self._on_team_button_clicked)
        return box

    def _build_focus_box(self) -> QGroupBox:
        box = QGroupBox("Focus areas")
        box.setFixedHeight(TOP_BOXES_HEIGHT)
        self.focus_model = RowsModel(["Focus area", "Linked SIP priorities"], self)
        self.focus_table = make_table(self.focus_model, "Focus areas")
        self.add_focus_button = QPushButton("Add &focus area…")
        self.edit_focus_button = QPushButton("&Edit…")
        self.remove_focus_button = QPushButton("&Remove")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_focus_button)
        buttons.addWidget(self.edit_focus_button)
        buttons.addWidget(self.remove_focus_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.setSpacing(8)
        layout.addWidget(self.focus_table, 1)
        layout.addLayout(buttons)

        self.add_focus_button.clicked.connect(self._on_add_focus_button_clicked)
        self.edit_focus_button.clicked.connect(self._on_edit_focus_button_clicked)
        self.remove_focus_button.clicked.connect(self._on_remove_focus_button_clicked)
        self.focus_table.activated.connect(self._on_edit_focus_button_clicked)
        self.focus_table.selectionModel().selectionChanged.connect(
            self._on_focus_table_selection_changed
        )
        return box

    # Showing ---------------------------------------------------------------

    def open_quad(self, quad_id: str) -> None:
        if quad_id != self._quad_id:
            self.clear()
        self._quad_id = quad_id
        self.reload()

    def reload(self) -> None:
        if self._quad_id is None:
            return
        self._page.run(load_planner, self._quad_id, on_success=self._show,
                       description="Loading the plan…")

    def _show(self, data: PlannerData) -> None:
        if data.plan.summary.id != self._quad_id:
            return
        self.data = data
        summary = data.plan.summary
        self.heading.setText(summary.reference)
        self.subheading.setText("  ·  ".join([
            summary.school_name,
            term_label(summary.term, summary.academic_year),
            date_span(summary.starts_on, summary.ends_on),
            STATUS_WORDS[summary.status],
            kind_label(summary.kind, summary.subject),
        ]))

        self.team_model.set_rows([
            Row([member.name, TEAM_ROLE_WORDS[member.role]], member.person_id)
            for member in data.plan.team
        ])
        fit_columns(self.team_table, 0)
        self.focus_model.set_rows([
            Row([focus.title, _linked(focus)], focus.id) for focus in data.plan.focus_areas
        ])
        self.focus_table.setColumnWidth(0, 260)
        self.schedule.show_plan(data.plan, data.staff, data.permissions.may_plan)
        self._update_buttons()

    def clear(self) -> None:
        self.dialogs.close_all()
        self.data = None
        self._quad_id = None
        self.heading.clear()
        self.subheading.clear()
        self.team_model.clear()
        self.focus_model.clear()
        self.schedule.clear()

    def _selected_focus(self) -> FocusView | None:
        focus_id = selected_payload(self.focus_table)
        if self.data is None or focus_id is None:
            return None
        return next((f for f in self.data.plan.focus_areas if f.id == focus_id), None)

    def _update_buttons(self) -> None:
        may_plan = self.data is not None and self.data.permissions.may_plan
        allow(self.team_button, may_plan, READ_ONLY_PLANNING)
        allow(self.add_focus_button, may_plan, READ_ONLY_PLANNING)
        selected = self._selected_focus() is not None
        reason = READ_ONLY_PLANNING if not may_plan else "Select a focus area first."
        allow(self.edit_focus_button, may_plan and selected, reason)
        allow(self.remove_focus_button, may_plan and selected, reason)

    # Reacting --------------------------------------------------------------

    def _on_focus_table_selection_changed(self) -> None:
        self._update_buttons()

    def _on_schedule_schedule_changed(self) -> None:
        self.reload()

    def _on_visits_button_clicked(self) -> None:
        if self._quad_id is not None:
            self.visits_requested.emit(self._quad_id)

    def _on_team_button_clicked(self) -> None:
        if self.data is None or not self.data.permissions.may_plan:
            return
        dialog = TeamDialog(self.data.people, self.data.plan.team, self)
        self.dialogs.add(dialog)
        dialog.submitted.connect(lambda team: self._on_team_dialog_submitted(dialog, team))
        dialog.open()

    def _on_team_dialog_submitted(
        self, dialog: TeamDialog, team: list[tuple[str, TeamRole]]
    ) -> None:
        task = self._page.run(
            planning.set_team,
            self._quad_id,
            team,
            on_success=lambda _result: self._on_saved(dialog, "Saved the team."),
            on_failure=lambda error: dialog.show_error(self._page.failure_text(error)),
            description="Saving the team…",
        )
        dialog.track(task)

    def _on_add_focus_button_clicked(self) -> None:
        self._open_focus_dialog(None)

    def _on_edit_focus_button_clicked(self) -> None:
        focus = self._selected_focus()
        if focus is not None:
            self._open_focus_dialog(focus)

    def _open_focus_dialog(self, focus: FocusView | None) -> None:
        if self.data is None or not self.data.permissions.may_plan:
            return
        year = self.data.plan.summary.academic_year
        dialog = FocusAreaDialog(self.data.priorities, year, focus, self)
        self.dialogs.add(dialog)
        dialog.submitted.connect(
            lambda values: self._on_focus_dialog_submitted(dialog, values)
        )
        dialog.open()

    def _on_focus_dialog_submitted(
        self, dialog: FocusAreaDialog, values: FocusValues
    ) -> None:
        task = self._page.run(
            _save_focus,
            self._quad_id,
            dialog.focus_id,
            values,
            on_success=lambda _id: self._on_saved(dialog, "Saved the focus area."),
            on_failure=lambda error: dialog.show_error(self._page.failure_text(error)),
            description="Saving the focus area…",
        )
        dialog.track(task)

    def _on_remove_focus_button_clicked(self) -> None:
        focus = self._selected_focus()
        if focus is None or self.data is None or not self.data.permissions.may_plan:
            return
        box = confirm(
            self,
            "Remove focus area",
            f"Remove the focus area “{focus.title}” from this QUAD?",
            "&Remove",
            lambda: self._page.run(planning.remove_focus_area, focus.id,
                                   on_success=self._on_focus_removed,
                                   description="Removing the focus area…"),
        )
        self.dialogs.add(box)

    def _on_focus_removed(self, _result: None) -> None:
        self._page.status_message.emit("Removed the focus area.")
        self.reload()

    def _on_saved(self, dialog: TeamDialog | FocusAreaDialog, message: str) -> None:
        dialog.saved()
        self._page.status_message.emit(message)
        self.reload()


def _save_focus(
    profile: UnlockedProfile, quad_id: str, focus_id: str | None, values: FocusValues
) -> str:
    return planning.save_focus_area(
        profile, quad_id, values.title, values.description, values.priority_ids, focus_id
    )


def _linked(focus: FocusView) -> str:
    if not focus.priorities:
        return "Stands alone"
    return "; ".join(f"{code} {title}" for _id, code, title in focus.priorities)

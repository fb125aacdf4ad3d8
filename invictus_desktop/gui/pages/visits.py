"""On the day: a QUAD's schedule, one action to start a visit, and its visits.

Choose the QUAD (the one under way or coming next is chosen for you) and
the day; Enter on a lesson starts its visit with the teacher, room, subject
and class filled in, and opens the record. "Ad hoc…" starts a learning walk,
book look, pupil voice, staff voice or meeting. Below, the QUAD's visits,
filtered and searched (full text, inside the encrypted store).
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.shortcut_overlay import ShortcutOverlay
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.visit.schedule_list import ScheduleList
from invictus_desktop.gui.visit.visit_list import VisitFilterBar, VisitList
from invictus_desktop.gui.visit.words import KIND_LABELS, day_label
from invictus_desktop.gui.widgets import (
    buddy_label,
    fill,
    labelled,
    scroll_area,
)
from invictus_desktop.services import planning, visits
from invictus_desktop.services.planning import QuadPlan, QuadSummary
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.visits import VisitFilter, VisitSummary
from invictus_desktop.store.models import ActivityKind

log = logging.getLogger(__name__)

AD_HOC_KINDS = [kind for kind in ActivityKind if kind is not ActivityKind.LESSON_VISIT]

SHORTCUTS = [
    ("Enter", "On a lesson: start its visit. On a visit: open it"),
    ("Alt+S", "Start a visit of the chosen lesson"),
    ("Alt+C", "Start an ad hoc activity (learning walk, book look…)"),
    ("Alt+Q  /  Alt+D", "Choose the QUAD / the day"),
    ("Alt+L  /  Alt+V", "Go to the lessons / the visits"),
    ("Ctrl+F", "Search all visit text"),
    ("Alt+underlined letter", "Go to that filter"),
    ("F1  or  Ctrl+/", "Show or hide these shortcuts"),
]


@dataclass(frozen=True)
class QuadDay:
    """What the page shows for one QUAD: its plan and the visits found."""

    plan: QuadPlan
    visits: list[VisitSummary]


class VisitsPage(Page):
    """Schedule, ad hoc activities, and the visits of one QUAD.

    Attributes:
        quads: the QUADs in the combo, newest first.
        plan: the chosen QUAD's plan, or None.
        quad_combo, day_combo: the QUAD and the day shown.
        schedule: the lessons of that day.
        start_button, ad_hoc_button: start a visit (of the chosen lesson /
            of another kind).
        filters: the filters and search box.
        visit_list: the visits found.
        overlay: the keyboard shortcuts sheet (F1).
    """

    key = "visits"
    title = "Visits"
    shown_to_board = False

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self.quads: list[QuadSummary] = []
        self.plan: QuadPlan | None = None
        self._wanted_quad_id: str | None = None
        self._plan_request = 0
        self._visits_request = 0
        self._build()
        self._build_actions()
        self._connect()

    # Building --------------------------------------------------------------

    def _build(self) -> None:
        self.quad_combo = QComboBox()
        self.quad_combo.setMinimumContentsLength(40)
        self.day_combo = QComboBox()
        self.empty_label = QLabel("No QUADs yet. Plan one on the QUADs page first.")
        self.empty_label.setObjectName("intro")
        self.empty_label.hide()
        choose = QHBoxLayout()
        choose.setSpacing(16)
        choose.addLayout(labelled("&QUAD", self.quad_combo), 3)
        choose.addLayout(labelled("&Day", self.day_combo), 1)
        choose.addStretch(1)

        lower = QSplitter(Qt.Orientation.Vertical)
        lower.setChildrenCollapsible(False)
        lower.addWidget(self._build_schedule_box())
        lower.addWidget(self._build_visits_box())
        lower.setSizes([300, 420])

        column = QVBoxLayout()
        column.setContentsMargins(24, 18, 24, 18)
        column.setSpacing(12)
        heading = QLabel("Visits")
        heading.setObjectName("heading")
        column.addWidget(heading)
        column.addLayout(choose)
        column.addWidget(self.empty_label)
        column.addWidget(lower, 1)
        content = QWidget()
        content.setObjectName("content")
        content.setLayout(column)
        fill(self, scroll_area(content))
        self.overlay = ShortcutOverlay(self, "Visits", SHORTCUTS)

    def _build_schedule_box(self) -> QGroupBox:
        box = QGroupBox("Schedule")
        self.schedule = ScheduleList()
        self.start_button = QPushButton("&Start visit")
        self.start_button.setObjectName("primary")
        self.start_button.setToolTip(
            "Start a visit of the chosen lesson (or press Enter on it)"
        )
        self.ad_hoc_button = QPushButton("Ad ho&c…")
        self.ad_hoc_button.setToolTip("Learning walk, book look, pupil voice, staff voice, "
                                      "meeting")
        menu = QMenu(self.ad_hoc_button)
        for kind in AD_HOC_KINDS:
            action = menu.addAction(KIND_LABELS[kind])
            action.triggered.connect(partial(self._on_ad_hoc_chosen, kind))
        self.ad_hoc_button.setMenu(menu)

        buttons = QHBoxLayout()
        buttons.addWidget(buddy_label("&Lessons on the chosen day", self.schedule))
        buttons.addStretch(1)
        buttons.addWidget(self.ad_hoc_button)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(box)
        layout.addLayout(buttons)
        layout.addWidget(self.schedule)
        return box

    def _build_visits_box(self) -> QGroupBox:
        box = QGroupBox("Visits in this QUAD")
        self.filters = VisitFilterBar()
        self.visit_list = VisitList()
        self.found_label = QLabel()
        self.found_label.setObjectName("caption")
        list_row = QHBoxLayout()
        list_row.addWidget(buddy_label("&Visits found", self.visit_list))
        list_row.addStretch(1)
        list_row.addWidget(self.found_label)
        layout = QVBoxLayout(box)
        layout.setSpacing(8)
        layout.addWidget(self.filters)
        layout.addLayout(list_row)
        layout.addWidget(self.visit_list, 1)
        return box

    def _build_actions(self) -> None:
        search = QAction("Search", self)
        search.setShortcut(QKeySequence.StandardKey.Find)
        search.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        search.triggered.connect(self._on_search_action_triggered)
        self.addAction(search)
        self.help_action = QAction("Shortcuts", self)
        self.help_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self.help_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.help_action.triggered.connect(self.overlay.toggle)
        self.addAction(self.help_action)

    def _connect(self) -> None:
        self.quad_combo.currentIndexChanged.connect(self._on_quad_combo_changed)
        self.day_combo.currentIndexChanged.connect(self._on_day_combo_changed)
        self.schedule.record_activated.connect(self._on_schedule_record_activated)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.filters.filters_changed.connect(self._on_filters_changed)
        self.visit_list.record_activated.connect(self._on_visit_list_record_activated)

    # Loading ---------------------------------------------------------------

    def page_shown(self) -> None:
        self.run(planning.list_quads, on_success=self._show_quads,
                 description="Reading the QUADs…")

    def open_item(self, item: object) -> None:
        """Show the QUAD with id `item`."""
        self._wanted_quad_id = item if isinstance(item, str) else None
        self.page_shown()

    def _show_quads(self, quads: list[QuadSummary]) -> None:
        self.quads = quads
        wanted = self._wanted_quad_id or self.quad_combo.currentData()
        self._wanted_quad_id = None
        known = {q.id for q in quads}
        chosen = wanted if wanted in known else _quad_of_the_day(quads, date.today())

        self.quad_combo.blockSignals(True)
        self.quad_combo.clear()
        for quad in quads:
            self.quad_combo.addItem(_quad_label(quad), quad.id)
        self.quad_combo.setCurrentIndex(max(self.quad_combo.findData(chosen), 0))
        self.quad_combo.blockSignals(False)
        self.empty_label.setVisible(not quads)
        self._load_quad()

    def _load_quad(self) -> None:
        quad_id = self.quad_combo.currentData()
        if quad_id is None:
            self.plan = None
            self.schedule.clear()
            self.visit_list.clear()
            return
        self._plan_request += 1
        self._visits_request += 1
        self.run(_load_quad_day, quad_id, self.filters.current(),
                 self.filters.searching_everywhere(),
                 on_success=partial(
                     self._show_quad_day, self._plan_request, self._visits_request
                 ),
                 description="Reading the QUAD's schedule and visits…")

    def _show_quad_day(self, plan_request: int, visits_request: int, day: QuadDay) -> None:
        if plan_request != self._plan_request:
            return  # a newer choice is on its way
        self.plan = day.plan
        summary = day.plan.summary
        years = {s.year_group for s in day.plan.schedule if s.year_group}
        years |= {v.year_group for v in day.visits if v.year_group}
        self.filters.set_choices(day.plan, years)
        self._fill_days(summary.starts_on, summary.ends_on)
        self._show_schedule()
        self._show_visits(visits_request, day.visits)

    def _fill_days(self, first: date, last: date) -> None:
        today = date.today()
        chosen = self.day_combo.currentData()
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        if chosen not in days:
            chosen = today if today in days else days[0]
        self.day_combo.blockSignals(True)
        self.day_combo.clear()
        for day in days:
            self.day_combo.addItem(day_label(day, today), day)
        self.day_combo.setCurrentIndex(days.index(chosen))
        self.day_combo.blockSignals(False)

    def _show_schedule(self) -> None:
        day = self.day_combo.currentData()
        slots = [s for s in self.plan.schedule if s.day == day] if self.plan else []
        self.schedule.show_slots(slots)

    def _reload_visits(self) -> None:
        quad_id = self.quad_combo.currentData()
        if quad_id is None:
            return
        self._visits_request += 1
        self.run(_find_visits, quad_id, self.filters.current(),
                 self.filters.searching_everywhere(),
                 on_success=partial(self._show_visits, self._visits_request),
                 description="Searching the visits…")

    def _show_visits(self, request: int, found: list[VisitSummary]) -> None:
        if request != self._visits_request:
            return
        self.visit_list.show_visits(found)
        where = "in every QUAD" if self.filters.searching_everywhere() else "in this QUAD"
        count = "1 visit" if len(found) == 1 else f"{len(found)} visits"
        self.found_label.setText(f"{count} {where}")

    # Reacting --------------------------------------------------------------

    def _on_quad_combo_changed(self, _index: int) -> None:
        self.day_combo.clear()
        self._load_quad()

    def _on_day_combo_changed(self, _index: int) -> None:
        self._show_schedule()

    def _on_filters_changed(self) -> None:
        self._reload_visits()

    def _on_search_action_triggered(self) -> None:
        self.filters.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search_edit.selectAll()

    def _on_start_button_clicked(self) -> None:
        slot_id = self.schedule.current_record_id()
        if slot_id is None:
            self.status_message.emit("Choose a lesson in the schedule first.")
            return
        self._on_schedule_record_activated(slot_id)

    def _on_schedule_record_activated(self, slot_id: str) -> None:
        quad_id = self.quad_combo.currentData()
        if quad_id is None:
            return
        self.run(visits.start_visit, quad_id, slot_id,
                 on_success=self._on_visit_started, description="Starting the visit…")

    def _on_ad_hoc_chosen(self, kind: ActivityKind) -> None:
        quad_id = self.quad_combo.currentData()
        if quad_id is None:
            self.status_message.emit("Choose a QUAD first.")
            return
        self.run(visits.start_visit, quad_id, None, kind,
                 on_success=self._on_visit_started, description="Starting the activity…")

    def _on_visit_started(self, activity_id: str) -> None:
        self.data_changed.emit()
        self.navigate_requested.emit("record", activity_id)

    def _on_visit_list_record_activated(self, activity_id: str) -> None:
        self.navigate_requested.emit("record", activity_id)

    # Locking ---------------------------------------------------------------

    def clear_data(self) -> None:
        super().clear_data()
        self._plan_request += 1
        self._visits_request += 1
        self.quads = []
        self.plan = None
        self.overlay.hide()
        for combo in (self.quad_combo, self.day_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.blockSignals(False)
        self.schedule.clear()
        self.visit_list.clear()
        self.filters.clear()
        self.filters.clear_choices()
        self.found_label.clear()


# Jobs: run in a worker ---------------------------------------------------------


def _load_quad_day(
    profile: UnlockedProfile, quad_id: str, where: VisitFilter, everywhere: bool
) -> QuadDay:
    plan = planning.load_plan(profile, quad_id)
    return QuadDay(plan, _find_visits(profile, quad_id, where, everywhere))


def _find_visits(
    profile: UnlockedProfile, quad_id: str, where: VisitFilter, everywhere: bool
) -> list[VisitSummary]:
    if everywhere:
        return visits.search_visits(profile, where.words)
    return visits.list_visits(profile, quad_id, where)


def _quad_of_the_day(quads: list[QuadSummary], today: date) -> str | None:
    """The QUAD under way today, else the next to come, else the latest."""
    if not quads:
        return None
    for quad in quads:
        if quad.starts_on <= today <= quad.ends_on:
            return quad.id
    coming = [q for q in quads if q.starts_on > today]
    if coming:
        return min(coming, key=lambda q: q.starts_on).id
    return max(quads, key=lambda q: q.starts_on).id


def _quad_label(quad: QuadSummary) -> str:
    dates = f"{quad.starts_on:%d %b}" if quad.starts_on == quad.ends_on else (
        f"{quad.starts_on:%d %b}–{quad.ends_on:%d %b %Y}"
    )
    return f"{quad.reference}  ·  {quad.school_name}  ·  {dates}"

"""The QUADs screen: every QUAD and specialist visit, filtered by school, and
the planner for one of them (`open_item(quad_id)`)."""

import logging
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.dialogs.base import OpenDialogs
from invictus_desktop.gui.dialogs.new_quad import NewQuadDialog
from invictus_desktop.gui.labels import STATUS_WORDS, date_span, kind_label, term_label
from invictus_desktop.gui.pages.allowed import READ_ONLY_PLANNING, allow
from invictus_desktop.gui.pages.base import LazyPage
from invictus_desktop.gui.pages.quad_planner import QuadPlanner
from invictus_desktop.gui.tables import (
    Row,
    RowsModel,
    fit_columns,
    make_table,
    selected_payload,
)
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import buddy_label
from invictus_desktop.services.access import Permissions, describe_permissions
from invictus_desktop.services.planning import (
    QuadDetails,
    QuadSummary,
    create_quad,
    list_quads,
)
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.schools import SchoolView, list_schools

log = logging.getLogger(__name__)

COLUMNS = ["Reference", "School", "Term", "Dates", "Status", "Kind"]
ALL_SCHOOLS = "All schools"
NEW_QUAD_SHORTCUT = "Ctrl+N"


class QuadsScreen(NamedTuple):
    permissions: Permissions
    quads: list[QuadSummary]
    schools: list[SchoolView]


def load_quads_screen(profile: UnlockedProfile) -> QuadsScreen:
    return QuadsScreen(
        describe_permissions(profile), list_quads(profile), list_schools(profile)
    )


class QuadsPage(LazyPage):
    """The list of QUADs, and the planner of the one opened. The widgets are
    made when first shown.

    Attributes:
        screen: what the list shows (None until loaded).
        stack: the list (index 0) or the planner (index 1).
        school_filter: shows one school's QUADs, or all.
        model, table: the QUADs shown, newest first.
        new_button: plans a new QUAD (Ctrl+N; planners only).
        open_button: opens the selected QUAD's planner (or Enter on the row).
        planner: the planner of one QUAD.
        dialogs: the dialogs open from the list.
    """

    key = "quads"
    title = "QUADs"

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self.screen: QuadsScreen | None = None
        self.dialogs = OpenDialogs()

    # Building --------------------------------------------------------------

    def build(self) -> None:
        self.planner = QuadPlanner(self)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_list())
        self.stack.addWidget(self.planner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        new_quad = QShortcut(QKeySequence(NEW_QUAD_SHORTCUT), self)
        new_quad.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_quad.activated.connect(self._on_new_button_clicked)
        self.planner.back_requested.connect(self._on_planner_back_requested)
        self.planner.visits_requested.connect(self._on_planner_visits_requested)

    def _build_list(self) -> QWidget:
        heading = QLabel("QUADs and specialist visits")
        heading.setObjectName("heading")
        self.school_filter = QComboBox()
        self.school_filter.setMinimumContentsLength(24)
        self.new_button = QPushButton("&New QUAD…")
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip(
            f"Plan a QUAD or a specialist visit ({NEW_QUAD_SHORTCUT})"
        )
        self.open_button = QPushButton("&Open planner")
        tools = QHBoxLayout()
        tools.setSpacing(8)
        tools.addWidget(buddy_label("&School", self.school_filter))
        tools.addWidget(self.school_filter)
        tools.addStretch(1)
        tools.addWidget(self.open_button)
        tools.addWidget(self.new_button)

        self.model = RowsModel(COLUMNS, self)
        self.table = make_table(self.model, "QUADs", stretch_column=5)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("caption")

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)

        QWidget.setTabOrder(self.school_filter, self.table)
        QWidget.setTabOrder(self.table, self.open_button)
        QWidget.setTabOrder(self.open_button, self.new_button)
        self.school_filter.activated.connect(self._on_school_filter_activated)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.table.activated.connect(self._on_open_button_clicked)
        self.table.selectionModel().selectionChanged.connect(
            self._on_table_selection_changed
        )
        return page

    # Showing ---------------------------------------------------------------

    def page_shown(self) -> None:
        self.ensure_built()
        if self.stack.currentWidget() is self.planner and self.planner.quad_id:
            self.planner.reload()
            return
        self.run(load_quads_screen, on_success=self._show_screen,
                 description="Loading the QUADs…")

    def open_item(self, item: object) -> None:
        """Open the planner of the QUAD with id `item`."""
        self.ensure_built()
        self.stack.setCurrentWidget(self.planner)
        self.planner.open_quad(str(item))
        self.planner.back_button.setFocus()

    def show_list(self) -> None:
        self.stack.setCurrentIndex(0)
        self.run(load_quads_screen, on_success=self._show_screen,
                 description="Loading the QUADs…")

    def _show_screen(self, screen: QuadsScreen) -> None:
        self.screen = screen
        chosen = self.school_filter.currentData()
        self.school_filter.clear()
        self.school_filter.addItem(ALL_SCHOOLS, None)
        for school in screen.schools:
            self.school_filter.addItem(school.name, school.id)
        self.school_filter.setCurrentIndex(max(0, self.school_filter.findData(chosen)))
        self._show_quads()
        allow(self.new_button, screen.permissions.may_plan, READ_ONLY_PLANNING)

    def _show_quads(self) -> None:
        if self.screen is None:
            return
        selected = selected_payload(self.table)
        school_id = self.school_filter.currentData()
        quads = [q for q in self.screen.quads if school_id in (None, q.school_id)]
        self.model.set_rows([Row(_cells(quad), quad.id) for quad in quads])
        fit_columns(self.table, 0, 1, 2, 3, 4)
        if selected is not None:
            row = self.model.row_of(selected)
            if row >= 0:
                self.table.selectRow(row)
        self.empty_label.setText(
            "" if quads else "No QUADs yet. Plan one with New QUAD… (Ctrl+N)."
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        allow(self.open_button, selected_payload(self.table) is not None,
              "Select a QUAD first.")

    def clear_data(self) -> None:
        super().clear_data()
        self.dialogs.close_all()
        self.screen = None
        if not self.built:
            return
        self.model.clear()
        self.school_filter.clear()
        self.empty_label.clear()
        self.planner.clear()
        self.stack.setCurrentIndex(0)

    # Reacting --------------------------------------------------------------

    def _on_table_selection_changed(self) -> None:
        self._update_buttons()

    def _on_school_filter_activated(self, _index: int) -> None:
        self._show_quads()

    def _on_open_button_clicked(self) -> None:
        quad_id = selected_payload(self.table)
        if quad_id is not None:
            self.open_item(quad_id)

    def _on_planner_back_requested(self) -> None:
        self.show_list()
        self.table.setFocus()

    def _on_planner_visits_requested(self, quad_id: str) -> None:
        self.navigate_requested.emit("visits", quad_id)

    def _on_new_button_clicked(self) -> None:
        if self.screen is None:  # opened straight into a planner: load the list first
            self.run(load_quads_screen, on_success=self._on_screen_loaded_for_new,
                     description="Loading the QUADs…")
            return
        if not self.screen.permissions.may_plan:
            return
        dialog = NewQuadDialog(self.screen.schools, self.school_filter.currentData(),
                               parent=self)
        self.dialogs.add(dialog)
        dialog.submitted.connect(lambda details: self._on_quad_dialog_submitted(
            dialog, details))
        dialog.open()

    def _on_screen_loaded_for_new(self, screen: QuadsScreen) -> None:
        self._show_screen(screen)
        self._on_new_button_clicked()

    def _on_quad_dialog_submitted(
        self, dialog: NewQuadDialog, details: QuadDetails
    ) -> None:
        task = self.run(
            create_quad,
            details,
            on_success=lambda quad_id: self._on_quad_created(dialog, quad_id),
            on_failure=lambda error: dialog.show_error(self.failure_text(error)),
            description="Creating the QUAD…",
        )
        dialog.track(task)

    def _on_quad_created(self, dialog: NewQuadDialog, quad_id: str) -> None:
        dialog.saved()
        self.status_message.emit("Created the QUAD. Now choose its team and focus.")
        self.data_changed.emit()
        self.open_item(quad_id)


def _cells(quad: QuadSummary) -> list[str]:
    return [
        quad.reference,
        quad.school_name,
        term_label(quad.term, quad.academic_year),
        date_span(quad.starts_on, quad.ends_on),
        STATUS_WORDS[quad.status],
        kind_label(quad.kind, quad.subject),
    ]

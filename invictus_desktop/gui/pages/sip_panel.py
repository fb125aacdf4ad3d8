"""The Schools screen's Improvement plan tab: a school's SIP for one academic
year, its priorities with their RAG ratings, and each rating's history."""

import logging
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.dialogs.base import OpenDialogs
from invictus_desktop.gui.dialogs.priority_dialog import PriorityDialog, PriorityValues
from invictus_desktop.gui.dialogs.rag_dialog import RagChange, RagDialog
from invictus_desktop.gui.labels import RAG_WORDS
from invictus_desktop.gui.pages.allowed import READ_ONLY_SCHOOL, allow
from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.rag import RagDelegate, RagTimeline
from invictus_desktop.gui.tables import (
    Row,
    RowsModel,
    fit_columns,
    make_table,
    select_payload,
    selected_payload,
)
from invictus_desktop.gui.widgets import (
    buddy_label,
    scroll_area,
)
from invictus_desktop.services import sips
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.sips import PriorityView, SipView

log = logging.getLogger(__name__)

COLUMNS = ["Code", "Priority", "Owner", "Rating", "Success criteria"]
RATING_COLUMN = 3
TITLE_MAX_WIDTH = 330


def offered_years(existing: list[str], today: date) -> list[str]:
    """The years with a plan, plus this academic year and the next, newest first."""
    current = sips.academic_year_of(today)
    start = int(current[:4]) + 1
    following = f"{start}-{(start + 1) % 100:02d}"
    return sorted({*existing, current, following}, reverse=True)


def default_year(existing: list[str], today: date) -> str:
    """This year's plan if there is one, else the newest plan, else this year."""
    current = sips.academic_year_of(today)
    if current in existing or not existing:
        return current
    return max(existing)


class SipPanel(QWidget):
    """One school's improvement plan for the chosen academic year.

    Attributes:
        school_id: the school shown, or None.
        sip: the plan on screen, or None (none for that year, or cleared).
        year_combo: the academic year chooser.
        model, table: the priorities, one a row, the rating as a chip with its word.
        add_button, edit_button, rag_button: changes to the priorities.
        create_button: starts a plan for the chosen year (when there is none).
        timeline: the selected priority's rating history.
        dialogs: the dialogs open from this tab.
    """

    def __init__(self, page: Page, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.school_id: str | None = None
        self.sip: SipView | None = None
        self.dialogs = OpenDialogs()
        self._page = page
        self._editable = False
        self._years: list[str] = []

        self.year_combo = QComboBox()
        self.year_combo.setMinimumContentsLength(8)
        self.add_button = QPushButton("&Add priority…")
        self.edit_button = QPushButton("&Edit priority…")
        self.rag_button = QPushButton("Change &rating…")
        self.rag_button.setToolTip("Re-rate the selected priority, saying why")
        tools = QHBoxLayout()
        tools.addWidget(buddy_label("Academic &year", self.year_combo))
        tools.addWidget(self.year_combo)
        tools.addStretch(1)
        tools.addWidget(self.add_button)
        tools.addWidget(self.edit_button)
        tools.addWidget(self.rag_button)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_plan())
        self.stack.addWidget(self._build_no_plan())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(10)
        layout.addLayout(tools)
        layout.addWidget(self.stack, 1)

        QWidget.setTabOrder(self.year_combo, self.add_button)
        QWidget.setTabOrder(self.add_button, self.edit_button)
        QWidget.setTabOrder(self.edit_button, self.rag_button)
        QWidget.setTabOrder(self.rag_button, self.table)
        self.year_combo.activated.connect(self._on_year_combo_activated)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.rag_button.clicked.connect(self._on_rag_button_clicked)
        self.create_button.clicked.connect(self._on_create_button_clicked)
        self.table.activated.connect(self._on_edit_button_clicked)
        self.table.selectionModel().selectionChanged.connect(
            self._on_table_selection_changed
        )
        self._update_buttons()

    # Building --------------------------------------------------------------

    def _build_plan(self) -> QWidget:
        self.model = RowsModel(COLUMNS, self)
        self.table = make_table(self.model, "Priorities", stretch_column=4)
        self.table.setItemDelegateForColumn(RATING_COLUMN, RagDelegate(self.table))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 300])
        return splitter

    def _build_detail(self) -> QGroupBox:
        box = QGroupBox("Selected priority")
        self.detail_title = _wrapping_label("detailTitle")
        self.detail_owner = _wrapping_label("caption")
        self.detail_criteria = _wrapping_label()
        about = QVBoxLayout()
        about.setSpacing(6)
        about.addWidget(self.detail_title)
        about.addWidget(self.detail_owner)
        about.addWidget(self.detail_criteria)
        about.addStretch(1)

        history_heading = QLabel("Rating history, newest first")
        history_heading.setObjectName("sectionHeading")
        self.timeline = RagTimeline()
        scroll = scroll_area(self.timeline, plain=True)
        history = QVBoxLayout()
        history.setSpacing(6)
        history.addWidget(history_heading)
        history.addWidget(scroll, 1)

        layout = QHBoxLayout(box)
        layout.setContentsMargins(14, 18, 8, 8)
        layout.setSpacing(24)
        layout.addLayout(about, 1)
        layout.addLayout(history, 1)
        return box

    def _build_no_plan(self) -> QWidget:
        self.no_plan_label = QLabel()
        self.no_plan_label.setObjectName("intro")
        self.no_plan_label.setWordWrap(True)
        self.create_button = QPushButton("&Create the plan")
        self.create_button.setObjectName("primary")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 24, 0, 0)
        layout.addWidget(self.no_plan_label)
        row = QHBoxLayout()
        row.addWidget(self.create_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    # Showing ---------------------------------------------------------------

    def show_school(self, school_id: str, editable: bool) -> None:
        same_school = school_id == self.school_id
        self.school_id = school_id
        self._editable = editable
        year = self.year_combo.currentText() if same_school else ""
        self._page.run(
            sips.sip_years,
            school_id,
            on_success=lambda years: self._show_years(school_id, years, year),
            description="Loading the improvement plans…",
        )

    def _show_years(self, school_id: str, existing: list[str], wanted: str) -> None:
        if school_id != self.school_id:  # another school was chosen meanwhile
            return
        keep = selected_payload(self.table) if wanted else None
        today = date.today()
        self._years = existing
        self.year_combo.clear()
        self.year_combo.addItems(offered_years(existing, today))
        self.year_combo.setCurrentText(wanted or default_year(existing, today))
        self._load_year(keep_priority=keep)

    def _load_year(self, keep_priority: object = None) -> None:
        if self.school_id is None:
            return
        school_id, year = self.school_id, self.year_combo.currentText()
        self._page.run(
            sips.load_sip,
            school_id,
            year,
            on_success=lambda view: self._show_sip(school_id, year, view, keep_priority),
            description="Loading the improvement plan…",
        )

    def _show_sip(
        self, school_id: str, year: str, view: SipView | None, keep_priority: object
    ) -> None:
        if (school_id, year) != (self.school_id, self.year_combo.currentText()):
            return  # the user has moved on to another school or year
        self.sip = view
        if view is None:
            self.model.clear()
            self._show_priority(None)
            self.stack.setCurrentIndex(1)
            self.no_plan_label.setText(
                f"There is no improvement plan for {year} yet."
                if self._editable
                else f"There is no improvement plan for {year} yet. Its Headteacher "
                "or a trust lead can start one."
            )
            self.create_button.setText(f"&Create the {year} plan")
            allow(self.create_button, self._editable, READ_ONLY_SCHOOL)
            self._update_buttons()
            return

        self.stack.setCurrentIndex(0)
        self.model.set_rows([
            Row([p.code, p.title, p.owner, RAG_WORDS[p.rag], p.success_criteria], p.id)
            for p in view.priorities
        ])
        fit_columns(self.table, 0, 1, 2, RATING_COLUMN)
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), TITLE_MAX_WIDTH))
        kept = keep_priority is not None and select_payload(self.table, keep_priority)
        if not kept and view.priorities:
            self.table.selectRow(0)
        self._show_priority(self.selected_priority())
        self._update_buttons()

    def _show_priority(self, priority: PriorityView | None) -> None:
        if priority is None:
            for label in (self.detail_title, self.detail_owner, self.detail_criteria):
                label.clear()
            self.timeline.clear()
            return
        self.detail_title.setText(f"{priority.code}  {priority.title}")
        self.detail_owner.setText(f"Owner: {priority.owner}" if priority.owner else "")
        self.detail_criteria.setText(
            f"Success criteria: {priority.success_criteria}"
            if priority.success_criteria else "No success criteria yet."
        )
        self.timeline.set_events(priority.history)

    def selected_priority(self) -> PriorityView | None:
        priority_id = selected_payload(self.table)
        if self.sip is None or priority_id is None:
            return None
        return next((p for p in self.sip.priorities if p.id == priority_id), None)

    def clear(self) -> None:
        self.dialogs.close_all()
        self.school_id = None
        self.sip = None
        self.year_combo.clear()
        self.model.clear()
        self._show_priority(None)
        self.no_plan_label.clear()

    def _update_buttons(self) -> None:
        has_plan = self.sip is not None
        selected = self.selected_priority() is not None
        if not self._editable:
            reason = READ_ONLY_SCHOOL
        elif not has_plan:
            reason = "Create the plan for this year first."
        else:
            reason = "Select a priority first."
        allow(self.add_button, self._editable and has_plan, reason)
        allow(self.edit_button, self._editable and selected, reason)
        allow(self.rag_button, self._editable and selected, reason)

    # Reacting --------------------------------------------------------------

    def _on_year_combo_activated(self, _index: int) -> None:
        self._load_year()

    def _on_table_selection_changed(self) -> None:
        self._show_priority(self.selected_priority())
        self._update_buttons()

    def _on_create_button_clicked(self) -> None:
        if self.school_id is None or not self._editable:
            return
        self.create_button.setEnabled(False)
        self._page.run(
            sips.create_sip,
            self.school_id,
            self.year_combo.currentText(),
            on_success=self._on_sip_created,
            on_failure=self._on_create_failed,
            description="Creating the plan…",
        )

    def _on_sip_created(self, _sip_id: str) -> None:
        self._page.status_message.emit(
            f"Created the {self.year_combo.currentText()} improvement plan."
        )
        self._load_year()
        self.add_button.setFocus()

    def _on_create_failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        self._page.status_message.emit(self._page.failure_text(error))

    def _on_add_button_clicked(self) -> None:
        if self.sip is None or not self._editable:
            return
        next_code = f"P{len(self.sip.priorities) + 1}"
        self._open_priority_dialog(PriorityDialog(None, next_code, self))

    def _on_edit_button_clicked(self) -> None:
        priority = self.selected_priority()
        if priority is not None and self._editable:
            self._open_priority_dialog(PriorityDialog(priority, parent=self))

    def _open_priority_dialog(self, dialog: PriorityDialog) -> None:
        self.dialogs.add(dialog)
        dialog.submitted.connect(
            lambda values: self._on_priority_dialog_submitted(dialog, values)
        )
        dialog.open()

    def _on_priority_dialog_submitted(
        self, dialog: PriorityDialog, values: PriorityValues
    ) -> None:
        assert self.sip is not None
        task = self._page.run(
            _save_priority,
            self.sip.id,
            dialog.priority_id,
            values,
            on_success=lambda priority_id: self._on_saved(dialog, priority_id, "Saved."),
            on_failure=lambda error: dialog.show_error(self._page.failure_text(error)),
            description="Saving the priority…",
        )
        dialog.track(task)

    def _on_rag_button_clicked(self) -> None:
        priority = self.selected_priority()
        if priority is None or not self._editable:
            return
        dialog = RagDialog(priority, self)
        self.dialogs.add(dialog)
        dialog.submitted.connect(
            lambda change: self._on_rag_dialog_submitted(dialog, change)
        )
        dialog.open()

    def _on_rag_dialog_submitted(self, dialog: RagDialog, change: RagChange) -> None:
        word = RAG_WORDS[change.rag]
        task = self._page.run(
            _change_rag,
            dialog.priority_id,
            change,
            on_success=lambda priority_id: self._on_saved(
                dialog, priority_id, f"Rated {word}; the reason is in its history."
            ),
            on_failure=lambda error: dialog.show_error(self._page.failure_text(error)),
            description="Changing the rating…",
        )
        dialog.track(task)

    def _on_saved(self, dialog: PriorityDialog | RagDialog, priority_id: str,
                  message: str) -> None:
        dialog.saved()
        self._page.status_message.emit(message)
        self._load_year(keep_priority=priority_id)


def _save_priority(
    profile: UnlockedProfile, sip_id: str, priority_id: str | None, values: PriorityValues
) -> str:
    if priority_id is None:
        assert values.rag is not None
        return sips.add_priority(profile, sip_id, values.details, values.rag)
    sips.update_priority(profile, priority_id, values.details)
    return priority_id


def _change_rag(profile: UnlockedProfile, priority_id: str, change: RagChange) -> str:
    sips.change_rag(profile, priority_id, change.rag, change.reason)
    return priority_id


def _wrapping_label(object_name: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label

"""The visits of a QUAD: filters, full-text search, and the list itself."""

import re

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from invictus_desktop.gui.visit.record_tree import RecordTree
from invictus_desktop.gui.visit.words import JUDGEMENT_LABELS, KIND_LABELS, STATUS_LABELS
from invictus_desktop.gui.widgets import labelled
from invictus_desktop.services.planning import QuadPlan
from invictus_desktop.services.visits import VisitFilter, VisitSummary

FILTER_DELAY_MS = 250
ANY = "Any"
COLUMNS = [
    "When", "Activity", "Teacher", "Subject", "Class", "Observer", "Evidence", "Status",
]


class VisitFilterBar(QWidget):
    """Filters (teacher, subject, year group, focus area, observer, judgement)
    and a search box for words anywhere in a visit's text.

    Signals:
        filters_changed(): the user changed a filter; emitted after a pause
            in typing.

    Attributes:
        teacher_edit, subject_edit, search_edit: free text.
        year_combo, focus_combo, observer_combo, judgement_combo: choices
            ("Any" first).
        everywhere_check: search every QUAD's visits, not just this one's.
        clear_button: clears every filter.
    """

    filters_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self._delay = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._delay.timeout.connect(self.filters_changed)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Words in notes, evidence, strengths…")
        self.search_edit.setClearButtonEnabled(True)
        self.everywhere_check = QCheckBox("In &all QUADs")
        self.teacher_edit = QLineEdit()
        self.subject_edit = QLineEdit()
        self.year_combo = QComboBox()
        self.focus_combo = QComboBox()
        self.observer_combo = QComboBox()
        self.judgement_combo = QComboBox()
        self.clear_button = QPushButton("Cl&ear filters")
        for combo in self._combos():
            combo.addItem(ANY, "")
        for judgement, label in JUDGEMENT_LABELS.items():
            self.judgement_combo.addItem(label, judgement)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        grid.addLayout(labelled("Sea&rch all visit text", self.search_edit), 0, 0, 1, 3)
        grid.addWidget(self.everywhere_check, 0, 3, Qt.AlignmentFlag.AlignBottom)
        grid.addWidget(
            self.clear_button, 0, 5,
            Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight,
        )
        cells = [
            ("&Teacher", self.teacher_edit), ("S&ubject", self.subject_edit),
            ("&Year group", self.year_combo), ("&Focus area", self.focus_combo),
            ("&Observer", self.observer_combo), ("&Judgement", self.judgement_combo),
        ]
        for column, (caption, field) in enumerate(cells):
            grid.addLayout(labelled(caption, field), 1, column)
            grid.setColumnStretch(column, 1)

        for edit in (self.search_edit, self.teacher_edit, self.subject_edit):
            edit.textChanged.connect(self._on_filter_edited)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self._on_filter_edited)
        self.everywhere_check.toggled.connect(self._on_filter_edited)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)

    def _combos(self) -> list[QComboBox]:
        return [
            self.year_combo, self.focus_combo, self.observer_combo, self.judgement_combo
        ]

    def set_choices(self, plan: QuadPlan, year_groups: set[str]) -> None:
        """The QUAD's focus areas, team and year groups (keeping what was chosen)."""
        self._filling = True
        try:
            _refill(self.year_combo, [(y, y) for y in sorted(year_groups, key=_natural)])
            _refill(self.focus_combo, [(f.title, f.id) for f in plan.focus_areas])
            _refill(self.observer_combo, [(t.name, t.person_id) for t in plan.team])
        finally:
            self._filling = False

    def clear_choices(self) -> None:
        """Only "Any" left in the QUAD's own choices (on lock)."""
        self._filling = True
        try:
            for combo in (self.year_combo, self.focus_combo, self.observer_combo):
                _refill(combo, [])
        finally:
            self._filling = False

    def current(self) -> VisitFilter:
        return VisitFilter(
            teacher=self.teacher_edit.text().strip(),
            subject=self.subject_edit.text().strip(),
            year_group=self.year_combo.currentData() or "",
            focus_area_id=self.focus_combo.currentData() or "",
            observer_id=self.observer_combo.currentData() or "",
            judgement=self.judgement_combo.currentData() or None,
            words=self.search_edit.text().strip(),
        )

    def searching_everywhere(self) -> bool:
        return self.everywhere_check.isChecked() and bool(self.search_edit.text().strip())

    def clear(self) -> None:
        self._filling = True
        try:
            for edit in (self.search_edit, self.teacher_edit, self.subject_edit):
                edit.clear()
            for combo in self._combos():
                combo.setCurrentIndex(0)
            self.everywhere_check.setChecked(False)
        finally:
            self._filling = False

    def _on_filter_edited(self) -> None:
        if not self._filling:
            self._delay.start()

    def _on_clear_button_clicked(self) -> None:
        self.clear()
        self._delay.start()


class VisitList(RecordTree):
    """Visits, newest last; Enter (or a double click) on one announces its id
    (`record_activated`), to open it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(COLUMNS, "Visits", stretch_column=2, parent=parent)

    def show_visits(self, visits: list[VisitSummary]) -> None:
        self.clear()
        for visit in visits:
            when = f"{visit.time_in.astimezone():%a %d %b %H:%M}" if visit.time_in else ""
            evidence = ", ".join(JUDGEMENT_LABELS[j] for j in visit.judgements)
            status = STATUS_LABELS[visit.status]
            if visit.safeguarding_concern:
                status += " · safeguarding concern"
            self.add_record([when, KIND_LABELS[visit.kind], visit.teacher_name,
                             visit.subject, visit.class_name, visit.author_name,
                             evidence, status], visit.id)


def _refill(combo: QComboBox, choices: list[tuple[str, str]]) -> None:
    chosen = combo.currentData()
    while combo.count() > 1:
        combo.removeItem(1)
    for label, value in choices:
        combo.addItem(label, value)
    index = combo.findData(chosen)
    combo.setCurrentIndex(max(index, 0))


def _natural(text: str) -> tuple:
    """"Year 9" before "Year 10"."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))

"""Plan a new QUAD or specialist visit: which school, which term, which days."""

import logging
from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QWidget

from invictus_desktop.gui.dialogs.base import FormDialog, FormProblem
from invictus_desktop.gui.labels import KIND_WORDS, TERM_WORDS
from invictus_desktop.services.planning import QuadDetails
from invictus_desktop.services.schools import SchoolView
from invictus_desktop.services.sips import academic_year_of
from invictus_desktop.store.vocabulary import ReviewKind, Term

log = logging.getLogger(__name__)

DATE_FORMAT = "ddd d MMM yyyy"
FIRST_DAYS = 7  # a new QUAD starts a week from today, unless told otherwise


def term_of(day: date) -> Term:
    """The school term a day falls in (September to December is autumn)."""
    if day.month >= 9:
        return Term.AUTUMN
    return Term.SPRING if day.month <= 4 else Term.SUMMER


def nearby_years(today: date) -> list[str]:
    """Last academic year, this one and the next."""
    start = int(academic_year_of(today)[:4])
    return [f"{year}-{(year + 1) % 100:02d}" for year in (start + 1, start, start - 1)]


class NewQuadDialog(FormDialog):
    """The details of a new QUAD: school, kind (and subject), year, term, dates.

    Attributes:
        school_combo, kind_combo, subject_edit, year_combo, term_combo,
            starts_edit, ends_edit: the fields, in tab order.
    """

    def __init__(
        self,
        schools: list[SchoolView],
        school_id: str | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("New QUAD", "&Create", parent)
        today = today or date.today()
        first = today + timedelta(days=FIRST_DAYS)

        self.school_combo = QComboBox()
        for school in schools:
            self.school_combo.addItem(school.name, school.id)
        if school_id is not None:
            self.school_combo.setCurrentIndex(max(0, self.school_combo.findData(school_id)))
        self.kind_combo = QComboBox()
        for kind, word in KIND_WORDS.items():
            self.kind_combo.addItem(word, kind)
        self.subject_edit = QLineEdit()
        self.subject_edit.setPlaceholderText("For a specialist visit, e.g. Maths")
        self.year_combo = QComboBox()
        self.year_combo.addItems(nearby_years(today))
        self.year_combo.setCurrentText(academic_year_of(first))
        self.term_combo = QComboBox()
        for term, word in TERM_WORDS.items():
            self.term_combo.addItem(word, term)
        self.term_combo.setCurrentIndex(self.term_combo.findData(term_of(first)))
        self.starts_edit = _date_edit(first)
        self.ends_edit = _date_edit(first + timedelta(days=1))

        self.add_row("&School", self.school_combo)
        self.add_row("&Kind", self.kind_combo)
        self.subject_label = self.add_row("S&ubject", self.subject_edit)
        self.add_row("Academic &year", self.year_combo)
        self.add_row("&Term", self.term_combo)
        self.add_row("&First day", self.starts_edit)
        self.add_row("&Last day", self.ends_edit)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.starts_edit.dateChanged.connect(self._on_starts_edit_date_changed)
        self._on_kind_combo_changed()
        self.school_combo.setFocus()

    def values(self) -> QuadDetails:
        if self.school_combo.currentData() is None:
            raise FormProblem("Add the school first (Schools screen).", self.school_combo)
        kind = self.kind_combo.currentData()
        subject = self.subject_edit.text().strip()
        if kind is ReviewKind.SPECIALIST_VISIT and not subject:
            raise FormProblem("A specialist visit needs its subject.", self.subject_edit)
        starts = self.starts_edit.date().toPython()
        ends = self.ends_edit.date().toPython()
        if ends < starts:
            raise FormProblem("The last day is before the first day.", self.ends_edit)
        return QuadDetails(
            school_id=self.school_combo.currentData(),
            academic_year=self.year_combo.currentText(),
            term=self.term_combo.currentData(),
            starts_on=starts,
            ends_on=ends,
            kind=kind,
            subject=subject if kind is ReviewKind.SPECIALIST_VISIT else "",
        )

    def _on_kind_combo_changed(self) -> None:
        specialist = self.kind_combo.currentData() is ReviewKind.SPECIALIST_VISIT
        self.subject_edit.setEnabled(specialist)
        self.subject_label.setEnabled(specialist)

    def _on_starts_edit_date_changed(self, starts: QDate) -> None:
        if self.ends_edit.date() < starts:
            self.ends_edit.setDate(starts.addDays(1))


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    return edit

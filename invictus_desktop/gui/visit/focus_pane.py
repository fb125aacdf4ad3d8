"""One focus area of the QUAD inside a visit record: its SIP priorities with
their current RAG rating, the evidence seen, and how it bears on them."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.visit.words import JUDGEMENT_LABELS, NOT_JUDGED, rag_chip
from invictus_desktop.services.visits import EvidencePane
from invictus_desktop.store.models import Judgement

EVIDENCE_HEIGHT = 92


class FocusPaneBox(QGroupBox):
    """A focus area's pane: priorities (read only), evidence text, judgement.

    Its title carries the mnemonic Alt+`number`, which moves focus to the
    evidence box.

    Signals:
        evidence_edited(): the evidence text changed (by the user).
        judgement_changed(): another judgement was chosen.

    Attributes:
        focus_area_id: the focus area this pane records evidence for.
        focus_title: its title.
        evidence_edit: the evidence text box.
        judgement_combo: how the evidence bears on the priorities.
    """

    evidence_edited = Signal()
    judgement_changed = Signal()

    def __init__(
        self, number: int, pane: EvidencePane, parent: QWidget | None = None
    ) -> None:
        prefix = f"&{number}" if number <= 9 else str(number)
        super().__init__(f"{prefix}  {pane.focus_title.replace('&', '&&')}", parent)
        self.setObjectName("focusPane")
        self.focus_area_id = pane.focus_area_id
        self.focus_title = pane.focus_title

        self.evidence_edit = QPlainTextEdit(pane.text)
        self.evidence_edit.setTabChangesFocus(True)
        self.evidence_edit.setFixedHeight(EVIDENCE_HEIGHT)
        self.evidence_edit.setPlaceholderText("What you saw that bears on this focus…")
        self.evidence_edit.setAccessibleName(f"Evidence for {pane.focus_title}")
        self.judgement_combo = QComboBox()
        self.judgement_combo.addItem(NOT_JUDGED, None)
        for judgement, label in JUDGEMENT_LABELS.items():
            self.judgement_combo.addItem(label, judgement)
        self.judgement_combo.setAccessibleName(f"Judgement for {pane.focus_title}")
        self.set_judgement_quietly(pane.judgement)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(self._priority_rows(pane))
        layout.addWidget(self.evidence_edit)
        judgement_row = QHBoxLayout()
        judgement_row.addWidget(QLabel("This evidence"))
        judgement_row.addWidget(self.judgement_combo)
        subject = "the priority" if len(pane.priorities) <= 1 else "the priorities"
        judgement_row.addWidget(QLabel(subject if pane.priorities else "the focus"))
        judgement_row.addStretch(1)
        layout.addLayout(judgement_row)

        self.evidence_edit.textChanged.connect(self.evidence_edited)
        self.judgement_combo.currentIndexChanged.connect(self._on_judgement_combo_changed)

    def _priority_rows(self, pane: EvidencePane) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(2, 1)
        if not pane.priorities:
            note = QLabel("A free focus: not linked to a SIP priority.")
            note.setObjectName("caption")
            grid.addWidget(note, 0, 0, 1, 3)
        for row, priority in enumerate(pane.priorities):
            grid.addWidget(rag_chip(priority.rag), row, 0)
            code = QLabel(priority.code)
            code.setObjectName("priorityCode")
            grid.addWidget(code, row, 1)
            title = QLabel(priority.title)
            title.setWordWrap(True)
            grid.addWidget(title, row, 2)
        return grid

    # Values ----------------------------------------------------------------

    def text(self) -> str:
        return self.evidence_edit.toPlainText()

    def judgement(self) -> Judgement | None:
        return self.judgement_combo.currentData()

    def set_judgement_quietly(self, judgement: Judgement | None) -> None:
        self.judgement_combo.blockSignals(True)
        self.judgement_combo.setCurrentIndex(self.judgement_combo.findData(judgement))
        self.judgement_combo.blockSignals(False)

    def append_quietly(self, line: str) -> None:
        """Add `line` at the end (as the store did when a note was moved here)."""
        current = self.text()
        combined = f"{current}\n{line}" if current.strip() else line
        self.evidence_edit.blockSignals(True)
        self.evidence_edit.setPlainText(combined)
        self.evidence_edit.blockSignals(False)

    def _on_judgement_combo_changed(self, _index: int) -> None:
        self.judgement_changed.emit()

"""The merge workspace's left side: every source for one focus area, side by side.

Each source is a card naming its author and role, what it is (a visit's
evidence, or a submitted note's version and whether its signature verifies),
its judgement, and whether the report uses it yet: an "Unused" source stands
out, so nothing submitted is overlooked.
"""

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.widgets import scroll_area
from invictus_desktop.services.report_desk import NoteCheck
from invictus_desktop.services.report_drafts import Source
from invictus_desktop.store.vocabulary import Judgement, SourceKind

log = logging.getLogger(__name__)

MIN_WIDTH = 380  # a card's buttons and judgement side by side

JUDGEMENT_WORDS = {
    Judgement.SUPPORTS: "Supports the priority",
    Judgement.PARTLY_SUPPORTS: "Partly supports",
    Judgement.CONTRADICTS: "Contradicts the priority",
    Judgement.NOT_RELEVANT: "Not relevant",
}


def _plain_label(text: str, name: str = "") -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setText(text)
    if name:
        label.setObjectName(name)
    return label


def describe_note_check(check: NoteCheck | None) -> str:
    if check is None:
        return ""
    if check.verified:
        return f"Version {check.version} · signature verified"
    return f"Version {check.version} · signature does NOT verify"


class SourceCard(QFrame):
    """One source with its provenance and the Cite and Quote buttons.

    Signals:
        cite_requested(object, str): cite this `Source`; the str is the quote
            to insert into the paragraph ("" to cite without quoting).

    Attributes:
        source: the source shown.
        status_label: "Unused", or "Used" once a paragraph cites it.
        text_label: the source's words (select part of them to quote only that).
        cite_button, quote_button: the two ways to use the source.
    """

    cite_requested = Signal(object, str)

    def __init__(
        self, source: Source, check: NoteCheck | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.setObjectName("sourceCard")
        self.setProperty("used", "yes" if source.used else "no")

        role = f" · {source.author_role}" if source.author_role else ""
        who = source.author_name + role
        author = _plain_label(who, "sourceAuthor")
        self.status_label = QLabel("Used" if source.used else "Unused")
        self.status_label.setObjectName("sourceStatus")
        self.status_label.setProperty("used", "yes" if source.used else "no")
        top = QHBoxLayout()
        top.addWidget(author, 1)
        top.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignTop)

        heading = source.heading
        if source.kind is SourceKind.NOTE_SECTION:
            heading = "Submitted note · " + describe_note_check(check)
        self.heading_label = _plain_label(heading, "caption")
        if check is not None and not check.verified:
            self.heading_label.setObjectName("warningText")

        self.text_label = _plain_label(source.text, "sourceText")
        selectable = Qt.TextInteractionFlag.TextSelectableByMouse
        self.text_label.setTextInteractionFlags(selectable)

        self.cite_button = QPushButton("Cite")
        self.cite_button.setToolTip(
            "Record that the paragraph where the cursor is rests on this source"
        )
        self.cite_button.clicked.connect(self._on_cite_button_clicked)
        self.quote_button = QPushButton("Quote")
        self.quote_button.setToolTip(
            "Insert the source's words (or the part selected) at the cursor, and cite it"
        )
        self.quote_button.clicked.connect(self._on_quote_button_clicked)
        buttons = QHBoxLayout()
        if source.judgement is not None:
            judgement = QLabel(JUDGEMENT_WORDS[source.judgement])
            judgement.setObjectName("judgementChip")
            judgement.setProperty("judgement", source.judgement.value)
            buttons.addWidget(judgement)
        buttons.addStretch(1)
        buttons.addWidget(self.quote_button)
        buttons.addWidget(self.cite_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.text_label)
        layout.addLayout(buttons)

    def quote_text(self) -> str:
        """The part of the text the user selected, or else all of it."""
        return self.text_label.selectedText().strip() or self.source.text.strip()

    def _on_cite_button_clicked(self) -> None:
        self.cite_requested.emit(self.source, "")

    def _on_quote_button_clicked(self) -> None:
        self.cite_requested.emit(self.source, self.quote_text())


class SourceList(QWidget):
    """Every source for one focus area, unused ones marked, in a scrolling column.

    Signals:
        cite_requested(object, str): a card's Cite or Quote was clicked.

    Attributes:
        cards: the cards shown, in order.
        summary_label: "6 sources, 2 unused".
        unused_only_check: show only the sources not yet used.
    """

    cite_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: list[SourceCard] = []

        self.summary_label = QLabel()
        self.summary_label.setObjectName("subheading")
        self.unused_only_check = QCheckBox("&Unused only")
        self.unused_only_check.toggled.connect(self._on_unused_only_check_toggled)
        header = QHBoxLayout()
        header.addWidget(self.summary_label, 1)
        header.addWidget(self.unused_only_check)

        self._column = QVBoxLayout()
        self._column.setSpacing(8)
        self._empty_label = _plain_label("", "caption")
        holder = QWidget()
        holder.setObjectName("sourceColumn")
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 6, 0)
        holder_layout.addLayout(self._column)
        holder_layout.addWidget(self._empty_label)
        holder_layout.addStretch(1)
        scroll = scroll_area(holder, wraps=True)
        self.setMinimumWidth(MIN_WIDTH)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)

    def show_sources(self, sources: list[Source], checks: dict[str, NoteCheck]) -> None:
        self.clear()
        for source in sources:
            card = SourceCard(source, checks.get(source.id))
            card.cite_requested.connect(self.cite_requested)
            self._column.addWidget(card)
            self.cards.append(card)

        unused = sum(1 for source in sources if not source.used)
        noun = "source" if len(sources) == 1 else "sources"
        self.summary_label.setText(f"{len(sources)} {noun}, {unused} unused")
        self._empty_label.setText(
            "" if sources else "No evidence or submitted notes for this focus area yet."
        )
        self._apply_filter()

    def card_for(self, source_id: str) -> SourceCard | None:
        return next((card for card in self.cards if card.source.id == source_id), None)

    def clear(self) -> None:
        for card in self.cards:
            # Not setParent(None): the card may be the sender of the click being
            # handled; deleteLater waits until the signal has returned.
            self._column.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.cards = []
        self.summary_label.clear()
        self._empty_label.clear()

    def _apply_filter(self) -> None:
        unused_only = self.unused_only_check.isChecked()
        for card in self.cards:
            card.setVisible(not (unused_only and card.source.used))

    def _on_unused_only_check_toggled(self, _checked: bool) -> None:
        self._apply_filter()

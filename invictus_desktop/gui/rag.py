"""RAG ratings on screen: a chip that always carries the word, never colour alone.

One painting function draws the chip (a tinted, outlined pill with a dot in
the rating's colour and the word Red, Amber or Green), used by the badge
widget, by the table delegate and by the rating history timeline. About one
man in twelve cannot tell red from green: the word is what carries the
meaning; the colour only helps the eye.
"""

import logging
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.labels import RAG_WORDS
from invictus_desktop.services.sips import RagEvent
from invictus_desktop.store.vocabulary import Rag

log = logging.getLogger(__name__)

CHIP_HEIGHT = 20
CHIP_PADDING = 7
DOT_SIZE = 8


class RagColours(NamedTuple):
    fill: str
    strong: str
    text: str


RAG_COLOURS = {
    Rag.RED: RagColours("#fde8ea", "#c62828", "#7f1616"),
    Rag.AMBER: RagColours("#fff1d6", "#d98a00", "#6b4100"),
    Rag.GREEN: RagColours("#e2f3e6", "#2e7d32", "#1a531e"),
}
RAG_BY_WORD = {word: rag for rag, word in RAG_WORDS.items()}


def chip_width(metrics: QFontMetrics, rag: Rag) -> int:
    return CHIP_PADDING * 3 + DOT_SIZE + metrics.horizontalAdvance(RAG_WORDS[rag])


def paint_chip(painter: QPainter, area: QRect, rag: Rag) -> None:
    """Draw the chip for `rag` at the left of `area`, centred vertically."""
    colours = RAG_COLOURS[rag]
    metrics = painter.fontMetrics()
    height = min(CHIP_HEIGHT, area.height())
    chip = QRectF(
        area.left() + 0.5,
        area.top() + (area.height() - height) / 2 + 0.5,
        chip_width(metrics, rag) - 1,
        height - 1,
    )

    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(colours.strong), 1))
    painter.setBrush(QColor(colours.fill))
    painter.drawRoundedRect(chip, height / 2, height / 2)

    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colours.strong))
    dot_top = chip.center().y() - DOT_SIZE / 2
    painter.drawEllipse(QRectF(chip.left() + CHIP_PADDING, dot_top, DOT_SIZE, DOT_SIZE))

    painter.setPen(QColor(colours.text))
    text_area = chip.adjusted(CHIP_PADDING * 2 + DOT_SIZE, 0, -CHIP_PADDING, 0)
    painter.drawText(text_area, Qt.AlignmentFlag.AlignVCenter, RAG_WORDS[rag])
    painter.restore()


class RagBadge(QWidget):
    """A rating chip as a widget (empty when no rating is set).

    Attributes:
        rag: the rating shown, or None.
    """

    def __init__(self, rag: Rag | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rag: Rag | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_rag(rag)

    def text(self) -> str:
        """The word on the chip: what a reader (and a screen reader) gets."""
        return RAG_WORDS[self.rag] if self.rag is not None else ""

    def set_rag(self, rag: Rag | None) -> None:
        self.rag = rag
        self.setAccessibleName(f"Rating: {self.text()}" if rag is not None else "")
        self.setToolTip(f"Rated {self.text()}" if rag is not None else "")
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        if self.rag is None:
            return QSize(0, CHIP_HEIGHT)
        return QSize(chip_width(self.fontMetrics(), self.rag), CHIP_HEIGHT)

    def paintEvent(self, _event: QPaintEvent) -> None:
        if self.rag is None:
            return
        painter = QPainter(self)
        paint_chip(painter, self.rect(), self.rag)
        painter.end()


class RagDelegate(QStyledItemDelegate):
    """Draws a table cell whose text is Red, Amber or Green as a rating chip."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rag = RAG_BY_WORD.get(str(index.data() or ""))
        if rag is None:
            super().paint(painter, option, index)
            return

        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(
                QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget
            )
        paint_chip(painter, option.rect.adjusted(6, 0, -4, 0), rag)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        rag = RAG_BY_WORD.get(str(index.data() or ""))
        hint = super().sizeHint(option, index)
        if rag is None:
            return hint
        width = chip_width(option.fontMetrics, rag) + 14
        return QSize(max(hint.width(), width), max(hint.height(), CHIP_HEIGHT + 8))


# The rating history -----------------------------------------------------------


class _TimelineMarker(QWidget):
    """The timeline's spine beside one entry: a line, and a dot in the new colour."""

    WIDTH = 18
    DOT_TOP = 5

    def __init__(self, rag: Rag, is_first: bool, is_last: bool) -> None:
        super().__init__()
        self._rag = rag
        self._is_first = is_first
        self._is_last = is_last
        self.setFixedWidth(self.WIDTH)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = self.WIDTH / 2
        dot = 12
        painter.setPen(QPen(QColor("#c3c8cf"), 2))
        top = 0 if not self._is_first else self.DOT_TOP + dot / 2
        bottom = self.height() if not self._is_last else self.DOT_TOP + dot / 2
        if bottom > top:
            painter.drawLine(int(centre), int(top), int(centre), int(bottom))

        painter.setPen(QPen(QColor("#ffffff"), 2))
        painter.setBrush(QColor(RAG_COLOURS[self._rag].strong))
        painter.drawEllipse(QRectF(centre - dot / 2, self.DOT_TOP, dot, dot))
        painter.end()


class TimelineEntry(QWidget):
    """One change of rating: when, from what to what, who, and why.

    Attributes:
        summary: the entry in one line of words (also its accessible name).
    """

    def __init__(self, event: RagEvent, is_first: bool, is_last: bool) -> None:
        super().__init__()
        when = event.at.astimezone()
        day = f"{when.day} {when:%b %Y}"
        change = RAG_WORDS[event.new] if event.old is None else (
            f"{RAG_WORDS[event.old]} → {RAG_WORDS[event.new]}"
        )
        who = event.by or "someone no longer in this store"
        self.summary = f"{day}: {change}, by {who}: {event.reason}"
        self.setAccessibleName(self.summary)

        date_label = QLabel(day)
        date_label.setObjectName("timelineDate")
        line = QHBoxLayout()
        line.setSpacing(6)
        line.addWidget(date_label)
        if event.old is not None:
            line.addWidget(RagBadge(event.old))
            arrow = QLabel("→")
            arrow.setAccessibleName("changed to")
            line.addWidget(arrow)
        line.addWidget(RagBadge(event.new))
        line.addStretch(1)

        reason = QLabel(event.reason)
        reason.setTextFormat(Qt.TextFormat.PlainText)
        reason.setWordWrap(True)
        reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        by = QLabel(f"by {who}")
        by.setTextFormat(Qt.TextFormat.PlainText)
        by.setObjectName("caption")

        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 14)
        text.setSpacing(3)
        text.addLayout(line)
        text.addWidget(reason)
        text.addWidget(by)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(_TimelineMarker(event.new, is_first, is_last))
        layout.addLayout(text, 1)


class RagTimeline(QFrame):
    """A priority's rating history, newest first, as a vertical timeline.

    Attributes:
        entries: the entries on screen, newest first.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.entries: list[TimelineEntry] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 0)
        self._layout.setSpacing(0)
        self._empty = QLabel("No rating yet.")
        self._empty.setObjectName("caption")
        self._layout.addWidget(self._empty)
        self._layout.addStretch(1)

    def set_events(self, events: list[RagEvent]) -> None:
        self.clear()
        newest_first = list(reversed(events))
        for number, event in enumerate(newest_first):
            entry = TimelineEntry(
                event, is_first=number == 0, is_last=number == len(newest_first) - 1
            )
            self._layout.insertWidget(number, entry)
            self.entries.append(entry)
        self._empty.setVisible(not self.entries)

    def clear(self) -> None:
        for entry in self.entries:
            self._layout.removeWidget(entry)
            entry.deleteLater()
            entry.hide()
        self.entries = []
        self._empty.show()

    def summaries(self) -> list[str]:
        return [entry.summary for entry in self.entries]


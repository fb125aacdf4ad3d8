"""Small widgets the windows share: inline messages, a busy indicator, a card.

Object names here (`card`, `heading`, `message`...) are the hooks the
stylesheet in `resources/app.qss` styles.

Nothing here touches PySide's `Qt` namespace when a window is built: its first
use costs about 20 ms, a sixth of the time an empty window takes to appear,
and the unlock window must appear about as fast (see `bench/startup.py`).
"""

import logging

from PySide6 import QtCore
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.errors import UserFacingError
from invictus_desktop.gui.tasks import Progress, Task

log = logging.getLogger(__name__)

CARD_WIDTH = 460
CARD_SPACING = 14
FIELD_LABEL_SPACING = 4


def describe_failure(error: BaseException, log_hint: str) -> str:
    """The text a user sees for a failed job: their situation, or "a bug"."""
    if isinstance(error, UserFacingError):
        return str(error)
    return f"Something went wrong inside the app (a bug, not your doing). {log_hint}"


class InlineMessage(QLabel):
    """A message under a form: hidden while empty; `error`, `info` or `success`
    in tone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message")
        # Margins, not stylesheet padding: word-wrapped labels size by their margins.
        self.setContentsMargins(10, 8, 10, 8)
        self.setWordWrap(True)
        self.hide()

    def show_error(self, text: str) -> None:
        self._show(text, "error")

    def show_info(self, text: str) -> None:
        self._show(text, "info")

    def show_success(self, text: str) -> None:
        self._show(text, "success")

    def clear_message(self) -> None:
        self.clear()
        self.hide()

    def _show(self, text: str, tone: str) -> None:
        self.setProperty("tone", tone)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        set_literal_text(self, text)
        self.show()


class BusyIndicator(QWidget):
    """Shows a task's progress once the task runner says it is due.

    Quick jobs never appear: the runner emits progress only after its delay.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = QLabel()
        self._label.setObjectName("busyLabel")
        self._bar = QProgressBar()
        self._bar.setTextVisible(False)
        self._bar.setMaximumHeight(8)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._label)
        layout.addWidget(self._bar)
        self.hide()

    def track(self, task: Task) -> None:
        task.progress_changed.connect(self._on_task_progress_changed)
        task.ended.connect(self._on_task_ended)

    @property
    def message(self) -> str:
        return self._label.text()

    def _on_task_progress_changed(self, progress: Progress) -> None:
        if progress.total > 0:
            self._bar.setRange(0, progress.total)
            self._bar.setValue(progress.done)
        else:
            self._bar.setRange(0, 0)
        self._label.setText(progress.message)
        self.show()

    def _on_task_ended(self) -> None:
        self.hide()


class CardPage(QWidget):
    """A centred, fixed-width card with a heading: the frame of the entry windows.

    Attributes:
        body: the layout inside the card, under the heading, for the form.
    """

    def __init__(self, heading: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(CARD_WIDTH)

        heading_label = QLabel(heading)
        heading_label.setObjectName("heading")
        heading_label.setWordWrap(True)
        intro_label = QLabel(intro)
        intro_label.setObjectName("intro")
        intro_label.setWordWrap(True)

        self.body = QVBoxLayout()
        self.body.setSpacing(CARD_SPACING)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(28, 24, 28, 24)
        card_layout.setSpacing(6)
        card_layout.addWidget(heading_label)
        card_layout.addWidget(intro_label)
        card_layout.addSpacing(12)
        card_layout.addLayout(self.body)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)


def scroll_area(content: QWidget, *, wraps: bool = False, plain: bool = False
                ) -> QScrollArea:
    """A frameless scroll area that keeps `content` as wide as itself.

    With `wraps`, never a horizontal bar: the content wraps its text instead.
    With `plain`, no background of its own (`plainScroll` in the stylesheet).
    """
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    if wraps:
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    if plain:
        scroll.setObjectName("plainScroll")
    scroll.setWidget(content)
    return scroll


def fill(parent: QWidget, child: QWidget) -> None:
    """Lay `child` over the whole of `parent`, without margins."""
    layout = QVBoxLayout(parent)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(child)


def heading(text: str) -> QLabel:
    """A screen's title."""
    label = QLabel(text)
    label.setObjectName("heading")
    return label


def caption(text: str) -> QLabel:
    """Grey, word-wrapped text saying what a screen or part is for."""
    label = QLabel(text)
    label.setObjectName("caption")
    label.setWordWrap(True)
    return label


def footnote(text: str) -> QLabel:
    """Small grey text under a form (where the profile lives, and so on)."""
    label = QLabel()
    label.setObjectName("footnote")
    label.setWordWrap(True)
    set_literal_text(label, text)
    return label


def set_literal_text(label: QLabel, text: str) -> None:
    """Show `text` exactly as it is, never interpreted as rich text (HTML).

    A label's default, AutoText, takes text for HTML only when it holds a tag,
    so the label is switched to plain text only then: this keeps the costly
    `Qt` namespace out of start-up (see the module docstring).
    """
    if "<" in text:
        label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    label.setText(text)


def labelled(text: str, field: QWidget, *notes: QWidget) -> QVBoxLayout:
    """A label above its field (its mnemonic focuses the field), then any notes.

    Label and field sit close together; the card's own spacing separates fields.
    """
    layout = QVBoxLayout()
    layout.setSpacing(FIELD_LABEL_SPACING)
    layout.addWidget(buddy_label(text, field))
    layout.addWidget(field)
    for note in notes:
        layout.addWidget(note)
    return layout


def with_mnemonic(text: str, taken: set[str]) -> str:
    """`text` with an & before a letter not in `taken` (which then holds it):
    the first free letter starting a word, else any free letter, else none."""
    escaped = text.replace("&", "&&")
    starts = [i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or text[i - 1] == " ")]
    others = [i for i, ch in enumerate(text) if ch.isalpha() and i not in starts]
    for index in starts + others:
        letter = text[index].lower()
        if letter not in taken:
            taken.add(letter)
            before = text[:index].replace("&", "&&")
            return f"{before}&{escaped[len(before):]}"
    return escaped


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A label whose mnemonic (the letter after &) moves focus to `buddy`."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label

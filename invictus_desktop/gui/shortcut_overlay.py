"""A translucent sheet over a page that lists its keyboard shortcuts.

F1 (or Ctrl+/) shows it; any of Escape, F1 or Ctrl+/ hides it and gives the
keyboard back to the field that had it.
"""

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

SHOW_KEYS = ("F1", "Ctrl+/")
SHEET_COLOUR = QColor(20, 32, 48, 170)


class ShortcutOverlay(QWidget):
    """The shortcuts of one page, over the page.

    Attributes:
        rows: (keys, what they do), as shown.
    """

    def __init__(
        self, parent: QWidget, title: str, rows: list[tuple[str, str]]
    ) -> None:
        super().__init__(parent)
        self.rows = rows
        self._return_focus: QWidget | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(f"{title}: keyboard shortcuts")

        card = QFrame()
        card.setObjectName("overlayCard")
        heading = QLabel(f"{title}: keyboard shortcuts")
        heading.setObjectName("overlayHeading")
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(6)
        for row, (keys, what) in enumerate(rows):
            key_label = QLabel(keys)
            key_label.setObjectName("overlayKeys")
            grid.addWidget(key_label, row, 0, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(QLabel(what), row, 1)
        hint = QLabel("Esc or F1 closes this list.")
        hint.setObjectName("caption")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(24, 20, 24, 20)
        card_layout.setSpacing(12)
        card_layout.addWidget(heading)
        card_layout.addLayout(grid)
        card_layout.addWidget(hint)

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

        parent.installEventFilter(self)
        self.hide()

    def toggle(self) -> None:
        if self.isVisible():
            self.close_overlay()
        else:
            self.open_overlay()

    def open_overlay(self) -> None:
        focus = self.window().focusWidget() if self.window() else None
        self._return_focus = focus if focus is not self else None
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close_overlay(self) -> None:
        self.hide()
        if self._return_focus is not None:
            self._return_focus.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._return_focus = None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), SHEET_COLOUR)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        pressed = QKeySequence(event.keyCombination()).toString()
        if event.key() == Qt.Key.Key_Escape or pressed in SHOW_KEYS:
            self.close_overlay()
            return
        event.accept()  # the page underneath is not for typing into now

    def focusNextPrevChild(self, _next: bool) -> bool:
        return True  # Tab stays on the sheet while it is up

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

"""The safeguarding flag of a visit: its own text, for the school's lead only."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.widgets import buddy_label

TEXT_HEIGHT = 76


class SafeguardingBox(QFrame):
    """A checkbox; once ticked, where the concern goes and a box to describe it.

    Signals:
        concern_toggled(bool): the box was ticked or cleared by the user.
        text_edited(): the concern's text changed (by the user).

    Attributes:
        concern_check: "Safeguarding concern".
        text_edit: what was seen or heard.
        route_label: who receives it, and that it never reaches the Board.
    """

    concern_toggled = Signal(bool)
    text_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safeguarding")
        self._filling = False

        self.concern_check = QCheckBox("Saf&eguarding concern")
        self.route_label = QLabel()
        self.route_label.setObjectName("safeguardingRoute")
        self.route_label.setWordWrap(True)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(TEXT_HEIGHT)
        self.text_edit.setPlaceholderText(
            "Facts only: what you saw or heard, when, and who was there."
        )
        self._details = QWidget()
        details = QVBoxLayout(self._details)
        details.setContentsMargins(0, 0, 0, 0)
        details.setSpacing(6)
        details.addWidget(self.route_label)
        details.addWidget(buddy_label("Wh&at you saw or heard", self.text_edit))
        details.addWidget(self.text_edit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.concern_check)
        layout.addWidget(self._details)
        self._details.hide()
        self.set_lead("")

        self.concern_check.toggled.connect(self._on_concern_check_toggled)
        self.text_edit.textChanged.connect(self._on_text_edit_changed)

    def set_lead(self, lead_name: str) -> None:
        lead = f"{lead_name}, the school's designated safeguarding lead" if lead_name else (
            "the school's designated safeguarding lead (not named in the school's record)"
        )
        self.route_label.setText(
            f"This concern goes only to {lead}. It never goes into a Board report. "
            "If a child is at immediate risk, tell the lead in person now."
        )

    def fill(self, concern: bool, text: str) -> None:
        self._filling = True
        try:
            self.concern_check.setChecked(concern)
            self.text_edit.setPlainText(text)
            self._details.setVisible(concern)
        finally:
            self._filling = False

    def concern(self) -> bool:
        return self.concern_check.isChecked()

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def _on_concern_check_toggled(self, on: bool) -> None:
        self._details.setVisible(on)
        if self._filling:
            return
        self.concern_toggled.emit(on)
        if on:
            self.text_edit.setFocus()

    def _on_text_edit_changed(self) -> None:
        if not self._filling:
            self.text_edited.emit()

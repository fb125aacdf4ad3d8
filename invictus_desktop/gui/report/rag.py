"""Red, Amber, Green: always a colour AND the word, never colour alone."""

import logging
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QWidget

from invictus_desktop.store.vocabulary import Rag

log = logging.getLogger(__name__)

RAG_WORDS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green"}


def rag_word(rag: Rag | None) -> str:
    return RAG_WORDS[rag] if rag is not None else "Not rated"


def set_rag_property(widget: QWidget, rag: Rag | None) -> None:
    """The `rag` property the stylesheet colours by; re-polished to take effect."""
    widget.setProperty("rag", rag.value if rag is not None else "none")
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class RagChip(QLabel):
    """A small coloured label that names the rating ("Amber")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ragChip")
        self.show_rag(None)

    def show_rag(self, rag: Rag | None) -> None:
        self.setText(rag_word(rag))
        set_rag_property(self, rag)


class RagChooser(QWidget):
    """Three exclusive buttons, Red, Amber and Green, each coloured when chosen.

    Signals:
        rag_chosen(object): the user chose this `Rag`.

    Attributes:
        buttons: the button for each rating.
    """

    rag_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[Rag, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for rag, word in RAG_WORDS.items():
            button = QPushButton(word)
            button.setObjectName("ragButton")
            button.setCheckable(True)
            set_rag_property(button, rag)
            button.setAccessibleName(f"Recommend {word}")
            self._group.addButton(button)
            self.buttons[rag] = button
            layout.addWidget(button)
            chosen = partial(self._on_rag_button_clicked, rag)
            button.clicked.connect(lambda _=False, chosen=chosen: chosen())
        layout.addStretch(1)

    def rag(self) -> Rag | None:
        return next((r for r, b in self.buttons.items() if b.isChecked()), None)

    def set_rag(self, rag: Rag | None) -> None:
        """Show `rag` as chosen, without announcing it."""
        self._group.setExclusive(False)
        for value, button in self.buttons.items():
            button.setChecked(value is rag)
        self._group.setExclusive(True)

    def _on_rag_button_clicked(self, rag: Rag) -> None:
        self.rag_chosen.emit(rag)

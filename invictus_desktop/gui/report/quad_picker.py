"""Choosing the QUAD a screen works on."""

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from invictus_desktop.services.planning import QuadSummary

log = logging.getLogger(__name__)


def describe_quad(quad: QuadSummary) -> str:
    term = f"{quad.term.value.capitalize()} {quad.academic_year}"
    return f"{quad.reference} · {quad.school_name} · {term} · {quad.starts_on:%d %b %Y}"


class QuadPicker(QComboBox):
    """A QUAD chooser; choosing one (by the user or `select`) announces it.

    Signals:
        quad_chosen(str): the chosen QUAD's id.
    """

    quad_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMinimumContentsLength(30)
        self.currentIndexChanged.connect(self._on_current_index_changed)

    def show_quads(self, quads: list[QuadSummary], keep: str | None = None) -> None:
        """List `quads`, keeping `keep` (an id) chosen when it is among them,
        without announcing anything."""
        self.blockSignals(True)
        self.clear()
        for quad in quads:
            self.addItem(describe_quad(quad), quad.id)
        index = self.findData(keep) if keep else -1
        self.setCurrentIndex(index)
        self.blockSignals(False)

    def select(self, quad_id: str) -> bool:
        """Choose `quad_id` (announced even when it was already chosen)."""
        index = self.findData(quad_id)
        if index < 0:
            return False
        self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(False)
        self.quad_chosen.emit(quad_id)
        return True

    def quad_id(self) -> str | None:
        return self.currentData()

    def _on_current_index_changed(self, index: int) -> None:
        if index >= 0:
            self.quad_chosen.emit(self.currentData())

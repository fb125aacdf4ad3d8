"""Change a priority's RAG rating, saying why (the reason joins its history)."""

import logging
from typing import NamedTuple

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from invictus_desktop.gui.dialogs.base import FormDialog, FormProblem
from invictus_desktop.gui.labels import RAG_WORDS
from invictus_desktop.gui.rag import RagBadge
from invictus_desktop.services.sips import PriorityView
from invictus_desktop.store.vocabulary import Rag

log = logging.getLogger(__name__)

MNEMONIC_WORDS = {Rag.RED: "R&ed", Rag.AMBER: "&Amber", Rag.GREEN: "&Green"}


class RagChange(NamedTuple):
    rag: Rag
    reason: str


class RagDialog(FormDialog):
    """Choose the new rating and give the reason.

    Attributes:
        priority_id: the priority being re-rated.
        current_badge: the rating it has now.
        rag_buttons: one radio button per rating (the current one disabled).
        reason_edit: why the rating changes (required).
    """

    def __init__(self, priority: PriorityView, parent: QWidget | None = None) -> None:
        super().__init__(f"Change the rating of {priority.code}", "Change &rating", parent)
        self.priority_id = priority.id
        self._current = priority.rag

        heading = QLabel(f"{priority.code}  {priority.title}")
        heading.setWordWrap(True)
        heading.setObjectName("dialogHeading")
        self.form.addRow(heading)
        self.current_badge = RagBadge(priority.rag)
        self.form.addRow("Rated now", self.current_badge)

        self.rag_buttons: dict[Rag, QRadioButton] = {}
        group = QButtonGroup(self)
        choices = QHBoxLayout()
        choices.setSpacing(18)
        for rag in Rag:
            button = QRadioButton(MNEMONIC_WORDS[rag])
            button.setAccessibleName(RAG_WORDS[rag])
            button.setEnabled(rag is not priority.rag)
            group.addButton(button)
            choices.addWidget(button)
            self.rag_buttons[rag] = button
        choices.addStretch(1)
        choices_widget = QWidget()
        choices_widget.setLayout(choices)
        choices.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("New rating", choices_widget)

        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("What the evidence shows; kept in the history")
        self.add_row("&Why", self.reason_edit)
        self.rag_buttons[_suggested(priority.rag)].setChecked(True)
        self.reason_edit.setFocus()

    def chosen(self) -> Rag | None:
        return next((rag for rag, b in self.rag_buttons.items() if b.isChecked()), None)

    def values(self) -> RagChange:
        rag = self.chosen()
        if rag is None or rag is self._current:
            raise FormProblem("Choose a rating different from the current one.")
        reason = self.reason_edit.text().strip()
        if not reason:
            raise FormProblem(
                "Please say why the rating changes: the reason is kept in the "
                "priority's history for the Board.",
                self.reason_edit,
            )
        return RagChange(rag, reason)


def _suggested(current: Rag) -> Rag:
    """The next rating up (or, from Green, Amber): the usual change."""
    return {Rag.RED: Rag.AMBER, Rag.AMBER: Rag.GREEN, Rag.GREEN: Rag.AMBER}[current]

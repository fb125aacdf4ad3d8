"""Add or edit a priority of a School Improvement Plan."""

import logging
from typing import NamedTuple

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from invictus_desktop.gui.dialogs.base import FormDialog, plain_text_edit, required_text
from invictus_desktop.gui.labels import RAG_WORDS
from invictus_desktop.services.sips import PriorityDetails, PriorityView
from invictus_desktop.store.vocabulary import Rag

log = logging.getLogger(__name__)


class PriorityValues(NamedTuple):
    details: PriorityDetails
    rag: Rag | None  # the first rating, for a new priority only


class PriorityDialog(FormDialog):
    """A priority's code, title, owner, success criteria and description; a new
    one also gets its first rating (later changes go through Change rating).

    Attributes:
        priority_id: the priority being edited, or None for a new one.
        code_edit, title_edit, owner_edit: one-line fields.
        criteria_edit, description_edit: multi-line fields (Ctrl+Enter saves).
        rag_combo: the first rating (new priorities only, else None).
    """

    def __init__(
        self,
        priority: PriorityView | None = None,
        next_code: str = "",
        parent: QWidget | None = None,
    ) -> None:
        title = f"Edit priority {priority.code}" if priority else "Add a priority"
        super().__init__(title, "&Save" if priority else "&Add priority", parent)
        self.priority_id = priority.id if priority else None

        self.code_edit = QLineEdit(priority.code if priority else next_code)
        self.code_edit.setMaxLength(16)
        self.title_edit = QLineEdit(priority.title if priority else "")
        self.owner_edit = QLineEdit(priority.owner if priority else "")
        self.owner_edit.setPlaceholderText("Who leads it, e.g. Head of Maths")
        self.criteria_edit = plain_text_edit("What will be true when it is achieved")
        self.description_edit = plain_text_edit("Why it matters (optional)")
        if priority is not None:
            self.criteria_edit.setPlainText(priority.success_criteria)
            self.description_edit.setPlainText(priority.description)

        self.add_row("&Code", self.code_edit)
        self.add_row("&Title", self.title_edit)
        self.add_row("&Owner", self.owner_edit)
        self.add_row("S&uccess criteria", self.criteria_edit)
        self.add_row("&Description", self.description_edit)
        self.rag_combo: QComboBox | None = None
        if priority is None:
            self.rag_combo = QComboBox()
            for rag, word in RAG_WORDS.items():
                self.rag_combo.addItem(word, rag)
            self.add_row("First &rating", self.rag_combo)
        first_field = self.title_edit if priority is None and next_code else self.code_edit
        first_field.setFocus()

    def values(self) -> PriorityValues:
        details = PriorityDetails(
            code=required_text(self.code_edit, "a code, such as P1"),
            title=required_text(self.title_edit, "the priority's title"),
            description=self.description_edit.toPlainText().strip(),
            owner=self.owner_edit.text().strip(),
            success_criteria=self.criteria_edit.toPlainText().strip(),
        )
        rag = self.rag_combo.currentData() if self.rag_combo is not None else None
        return PriorityValues(details, rag)

"""Add or edit a QUAD's focus area, linked to the school's SIP priorities or
standing alone (for example "Maths: clarity of concepts")."""

import logging
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from invictus_desktop.gui.dialogs.base import FormDialog, plain_text_edit, required_text
from invictus_desktop.gui.labels import RAG_WORDS
from invictus_desktop.services.planning import FocusView
from invictus_desktop.services.sips import PriorityView

log = logging.getLogger(__name__)

DIALOG_WIDTH = 640  # room for a priority's title beside its code and rating


class FocusValues(NamedTuple):
    title: str
    description: str
    priority_ids: list[str]


class FocusAreaDialog(FormDialog):
    """A focus area's title, description and linked SIP priorities.

    Attributes:
        focus_id: the focus area being edited, or None for a new one.
        title_edit, description_edit: what the focus area is.
        priority_list: the school's priorities for the QUAD's year, checkable
            (Space ticks the current one).
    """

    def __init__(
        self,
        priorities: list[PriorityView],
        academic_year: str,
        focus: FocusView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = "Edit focus area" if focus else "Add a focus area"
        super().__init__(title, "&Save" if focus else "&Add focus area", parent)
        self.setMinimumWidth(DIALOG_WIDTH)
        self.focus_id = focus.id if focus else None
        linked = {pid for pid, _code, _title in focus.priorities} if focus else set()

        self.title_edit = QLineEdit(focus.title if focus else "")
        self.title_edit.setPlaceholderText("e.g. Maths: clarity of concepts")
        self.description_edit = plain_text_edit("What the team will look for (optional)")
        if focus is not None:
            self.description_edit.setPlainText(focus.description)
        self.priority_list = QListWidget()
        self.priority_list.setAccessibleName("Linked SIP priorities")
        for priority in priorities:
            item = QListWidgetItem(
                f"{priority.code}  {priority.title}  ({RAG_WORDS[priority.rag]})"
            )
            item.setData(Qt.ItemDataRole.UserRole, priority.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = priority.id in linked
            item.setCheckState(_check_state(checked))
            self.priority_list.addItem(item)
        if priorities:
            self.priority_list.setCurrentRow(0)
        self.priority_list.setMinimumHeight(150)

        self.add_row("&Title", self.title_edit)
        self.add_row("&Description", self.description_edit)
        self.add_row("&Linked SIP priorities", self.priority_list)
        hint = QLabel(
            "Tick the priorities this focus area tests (Space ticks). Leave all "
            "unticked for a focus area that stands alone."
            if priorities else
            f"The school has no improvement plan for {academic_year}, so this focus "
            "area stands alone."
        )
        hint.setWordWrap(True)
        hint.setObjectName("caption")
        self.form.addRow("", hint)
        self.title_edit.setFocus()

    def set_checked(self, priority_id: str, checked: bool) -> None:
        for row in range(self.priority_list.count()):
            item = self.priority_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == priority_id:
                item.setCheckState(_check_state(checked))

    def values(self) -> FocusValues:
        checked = [
            self.priority_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.priority_list.count())
            if self.priority_list.item(row).checkState() == Qt.CheckState.Checked
        ]
        return FocusValues(
            required_text(self.title_edit, "a title for the focus area"),
            self.description_edit.toPlainText().strip(),
            checked,
        )


def _check_state(checked: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked

"""Actions: what this report sets (with owner, due date and priority), and how
far the previous QUAD's actions have come."""

import logging
from datetime import date
from functools import partial

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.services.report_drafts import ActionDraft
from invictus_desktop.store.vocabulary import ActionStatus

log = logging.getLogger(__name__)

FOLLOW_UP_WORDS = {
    ActionStatus.OPEN: "Not assessed yet",
    ActionStatus.DONE: "Done",
    ActionStatus.PARTLY: "Partly done",
    ActionStatus.NOT_YET: "Not yet",
}


def _due_text(due: date | None) -> str:
    return f"{due:%d %b %Y}" if due else "No date"


def _read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        table.horizontalHeader().setSectionResizeMode(
            column, QHeaderView.ResizeMode.ResizeToContents
        )
    return table


def _cell(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


class ActionsPanel(QWidget):
    """The table of this report's actions and a form to add or change one.

    Signals:
        action_saved(object): a dict with description, owner, due_on,
            priority_id and action_id (None for a new action).
        action_remove_requested(str): remove the action with this id.

    Attributes:
        table: the actions, one a row.
        description_edit, owner_edit, due_edit, no_due_check, priority_combo:
            the form for the selected (or a new) action.
        save_button, new_button, remove_button: the form's buttons.
    """

    action_saved = Signal(object)
    action_remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actions: list[ActionDraft] = []
        self._priorities: dict[str, str] = {}
        self._editing_id: str | None = None

        self.table = _read_only_table(["Action", "Owner", "Due", "SIP priority"])
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)

        self.description_edit = QLineEdit()
        self.description_edit.setPlaceholderText("What must happen")
        self.owner_edit = QLineEdit()
        self.owner_edit.setPlaceholderText("Who leads it (a role, for the Board copy)")
        self.due_edit = QDateEdit()
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("dd MMM yyyy")
        self.due_edit.setDate(QDate.currentDate().addMonths(3))
        self.no_due_check = QCheckBox("No &date")
        self.no_due_check.toggled.connect(self.due_edit.setDisabled)
        self.priority_combo = QComboBox()
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_edit)
        due_row.addWidget(self.no_due_check)
        due_row.addStretch(1)

        form = QFormLayout()
        form.addRow("Action to ta&ke", self.description_edit)
        form.addRow("&Owner", self.owner_edit)
        form.addRow("D&ue by", due_row)
        form.addRow("Linked pr&iority", self.priority_combo)
        due_label = form.itemAt(2, QFormLayout.ItemRole.LabelRole).widget()
        if isinstance(due_label, QLabel):
            due_label.setBuddy(self.due_edit)

        self.save_button = QPushButton("&Save action")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.new_button = QPushButton("&New action")
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def show_actions(self, actions: list[ActionDraft], priorities: dict[str, str]) -> None:
        """`priorities`: SIP priority id -> "P1: Maths", for the linked priority."""
        self._actions = list(actions)
        self._priorities = dict(priorities)
        self.priority_combo.clear()
        self.priority_combo.addItem("None", None)
        for priority_id, title in priorities.items():
            self.priority_combo.addItem(title, priority_id)

        self.table.setRowCount(0)
        for action in actions:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, _cell(action.description))
            self.table.setItem(row, 1, _cell(action.owner))
            self.table.setItem(row, 2, _cell(_due_text(action.due_on)))
            self.table.setItem(row, 3, _cell(priorities.get(action.priority_id or "", "")))
        self._start_new()

    def set_editable(self, editable: bool) -> None:
        for widget in (self.description_edit, self.owner_edit, self.due_edit,
                       self.no_due_check, self.priority_combo, self.save_button,
                       self.new_button):
            widget.setEnabled(editable)
        self.remove_button.setEnabled(editable and self._editing_id is not None)

    def clear(self) -> None:
        self._actions = []
        self._priorities = {}
        self.table.setRowCount(0)
        self.priority_combo.clear()
        self._start_new()

    def _start_new(self) -> None:
        self._editing_id = None
        self.description_edit.clear()
        self.owner_edit.clear()
        self.no_due_check.setChecked(False)
        self.priority_combo.setCurrentIndex(0)
        self.remove_button.setEnabled(False)
        self.save_button.setText("&Add action")

    def _on_table_selection_changed(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if not rows:
            return

        action = self._actions[min(rows)]
        self._editing_id = action.id
        self.description_edit.setText(action.description)
        self.owner_edit.setText(action.owner)
        self.no_due_check.setChecked(action.due_on is None)
        if action.due_on is not None:
            self.due_edit.setDate(QDate(action.due_on))
        index = self.priority_combo.findData(action.priority_id)
        self.priority_combo.setCurrentIndex(max(index, 0))
        self.remove_button.setEnabled(True)
        self.save_button.setText("&Save action")

    def _on_save_button_clicked(self) -> None:
        due = None if self.no_due_check.isChecked() else self.due_edit.date().toPython()
        self.action_saved.emit(
            {
                "description": self.description_edit.text(),
                "owner": self.owner_edit.text(),
                "due_on": due,
                "priority_id": self.priority_combo.currentData(),
                "action_id": self._editing_id,
            }
        )

    def _on_new_button_clicked(self) -> None:
        self.table.clearSelection()
        self._start_new()
        self.description_edit.setFocus()

    def _on_remove_button_clicked(self) -> None:
        if self._editing_id is not None:
            self.action_remove_requested.emit(self._editing_id)


class FollowUpPanel(QWidget):
    """The previous QUAD's actions: done, partly done or not yet, with a note.

    Signals:
        follow_up_edited(str, object, str): the previous action's id, its new
            `ActionStatus` and the note.

    Attributes:
        table: one row per previous action; status and note are editable cells.
        empty_label: says when the previous QUAD set no actions.
    """

    follow_up_edited = Signal(str, object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ids: list[str] = []
        self.table = _read_only_table(["Action set last time", "Owner", "Due", "Now",
                                       "Note"])
        self.table.horizontalHeader().setSectionResizeMode(
            4, QHeaderView.ResizeMode.Stretch
        )
        self.empty_label = QLabel()
        self.empty_label.setObjectName("caption")
        self.empty_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)

    def show_previous(self, actions: list[ActionDraft]) -> None:
        self.table.setRowCount(0)
        self._ids = []
        self.empty_label.setText(
            ""
            if actions
            else "The previous QUAD's final report set no actions to follow up."
        )
        for action in actions:
            previous_id = action.follow_up_of_id or action.id
            row = self.table.rowCount()
            self.table.insertRow(row)
            self._ids.append(previous_id)
            self.table.setItem(row, 0, _cell(action.description))
            self.table.setItem(row, 1, _cell(action.owner))
            self.table.setItem(row, 2, _cell(_due_text(action.due_on)))
            status = QComboBox()
            for value, word in FOLLOW_UP_WORDS.items():
                status.addItem(word, value)
            status.setCurrentIndex(status.findData(action.status))
            note = QLineEdit(action.follow_up_note)
            note.setPlaceholderText("What the QUAD found")
            edited = partial(self._on_row_widget_edited, row)
            status.currentIndexChanged.connect(lambda _index, edited=edited: edited())
            note.textEdited.connect(lambda _text, edited=edited: edited())
            self.table.setCellWidget(row, 3, status)
            self.table.setCellWidget(row, 4, note)
        self.table.resizeRowsToContents()

    def status_combo(self, row: int) -> QComboBox:
        return self.table.cellWidget(row, 3)

    def note_edit(self, row: int) -> QLineEdit:
        return self.table.cellWidget(row, 4)

    def set_editable(self, editable: bool) -> None:
        for row in range(self.table.rowCount()):
            self.status_combo(row).setEnabled(editable)
            self.note_edit(row).setReadOnly(not editable)

    def clear(self) -> None:
        self.table.setRowCount(0)
        self._ids = []
        self.empty_label.clear()

    def _on_row_widget_edited(self, row: int) -> None:
        status = self.status_combo(row).currentData()
        if status is ActionStatus.OPEN:
            return  # "not assessed yet" is where every action starts
        self.follow_up_edited.emit(self._ids[row], status, self.note_edit(row).text())


def priority_titles(sections: list) -> dict[str, str]:
    """SIP priority id -> "P1: Maths: clarity of concepts", from the report's sections."""
    return {s.priority_id: s.title for s in sections if s.priority_id}

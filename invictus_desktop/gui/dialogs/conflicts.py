"""Choosing between concurrent edits that sync kept: the values side by side.

The list on the left names each record and field; on the right every value
stands in its own column with who wrote it and when, and a "Use value N"
button (Alt+N). Loading and choosing run in the task runner; the dialog is
opened with `open()`, like every other dialog of the app.
"""

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import (
    InlineMessage,
    describe_failure,
    scroll_area,
)
from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)

INTRODUCTION = (
    "These fields were changed on two laptops at once, so both values were kept. "
    "Choose the one each record should hold; everyone gets your choice at the "
    "next sync."
)


class ConflictsDialog(QDialog):
    """Every field with values to choose between, and the choice.

    Signals:
        settled(): a choice was saved (the caller syncs soon and recounts).

    Attributes:
        conflict_list: one row per record and field.
        value_buttons: the "Use value N" buttons of the conflict shown.
        message: what went wrong, or what was saved.
    """

    settled = Signal()

    def __init__(
        self, profile: UnlockedProfile, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose between concurrent edits")
        self.setModal(True)
        self.resize(980, 560)
        self._profile = profile
        self._runner = runner
        self._conflicts: list = []
        self.value_buttons: list[QPushButton] = []

        introduction = QLabel(INTRODUCTION)
        introduction.setWordWrap(True)
        self.conflict_list = QListWidget()
        self.conflict_list.setObjectName("conflictList")
        self.conflict_list.setAccessibleName("Fields with values to choose between")
        self.conflict_list.setSpacing(4)
        self.conflict_list.setWordWrap(True)
        self.conflict_list.currentRowChanged.connect(self._on_conflict_list_row_changed)

        self._heading = QLabel()
        self._heading.setObjectName("dialogHeading")
        self._heading.setWordWrap(True)
        self._values = QWidget()
        self._values_layout = QHBoxLayout(self._values)
        self._values_layout.setContentsMargins(0, 0, 0, 0)
        self._values_layout.setSpacing(12)
        scroll = scroll_area(self._values, plain=True)
        self._refusal = InlineMessage()

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(8, 0, 0, 0)
        detail_layout.addWidget(self._heading)
        detail_layout.addWidget(self._refusal)
        detail_layout.addWidget(scroll, 1)

        splitter = QSplitter()
        splitter.addWidget(self.conflict_list)
        splitter.addWidget(detail)
        splitter.setSizes([280, 700])
        splitter.setChildrenCollapsible(False)

        self.message = InlineMessage()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(introduction)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self._runner.submit(
            lambda _control: _list(self._profile),
            on_success=self._on_conflicts_loaded,
            on_failure=self._on_work_failed,
            description="Reading the edits to choose between…",
        )

    # Showing ---------------------------------------------------------------

    def _on_conflicts_loaded(self, found: list) -> None:
        keep = self._current_id()
        self._conflicts = found
        self.conflict_list.blockSignals(True)
        self.conflict_list.clear()
        for conflict in found:
            item = QListWidgetItem(f"{conflict.record}\n· {conflict.field_label}")
            item.setToolTip(f"{conflict.record}: {conflict.field_label}")
            self.conflict_list.addItem(item)
        self.conflict_list.blockSignals(False)

        if not found:
            self._heading.setText("Nothing to choose: every edit is settled.")
            self._refusal.clear_message()
            self._show_values(None)
            return
        ids = [c.id for c in found]
        self.conflict_list.setCurrentRow(ids.index(keep) if keep in ids else 0)
        self.conflict_list.setFocus()

    def _current_id(self) -> int | None:
        row = self.conflict_list.currentRow()
        return self._conflicts[row].id if 0 <= row < len(self._conflicts) else None

    def _on_conflict_list_row_changed(self, row: int) -> None:
        conflict = self._conflicts[row] if 0 <= row < len(self._conflicts) else None
        if conflict is None:
            return
        self._heading.setText(f"{conflict.record} · {conflict.field_label}")
        if conflict.may_resolve:
            self._refusal.clear_message()
        else:
            self._refusal.show_error(conflict.refusal)
        self._show_values(conflict)

    def _show_values(self, conflict) -> None:
        while self._values_layout.count():
            widget = self._values_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.value_buttons = []
        if conflict is None:
            return
        for value in conflict.values:
            self._values_layout.addWidget(self._value_card(conflict, value), 1)

    def _value_card(self, conflict, value) -> QGroupBox:
        title = f"Value {value.number}" + (" · current" if value.current else "")
        card = QGroupBox(title)
        when = f" · {value.written_at.astimezone():%a %-d %b %Y, %H:%M}" \
            if value.written_at else ""
        by = QLabel(f"by {value.author}{when}")
        by.setObjectName("caption")
        by.setWordWrap(True)
        text = QPlainTextEdit(value.text)
        text.setReadOnly(True)
        text.setAccessibleName(f"Value {value.number}")
        text.setTabChangesFocus(True)
        button = QPushButton(f"Use value &{value.number}" if value.number < 10
                             else f"Use value {value.number}")
        button.setToolTip("Keep what the record holds now" if value.current
                          else "Make this the record's value for everyone")
        button.setEnabled(conflict.may_resolve)
        if value.current:
            button.setText(button.text() + " (keep)")
        button.clicked.connect(
            lambda _=False, c=conflict, n=value.number: self._choose(c, n)
        )
        self.value_buttons.append(button)

        layout = QVBoxLayout(card)
        layout.addWidget(by)
        layout.addWidget(text, 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        return card

    # Choosing --------------------------------------------------------------

    def _choose(self, conflict, number: int) -> None:
        for button in self.value_buttons:
            button.setEnabled(False)
        self.message.clear_message()
        self._runner.submit(
            lambda _control: _choose(self._profile, conflict.id, number),
            on_success=lambda _none: self._on_chosen(conflict, number),
            on_failure=self._on_work_failed,
            description="Saving your choice…",
        )

    def _on_chosen(self, conflict, number: int) -> None:
        self.message.show_info(
            f"{conflict.record} · {conflict.field_label}: value {number} kept. "
            "It reaches everyone at the next sync."
        )
        self.settled.emit()
        self.reload()

    def _on_work_failed(self, error: BaseException) -> None:
        self.message.show_error(
            describe_failure(error, "Details are in the profile's log.")
        )
        self._on_conflict_list_row_changed(self.conflict_list.currentRow())


def _list(profile: UnlockedProfile) -> list:
    from invictus_desktop.services.conflicts import list_conflicts

    return list_conflicts(profile)


def _choose(profile: UnlockedProfile, conflict_id: int, number: int) -> None:
    from invictus_desktop.services.conflicts import choose_number

    choose_number(profile, conflict_id, number)

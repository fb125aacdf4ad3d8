"""A day of a QUAD's schedule: the lessons to visit, one action to start each."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from invictus_desktop.services.planning import SlotView

COLUMNS = ["Period", "Time", "Teacher", "Subject", "Class", "Room"]


class ScheduleList(QTreeWidget):
    """The lessons of one day; Enter (or a double click) starts a visit.

    Signals:
        start_requested(str): start a visit from the slot with that id.
    """

    start_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(COLUMNS)
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setAccessibleName("Lessons on the chosen day")
        header = self.header()
        header.setStretchLastSection(False)
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.itemActivated.connect(self._on_item_activated)

    def show_slots(self, slots: list[SlotView]) -> None:
        self.clear()
        ordered = sorted(slots, key=lambda s: (s.starts_at is None, s.starts_at, s.period))
        for slot in ordered:
            times = ""
            if slot.starts_at is not None:
                times = f"{slot.starts_at:%H:%M}"
                if slot.ends_at is not None:
                    times += f"–{slot.ends_at:%H:%M}"
            item = QTreeWidgetItem(self, [
                slot.period, times, slot.teacher_name, slot.subject,
                slot.class_name, slot.room,
            ])
            item.setData(0, Qt.ItemDataRole.UserRole, slot.id)
        if self.topLevelItemCount():
            self.setCurrentItem(self.topLevelItem(0))

    def current_slot_id(self) -> str | None:
        item = self.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def select_slot(self, slot_id: str) -> bool:
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            if item.data(0, Qt.ItemDataRole.UserRole) == slot_id:
                self.setCurrentItem(item)
                return True
        return False

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.start_requested.emit(item.data(0, Qt.ItemDataRole.UserRole))

"""A flat list of records, one row each, that opens a record on Enter."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

RECORD_ID = Qt.ItemDataRole.UserRole


class RecordTree(QTreeWidget):
    """Rows of text under column headers, each carrying its record's id.

    Columns fit their contents but for `stretch_column`, which takes the rest
    of the width. Enter or a double click on a row announces its id.

    Signals:
        record_activated(str): the id of the row activated.
    """

    record_activated = Signal(str)

    def __init__(self, columns: list[str], accessible_name: str, stretch_column: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(columns)
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setAccessibleName(accessible_name)
        header = self.header()
        header.setStretchLastSection(False)
        for column in range(len(columns)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        self.itemActivated.connect(self._on_item_activated)

    def add_record(self, cells: list[str], record_id: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, cells)
        item.setData(0, RECORD_ID, record_id)
        return item

    def record_ids(self) -> list[str]:
        return [self.topLevelItem(row).data(0, RECORD_ID)
                for row in range(self.topLevelItemCount())]

    def current_record_id(self) -> str | None:
        item = self.currentItem()
        return item.data(0, RECORD_ID) if item is not None else None

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.record_activated.emit(item.data(0, RECORD_ID))

"""Read-only tables of text: one small model and one way to set up a view.

Screens hand `RowsModel` plain rows (a list of cell texts and a payload,
usually the record's id) built from service data. The model is lazy, so a
preview of thousands of imported rows costs nothing until it is scrolled.
"""

import logging
from typing import NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

log = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex


class Row(NamedTuple):
    cells: list[str]
    payload: object = None


class RowsModel(QAbstractTableModel):
    """Rows of text under fixed column headers; each row carries a payload.

    Attributes:
        headers: the column titles.
    """

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self._rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def payload(self, row: int) -> object:
        return self._rows[row].payload

    def row_of(self, payload: object) -> int:
        """The row carrying `payload`, or -1."""
        for number, row in enumerate(self._rows):
            if row.payload == payload:
                return number
        return -1

    def texts(self) -> list[list[str]]:
        """Every row's cells, for tests and for checking the screen is empty."""
        return [list(row.cells) for row in self._rows]

    # Qt's own signatures (a default index argument), hence B008.
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        cells = self._rows[index.row()].cells
        text = cells[index.column()] if index.column() < len(cells) else ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text or None
        if role == Qt.ItemDataRole.UserRole:
            return self._rows[index.row()].payload
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and section < len(self.headers)
        ):
            return self.headers[section]
        return None


def make_table(
    model: RowsModel, accessible_name: str, stretch_column: int = -1
) -> QTableView:
    """A view that selects whole rows, one at a time, never edits in place, and
    stretches `stretch_column` (the last, by default) to fill the width."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(accessible_name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setShowGrid(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table for the next control
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    column = stretch_column if stretch_column >= 0 else len(model.headers) - 1
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return view


def fit_columns(view: QTableView, *columns: int) -> None:
    """Size these columns to their contents once (they stay user-resizable)."""
    for column in columns:
        view.resizeColumnToContents(column)


def selected_payload(view: QTableView) -> object:
    """The payload of the selected row, or None."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    model = view.model()
    assert isinstance(model, RowsModel)
    return model.payload(rows[0].row())


def select_payload(view: QTableView, payload: object) -> bool:
    """Select the row carrying `payload`; False if there is none."""
    model = view.model()
    assert isinstance(model, RowsModel)
    row = model.row_of(payload)
    if row < 0:
        return False
    view.selectRow(row)
    return True

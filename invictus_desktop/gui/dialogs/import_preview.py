"""Importing a spreadsheet: choose the file, check the columns, see what would
happen, then confirm. Shared by staff lists and timetables (`ImportSpec`).

Reading and checking the file runs in a worker: a 10 MB export takes a while
and the window must stay responsive. Nothing is written until Import is
pressed; Cancel leaves the store as it was.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.tables import Row, RowsModel, make_table
from invictus_desktop.gui.widgets import (
    BusyIndicator,
    InlineMessage,
    buddy_label,
    scroll_area,
    with_mnemonic,
)
from invictus_desktop.services.imports.mapping import ColumnsMissing, Field, Preview
from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)

NOT_IMPORTED = -1
FILE_FILTER = "Spreadsheets (*.csv *.xlsx);;All files (*)"
DIALOG_SIZE = (1120, 680)
MAPPING_WIDTH = 340
# Alt+letters the dialog already uses (Choose file, Sheet, Import, Cancel),
# kept free when the column pickers get theirs.
TAKEN_MNEMONICS = frozenset("fsic")


@dataclass(frozen=True)
class ImportSpec:
    """What differs between one kind of import and another.

    Attributes:
        title: the dialog's title ("Import staff").
        fields: the fields a column can fill, in the mapping editor's order.
        columns: the preview table's headings for one record (after "Row").
        cells: one record's cells, in the order of `columns`.
        preview: (profile, path, sheet_name, mapping) -> Preview; runs in a worker.
        apply: (profile, preview) -> result; writes, in a worker.
        done_message: the status bar's words for the result.
        mapping_hint: a line under the mapping editor (which fields are needed).
    """

    title: str
    fields: list[Field]
    columns: list[str]
    cells: Callable[[Any], list[str]]
    preview: Callable[[UnlockedProfile, Path, str | None, dict[str, int] | None], Preview]
    apply: Callable[[UnlockedProfile, Preview], Any]
    done_message: Callable[[Any], str]
    mapping_hint: str = ""


class _PreviewRead(NamedTuple):
    preview: Preview
    rows: list[Row]


def _read_preview(
    profile: UnlockedProfile,
    spec: ImportSpec,
    path: Path,
    sheet_name: str | None,
    mapping: dict[str, int] | None,
) -> _PreviewRead:
    """Worker: parse the file and turn its records into the table's rows."""
    preview = spec.preview(profile, path, sheet_name, mapping)
    rows = [Row([str(number), *spec.cells(record)]) for number, record in preview.records]
    return _PreviewRead(preview, rows)


class ImportPreviewDialog(QDialog):
    """Preview a spreadsheet import and apply it once the user confirms.

    Signals:
        imported(object): the import was applied; the service's result.

    Attributes:
        spec: what is imported, and how.
        path: the chosen file, or None.
        preview: the preview on screen, or None (no file yet, or it failed).
        mapping_combos: one combo per field (key -> combo), listing the headers.
        sheet_combo: the sheet chooser, shown when the file has several.
        preview_model: the rows that will be imported.
        refused_list, notes_list: rows left out ("Row N: reason"), and notes.
        counts_label: how many rows will be imported and refused.
        message: errors about the file.
        busy: the worker's progress while the file is read or imported.
        choose_button, import_button: choose a file; apply the preview.
    """

    imported = Signal(object)

    def __init__(self, spec: ImportSpec, page: Page, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(spec.title)
        self.setModal(True)
        self.resize(*DIALOG_SIZE)
        self.spec = spec
        self.path: Path | None = None
        self.preview: Preview | None = None
        self.mapping_combos: dict[str, QComboBox] = {}
        self._page = page
        self._request = 0  # only the newest preview may reach the screen
        self._importing = False
        self._reading = False
        self._finished = False
        self._file_dialog: QFileDialog | None = None

        self._build()
        self._show_nothing_yet()

    # Building --------------------------------------------------------------

    def _build(self) -> None:
        self.file_label = QLabel("File: none chosen yet")
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.choose_button = QPushButton("Choose &file…")
        self.sheet_combo = QComboBox()
        self.sheet_label = buddy_label("&Sheet", self.sheet_combo)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.sheet_label)
        file_row.addWidget(self.sheet_combo)
        file_row.addWidget(self.choose_button)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_mapping_box())
        splitter.addWidget(self._build_preview_box())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([MAPPING_WIDTH, DIALOG_SIZE[0] - MAPPING_WIDTH])

        self.refused_list = QListWidget()
        self.refused_list.setAccessibleName("Refused rows")
        self.notes_list = QListWidget()
        self.notes_list.setAccessibleName("Notes")
        lists = QHBoxLayout()
        lists.setSpacing(12)
        lists.addWidget(_boxed("Refused rows (left out)", self.refused_list), 3)
        lists.addWidget(_boxed("Notes", self.notes_list), 2)

        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.message = InlineMessage()
        self.busy = BusyIndicator()
        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton("&Import")
        self.import_button.setObjectName("primary")
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addLayout(file_row)
        layout.addWidget(splitter, 1)
        layout.addLayout(lists)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.sheet_combo.activated.connect(self._on_sheet_combo_activated)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        QWidget.setTabOrder(self.choose_button, self.sheet_combo)
        self.choose_button.setFocus()

    def _build_mapping_box(self) -> QGroupBox:
        box = QGroupBox("Columns")
        box.setMinimumWidth(MAPPING_WIDTH)
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setContentsMargins(0, 0, 6, 0)
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        taken = set(TAKEN_MNEMONICS)
        for field in self.spec.fields:
            combo = QComboBox()
            combo.setAccessibleName(f"Column for {field.label}")
            combo.setMinimumContentsLength(10)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.activated.connect(self._on_mapping_combo_activated)
            self.mapping_combos[field.key] = combo
            label = with_mnemonic(field.label, taken) + (" *" if field.required else "")
            form.addRow(buddy_label(label, combo), combo)

        scroll = scroll_area(form_widget, wraps=True, plain=True)
        hint = QLabel(self.spec.mapping_hint)
        hint.setObjectName("caption")
        hint.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addWidget(scroll, 1)
        layout.addWidget(hint)
        return box

    def _build_preview_box(self) -> QGroupBox:
        box = QGroupBox("Rows that will be imported")
        self.preview_model = RowsModel(["Row", *self.spec.columns], self)
        self.preview_table = make_table(self.preview_model, "Rows that will be imported")
        self.preview_table.setSelectionMode(self.preview_table.SelectionMode.NoSelection)
        layout = QVBoxLayout(box)
        layout.addWidget(self.preview_table)
        return box

    # Reading the file ------------------------------------------------------

    def load_file(self, path: Path) -> None:
        """Preview `path` with the sheet and columns the file suggests."""
        self.path = Path(path)
        self.file_label.setText(f"File: {self.path.name}")
        self.file_label.setToolTip(str(self.path))
        self._read(sheet_name=None, mapping=None)

    def _read(self, sheet_name: str | None, mapping: dict[str, int] | None) -> None:
        assert self.path is not None
        self._request += 1
        request = self._request
        self.message.clear_message()
        self._set_reading(True)
        task = self._page.run(
            _read_preview,
            self.spec,
            self.path,
            sheet_name,
            mapping,
            on_success=lambda read: self._on_preview_read(request, read),
            on_failure=lambda error: self._on_preview_failed(request, error),
            description=f"Reading {self.path.name}…",
        )
        if task is not None and task.running:
            self.busy.track(task)

    def _on_preview_read(self, request: int, read: _PreviewRead) -> None:
        if self._finished or request != self._request:
            return
        self._set_reading(False)
        self.preview = read.preview
        self._show_sheets(read.preview.sheet_names, read.preview.sheet_name)
        self._show_mapping(read.preview.headers, read.preview.mapping)
        self.preview_model.set_rows(read.rows)
        self.preview_table.resizeColumnsToContents()
        self._show_list(self.refused_list, [str(error) for error in read.preview.errors])
        self._show_list(self.notes_list, read.preview.notes)
        self._show_counts(read.preview)

    def _on_preview_failed(self, request: int, error: BaseException) -> None:
        if self._finished or request != self._request:
            return
        self._set_reading(False)
        self.preview = None
        self.preview_model.clear()
        self._show_list(self.refused_list, [])
        self._show_list(self.notes_list, [])
        if isinstance(error, ColumnsMissing):
            self._show_sheets(error.sheet_names, error.sheet_name)
            self._show_mapping(error.headers, error.mapping)
            self.counts_label.setText("Choose a column for each field marked *.")
        else:
            self._show_sheets([], "")
            self._show_mapping([], {})
            self.counts_label.setText("Nothing will be imported from this file.")
        self.message.show_error(self._page.failure_text(error))
        self._update_import_button()

    # Showing ---------------------------------------------------------------

    def _show_nothing_yet(self) -> None:
        self._show_sheets([], "")
        self._show_mapping([], {})
        self.counts_label.setText(
            "Choose a CSV or Excel (.xlsx) file exported from the school's system. "
            "You will see what would be imported before anything is saved."
        )
        self._update_import_button()

    def _show_sheets(self, names: list[str], current: str) -> None:
        self.sheet_combo.clear()
        self.sheet_combo.addItems(names)
        self.sheet_combo.setCurrentText(current)
        several = len(names) > 1
        self.sheet_combo.setVisible(several)
        self.sheet_label.setVisible(several)

    def _show_mapping(self, headers: list[str], mapping: dict[str, int]) -> None:
        for key, combo in self.mapping_combos.items():
            combo.clear()
            combo.addItem("(not imported)", NOT_IMPORTED)
            for index, header in enumerate(headers):
                combo.addItem(header or f"Column {index + 1}", index)
            combo.setCurrentIndex(combo.findData(mapping.get(key, NOT_IMPORTED)))
            combo.setEnabled(bool(headers))

    def _show_list(self, widget: QListWidget, lines: list[str]) -> None:
        widget.clear()
        widget.addItems(lines)

    def _show_counts(self, preview: Preview) -> None:
        parts = [f"{_rows(len(preview.records))} will be imported."]
        if preview.errors:
            parts.append(f"{_rows(len(preview.errors))} refused and left out.")
        if preview.notes:
            parts.append(_plural(len(preview.notes), "note") + ".")
        self.counts_label.setText(" ".join(parts))
        self._update_import_button()

    def _update_import_button(self) -> None:
        count = len(self.preview.records) if self.preview is not None else 0
        self.import_button.setText(f"&Import {_rows(count)}" if count else "&Import")
        busy = self._importing or self._reading
        self.import_button.setEnabled(count > 0 and not busy)

    def _set_reading(self, reading: bool) -> None:
        """While the worker reads, the file and its columns cannot be changed;
        afterwards `_show_mapping` enables the combos if there are headers."""
        self._reading = reading
        self.choose_button.setEnabled(not reading)
        self.sheet_combo.setEnabled(not reading)
        if reading:
            for combo in self.mapping_combos.values():
                combo.setEnabled(False)
        self._update_import_button()

    # Reacting --------------------------------------------------------------

    def _on_choose_button_clicked(self) -> None:
        dialog = QFileDialog(self, f"{self.spec.title}: choose a file", "", FILE_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self._on_file_dialog_file_selected)
        dialog.finished.connect(dialog.deleteLater)
        self._file_dialog = dialog
        dialog.open()

    def _on_file_dialog_file_selected(self, path: str) -> None:
        self._file_dialog = None
        if path:
            self.load_file(Path(path))

    def _on_sheet_combo_activated(self, _index: int) -> None:
        if self.path is not None:
            self._read(sheet_name=self.sheet_combo.currentText(), mapping=None)

    def _on_mapping_combo_activated(self, _index: int) -> None:
        if self.path is None:
            return
        mapping = {
            key: combo.currentData()
            for key, combo in self.mapping_combos.items()
            if combo.currentData() is not None and combo.currentData() != NOT_IMPORTED
        }
        self._read(sheet_name=self.sheet_combo.currentText() or None, mapping=mapping)

    def _on_buttons_accepted(self) -> None:
        if self.preview is None or not self.import_button.isEnabled():
            return
        self._importing = True
        self.message.clear_message()
        self._update_import_button()
        self.cancel_button.setEnabled(False)
        task = self._page.run(
            self.spec.apply,
            self.preview,
            on_success=self._on_import_applied,
            on_failure=self._on_import_failed,
            description="Importing…",
        )
        if task is not None and task.running:
            self.busy.track(task)

    def _on_import_applied(self, result: object) -> None:
        if self._finished:
            return
        self._importing = False
        log.info("import applied")
        self.imported.emit(result)
        self.accept()

    def _on_import_failed(self, error: BaseException) -> None:
        if self._finished:
            return
        self._importing = False
        self.cancel_button.setEnabled(True)
        self.message.show_error(self._page.failure_text(error))
        self._update_import_button()

    def reject(self) -> None:
        if self._importing:
            return
        super().reject()

    def done(self, result: int) -> None:
        self._finished = True
        self.preview = None
        self.preview_model.clear()
        self.refused_list.clear()
        self.notes_list.clear()
        super().done(result)


def _boxed(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    box.setMaximumHeight(140)
    layout = QVBoxLayout(box)
    layout.addWidget(widget)
    return box


def _plural(count: int, noun: str) -> str:
    return f"1 {noun}" if count == 1 else f"{count:,} {noun}s"


def _rows(count: int) -> str:
    return _plural(count, "row")

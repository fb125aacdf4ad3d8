"""Read a CSV or XLSX file into plain rows of text, refusing what is not one.

Schools export from many systems: UTF-8 with or without a byte-order mark,
Windows-1252 (Excel's default on UK laptops), commas or semicolons, XLSX with
several sheets, merged cells, formulas and blank rows. Everything comes out
as `Sheet`s of stripped strings with their 1-based row numbers as the user
sees them in Excel, so error messages can name the row.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from invictus_desktop.errors import UserFacingError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 64 * 1024


class ImportFileError(UserFacingError):
    """The file cannot be read as a spreadsheet; nothing was imported."""


@dataclass
class Sheet:
    name: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.rows


def read_table(path: Path) -> list[Sheet]:
    """All non-empty sheets of the file, blank rows dropped, cells as text."""
    _check_size(path)
    with path.open("rb") as handle:
        is_xlsx = handle.read(len(XLSX_MAGIC)) == XLSX_MAGIC
    sheets = _read_xlsx(path) if is_xlsx else [_read_csv(path)]

    sheets = [sheet for sheet in sheets if not sheet.is_empty]
    if not sheets:
        raise ImportFileError(
            f"{path.name} has no rows.", next_step="Check it is the right file."
        )
    return sheets


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFileError(f"Cannot open {path}: {exc.strerror}.") from None
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"{path.name} is {size / 1_048_576:.0f} MB; an export of staff or a "
            f"timetable is far smaller (the limit is {MAX_FILE_BYTES // 1_048_576} MB).",
            next_step="Export only the staff list or timetable sheet and try again.",
        )


# CSV -------------------------------------------------------------------------


def _read_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    if b"\x00" in raw[:SNIFF_BYTES]:
        raise ImportFileError(
            f"{path.name} is not a spreadsheet (it holds binary data).",
            next_step="Save it from Excel as CSV or XLSX and try again.",
        )
    text = _decode(raw)
    dialect_delimiter = _sniff_delimiter(text)

    sheet = Sheet(name=path.stem)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect_delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            _append_row(sheet, number, cells, path)
    except csv.Error as exc:
        raise ImportFileError(
            f"{path.name} is not valid CSV near row {reader.line_num}: {exc}."
        ) from None
    return sheet


def _decode(raw: bytes) -> str:
    # UTF-8 (with or without BOM) first; Windows-1252 decodes anything else,
    # so it is the fallback Excel on a UK laptop would have written.
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


# XLSX ------------------------------------------------------------------------


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl  # slow to import; only when an XLSX arrives

    try:
        # Not read-only: merged ranges are only known in the full model.
        # data_only gives the cached result of formulas instead of their text.
        workbook = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(
            f"{path.name} looks like an Excel file but cannot be read ({exc}).",
            next_step="Open it in Excel, save it again as .xlsx and retry.",
        ) from None

    sheets = []
    for worksheet in workbook.worksheets:
        _fill_merged_cells(worksheet)
        sheet = Sheet(name=worksheet.title)
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            _append_row(sheet, number, [_cell_text(value) for value in values], path)
        sheets.append(sheet)
    workbook.close()
    return sheets


def _fill_merged_cells(worksheet) -> None:
    """A merged range shows one value across its cells; give each cell that value."""
    for merged in list(worksheet.merged_cells.ranges):
        value = worksheet.cell(merged.min_row, merged.min_col).value
        worksheet.unmerge_cells(str(merged))
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                worksheet.cell(row, column).value = value


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    return str(value)


def _append_row(sheet: Sheet, number: int, cells: list[str], path: Path) -> None:
    cleaned = [cell.strip() for cell in cells]
    if not any(cleaned):
        return
    if len(sheet.rows) >= MAX_ROWS:
        raise ImportFileError(
            f"{path.name} has more than {MAX_ROWS:,} rows; that is not a staff list or "
            "a timetable.",
            next_step="Check you chose the right file.",
        )
    sheet.rows.append((number, cleaned))

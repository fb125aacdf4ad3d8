"""Make the kinds of files schools export, for import tests."""

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl

STAFF_HEADER = ["Staff Code", "Title", "Forename", "Surname", "Email", "Role", "Department"]
STAFF_ROWS = [
    ["ASH", "Mrs", "Amelia", "Ashby", "a.ashby@kinver.example.sch.uk", "Teacher", "Maths"],
    ["BBA", "Mr", "Ben", "Barrow", "b.barrow@kinver.example.sch.uk", "Teacher", "English"],
    ["CCA", "Ms", "Chloë", "Carver", "c.carver@kinver.example.sch.uk", "Head of Year", "Science"],
]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]],
               merges: dict[str, list[str]] | None = None) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell_range in (merges or {}).get(name, []):
            sheet.merge_cells(cell_range)
    workbook.save(path)
    return path


def add_cached_formula_results(path: Path, sheet_index: int, results: dict[str, str]) -> None:
    """Excel saves a formula with its last result; openpyxl saves none. Add them,
    as Excel would have, so the import reads what the user saw."""
    member = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}

    xml = parts[member].decode()
    for cell, value in results.items():
        pattern = rf'(<c r="{cell}"[^>]*)>(<f>.*?</f>)(<v\s*/>|<v></v>)?</c>'
        replacement = rf'\1 t="str">\2<v>{value}</v></c>'
        xml, count = re.subn(pattern, replacement, xml)
        assert count == 1, f"formula cell {cell} not found"
    parts[member] = xml.encode()

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)

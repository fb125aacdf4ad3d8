"""From rows of text to typed records: find the header, map columns, collect
each failing row with its number and reason. Nothing here writes anything."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from invictus_desktop.services.imports.tabular import ImportFileError, Sheet

Record = TypeVar("Record")
HEADER_SEARCH_ROWS = 10


class RowProblem(ValueError):
    """Why one row cannot be imported, in words for the user."""


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class RowError:
    row_number: int
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.reason}"


@dataclass
class Preview(Generic[Record]):
    """What an import would do. The user checks it; only then is it applied."""

    file_name: str
    sheet_names: list[str]
    sheet_name: str
    headers: list[str]
    header_row: int
    mapping: dict[str, int]
    records: list[tuple[int, Record]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def normalise_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def find_header_row(sheet: Sheet, fields: list[Field]) -> int:
    """Index into sheet.rows of the header: the first early row naming two fields.

    Exports often start with a title or a date line above the real header.
    """
    known = {normalise_header(alias) for f in fields for alias in (f.label, *f.aliases)}
    for index, (_number, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        if sum(normalise_header(cell) in known for cell in cells) >= 2:
            return index
    return 0


def suggest_mapping(headers: list[str], fields: list[Field]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    normalised = [normalise_header(header) for header in headers]
    for f in fields:
        for alias in (f.label, *f.aliases):
            wanted = normalise_header(alias)
            if wanted in normalised and normalised.index(wanted) not in mapping.values():
                mapping[f.key] = normalised.index(wanted)
                break
    return mapping


def missing_fields(
    mapping: dict[str, int],
    fields: list[Field],
    alternatives: list[tuple[str, ...]] = (),
) -> list[str]:
    """Labels of the fields that still need a column: every required field, and
    one whole group of each alternative (for example first and last name, or a
    single name column)."""
    missing = [f.label for f in fields if f.required and f.key not in mapping]
    labels = {f.key: f.label for f in fields}
    for groups in alternatives:
        options = [tuple(key.split("+")) for key in groups]
        if not any(all(key in mapping for key in option) for option in options):
            missing.extend(labels[key] for key in options[0] if key not in mapping)
    return missing


class ColumnsMissing(ImportFileError):
    """Some needed fields have no column. Carries what the file holds, so the
    user can choose the columns by hand and preview again."""

    def __init__(
        self,
        file_name: str,
        missing: list[str],
        *,
        sheet_names: list[str],
        sheet_name: str,
        headers: list[str],
        mapping: dict[str, int],
    ) -> None:
        super().__init__(
            f"{file_name} has no column for: {', '.join(missing)}.",
            next_step="Rename the column in the file, or choose it in the column mapping.",
        )
        self.missing = missing
        self.sheet_names = sheet_names
        self.sheet_name = sheet_name
        self.headers = headers
        self.mapping = mapping


def choose_sheet(sheets: list[Sheet], fields: list[Field], wanted: str | None) -> Sheet:
    """The named sheet, or else the first whose header names the most fields."""
    if wanted is not None:
        for sheet in sheets:
            if sheet.name == wanted:
                return sheet
        names = ", ".join(sheet.name for sheet in sheets)
        raise ImportFileError(f"There is no sheet called {wanted!r} (sheets: {names}).")

    def score(sheet: Sheet) -> int:
        header = sheet.rows[find_header_row(sheet, fields)][1]
        return len(suggest_mapping(header, fields))

    return max(sheets, key=score)


def build_preview(
    file_name: str,
    sheets: list[Sheet],
    fields: list[Field],
    parse_row: Callable[[dict[str, str]], Record],
    *,
    sheet_name: str | None = None,
    mapping: dict[str, int] | None = None,
    alternatives: list[tuple[str, ...]] = (),
) -> Preview[Record]:
    sheet = choose_sheet(sheets, fields, sheet_name)
    header_index = find_header_row(sheet, fields)
    header_number, headers = sheet.rows[header_index]
    chosen = mapping if mapping is not None else suggest_mapping(headers, fields)
    missing = missing_fields(chosen, fields, alternatives)
    if missing:
        raise ColumnsMissing(
            file_name,
            missing,
            sheet_names=[s.name for s in sheets],
            sheet_name=sheet.name,
            headers=headers,
            mapping=chosen,
        )

    preview: Preview[Record] = Preview(
        file_name=file_name,
        sheet_names=[s.name for s in sheets],
        sheet_name=sheet.name,
        headers=headers,
        header_row=header_number,
        mapping=chosen,
    )
    for number, cells in sheet.rows[header_index + 1 :]:
        values = {
            key: cells[column] if column < len(cells) else ""
            for key, column in chosen.items()
        }
        try:
            preview.records.append((number, parse_row(values)))
        except RowProblem as problem:
            preview.errors.append(RowError(number, str(problem)))
    return preview

"""Staff lists in the shapes schools really export them, and bad files."""

from pathlib import Path

import pytest

from invictus_desktop.services.imports.mapping import ColumnsMissing
from invictus_desktop.services.imports.staff import preview_staff_file
from invictus_desktop.services.imports.tabular import MAX_FILE_BYTES, ImportFileError
from tests.services.spreadsheets import (
    STAFF_HEADER,
    STAFF_ROWS,
    add_cached_formula_results,
    write_csv,
    write_xlsx,
)


def _names(preview) -> list[str]:
    return [f"{row.first_name} {row.last_name}" for _n, row in preview.records]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","), ("utf-8", ";"), ("cp1252", ";")],
)
def test_csv_encodings_and_delimiters_read_alike(tmp_path, encoding, delimiter):
    path = write_csv(tmp_path / "staff.csv", [STAFF_HEADER, *STAFF_ROWS],
                     encoding=encoding, delimiter=delimiter)

    preview = preview_staff_file(path)

    assert _names(preview) == ["Amelia Ashby", "Ben Barrow", "Chloë Carver"]
    assert preview.records[0][1].staff_code == "ASH"
    assert preview.records[2][1].subjects == "Science"
    assert preview.errors == []


def test_bad_rows_are_refused_with_row_numbers_and_good_rows_kept(tmp_path):
    rows = [STAFF_HEADER, *STAFF_ROWS,
            ["DDA", "Mr", "", "Dalton", "d.dalton@example.org", "Teacher", "PE"],
            ["EEL", "Dr", "Eleanor", "Ellison", "not-an-email", "Teacher", "Art"]]
    path = write_csv(tmp_path / "staff.csv", rows)

    preview = preview_staff_file(path)

    assert len(preview.records) == 3
    assert [(e.row_number, e.reason) for e in preview.errors] == [
        (5, "needs a first name and a last name"),
        (6, "'not-an-email' is not an email address"),
    ]


def test_duplicates_by_code_or_email_are_merged(tmp_path):
    rows = [STAFF_HEADER, *STAFF_ROWS,
            ["ash", "", "Amelia", "Ashby", "", "", ""],
            ["", "", "Benjamin", "Barrow", "B.Barrow@kinver.example.sch.uk", "", ""]]
    path = write_csv(tmp_path / "staff.csv", rows)

    preview = preview_staff_file(path)

    assert _names(preview) == ["Amelia Ashby", "Ben Barrow", "Chloë Carver"]
    assert preview.notes == ["Row 5 repeats row 2; merged.", "Row 6 repeats row 3; merged."]


def test_single_name_column_is_split(tmp_path):
    rows = [["Code", "Name", "Email"], ["FFA", "Fairclough, Farah", ""],
            ["GGR", "Mr George Greaves", ""]]
    preview = preview_staff_file(write_csv(tmp_path / "staff.csv", rows))

    assert _names(preview) == ["Farah Fairclough", "George Greaves"]
    assert preview.records[1][1].title == "Mr"


def test_missing_required_columns_names_them(tmp_path):
    path = write_csv(tmp_path / "staff.csv", [["Staff Code", "Email"], ["ASH", "a@b.org"]])

    with pytest.raises(ImportFileError, match="no column for: First name, Last name"):
        preview_staff_file(path)


def test_missing_columns_carry_the_headers_so_they_can_be_chosen(tmp_path):
    rows = [["Code", "Given", "Family", "Email"], ["ASH", "Amelia", "Ashby", ""]]
    path = write_csv(tmp_path / "staff.csv", rows)

    with pytest.raises(ColumnsMissing) as refused:
        preview_staff_file(path)
    assert refused.value.headers == ["Code", "Given", "Family", "Email"]
    assert refused.value.mapping == {"staff_code": 0, "email": 3}
    assert refused.value.sheet_names == ["staff"]

    chosen = {**refused.value.mapping, "first_name": 1, "last_name": 2}
    preview = preview_staff_file(path, mapping=chosen)
    assert _names(preview) == ["Amelia Ashby"]


def test_xlsx_with_title_rows_blank_rows_merged_cells_formulas_and_sheets(tmp_path):
    staff_sheet = [
        ["Kinver High School staff list"],
        ["Exported 01/09/2026"],
        STAFF_HEADER,
        STAFF_ROWS[0],
        [None] * 7,
        ["HHO", "Mrs", "Hannah", "Holloway", '=LOWER("H.HOLLOWAY@KINVER.EXAMPLE.SCH.UK")',
         "Teacher", "Geography"],
        ["IIN", "Mr", "Isaac", "Ingram", "i.ingram@kinver.example.sch.uk", "Teacher", None],
    ]
    path = write_xlsx(
        tmp_path / "staff.xlsx",
        {"Notes": [["Read me first"]], "Staff": staff_sheet, "Rooms": [["Room", "Capacity"]]},
        merges={"Staff": ["A1:G1", "G6:G7"]},
    )
    add_cached_formula_results(path, 2, {"E6": "h.holloway@kinver.example.sch.uk"})

    preview = preview_staff_file(path)

    assert preview.sheet_name == "Staff"
    assert preview.sheet_names == ["Notes", "Staff", "Rooms"]
    assert preview.header_row == 3
    assert _names(preview) == ["Amelia Ashby", "Hannah Holloway", "Isaac Ingram"]
    holloway, ingram = preview.records[1][1], preview.records[2][1]
    assert holloway.email == "h.holloway@kinver.example.sch.uk"
    assert ingram.subjects == "Geography"  # filled from the merged range


def test_choosing_a_sheet_that_does_not_exist_lists_the_sheets(tmp_path):
    path = write_xlsx(tmp_path / "staff.xlsx", {"Staff": [STAFF_HEADER, STAFF_ROWS[0]]})

    with pytest.raises(ImportFileError, match=r"no sheet called 'Teachers' \(sheets: Staff\)"):
        preview_staff_file(path, sheet_name="Teachers")


def test_a_50_megabyte_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert path.stat().st_size > MAX_FILE_BYTES

    with pytest.raises(ImportFileError, match="50 MB"):
        preview_staff_file(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary data"),
        ("fake.xlsx", b"PK\x03\x04 this is not really a zip", "cannot be read"),
        ("empty.csv", b"", "has no rows"),
        ("blank.csv", b"\r\n,,,\r\n\r\n", "has no rows"),
    ],
)
def test_files_that_are_not_spreadsheets_get_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(ImportFileError, match=message):
        preview_staff_file(path)


def test_a_missing_file_gets_a_clear_error(tmp_path):
    with pytest.raises(ImportFileError, match="Cannot open"):
        preview_staff_file(Path(tmp_path / "nowhere.csv"))

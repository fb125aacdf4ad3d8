"""The command line drives the same services: demo, doctor, quads, imports."""

import re

from invictus_desktop.cli.main import main
from tests.services.spreadsheets import STAFF_HEADER, STAFF_ROWS, write_csv


def test_demo_store_passes_doctor(demo_profile, capsys):
    assert main(["--profile", str(demo_profile), "doctor"]) == 0
    out = capsys.readouterr().out
    assert "ok   cipher integrity" in out
    assert "The store is healthy." in out


def test_quads_lists_one_a_line_reference_first(demo_profile, capsys):
    assert main(["--profile", str(demo_profile), "quads"]) == 0
    lines = capsys.readouterr().out.splitlines()

    assert len(lines) == 16  # four schools, this term and the three before
    references = [line.split("\t")[0] for line in lines]
    assert all(re.fullmatch(r"[A-Z]{2,4}-\d{4}-(AUT|SPR|SUM)", ref) for ref in references)
    assert {line.split("\t")[1] for line in lines} == {
        "Ellowes Hall Sports College", "Ounsdale High School", "Kinver High School",
        "Crestwood School"}
    assert sum(line.endswith("\tplanned") for line in lines) == 4


def test_import_staff_prints_imported_and_refused(demo_profile, tmp_path, capsys):
    rows = [STAFF_HEADER, *STAFF_ROWS, ["ZZZ", "Mr", "", "Nobody", "", "", ""]]
    path = write_csv(tmp_path / "staff.csv", rows)

    code = main(["--profile", str(demo_profile), "import", "staff", str(path),
                 "--school", "Kinver High School"])

    out = capsys.readouterr().out
    assert code == 3  # some rows refused
    assert "Kinver High School: 3 added, 0 updated, 1 refused." in out
    assert "refused Row 5: needs a first name and a last name" in out


def test_import_timetable_into_a_demo_quad(demo_profile, tmp_path, capsys):
    main(["--profile", str(demo_profile), "quads"])
    planned = next(line for line in capsys.readouterr().out.splitlines()
                   if line.endswith("planned") and "Kinver" in line)
    reference, starts_on = planned.split("\t")[0], planned.split("\t")[3]
    path = write_csv(tmp_path / "timetable.csv", [
        ["Date", "Period", "Room", "Teacher", "Subject"],
        [starts_on, "P2", "M1", "ASH", "Maths"],
        ["2020-01-01", "P2", "M1", "ASH", "Maths"],
    ])

    code = main(["--profile", str(demo_profile), "import", "timetable", str(path),
                 "--quad", reference])

    out = capsys.readouterr().out
    assert code == 3
    assert f"{reference}: 1 lesson added, 1 refused." in out
    assert "Row 3: 01/01/2020 is outside the QUAD" in out


def test_unknown_school_and_quad_are_clear_errors(demo_profile, tmp_path, capsys):
    path = write_csv(tmp_path / "staff.csv", [STAFF_HEADER, *STAFF_ROWS])
    assert main(["--profile", str(demo_profile), "import", "staff", str(path),
                 "--school", "Hogwarts"]) == 1
    assert main(["--profile", str(demo_profile), "import", "timetable", str(path),
                 "--quad", "NOPE-2026-AUT"]) == 1
    err = capsys.readouterr().err
    assert "No single school matches 'Hogwarts'" in err
    assert "There is no QUAD 'NOPE-2026-AUT'" in err

"""Verbs about trust data and planning: quads, import staff, import timetable."""

import argparse
from pathlib import Path

from invictus_desktop.cli.common import opened_profile, refuse_board_member


def register(verbs) -> None:
    quads = verbs.add_parser("quads", help="list QUADs, one a line, reference first")
    quads.set_defaults(run=run_quads)

    imports = verbs.add_parser("import", help="import a staff list or a timetable")
    kinds = imports.add_subparsers(dest="kind", metavar="KIND", required=True)

    staff = kinds.add_parser("staff", help="a school's staff list (CSV or XLSX)")
    staff.add_argument("file", type=Path)
    staff.add_argument("--school", required=True, help="the school's name or URN")
    staff.add_argument("--sheet", help="the sheet to read (XLSX)")
    staff.set_defaults(run=run_import_staff)

    timetable = kinds.add_parser("timetable", help="a timetable into a QUAD's schedule")
    timetable.add_argument("file", type=Path)
    timetable.add_argument("--quad", required=True, help="the QUAD's reference")
    timetable.add_argument("--sheet", help="the sheet to read (XLSX)")
    timetable.set_defaults(run=run_import_timetable)


def run_quads(args: argparse.Namespace) -> int:
    from invictus_desktop.services.planning import list_quads

    with opened_profile(args) as profile:
        refuse_board_member(
            profile,
            "`invictus-desktop published` lists them, and "
            "`invictus-desktop published REF --out FILE.pdf` writes one.",
        )
        quads = list_quads(profile)
    for quad in quads:
        print(
            f"{quad.reference}\t{quad.school_name}\t{quad.term.value} {quad.academic_year}\t"
            f"{quad.starts_on:%Y-%m-%d}\t{quad.status.value}"
        )
    return 0


def run_import_staff(args: argparse.Namespace) -> int:
    from invictus_desktop.services.imports.staff import preview_staff_file
    from invictus_desktop.services.schools import find_school, import_staff

    with opened_profile(args) as profile:
        school = find_school(profile, args.school)
        preview = preview_staff_file(args.file, sheet_name=args.sheet)
        result = import_staff(profile, school.id, preview)

    print(
        f"{school.name}: {result.added} added, {result.updated} updated, "
        f"{len(preview.errors)} refused."
    )
    _print_problems(preview)
    return 0 if not preview.errors else 3


def run_import_timetable(args: argparse.Namespace) -> int:
    from invictus_desktop.services.planning import (
        find_quad,
        import_timetable,
        preview_timetable,
    )

    with opened_profile(args) as profile:
        quad = find_quad(profile, args.quad)
        preview = preview_timetable(profile, quad.id, args.file, sheet_name=args.sheet)
        added = import_timetable(profile, quad.id, preview)

    lessons = "lesson" if added == 1 else "lessons"
    print(f"{quad.reference}: {added} {lessons} added, {len(preview.errors)} refused.")
    _print_problems(preview)
    return 0 if not preview.errors else 3


def _print_problems(preview) -> None:
    for error in preview.errors:
        print(f"  refused {error}")
    for note in preview.notes:
        print(f"  note: {note}")

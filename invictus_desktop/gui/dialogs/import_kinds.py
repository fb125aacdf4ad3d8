"""The two imports the import dialog runs: a school's staff list and a QUAD's
timetable. Each binds the services to one school or one QUAD."""

import logging
from functools import partial
from pathlib import Path

from invictus_desktop.gui.dialogs.import_preview import ImportSpec
from invictus_desktop.gui.labels import clock, day_label
from invictus_desktop.services import planning, schools
from invictus_desktop.services.imports.mapping import Preview
from invictus_desktop.services.imports.staff import (
    STAFF_FIELDS,
    ImportResult,
    StaffRow,
    preview_staff_file,
)
from invictus_desktop.services.imports.timetable import TIMETABLE_FIELDS, TimetableRow
from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)


def staff_import(school_id: str) -> ImportSpec:
    return ImportSpec(
        title="Import staff",
        fields=STAFF_FIELDS,
        columns=["Code", "Title", "First name", "Last name", "Email", "Job title",
                 "Subjects"],
        cells=_staff_cells,
        preview=_preview_staff,
        apply=partial(_apply_staff, school_id),
        done_message=_staff_done,
        mapping_hint="A name needs First name and Last name, or one Name column. "
        "Staff already known (same code or email) are updated, not repeated.",
    )


def timetable_import(quad_id: str) -> ImportSpec:
    return ImportSpec(
        title="Import timetable",
        fields=TIMETABLE_FIELDS,
        columns=["Day", "Period", "Start", "End", "Room", "Teacher", "On staff list",
                 "Subject", "Year group", "Class"],
        cells=_timetable_cells,
        preview=partial(_preview_timetable, quad_id),
        apply=partial(_apply_timetable, quad_id),
        done_message=_timetable_done,
        mapping_hint="Fields marked * are needed. Days outside the QUAD's dates are "
        "refused; a lesson needs a period or a start time.",
    )


def _preview_staff(
    _profile: UnlockedProfile,
    path: Path,
    sheet_name: str | None,
    mapping: dict[str, int] | None,
) -> Preview[StaffRow]:
    return preview_staff_file(path, sheet_name=sheet_name, mapping=mapping)


def _apply_staff(
    school_id: str, profile: UnlockedProfile, preview: Preview[StaffRow]
) -> ImportResult:
    return schools.import_staff(profile, school_id, preview)


def _staff_cells(row: StaffRow) -> list[str]:
    return [row.staff_code, row.title, row.first_name, row.last_name, row.email,
            row.job_title, row.subjects]


def _staff_done(result: ImportResult) -> str:
    return f"Staff list imported: {result.added} added, {result.updated} updated."


def _preview_timetable(
    quad_id: str,
    profile: UnlockedProfile,
    path: Path,
    sheet_name: str | None,
    mapping: dict[str, int] | None,
) -> Preview[TimetableRow]:
    return planning.preview_timetable(
        profile, quad_id, path, sheet_name=sheet_name, mapping=mapping
    )


def _apply_timetable(
    quad_id: str, profile: UnlockedProfile, preview: Preview[TimetableRow]
) -> int:
    return planning.import_timetable(profile, quad_id, preview)


def _timetable_cells(row: TimetableRow) -> list[str]:
    return [day_label(row.day), row.period, clock(row.starts_at), clock(row.ends_at),
            row.room, row.teacher_name, "Yes" if row.staff_member_id else "No",
            row.subject, row.year_group, row.class_name]


def _timetable_done(added: int) -> str:
    lessons = "1 lesson" if added == 1 else f"{added} lessons"
    return f"Timetable imported: {lessons} added to the schedule."

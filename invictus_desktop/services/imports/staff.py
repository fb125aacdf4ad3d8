"""Staff lists as schools export them, previewed and then applied."""

import re
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from invictus_desktop.services.imports.mapping import (
    Field,
    Preview,
    RowProblem,
    build_preview,
)
from invictus_desktop.services.imports.tabular import read_table
from invictus_desktop.store.models import StaffMember

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TITLES = {"mr", "mrs", "miss", "ms", "mx", "dr", "prof"}

STAFF_FIELDS = [
    Field("staff_code", "Staff code", ("code", "staffcode", "initials", "staff id", "id")),
    Field("title", "Title", ("salutation",)),
    Field(
        "first_name",
        "First name",
        ("forename", "given name", "preferred forename", "legal forename", "firstname"),
    ),
    Field(
        "last_name", "Last name", ("surname", "family name", "legal surname", "lastname")
    ),
    Field("full_name", "Name", ("full name", "staff name", "teacher")),
    Field("email", "Email", ("e-mail", "email address", "work email", "school email")),
    Field("job_title", "Job title", ("role", "position", "post", "job")),
    Field("subjects", "Subjects", ("subject", "department", "dept", "faculty")),
]

# A name comes from a first and a last name column, or from one name column.
NAME_COLUMNS = ("first_name+last_name", "full_name")


@dataclass(frozen=True)
class StaffRow:
    staff_code: str
    title: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    subjects: str

    def identity_keys(self) -> list[str]:
        keys = []
        if self.staff_code:
            keys.append("code:" + self.staff_code.upper())
        if self.email:
            keys.append("email:" + self.email.lower())
        return keys


def parse_staff_row(values: dict[str, str]) -> StaffRow:
    first, last = values.get("first_name", ""), values.get("last_name", "")
    title = values.get("title", "")
    if not (first and last) and values.get("full_name"):
        title, first, last = split_full_name(values["full_name"], title)
    if not first or not last:
        raise RowProblem("needs a first name and a last name")

    email = values.get("email", "")
    if email and not EMAIL.match(email):
        raise RowProblem(f"{email!r} is not an email address")
    code = values.get("staff_code", "")
    if len(code) > 16:
        raise RowProblem("the staff code is longer than 16 characters")

    return StaffRow(
        code,
        title,
        first,
        last,
        email,
        values.get("job_title", ""),
        values.get("subjects", ""),
    )


def split_full_name(full: str, title: str = "") -> tuple[str, str, str]:
    """'Surname, Forename' or 'Title Forename Surname'."""
    if "," in full:
        last, first = (part.strip() for part in full.split(",", 1))
        return title, first, last
    words = full.split()
    if words and words[0].rstrip(".").lower() in TITLES:
        title, words = words[0], words[1:]
    if len(words) < 2:
        return title, "", ""
    return title, " ".join(words[:-1]), words[-1]


def preview_staff_file(
    path: Path, *, sheet_name: str | None = None, mapping: dict[str, int] | None = None
) -> Preview[StaffRow]:
    preview = build_preview(
        path.name,
        read_table(path),
        STAFF_FIELDS,
        parse_staff_row,
        sheet_name=sheet_name,
        mapping=mapping,
        alternatives=[NAME_COLUMNS],
    )
    _merge_duplicates(preview)
    return preview


def _merge_duplicates(preview: Preview[StaffRow]) -> None:
    """Rows naming the same person (by staff code or email) become one; later
    rows fill fields the earlier one left empty."""
    kept: list[tuple[int, StaffRow]] = []
    index_by_key: dict[str, int] = {}
    for number, row in preview.records:
        match = next(
            (index_by_key[k] for k in row.identity_keys() if k in index_by_key), None
        )
        if match is None:
            index_by_key.update({k: len(kept) for k in row.identity_keys()})
            kept.append((number, row))
            continue
        first_number, first = kept[match]
        kept[match] = (first_number, _fill_gaps(first, row))
        index_by_key.update({k: match for k in row.identity_keys()})
        preview.notes.append(f"Row {number} repeats row {first_number}; merged.")
    preview.records = kept


def _fill_gaps(first: StaffRow, later: StaffRow) -> StaffRow:
    changes = {
        name: getattr(later, name)
        for name in first.__dataclass_fields__
        if not getattr(first, name) and getattr(later, name)
    }
    return replace(first, **changes)


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


def apply_staff_rows(
    session: Session, school_id: str, rows: list[StaffRow]
) -> ImportResult:
    """Add new staff and update those already known by code or email."""
    existing = session.scalars(
        select(StaffMember).where(StaffMember.school_id == school_id)
    )
    by_key: dict[str, StaffMember] = {}
    for member in existing:
        if member.staff_code:
            by_key["code:" + member.staff_code.upper()] = member
        if member.email:
            by_key["email:" + member.email.lower()] = member

    added = updated = 0
    for row in rows:
        member = next((by_key[k] for k in row.identity_keys() if k in by_key), None)
        if member is None:
            member = StaffMember(school_id=school_id)
            session.add(member)
            added += 1
        else:
            updated += 1
        for name in row.__dataclass_fields__:
            value = getattr(row, name)
            if value:  # an empty cell never blanks what is already known
                setattr(member, name, value)
        by_key.update({k: member for k in row.identity_keys()})
    return ImportResult(added, updated)

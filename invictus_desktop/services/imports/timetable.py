"""Timetable exports turned into a QUAD's visit schedule."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path

from invictus_desktop.services.imports.mapping import (
    Field,
    Preview,
    RowProblem,
    build_preview,
)
from invictus_desktop.services.imports.tabular import read_table

TIMETABLE_FIELDS = [
    Field("day", "Day", ("weekday", "date", "day of week"), required=True),
    Field("period", "Period", ("lesson", "slot", "session")),
    Field("starts_at", "Start", ("start time", "from", "time", "begins")),
    Field("ends_at", "End", ("end time", "to", "finishes")),
    Field("room", "Room", ("location", "room code")),
    Field(
        "teacher",
        "Teacher",
        ("staff", "teacher code", "staff code", "staff name", "teacher name"),
        required=True,
    ),
    Field("subject", "Subject", ("course", "department")),
    Field("year_group", "Year group", ("year", "yr", "yeargroup")),
    Field("class_name", "Class", ("group", "set", "class code", "teaching group")),
]

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")


@dataclass(frozen=True)
class StaffIndex:
    """Known staff, to match the timetable's teacher column by code or name."""

    by_code: dict[str, str]
    by_name: dict[str, str]

    def match(self, text: str) -> str | None:
        key = text.strip().lower()
        return self.by_code.get(key) or self.by_name.get(_name_key(key))


def _name_key(text: str) -> str:
    words = re.sub(r"[^a-z ]", "", text.lower()).split()
    titles = {"mr", "mrs", "miss", "ms", "mx", "dr"}
    return " ".join(word for word in words if word not in titles)


def make_staff_index(staff: list[tuple[str, str, str, str]]) -> StaffIndex:
    """From (id, staff code, first name, last name) tuples."""
    by_code = {code.lower(): sid for sid, code, _f, _l in staff if code}
    by_name: dict[str, str] = {}
    for sid, _code, first, last in staff:
        by_name[_name_key(f"{first} {last}")] = sid
        by_name[_name_key(f"{first[:1]} {last}")] = sid
        by_name.setdefault(_name_key(last), sid)
    return StaffIndex(by_code, by_name)


@dataclass(frozen=True)
class TimetableRow:
    day: date
    period: str
    starts_at: time | None
    ends_at: time | None
    room: str
    teacher_name: str
    staff_member_id: str | None
    subject: str
    year_group: str
    class_name: str


def parse_day(text: str, first_day: date, last_day: date) -> date:
    """A weekday name within the QUAD's dates, or a date (ISO or dd/mm/yyyy)."""
    lowered = text.strip().lower()
    for index, name in enumerate(WEEKDAYS):
        if len(lowered) >= 3 and name.startswith(lowered):
            day = first_day
            while day <= last_day:
                if day.weekday() == index:
                    return day
                day += timedelta(days=1)
            raise RowProblem(
                f"the QUAD has no {name.title()} ({_span(first_day, last_day)})"
            )

    parsed = _parse_date(lowered)
    if parsed is None:
        raise RowProblem(f"{text!r} is not a day or a date")
    if not first_day <= parsed <= last_day:
        raise RowProblem(
            f"{parsed:%d/%m/%Y} is outside the QUAD ({_span(first_day, last_day)})"
        )
    return parsed


def _parse_date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _span(first_day: date, last_day: date) -> str:
    return f"{first_day:%a %d %b} to {last_day:%a %d %b %Y}"


def parse_time(text: str) -> time | None:
    if not text:
        return None
    text = text.strip()
    if "T" in text:  # a time cell from Excel arrives as an ISO datetime or time
        text = text.split("T", 1)[1]
    match = TIME.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise RowProblem(f"{text!r} is not a time (use 09:15)")
    return time(int(match[1]), int(match[2]))


def parse_timetable_row(
    values: dict[str, str], *, first_day: date, last_day: date, staff: StaffIndex
) -> TimetableRow:
    day = parse_day(values["day"], first_day, last_day)
    starts_at = parse_time(values.get("starts_at", ""))
    ends_at = parse_time(values.get("ends_at", ""))
    period = values.get("period", "")
    if not period and starts_at is None:
        raise RowProblem("needs a period or a start time")
    if starts_at and ends_at and ends_at <= starts_at:
        raise RowProblem("ends before it starts")
    teacher = values["teacher"]
    if not teacher:
        raise RowProblem("names no teacher")

    return TimetableRow(
        day,
        period,
        starts_at,
        ends_at,
        values.get("room", ""),
        teacher,
        staff.match(teacher),
        values.get("subject", ""),
        values.get("year_group", ""),
        values.get("class_name", ""),
    )


def preview_timetable_file(
    path: Path,
    *,
    first_day: date,
    last_day: date,
    staff: StaffIndex,
    sheet_name: str | None = None,
    mapping: dict[str, int] | None = None,
) -> Preview[TimetableRow]:
    parse = partial(
        parse_timetable_row, first_day=first_day, last_day=last_day, staff=staff
    )
    preview = build_preview(
        path.name,
        read_table(path),
        TIMETABLE_FIELDS,
        parse,
        sheet_name=sheet_name,
        mapping=mapping,
    )
    _drop_repeats(preview)
    unmatched = sorted(
        {r.teacher_name for _n, r in preview.records if not r.staff_member_id}
    )
    if unmatched:
        preview.notes.append(
            "Not on the staff list (kept as typed): " + ", ".join(unmatched)
        )
    return preview


def _drop_repeats(preview: Preview[TimetableRow]) -> None:
    seen: dict[TimetableRow, int] = {}
    kept = []
    for number, row in preview.records:
        if row in seen:
            preview.notes.append(f"Row {number} repeats row {seen[row]}; skipped.")
            continue
        seen[row] = number
        kept.append((number, row))
    preview.records = kept

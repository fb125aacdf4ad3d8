"""Turning plain snapshot text into reportlab's paragraph markup, and dates."""

import re
from collections.abc import Sequence
from datetime import date, datetime
from xml.sax.saxutils import escape

_BLANK_LINE = re.compile(r"\n\s*\n")

# Names spelled out rather than strftime's %B and %A: Qt sets the process
# locale, and the report is written in English whatever the laptop's locale.
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def markup(text: str) -> str:
    """Plain text made safe for a Paragraph; single line breaks are kept."""
    return escape(text.strip()).replace("\n", "<br/>")


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs of `text`, each as markup."""
    return [markup(part) for part in _BLANK_LINE.split(text) if part.strip()]


def long_date(day: date) -> str:
    """14 October 2025 (no leading zero, on every platform)."""
    return f"{day.day} {_month(day)} {day.year}"


def short_date(day: date | None) -> str:
    return f"{day.day} {_month(day)[:3]} {day.year}" if day else "\u2013"


def weekday_date(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {long_date(day)}"


def clock_time(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def date_and_time(moment: datetime) -> str:
    return f"{long_date(moment.date())} at {clock_time(moment)}"


def date_span(days: Sequence[date]) -> str:
    """The QUAD's days as a range: "14–15 October 2025", "30 September – 1 October 2025"."""
    if not days:
        return "Dates to be confirmed"

    first, last = min(days), max(days)
    if first == last:
        return long_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}\u2013{long_date(last)}"
    if first.year == last.year:
        return f"{first.day} {_month(first)} \u2013 {long_date(last)}"
    return f"{long_date(first)} \u2013 {long_date(last)}"


def _month(day: date) -> str:
    return _MONTHS[day.month - 1]

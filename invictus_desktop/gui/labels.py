"""The domain's words as people read them: terms, statuses, team roles, dates.

The store keeps vocabularies as lower-case values (`visiting_head`); screens
show "Visiting Headteacher". One table per vocabulary, so every screen says
the same thing.
"""

import logging
from datetime import date, time

from invictus_desktop.store.vocabulary import Rag, ReviewKind, ReviewStatus, TeamRole, Term

log = logging.getLogger(__name__)

RAG_WORDS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green"}
TERM_WORDS = {Term.AUTUMN: "Autumn", Term.SPRING: "Spring", Term.SUMMER: "Summer"}
KIND_WORDS = {ReviewKind.QUAD: "QUAD", ReviewKind.SPECIALIST_VISIT: "Specialist visit"}
STATUS_WORDS = {
    ReviewStatus.PLANNED: "Planned",
    ReviewStatus.IN_PROGRESS: "In progress",
    ReviewStatus.REPORTING: "Reporting",
    ReviewStatus.FINALISED: "Finalised",
    ReviewStatus.PUBLISHED: "Published",
    ReviewStatus.CANCELLED: "Cancelled",
}
TEAM_ROLE_WORDS = {
    TeamRole.CONSULTANT: "Consultant (lead inspector)",
    TeamRole.EXECUTIVE_HEAD: "Executive Headteacher",
    TeamRole.VISITING_HEAD: "Visiting Headteacher",
    TeamRole.HOST_HEAD: "Host Headteacher",
    TeamRole.SUBJECT_SPECIALIST: "Subject specialist",
}
SCHOOL_PHASES = ["primary", "secondary", "all-through", "special", "alternative provision"]


def term_label(term: Term, academic_year: str) -> str:
    """`Autumn 2026-27`."""
    return f"{TERM_WORDS[term]} {academic_year}"


def kind_label(kind: ReviewKind, subject: str = "") -> str:
    """`QUAD`, or `Specialist visit: Maths`."""
    if kind is ReviewKind.SPECIALIST_VISIT and subject:
        return f"{KIND_WORDS[kind]}: {subject}"
    return KIND_WORDS[kind]


def day_label(day: date) -> str:
    """`Tue 8 Dec`."""
    return f"{day:%a} {day.day} {day:%b}"


def date_span(first: date, last: date) -> str:
    """`Tue 8 – Wed 9 Dec 2026`, or one day when they are the same."""
    if first == last:
        return f"{day_label(first)} {first.year}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%a} {first.day} – {day_label(last)} {last.year}"
    if first.year == last.year:
        return f"{day_label(first)} – {day_label(last)} {last.year}"
    return f"{day_label(first)} {first.year} – {day_label(last)} {last.year}"


def clock(moment: time | None) -> str:
    return "" if moment is None else f"{moment:%H:%M}"


def period_and_time(period: str, starts_at: time | None, ends_at: time | None) -> str:
    """`P1 · 08:50–09:40`, or whichever parts are known."""
    times = clock(starts_at)
    if starts_at is not None and ends_at is not None:
        times = f"{clock(starts_at)}–{clock(ends_at)}"
    return " · ".join(part for part in (period, times) if part)

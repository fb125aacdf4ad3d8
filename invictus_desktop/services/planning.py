"""Planning a QUAD (or a specialist visit): dates, team, focus areas, schedule."""

import re
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services.access import load_actor, record_audit, require_planner
from invictus_desktop.services.imports.mapping import Preview
from invictus_desktop.services.imports.timetable import (
    TimetableRow,
    make_staff_index,
    preview_timetable_file,
)
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.models import (
    FocusArea,
    Person,
    Quad,
    ReviewKind,
    ReviewStatus,
    ScheduledVisit,
    School,
    SipPriority,
    StaffMember,
    TeamMember,
    TeamRole,
    Term,
)

TERM_CODES = {Term.AUTUMN: "AUT", Term.SPRING: "SPR", Term.SUMMER: "SUM"}
FILLER_WORDS = {"the", "of", "and"}


@dataclass(frozen=True)
class QuadDetails:
    school_id: str
    academic_year: str
    term: Term
    starts_on: date
    ends_on: date
    kind: ReviewKind = ReviewKind.QUAD
    subject: str = ""

    def validated(self) -> "QuadDetails":
        if self.ends_on < self.starts_on:
            raise UserFacingError("The QUAD ends before it starts.")
        if (self.ends_on - self.starts_on).days > 14:
            raise UserFacingError("A QUAD lasts at most two weeks; check the dates.")
        if not re.match(r"^\d{4}-\d{2}$", self.academic_year):
            raise UserFacingError(
                f"{self.academic_year!r} is not an academic year (2026-27)."
            )
        if self.kind is ReviewKind.SPECIALIST_VISIT and not self.subject.strip():
            raise UserFacingError(
                "A specialist visit needs its subject (for example Maths)."
            )
        return self


@dataclass(frozen=True)
class Slot:
    day: date
    period: str = ""
    starts_at: time | None = None
    ends_at: time | None = None
    room: str = ""
    teacher_name: str = ""
    staff_member_id: str | None = None
    subject: str = ""
    year_group: str = ""
    class_name: str = ""


@dataclass(frozen=True)
class QuadSummary:
    id: str
    reference: str
    school_name: str
    kind: ReviewKind
    term: Term
    academic_year: str
    starts_on: date
    ends_on: date
    status: ReviewStatus
    subject: str
    school_id: str


@dataclass(frozen=True)
class TeamView:
    person_id: str
    name: str
    role: TeamRole


@dataclass(frozen=True)
class FocusView:
    id: str
    title: str
    description: str
    priorities: list[tuple[str, str, str]]  # (id, code, title)


@dataclass(frozen=True)
class SlotView(Slot):
    id: str = ""


@dataclass
class QuadPlan:
    summary: QuadSummary
    school_id: str
    team: list[TeamView] = field(default_factory=list)
    focus_areas: list[FocusView] = field(default_factory=list)
    schedule: list[SlotView] = field(default_factory=list)


# QUADs -----------------------------------------------------------------------


def create_quad(profile: UnlockedProfile, details: QuadDetails) -> str:
    details = details.validated()
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        require_planner(actor)
        school = session.get(School, details.school_id)
        if school is None:
            raise UserFacingError("That school is no longer in the store.")
        quad = Quad(
            reference=_new_reference(session, school, details),
            kind=details.kind,
            school_id=school.id,
            academic_year=details.academic_year,
            term=details.term,
            starts_on=details.starts_on,
            ends_on=details.ends_on,
            subject=details.subject.strip(),
        )
        session.add(quad)
        session.flush()
        record_audit(
            session, actor, "quad.created", "quad", quad.id, reference=quad.reference
        )
        return quad.id


def school_code(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in FILLER_WORDS]
    return "".join(w[0] for w in words).upper()[:4] or "SCH"


def _new_reference(session: Session, school: School, details: QuadDetails) -> str:
    base = (
        f"{school_code(school.name)}-{details.academic_year[:4]}-{TERM_CODES[details.term]}"
    )
    if details.kind is ReviewKind.SPECIALIST_VISIT:
        base += "-" + re.sub(r"[^A-Z]", "", details.subject.upper())[:6]
    taken = set(
        session.scalars(select(Quad.reference).where(Quad.reference.like(base + "%")))
    )
    reference, counter = base, 2
    while reference in taken:
        reference, counter = f"{base}-{counter}", counter + 1
    return reference


def set_status(profile: UnlockedProfile, quad_id: str, status: ReviewStatus) -> None:
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        require_planner(actor)
        quad = _get_quad(session, quad_id)
        record_audit(
            session,
            actor,
            "quad.status",
            "quad",
            quad.id,
            old=quad.status.value,
            new=status.value,
        )
        quad.status = status


def list_quads(profile: UnlockedProfile) -> list[QuadSummary]:
    with profile.store.session() as session:
        quads = session.scalars(
            select(Quad).join(School).order_by(Quad.starts_on.desc(), School.name)
        )
        return [quad_summary(q) for q in quads]


def find_quad(profile: UnlockedProfile, reference: str) -> QuadSummary:
    with profile.store.session() as session:
        quad = session.scalar(
            select(Quad).where(Quad.reference == reference.strip().upper())
        )
        if quad is None:
            raise UserFacingError(
                f"There is no QUAD {reference!r}.",
                next_step="'invictus-desktop quads' lists the references.",
            )
        return quad_summary(quad)


def quad_summary(quad: Quad) -> QuadSummary:
    """What a list of QUADs shows of one (the school is loaded if need be)."""
    return QuadSummary(
        quad.id,
        quad.reference,
        quad.school.name,
        quad.kind,
        quad.term,
        quad.academic_year,
        quad.starts_on,
        quad.ends_on,
        quad.status,
        quad.subject,
        quad.school_id,
    )


def load_plan(profile: UnlockedProfile, quad_id: str) -> QuadPlan:
    with profile.store.session() as session:
        quad = _get_quad(session, quad_id)
        plan = QuadPlan(quad_summary(quad), quad.school_id)
        plan.team = [TeamView(m.person_id, m.person.name, m.role) for m in quad.team]
        plan.focus_areas = [
            FocusView(
                f.id,
                f.title,
                f.description,
                [(p.id, p.code, p.title) for p in f.priorities],
            )
            for f in quad.focus_areas
        ]
        slots = sorted(
            quad.schedule, key=lambda s: (s.day, s.starts_at or time(), s.period)
        )
        plan.schedule = [
            SlotView(
                s.day,
                s.period,
                s.starts_at,
                s.ends_at,
                s.room,
                s.teacher_name,
                s.staff_member_id,
                s.subject,
                s.year_group,
                s.class_name,
                id=s.id,
            )
            for s in slots
        ]
        return plan


def _get_quad(session: Session, quad_id: str) -> Quad:
    quad = session.get(Quad, quad_id)
    if quad is None:
        raise UserFacingError("That QUAD is no longer in the store.")
    return quad


# Team ------------------------------------------------------------------------


def set_team(
    profile: UnlockedProfile, quad_id: str, members: list[tuple[str, TeamRole]]
) -> None:
    if len({person_id for person_id, _role in members}) != len(members):
        raise UserFacingError("Each person can appear in the team once.")
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        require_planner(actor)
        quad = _get_quad(session, quad_id)
        for person_id, _role in members:
            if session.get(Person, person_id) is None:
                raise UserFacingError("A chosen team member is no longer in the store.")
        wanted = dict(members)
        for member in list(quad.team):
            if member.person_id not in wanted:
                quad.team.remove(member)
            else:
                member.role = wanted.pop(member.person_id)
        for person_id, role in wanted.items():
            quad.team.append(TeamMember(person_id=person_id, role=role))


# Focus areas -----------------------------------------------------------------


def save_focus_area(
    profile: UnlockedProfile,
    quad_id: str,
    title: str,
    description: str = "",
    priority_ids: list[str] | None = None,
    focus_id: str | None = None,
) -> str:
    """Add a focus area (or edit one), linked to SIP priorities of the QUAD's school."""
    if not title.strip():
        raise UserFacingError("A focus area needs a title.")
    with profile.store.session() as session:
        require_planner(load_actor(session, profile.person_id))
        quad = _get_quad(session, quad_id)
        priorities = [session.get(SipPriority, pid) for pid in priority_ids or []]
        if any(p is None or p.sip.school_id != quad.school_id for p in priorities):
            raise UserFacingError("Focus areas can only link this school's SIP priorities.")

        focus = session.get(FocusArea, focus_id) if focus_id else None
        if focus is None:
            focus = FocusArea(quad_id=quad.id, position=len(quad.focus_areas))
            quad.focus_areas.append(focus)
        focus.title = title.strip()
        focus.description = description.strip()
        focus.priorities = priorities  # type: ignore[assignment]
        session.flush()
        return focus.id


def remove_focus_area(profile: UnlockedProfile, focus_id: str) -> None:
    with profile.store.session() as session:
        require_planner(load_actor(session, profile.person_id))
        focus = session.get(FocusArea, focus_id)
        if focus is not None:
            session.delete(focus)


# Schedule --------------------------------------------------------------------


def add_slot(profile: UnlockedProfile, quad_id: str, slot: Slot) -> str:
    with profile.store.session() as session:
        require_planner(load_actor(session, profile.person_id))
        quad = _get_quad(session, quad_id)
        _check_slot(quad, slot)
        visit = _slot_row(quad, slot)
        session.add(visit)
        session.flush()
        return visit.id


def remove_slot(profile: UnlockedProfile, slot_id: str) -> None:
    with profile.store.session() as session:
        require_planner(load_actor(session, profile.person_id))
        slot = session.get(ScheduledVisit, slot_id)
        if slot is not None:
            session.delete(slot)


def _check_slot(quad: Quad, slot: Slot) -> None:
    if not quad.starts_on <= slot.day <= quad.ends_on:
        raise UserFacingError(
            f"{slot.day:%a %d %b} is outside the QUAD "
            f"({quad.starts_on:%d %b} to {quad.ends_on:%d %b})."
        )
    if not slot.period and slot.starts_at is None:
        raise UserFacingError("A visit needs a period or a start time.")


def _slot_row(quad: Quad, slot: Slot) -> ScheduledVisit:
    return ScheduledVisit(
        quad_id=quad.id,
        day=slot.day,
        period=slot.period,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        room=slot.room,
        teacher_name=slot.teacher_name,
        staff_member_id=slot.staff_member_id,
        subject=slot.subject,
        year_group=slot.year_group,
        class_name=slot.class_name,
    )


def preview_timetable(
    profile: UnlockedProfile, quad_id: str, path: Path, **options
) -> Preview[TimetableRow]:
    """Read a timetable export against the QUAD's dates and its school's staff."""
    with profile.store.session() as session:
        quad = _get_quad(session, quad_id)
        staff = session.execute(
            select(
                StaffMember.id,
                StaffMember.staff_code,
                StaffMember.first_name,
                StaffMember.last_name,
            ).where(StaffMember.school_id == quad.school_id)
        ).all()
        first_day, last_day = quad.starts_on, quad.ends_on
    index = make_staff_index(
        [(sid, code or "", first, last) for sid, code, first, last in staff]
    )
    return preview_timetable_file(
        path, first_day=first_day, last_day=last_day, staff=index, **options
    )


def import_timetable(
    profile: UnlockedProfile, quad_id: str, preview: Preview[TimetableRow]
) -> int:
    """Add the previewed lessons to the schedule in one transaction."""
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        require_planner(actor)
        quad = _get_quad(session, quad_id)
        for _number, row in preview.records:
            slot = Slot(
                row.day,
                row.period,
                row.starts_at,
                row.ends_at,
                row.room,
                row.teacher_name,
                row.staff_member_id,
                row.subject,
                row.year_group,
                row.class_name,
            )
            _check_slot(quad, slot)
            session.add(_slot_row(quad, slot))
        record_audit(
            session,
            actor,
            "schedule.imported",
            "quad",
            quad.id,
            added=len(preview.records),
            refused=len(preview.errors),
        )
        return len(preview.records)


# People ----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonView:
    id: str
    name: str
    roles: list[str]


def list_people(profile: UnlockedProfile) -> list[PersonView]:
    with profile.store.session() as session:
        people = session.scalars(select(Person).order_by(Person.name))
        return [PersonView(p.id, p.name, [r.role.label for r in p.roles]) for p in people]

"""Schools and their staff."""

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services.access import (
    load_actor,
    record_audit,
    require_planner,
    require_school_editor,
)
from invictus_desktop.services.imports.mapping import Preview
from invictus_desktop.services.imports.staff import ImportResult, StaffRow, apply_staff_rows
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.models import School, StaffMember, Trust

URN = re.compile(r"^\d{6,7}$")


@dataclass(frozen=True)
class SchoolDetails:
    name: str
    urn: str = ""
    phase: str = "secondary"
    headteacher_name: str = ""
    safeguarding_lead_name: str = ""
    safeguarding_lead_email: str = ""

    def validated(self) -> "SchoolDetails":
        if not self.name.strip():
            raise UserFacingError("A school needs a name.")
        if self.urn and not URN.match(self.urn.strip()):
            raise UserFacingError(
                f"{self.urn!r} is not a URN.", next_step="A URN is six or seven digits."
            )
        return self


@dataclass(frozen=True)
class SchoolView:
    id: str
    name: str
    urn: str
    phase: str
    headteacher_name: str
    safeguarding_lead_name: str
    staff_count: int
    safeguarding_lead_email: str = ""


def create_school(profile: UnlockedProfile, details: SchoolDetails) -> str:
    details = details.validated()
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        require_planner(actor)
        trust_id = session.scalar(select(Trust.id).order_by(Trust.created_at))
        school = School(trust_id=trust_id)
        _apply_details(school, details)
        session.add(school)
        _flush_unique(session, details)
        record_audit(session, actor, "school.created", "school", school.id)
        return school.id


def update_school(profile: UnlockedProfile, school_id: str, details: SchoolDetails) -> None:
    details = details.validated()
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        require_school_editor(actor, school_id)
        _apply_details(_get_school(session, school_id), details)
        _flush_unique(session, details)


def _apply_details(school: School, details: SchoolDetails) -> None:
    school.name = details.name.strip()
    school.urn = details.urn.strip() or None
    school.phase = details.phase
    school.headteacher_name = details.headteacher_name.strip()
    school.safeguarding_lead_name = details.safeguarding_lead_name.strip()
    school.safeguarding_lead_email = details.safeguarding_lead_email.strip()


def _flush_unique(session, details: SchoolDetails) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise UserFacingError(f"Another school already has URN {details.urn}.") from None


def _get_school(session, school_id: str) -> School:
    school = session.get(School, school_id)
    if school is None:
        raise UserFacingError("That school is no longer in the store.")
    return school


def list_schools(profile: UnlockedProfile) -> list[SchoolView]:
    with profile.store.session() as session:
        staff_counts = dict(
            session.execute(
                select(StaffMember.school_id, func.count()).group_by(StaffMember.school_id)
            ).all()
        )
        schools = session.scalars(select(School).order_by(School.name))
        return [
            SchoolView(
                s.id,
                s.name,
                s.urn or "",
                s.phase,
                s.headteacher_name,
                s.safeguarding_lead_name,
                staff_counts.get(s.id, 0),
                s.safeguarding_lead_email,
            )
            for s in schools
        ]


def find_school(profile: UnlockedProfile, name_or_urn: str) -> SchoolView:
    wanted = name_or_urn.strip().lower()
    matches = [
        s
        for s in list_schools(profile)
        if wanted in (s.name.lower(), s.urn) or s.name.lower().startswith(wanted)
    ]
    if len(matches) != 1:
        known = ", ".join(s.name for s in list_schools(profile)) or "none yet"
        raise UserFacingError(
            f"No single school matches {name_or_urn!r} (schools: {known}).",
            next_step="Use the school's full name or URN.",
        )
    return matches[0]


# Staff -----------------------------------------------------------------------


@dataclass(frozen=True)
class StaffView:
    id: str
    staff_code: str
    display_name: str
    first_name: str
    last_name: str
    title: str
    email: str
    job_title: str
    subjects: str


def list_staff(profile: UnlockedProfile, school_id: str) -> list[StaffView]:
    with profile.store.session() as session:
        members = session.scalars(
            select(StaffMember)
            .where(StaffMember.school_id == school_id)
            .order_by(StaffMember.last_name, StaffMember.first_name)
        )
        return [
            StaffView(
                m.id,
                m.staff_code or "",
                m.display_name,
                m.first_name,
                m.last_name,
                m.title,
                m.email,
                m.job_title,
                m.subjects,
            )
            for m in members
        ]


def save_staff_member(
    profile: UnlockedProfile, school_id: str, row: StaffRow, staff_id: str | None = None
) -> str:
    """Add a member of staff by hand, or edit one (staff_id given)."""
    if not row.first_name.strip() or not row.last_name.strip():
        raise UserFacingError("A member of staff needs a first name and a last name.")
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        require_school_editor(actor, school_id)
        member = session.get(StaffMember, staff_id) if staff_id else None
        if member is None:
            member = StaffMember(school_id=school_id)
            session.add(member)
        for name in row.__dataclass_fields__:
            setattr(member, name, getattr(row, name).strip())
        member.staff_code = member.staff_code or None
        try:
            session.flush()
        except IntegrityError:
            raise UserFacingError(f"Staff code {row.staff_code} is already used.") from None
        return member.id


def import_staff(
    profile: UnlockedProfile, school_id: str, preview: Preview[StaffRow]
) -> ImportResult:
    """Apply a confirmed preview in one transaction: all of it or none."""
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        require_school_editor(actor, school_id)
        _get_school(session, school_id)
        result = apply_staff_rows(session, school_id, [row for _n, row in preview.records])
        record_audit(
            session,
            actor,
            "staff.imported",
            "school",
            school_id,
            added=result.added,
            updated=result.updated,
            refused=len(preview.errors),
        )
        return result

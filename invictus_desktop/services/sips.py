"""School Improvement Plans: priorities and their RAG ratings over time."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services.access import load_actor, record_audit, require_school_editor
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.models import Person, Rag, RagChange, Sip, SipPriority


def academic_year_of(day: date) -> str:
    """English schools' year runs September to August: 2026-27."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class PriorityDetails:
    code: str
    title: str
    description: str = ""
    owner: str = ""
    success_criteria: str = ""

    def validated(self) -> "PriorityDetails":
        if not self.code.strip() or not self.title.strip():
            raise UserFacingError("A priority needs a code (such as P1) and a title.")
        return self


@dataclass(frozen=True)
class RagEvent:
    at: datetime
    old: Rag | None
    new: Rag
    reason: str
    by: str


@dataclass(frozen=True)
class PriorityView:
    id: str
    code: str
    title: str
    description: str
    owner: str
    success_criteria: str
    rag: Rag
    history: list[RagEvent]


@dataclass(frozen=True)
class SipView:
    id: str
    school_id: str
    academic_year: str
    priorities: list[PriorityView]


def create_sip(profile: UnlockedProfile, school_id: str, academic_year: str) -> str:
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        require_school_editor(actor, school_id)
        sip = Sip(school_id=school_id, academic_year=academic_year)
        session.add(sip)
        try:
            session.flush()
        except IntegrityError:
            raise UserFacingError(
                f"This school already has a plan for {academic_year}."
            ) from None
        record_audit(session, actor, "sip.created", "sip", sip.id, year=academic_year)
        return sip.id


def add_priority(
    profile: UnlockedProfile, sip_id: str, details: PriorityDetails, rag: Rag
) -> str:
    details = details.validated()
    with profile.store.session() as session:
        sip = _get(session, Sip, sip_id)
        actor = load_actor(session, profile.person_id)
        require_school_editor(actor, sip.school_id)
        priority = SipPriority(rag=rag, position=len(sip.priorities))
        _apply(priority, details)
        sip.priorities.append(priority)
        priority.rag_history.append(
            RagChange(
                old_rag=None,
                new_rag=rag,
                reason="Initial rating",
                changed_by_id=actor.person_id,
            )
        )
        try:
            session.flush()
        except IntegrityError:
            raise UserFacingError(
                f"Priority {details.code} already exists in this plan."
            ) from None
        return priority.id


def update_priority(
    profile: UnlockedProfile, priority_id: str, details: PriorityDetails
) -> None:
    details = details.validated()
    with profile.store.session() as session:
        priority = _get(session, SipPriority, priority_id)
        require_school_editor(
            load_actor(session, profile.person_id), priority.sip.school_id
        )
        _apply(priority, details)


def change_rag(
    profile: UnlockedProfile, priority_id: str, new_rag: Rag, reason: str
) -> None:
    """Re-rate a priority; who, when and why are kept in its history."""
    if not reason.strip():
        raise UserFacingError(
            "Please say why the rating changes.",
            next_step="The reason is kept in the priority's history for the Board.",
        )
    with profile.store.session() as session:
        priority = _get(session, SipPriority, priority_id)
        actor = load_actor(session, profile.person_id)
        require_school_editor(actor, priority.sip.school_id)
        if priority.rag is new_rag:
            raise UserFacingError(f"The priority is already rated {new_rag.value}.")
        priority.rag_history.append(
            RagChange(
                old_rag=priority.rag,
                new_rag=new_rag,
                reason=reason.strip(),
                changed_by_id=actor.person_id,
            )
        )
        record_audit(
            session,
            actor,
            "sip.rag_changed",
            "sip_priority",
            priority.id,
            old=priority.rag.value,
            new=new_rag.value,
        )
        priority.rag = new_rag


def load_sip(
    profile: UnlockedProfile, school_id: str, academic_year: str
) -> SipView | None:
    with profile.store.session() as session:
        sip = session.scalar(
            select(Sip).where(
                Sip.school_id == school_id, Sip.academic_year == academic_year
            )
        )
        if sip is None:
            return None
        names = dict(session.execute(select(Person.id, Person.name)).all())
        return SipView(
            sip.id,
            sip.school_id,
            sip.academic_year,
            [_priority_view(p, names) for p in sip.priorities],
        )


def sip_years(profile: UnlockedProfile, school_id: str) -> list[str]:
    with profile.store.session() as session:
        years = session.scalars(
            select(Sip.academic_year)
            .where(Sip.school_id == school_id)
            .order_by(Sip.academic_year.desc())
        )
        return list(years)


def _priority_view(priority: SipPriority, names: dict[str, str]) -> PriorityView:
    history = [
        RagEvent(
            c.changed_at,
            c.old_rag,
            c.new_rag,
            c.reason,
            names.get(c.changed_by_id or "", ""),
        )
        for c in priority.rag_history
    ]
    return PriorityView(
        priority.id,
        priority.code,
        priority.title,
        priority.description,
        priority.owner,
        priority.success_criteria,
        priority.rag,
        history,
    )


def _apply(priority: SipPriority, details: PriorityDetails) -> None:
    priority.code = details.code.strip()
    priority.title = details.title.strip()
    priority.description = details.description.strip()
    priority.owner = details.owner.strip()
    priority.success_criteria = details.success_criteria.strip()


def _get(session, model, row_id: str):
    row = session.get(model, row_id)
    if row is None:
        raise UserFacingError("That record is no longer in the store.")
    return row

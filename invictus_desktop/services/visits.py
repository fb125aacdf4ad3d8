"""Recording on the day: lesson visits and other activities, autosaved.

Every function here is one short transaction, committed with `synchronous =
FULL`: when it returns, the change is on disk. The GUI calls these from its
autosave debounce and says "Saved" only after they return.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, func, select, text
from sqlalchemy.orm import Session

from invictus_desktop.errors import PermissionDenied, UserFacingError
from invictus_desktop.services.access import load_actor, record_audit
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    EvidenceEntry,
    FocusArea,
    Judgement,
    Person,
    Quad,
    Rag,
    RunningNoteLine,
    ScheduledVisit,
    TeamMember,
)

# Fields the record form may change, and their types, checked before writing.
TEXT_FIELDS = {
    "teacher_name",
    "room",
    "subject",
    "year_group",
    "class_name",
    "other_adults",
    "strengths",
    "development_points",
    "follow_up_questions",
    "safeguarding_text",
}
FLAG_FIELDS = {"joint_visit", "safeguarding_concern"}
OTHER_FIELDS = {"pupils_present", "time_in", "time_out", "descriptor", "kind"}
EDITABLE_FIELDS = TEXT_FIELDS | FLAG_FIELDS | OTHER_FIELDS
MAX_TEXT = 200_000


def now() -> datetime:
    return datetime.now(UTC)


# Views -------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorityBrief:
    id: str
    code: str
    title: str
    rag: Rag


@dataclass
class EvidencePane:
    focus_area_id: str
    focus_title: str
    priorities: list[PriorityBrief]
    evidence_id: str | None = None
    text: str = ""
    judgement: Judgement | None = None


@dataclass(frozen=True)
class NoteLine:
    id: str
    stamped_at: datetime
    text: str
    moved: bool


@dataclass
class VisitRecord:
    """Everything the record form shows, as plain data."""

    id: str
    quad_id: str
    quad_reference: str
    kind: ActivityKind
    status: ActivityStatus
    author_name: str
    observers: list[str]
    fields: dict[str, object]
    panes: list[EvidencePane] = field(default_factory=list)
    notes: list[NoteLine] = field(default_factory=list)
    safeguarding_lead: str = ""


@dataclass(frozen=True)
class VisitSummary:
    id: str
    kind: ActivityKind
    status: ActivityStatus
    time_in: datetime | None
    teacher_name: str
    subject: str
    year_group: str
    class_name: str
    author_name: str
    judgements: tuple[Judgement, ...]
    safeguarding_concern: bool


# Starting ----------------------------------------------------------------------


def start_visit(
    profile: UnlockedProfile,
    quad_id: str,
    scheduled_visit_id: str | None = None,
    kind: ActivityKind = ActivityKind.LESSON_VISIT,
) -> str:
    """One action: a new record, filled from the schedule slot when there is one."""
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        quad = _quad(session, quad_id)
        _require_team_member(session, quad, actor.person_id, actor.is_trust_lead)

        activity = Activity(
            quad_id=quad.id, kind=kind, author_id=actor.person_id, time_in=now()
        )
        if scheduled_visit_id:
            slot = session.get(ScheduledVisit, scheduled_visit_id)
            if slot is None or slot.quad_id != quad.id:
                raise UserFacingError("That lesson is no longer in this QUAD's schedule.")
            activity.scheduled_visit_id = slot.id
            activity.staff_member_id = slot.staff_member_id
            for name in ("teacher_name", "room", "subject", "year_group", "class_name"):
                setattr(activity, name, getattr(slot, name))
        activity.observers.append(session.get(Person, actor.person_id))
        session.add(activity)
        session.flush()
        record_audit(
            session, actor, "visit.started", "activity", activity.id, kind=kind.value
        )
        return activity.id


def _require_team_member(session: Session, quad: Quad, person_id: str, lead: bool) -> None:
    if lead:
        return
    in_team = session.scalar(
        select(TeamMember.id).where(
            TeamMember.quad_id == quad.id, TeamMember.person_id == person_id
        )
    )
    if in_team is None:
        raise PermissionDenied(
            "Only members of this QUAD's team can record visits for it.",
            next_step="Ask the consultant to add you to the team.",
        )


# Loading -----------------------------------------------------------------------


def load_visit(profile: UnlockedProfile, activity_id: str) -> VisitRecord:
    with profile.store.session() as session:
        activity = _activity(session, activity_id)
        quad = (
            activity.quad if hasattr(activity, "quad") else _quad(session, activity.quad_id)
        )
        record = VisitRecord(
            id=activity.id,
            quad_id=quad.id,
            quad_reference=quad.reference,
            kind=activity.kind,
            status=activity.status,
            author_name=activity.author.name,
            observers=[p.name for p in activity.observers],
            fields={name: getattr(activity, name) for name in sorted(EDITABLE_FIELDS)},
            safeguarding_lead=quad.school.safeguarding_lead_name,
        )
        by_focus = {e.focus_area_id: e for e in activity.evidence}
        for focus in quad.focus_areas:
            entry = by_focus.get(focus.id)
            record.panes.append(
                EvidencePane(
                    focus.id,
                    focus.title,
                    [PriorityBrief(p.id, p.code, p.title, p.rag) for p in focus.priorities],
                    entry.id if entry else None,
                    entry.text if entry else "",
                    entry.judgement if entry else None,
                )
            )
        record.notes = [
            NoteLine(n.id, n.stamped_at, n.text, n.moved_to_evidence_id is not None)
            for n in activity.running_notes
        ]
        return record


# Autosave ----------------------------------------------------------------------


def save_fields(
    profile: UnlockedProfile, activity_id: str, changes: dict[str, object]
) -> None:
    """Write changed header and text fields; raises before writing on bad input."""
    _validate(changes)
    with profile.store.session() as session:
        activity = _activity(session, activity_id)
        actor_id = _require_author_or_observer(session, profile, activity)
        for name, value in changes.items():
            setattr(activity, name, value)
        _note_edit_after_completion(session, profile, activity, actor_id, sorted(changes))


def _validate(changes: dict[str, object]) -> None:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        if name in TEXT_FIELDS and (not isinstance(value, str) or len(value) > MAX_TEXT):
            raise UserFacingError(f"The {name.replace('_', ' ')} text is too long to save.")
        if name in FLAG_FIELDS and not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
        if (
            name == "pupils_present"
            and value is not None
            and not (isinstance(value, int) and 0 <= value <= 500)
        ):
            raise UserFacingError("Pupils present must be a number from 0 to 500.")
        if (
            name in ("time_in", "time_out")
            and value is not None
            and (not isinstance(value, datetime) or value.tzinfo is None)
        ):
            raise ValueError(f"{name} must be an aware datetime")
        if name == "kind" and not isinstance(value, ActivityKind):
            raise ValueError("kind must be an ActivityKind")


def save_evidence(
    profile: UnlockedProfile,
    activity_id: str,
    focus_area_id: str,
    text_value: str,
    judgement: Judgement | None,
) -> str:
    """The evidence pane for one focus area: created on first write, then updated."""
    _validate({"strengths": text_value})
    with profile.store.session() as session:
        activity = _activity(session, activity_id)
        actor_id = _require_author_or_observer(session, profile, activity)
        focus = session.get(FocusArea, focus_area_id)
        if focus is None or focus.quad_id != activity.quad_id:
            raise UserFacingError("That focus area is no longer part of this QUAD.")
        entry = next((e for e in activity.evidence if e.focus_area_id == focus.id), None)
        if entry is None:
            entry = EvidenceEntry(
                quad_id=activity.quad_id,
                focus_area_id=focus.id,
                priority_id=focus.priorities[0].id if focus.priorities else None,
            )
            activity.evidence.append(entry)
        entry.text = text_value
        entry.judgement = judgement
        _note_edit_after_completion(session, profile, activity, actor_id, ["evidence"])
        session.flush()
        return entry.id


def add_note_line(
    profile: UnlockedProfile,
    activity_id: str,
    line: str = "",
    stamped_at: datetime | None = None,
) -> str:
    """A new running-note line stamped with the current time."""
    _validate({"strengths": line})
    with profile.store.session() as session:
        activity = _activity(session, activity_id)
        _require_author_or_observer(session, profile, activity)
        last = session.scalar(
            select(func.max(RunningNoteLine.position)).where(
                RunningNoteLine.activity_id == activity.id
            )
        )
        note = RunningNoteLine(
            quad_id=activity.quad_id,
            activity_id=activity.id,
            stamped_at=stamped_at or now(),
            text=line,
            position=0 if last is None else last + 1,
        )
        session.add(note)
        session.flush()
        return note.id


def save_note_line(profile: UnlockedProfile, note_id: str, line: str) -> None:
    _validate({"strengths": line})
    with profile.store.session() as session:
        note = session.get(RunningNoteLine, note_id)
        if note is None:
            raise UserFacingError("That note line is no longer in the store.")
        _require_author_or_observer(session, profile, note.activity)
        note.text = line


def move_note_to_evidence(
    profile: UnlockedProfile, note_id: str, focus_area_id: str
) -> str:
    """Append a running-note line to a focus area's evidence; the line is marked moved."""
    with profile.store.session() as session:
        note = session.get(RunningNoteLine, note_id)
        if note is None:
            raise UserFacingError("That note line is no longer in the store.")
        activity_id, line, stamp = note.activity_id, note.text, note.stamped_at
    record = load_visit(profile, activity_id)
    pane = next((p for p in record.panes if p.focus_area_id == focus_area_id), None)
    if pane is None:
        raise UserFacingError("That focus area is no longer part of this QUAD.")

    stamped = f"[{stamp.astimezone():%H:%M}] {line}"
    combined = f"{pane.text}\n{stamped}" if pane.text.strip() else stamped
    evidence_id = save_evidence(
        profile, activity_id, focus_area_id, combined, pane.judgement
    )
    with profile.store.session() as session:
        session.get(RunningNoteLine, note_id).moved_to_evidence_id = evidence_id
    return evidence_id


def complete_visit(profile: UnlockedProfile, activity_id: str) -> None:
    with profile.store.session() as session:
        activity = _activity(session, activity_id)
        actor_id = _require_author_or_observer(session, profile, activity)
        activity.status = ActivityStatus.COMPLETE
        activity.completed_at = now()
        activity.time_out = activity.time_out or activity.completed_at
        actor = load_actor(session, actor_id)
        record_audit(session, actor, "visit.completed", "activity", activity.id)


def _note_edit_after_completion(
    session: Session,
    profile: UnlockedProfile,
    activity: Activity,
    actor_id: str,
    names: list[str],
) -> None:
    """A completed record stays editable; each later edit is logged (field names only)."""
    if activity.status is ActivityStatus.COMPLETE:
        record_audit(
            session,
            load_actor(session, actor_id),
            "visit.edited_after_completion",
            "activity",
            activity.id,
            fields=names,
        )


def _require_author_or_observer(
    session: Session, profile: UnlockedProfile, activity: Activity
) -> str:
    person_id = profile.person_id
    if activity.author_id != person_id and person_id not in {
        p.id for p in activity.observers
    }:
        raise PermissionDenied(
            "Only the visit's author and its observers can change this record.",
        )
    return person_id


def _activity(session: Session, activity_id: str) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise UserFacingError("That visit record is no longer in the store.")
    return activity


def _quad(session: Session, quad_id: str) -> Quad:
    quad = session.get(Quad, quad_id)
    if quad is None:
        raise UserFacingError("That QUAD is no longer in the store.")
    return quad


# Finding -----------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFilter:
    teacher: str = ""
    subject: str = ""
    year_group: str = ""
    focus_area_id: str = ""
    observer_id: str = ""
    judgement: Judgement | None = None
    words: str = ""


def list_visits(
    profile: UnlockedProfile, quad_id: str, where: VisitFilter | None = None
) -> list[VisitSummary]:
    where = where or VisitFilter()
    with profile.store.session() as session:
        query = select(Activity).where(Activity.quad_id == quad_id)
        if where.teacher:
            query = query.where(Activity.teacher_name.icontains(where.teacher))
        if where.subject:
            query = query.where(Activity.subject.icontains(where.subject))
        if where.year_group:
            query = query.where(Activity.year_group == where.year_group)
        if where.observer_id:
            query = query.where(Activity.observers.any(Person.id == where.observer_id))
        evidence_conditions = []
        if where.focus_area_id:
            evidence_conditions.append(EvidenceEntry.focus_area_id == where.focus_area_id)
        if where.judgement:
            evidence_conditions.append(EvidenceEntry.judgement == where.judgement)
        if evidence_conditions:
            query = query.where(Activity.evidence.any(and_(*evidence_conditions)))
        if where.words.strip():
            ids = _search_ids(session, where.words)
            query = query.where(Activity.id.in_(ids))
        activities = session.scalars(query.order_by(Activity.time_in)).all()
        return [_summary(a) for a in activities]


def search_visits(profile: UnlockedProfile, words: str) -> list[VisitSummary]:
    """Full-text search across every visit's text, in every QUAD."""
    with profile.store.session() as session:
        ids = _search_ids(session, words)
        if not ids:
            return []
        activities = session.scalars(select(Activity).where(Activity.id.in_(ids))).all()
        order = {activity_id: rank for rank, activity_id in enumerate(ids)}
        return [_summary(a) for a in sorted(activities, key=lambda a: order[a.id])]


def fts_query(words: str) -> str:
    """User words as an FTS5 query that cannot be a syntax error: each word
    quoted, the last one a prefix so results appear while typing."""
    tokens = re.findall(r"\w+", words)
    if not tokens:
        return ""
    quoted = [f'"{token}"' for token in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


def _search_ids(session: Session, words: str) -> list[str]:
    query = fts_query(words)
    if not query:
        return []
    rows = session.execute(
        text(
            "SELECT activity_id FROM visit_search WHERE visit_search MATCH :q ORDER BY rank"
        ),
        {"q": query},
    )
    return [row[0] for row in rows]


def _summary(activity: Activity) -> VisitSummary:
    return VisitSummary(
        activity.id,
        activity.kind,
        activity.status,
        activity.time_in,
        activity.teacher_name,
        activity.subject,
        activity.year_group,
        activity.class_name,
        activity.author.name,
        tuple(e.judgement for e in activity.evidence if e.judgement),
        activity.safeguarding_concern,
    )

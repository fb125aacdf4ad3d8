"""Concurrent edits of one field, shown for a person to choose between.

Sync keeps every value that lost to a concurrent edit (`sync/merge.py`). Here
they are listed in plain English (which record, which field, each value with
who wrote it and when), leaving out what is no choice (the same words saved
twice, as when an inviter and a newcomer both save the newcomer's name, and
the rows' own save times), and settled: the chosen value is written as an
ordinary edit, so it reaches everyone with a newer clock, and each value set
aside gets a `ConflictSettlement`, so every other laptop drops it too.

Why a settlement as well as the edit: a change names one value it replaced
(its base). The edit names the field's winning value, so that one is not kept
again; the values kept beside it need their own record, or they would stay
on every other laptop for ever.
"""

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from invictus_desktop.errors import PermissionDenied, UserFacingError
from invictus_desktop.services.access import Actor, load_actor, record_audit
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store import hlc
from invictus_desktop.store.models import (
    Activity,
    AppliedSegment,
    ConflictSettlement,
    EvidenceEntry,
    FocusArea,
    KeptConflict,
    LocalIdentity,
    NoteSection,
    NoteSubmission,
    Person,
    Quad,
    ReportVersion,
    RunningNoteLine,
    ScheduledVisit,
    School,
    Sip,
    SipPriority,
    StaffMember,
)
from invictus_desktop.store.outbox import to_json_value
from invictus_desktop.sync.merge import FieldHistory
from invictus_desktop.sync.tables import BadValue, SyncedTable, from_json, synced_tables

log = logging.getLogger(__name__)

PREVIEW_CHARACTERS = 90

FIELD_LABELS = {
    "name": "Name",
    "urn": "URN",
    "phase": "Phase",
    "headteacher_name": "Headteacher",
    "safeguarding_lead_name": "Safeguarding lead",
    "safeguarding_lead_email": "Safeguarding lead's email",
    "staff_code": "Staff code",
    "first_name": "First name",
    "last_name": "Last name",
    "job_title": "Job title",
    "teacher_name": "Teacher",
    "room": "Room",
    "subject": "Subject",
    "year_group": "Year group",
    "class_name": "Class",
    "pupils_present": "Pupils present",
    "other_adults": "Other adults",
    "strengths": "Strengths",
    "development_points": "Development points",
    "follow_up_questions": "Follow-up questions",
    "descriptor": "Descriptor",
    "safeguarding_text": "Safeguarding concern",
    "executive_summary": "Executive summary",
    "host_response": "Host school's response",
    "body": "Text",
    "text": "Text",
    "rag": "RAG rating",
    "school_rag": "School's RAG rating",
    "recommended_rag": "Recommended RAG rating",
    "rag_rationale": "Reason for the rating",
    "progress_since_last": "Progress since the last QUAD",
    "success_criteria": "Success criteria",
    "general_note": "General note",
    "reference": "Reference",
    "academic_year": "Academic year",
    "starts_on": "First day",
    "ends_on": "Last day",
}

# Kept like any field, but not a person's choice: when a row was saved where.
BOOKKEEPING = frozenset({"created_at", "updated_at"})

MAY_NOT_RESOLVE = "You may not change this record, so someone who may must choose."


@dataclass(frozen=True)
class ConflictValue:
    """One value of a field in conflict.

    Attributes:
        number: 1 is the field's current value; kept values follow from 2.
        value: the value as it travels (JSON).
        text: the value as a person reads it.
        author: who wrote it (a person's name, else the laptop).
        written_at: when, by the writer's clock; None if unknown.
        current: whether this is the value the record holds now.
    """

    number: int
    value: Any
    text: str
    author: str
    written_at: datetime | None
    current: bool


@dataclass(frozen=True)
class Conflict:
    """A field of one record with values a person should choose between.

    Attributes:
        id: the number people use for it (stable while it is unsettled).
        record: the record in plain English ("Visit to Y8 maths, Room 12").
        field_label: the field as a person reads it ("Headteacher").
        values: the current value first, then every kept one.
        may_resolve: whether the signed-in person may choose here.
        refusal: why not, when they may not.
    """

    id: int
    entity: str
    entity_id: str
    field: str
    record: str
    field_label: str
    values: tuple[ConflictValue, ...]
    may_resolve: bool
    refusal: str = ""


ConflictKey = int | tuple[str, str, str]


# Listing -----------------------------------------------------------------------


def count_conflicts(profile: UnlockedProfile) -> int:
    """How many fields have values to choose between (for a status bar)."""
    with profile.store.session() as session:
        if session.scalar(select(KeptConflict.id).limit(1)) is None:
            return 0
    return len(list_conflicts(profile))


def list_conflicts(profile: UnlockedProfile) -> list[Conflict]:
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        authors = _AuthorNames(session)
        kept = session.scalars(select(KeptConflict).order_by(KeptConflict.id)).all()
        groups: dict[tuple[str, str, str], list[KeptConflict]] = {}
        for row in kept:
            groups.setdefault((row.entity, row.entity_id, row.field), []).append(row)
        described = (
            _describe(session, actor, authors, key, rows)
            for key, rows in groups.items()
            if key[2] not in BOOKKEEPING
        )
        return [conflict for conflict in described if len(conflict.values) > 1]


def find_conflict(profile: UnlockedProfile, which: ConflictKey) -> Conflict:
    for conflict in list_conflicts(profile):
        if which in (conflict.id, (conflict.entity, conflict.entity_id, conflict.field)):
            return conflict
    raise UserFacingError(
        "There is no such edit to choose any more.",
        next_step="Someone may have chosen already; list the conflicts again.",
    )


def _describe(
    session: Session,
    actor: Actor,
    authors: "_AuthorNames",
    key: tuple[str, str, str],
    kept: list[KeptConflict],
) -> Conflict:
    entity, entity_id, field = key
    table = synced_tables().get(entity)
    row = session.get(table.model, entity_id) if table else None
    history = FieldHistory.load(session, entity, entity_id)
    current_clock = max((k.clock for k in history.values(field)), default="")

    current_value = _current_json(session, table, row, field)
    values = [_value(1, current_value, current_clock, authors, current=True)]
    for conflict in kept:
        value = json.loads(conflict.value)
        if any(shown.value == value for shown in values):
            continue  # the same words written twice: nothing to choose
        values.append(
            _value(len(values) + 1, value, conflict.hlc, authors, current=False)
        )

    refusal = _refusal(session, actor, entity, row)
    return Conflict(
        id=kept[0].id,
        entity=entity,
        entity_id=entity_id,
        field=field,
        record=describe_record(session, entity, row),
        field_label=FIELD_LABELS.get(field, field.replace("_", " ").capitalize()),
        values=tuple(values),
        may_resolve=not refusal,
        refusal=refusal,
    )


def _value(
    number: int, value: Any, clock: str, authors: "_AuthorNames", *, current: bool
) -> ConflictValue:
    written_at, device = None, ""
    try:
        stamp = hlc.Hlc.decode(clock)
        written_at = datetime.fromtimestamp(stamp.wall_ms / 1000, UTC)
        device = stamp.device
    except ValueError:
        pass
    return ConflictValue(
        number, value, value_text(value), authors.name_of(device), written_at, current
    )


def _current_json(session: Session, table: SyncedTable | None, row: Any, field: str) -> Any:
    if table is None or row is None:
        return None
    if field in table.links:
        return sorted(linked.id for linked in getattr(row, field))
    return to_json_value(getattr(row, field))


def value_text(value: Any) -> str:
    """A value as a person reads it."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return f"{len(value)} linked records" if value else "(none linked)"
    return str(value)


class _AuthorNames:
    """Who wrote a value, from the laptop in its clock: this laptop is the
    signed-in person; another laptop is whoever signs its log."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._names: dict[str, str] = {}
        for device, person_id in session.execute(
            select(LocalIdentity.device_id, LocalIdentity.person_id)
        ):
            self._names[device] = self._person(person_id, device)

    def name_of(self, device: str) -> str:
        if not device:
            return "unknown"
        if device not in self._names:
            person_id = self._session.scalar(
                select(AppliedSegment.author_id)
                .where(AppliedSegment.device_id == device)
                .limit(1)
            )
            self._names[device] = self._person(person_id, device)
        return self._names[device]

    def _person(self, person_id: str | None, device: str) -> str:
        person = self._session.get(Person, person_id) if person_id else None
        return person.name if person else f"laptop {device[:8]}"


def describe_record(session: Session, entity: str, row: Any) -> str:
    """Which record, in the words its screen uses."""
    if row is None:
        return f"A {entity.replace('_', ' ')} no longer in this store"
    match row:
        case School():
            return row.name
        case StaffMember():
            return f"{row.display_name} ({row.school.name})"
        case Person():
            return row.name
        case Quad():
            return f"QUAD {row.reference}"
        case Activity():
            return _visit_words(row)
        case EvidenceEntry():
            return f"Evidence on “{row.focus_area.title}” in {_visit_words(row.activity)}"
        case RunningNoteLine():
            return f"Running notes of {_visit_words(row.activity)}"
        case FocusArea():
            return f"Focus area “{row.title}” of QUAD {row.quad.reference}"
        case ScheduledVisit():
            what = " ".join(p for p in (row.year_group, row.subject) if p) or "lesson"
            return f"Scheduled visit to {what} on {row.day:%a %-d %b}"
        case Sip():
            return f"{row.school.name}'s improvement plan {row.academic_year}"
        case SipPriority():
            return f"SIP priority {row.code}: {row.title}"
        case ReportVersion():
            return f"Report version {row.number} of QUAD {row.quad_id[:8]}"
        case NoteSubmission() | NoteSection():
            return f"A note for QUAD {_quad_reference(session, row.quad_id)}"
    title = getattr(row, "title", "") or getattr(row, "name", "")
    if entity == "report_section" and title:
        return f"Report section “{title}”"
    words = entity.replace("_", " ").capitalize()
    return f"{words} “{title}”" if title else f"{words} {row.id[:8]}"


def _visit_words(activity: Activity) -> str:
    """`Visit to Y8 maths, Room 12`."""
    what = " ".join(p for p in (activity.year_group, activity.subject.lower()) if p)
    words = f"Visit to {what}" if what else "A visit"
    if activity.room:
        words += f", {activity.room}"
    return words


def _quad_reference(session: Session, quad_id: str) -> str:
    quad = session.get(Quad, quad_id)
    return quad.reference if quad else quad_id[:8]


# Who may choose ------------------------------------------------------------------


def _refusal(session: Session, actor: Actor, entity: str, row: Any) -> str:
    """Empty if the person may edit the record, else why not. Mirrors the
    services that edit each kind of record."""
    if row is None:
        return "The record was deleted; there is nothing to choose."
    school_id = _school_of(row)
    if school_id is not None:
        return "" if actor.may_edit_school(school_id) else MAY_NOT_RESOLVE
    activity = _activity_of(row)
    if activity is not None:
        observers = {p.id for p in activity.observers}
        mine = actor.person_id == activity.author_id or actor.person_id in observers
        return "" if mine else "Only the visit's author and its observers can change it."
    if isinstance(row, NoteSubmission | NoteSection):
        submission = row if isinstance(row, NoteSubmission) else row.submission
        return "" if submission.author_id == actor.person_id else MAY_NOT_RESOLVE
    if entity.startswith("report_") or entity == "provenance_link":
        from invictus_desktop.services.report_drafts import require_report_writer

        try:
            require_report_writer(session, actor.person_id, row.quad_id)
        except PermissionDenied as refused:
            return refused.message
        return ""
    return "" if actor.is_trust_lead else MAY_NOT_RESOLVE


def _school_of(row: Any) -> str | None:
    match row:
        case School():
            return row.id
        case StaffMember() | Sip():
            return row.school_id
        case SipPriority():
            return row.sip.school_id
    return None


def _activity_of(row: Any) -> Activity | None:
    match row:
        case Activity():
            return row
        case EvidenceEntry() | RunningNoteLine():
            return row.activity
    return None


# Choosing ------------------------------------------------------------------------


def choose(profile: UnlockedProfile, which: ConflictKey, chosen_value: Any) -> None:
    """Make `chosen_value` (one of the conflict's values, as listed) the field's
    value everywhere, and set the others aside."""
    conflict = find_conflict(profile, which)
    if chosen_value not in [v.value for v in conflict.values]:
        raise UserFacingError("That is not one of the values to choose from.")
    _settle(profile, conflict, chosen_value)


def choose_number(profile: UnlockedProfile, which: ConflictKey, number: int) -> None:
    """Choose value `number` as listed (1 is the current value)."""
    conflict = find_conflict(profile, which)
    chosen = [v for v in conflict.values if v.number == number]
    if not chosen:
        raise UserFacingError(
            f"There is no value {number}.",
            next_step=f"Choose a number from 1 to {len(conflict.values)}.",
        )
    _settle(profile, conflict, chosen[0].value)


def keep_current(profile: UnlockedProfile, which: ConflictKey) -> None:
    """Keep what the record holds now and set the kept values aside."""
    conflict = find_conflict(profile, which)
    _settle(profile, conflict, conflict.values[0].value)


def _settle(profile: UnlockedProfile, conflict: Conflict, chosen: Any) -> None:
    if not conflict.may_resolve:
        raise PermissionDenied(conflict.refusal, next_step="Ask someone who may to choose.")
    table = synced_tables()[conflict.entity]
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        row = session.get(table.model, conflict.entity_id)
        if row is None:
            raise UserFacingError("That record is no longer in the store.")
        kept = session.scalars(
            select(KeptConflict).where(
                KeptConflict.entity == conflict.entity,
                KeptConflict.entity_id == conflict.entity_id,
                KeptConflict.field == conflict.field,
            )
        ).all()
        for value in kept:
            session.add(
                ConflictSettlement(
                    partition=row.sync_partition(),
                    entity=value.entity,
                    entity_id=value.entity_id,
                    field=value.field,
                    settled_hlc=value.hlc,
                )
            )
            session.delete(value)
        _write(session, table, row, conflict.field, chosen)
        try:
            session.flush()
        except IntegrityError:
            raise UserFacingError(
                f"Another record already has {conflict.field_label} "
                f"{value_text(chosen)}.",
                next_step="Change that record first, or keep the current value here.",
            ) from None
        record_audit(
            session,
            actor,
            "conflict.settled",
            conflict.entity,
            conflict.entity_id,
            field=conflict.field,
            set_aside=len(kept),
        )
    log.info("settled %s.%s of %s", conflict.entity, conflict.field, conflict.entity_id)


def _write(session: Session, table: SyncedTable, row: Any, field: str, chosen: Any) -> None:
    """An ordinary edit, queued in the outbox like any other, only if it changes
    something (keeping the current value needs no new clock)."""
    if field in table.links:
        link = table.links[field]
        model = synced_tables()[link.other_table].model
        wanted = sorted(chosen or [])
        if sorted(linked.id for linked in getattr(row, field)) != wanted:
            present = [session.get(model, other_id) for other_id in wanted]
            setattr(row, field, [other for other in present if other is not None])
        return
    try:
        value = from_json(table.columns[field], chosen)
    except BadValue:
        raise UserFacingError("That value no longer fits this field.") from None
    if getattr(row, field) != value:
        setattr(row, field, value)

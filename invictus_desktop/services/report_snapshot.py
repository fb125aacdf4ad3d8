"""From the store to the renderer's input: a frozen `ReportSnapshot` of one
report version, and its canonical bytes (what the manifest's hash covers)."""

import dataclasses
import enum
from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from invictus_desktop.reporting import snapshot as snap
from invictus_desktop.services.report_drafts import previous_quad_actions
from invictus_desktop.services.signing import canonical_bytes
from invictus_desktop.store.models import (
    ActionStatus,
    Activity,
    EvidenceEntry,
    NoteSection,
    Person,
    ProvenanceLink,
    Quad,
    ReportVersion,
    ReviewKind,
    SourceKind,
    StaffMember,
    TeamRole,
)

TEAM_ROLE_LABELS = {
    TeamRole.CONSULTANT: "School Improvement Consultant",
    TeamRole.EXECUTIVE_HEAD: "Executive Headteacher",
    TeamRole.VISITING_HEAD: "Visiting Headteacher",
    TeamRole.HOST_HEAD: "Headteacher",
    TeamRole.SUBJECT_SPECIALIST: "Subject specialist",
}
FOLLOW_UP = {
    ActionStatus.DONE: snap.FollowUpStatus.DONE,
    ActionStatus.PARTLY: snap.FollowUpStatus.PARTLY,
    ActionStatus.NOT_YET: snap.FollowUpStatus.NOT_YET,
    ActionStatus.OPEN: snap.FollowUpStatus.NOT_YET,
}
SOURCE_KINDS = {
    SourceKind.ACTIVITY: snap.SourceKind.VISIT,
    SourceKind.EVIDENCE: snap.SourceKind.VISIT,
    SourceKind.RUNNING_NOTE: snap.SourceKind.VISIT,
    SourceKind.NOTE_SECTION: snap.SourceKind.NOTE,
    SourceKind.PREVIOUS_REPORT: snap.SourceKind.PREVIOUS_REPORT,
}


def build_snapshot(
    session: Session, version: ReportVersion, sign_off: snap.SignOff | None = None
) -> snap.ReportSnapshot:
    quad = session.get(Quad, version.quad_id)
    roles = {member.person_id: member.role for member in quad.team}
    activities = session.scalars(
        select(Activity).where(Activity.quad_id == quad.id).order_by(Activity.time_in)
    ).all()
    staff = session.scalars(
        select(StaffMember).where(StaffMember.school_id == quad.school_id)
    ).all()

    return snap.ReportSnapshot(
        school=snap.School(
            quad.school.name, quad.school.urn or "", quad.school.headteacher_name
        ),
        reference=quad.reference,
        kind=snap.ReviewKind(quad.kind.value),
        subject=quad.subject if quad.kind is ReviewKind.SPECIALIST_VISIT else "",
        term=quad.term.value.capitalize(),
        academic_year=quad.academic_year,
        visit_dates=_days(quad.starts_on, quad.ends_on),
        team=tuple(
            snap.TeamMember(m.person.name, TEAM_ROLE_LABELS[m.role]) for m in quad.team
        ),
        version=version.number,
        status=snap.ReportStatus(version.status.value),
        protective_marking=version.protective_marking,
        executive_summary=version.executive_summary,
        strengths=tuple(_lines(version.strengths)),
        focus_areas=tuple(
            snap.FocusArea(f.title, f.description, tuple(p.code for p in f.priorities))
            for f in quad.focus_areas
        ),
        priorities=tuple(_finding(session, section, roles) for section in version.sections),
        actions=tuple(
            snap.Action(
                a.description, a.owner, a.due_on, a.priority.code if a.priority else None
            )
            for a in version.actions
            if a.follow_up_of_id is None
        ),
        previous_actions=_previous_actions(session, version),
        judgement_counts=_judgement_counts(quad, activities),
        visits=tuple(_visit_record(activity, quad) for activity in activities),
        sign_off=sign_off,
        headteacher_response=version.host_response,
        safeguarding_concerns=tuple(
            snap.SafeguardingConcern(
                a.time_in or a.created_at,
                a.author.name,
                a.safeguarding_text,
                quad.school.safeguarding_lead_name,
            )
            for a in activities
            if a.safeguarding_concern
        ),
        staff_names=tuple(f"{m.first_name} {m.last_name}" for m in staff),
    )


def snapshot_bytes(snapshot: snap.ReportSnapshot) -> bytes:
    """Canonical JSON of everything the report shows, for hashing and signing."""
    return canonical_bytes(_plain(dataclasses.asdict(snapshot)))


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _days(first: date, last: date) -> tuple[date, ...]:
    return tuple(first + timedelta(days=n) for n in range((last - first).days + 1))


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


def _paragraphs(text: str) -> list[str]:
    return [block.strip() for block in text.split("\n\n") if block.strip()]


def _finding(session: Session, section, roles: dict) -> snap.PriorityFinding:
    paragraphs = _paragraphs(section.body)
    cited: dict[int, list[snap.Source]] = {}
    for link in sorted(section.provenance, key=lambda link: link.paragraph_index):
        source = _source(session, link, roles)
        if source is not None:
            index = min(link.paragraph_index, max(len(paragraphs) - 1, 0))
            cited.setdefault(index, []).append(source)
    evidence = tuple(
        snap.EvidenceParagraph(text, tuple(cited.get(index, ())))
        for index, text in enumerate(paragraphs)
    )
    priority = section.priority
    return snap.PriorityFinding(
        code=priority.code if priority else "Focus",
        title=priority.title if priority else section.title,
        evidence=evidence,
        school_rag=snap.Rag(section.school_rag.value) if section.school_rag else None,
        recommended_rag=(
            snap.Rag(section.recommended_rag.value) if section.recommended_rag else None
        ),
        rag_rationale=section.rag_rationale,
        progress_since_last=section.progress_since_last,
    )


def _source(session: Session, link: ProvenanceLink, roles: dict) -> snap.Source | None:
    kind = SOURCE_KINDS[link.source_kind]
    if link.source_kind is SourceKind.NOTE_SECTION:
        section = session.get(NoteSection, link.source_id)
        if section is None:
            return None
        note = section.submission
        return snap.Source(
            link.source_id,
            kind,
            note.author.name,
            TEAM_ROLE_LABELS.get(roles.get(note.author_id), ""),
            (note.submitted_at or note.created_at).date(),
            f"Submitted notes, version {note.version}",
        )

    activity = _activity_of(session, link)
    if activity is None:
        return None
    when = activity.time_in or activity.created_at
    title = ", ".join(
        part
        for part in (
            activity.kind.value.replace("_", " ").capitalize(),
            activity.class_name,
        )
        if part
    )
    return snap.Source(
        link.source_id,
        kind,
        activity.author.name,
        TEAM_ROLE_LABELS.get(roles.get(activity.author_id), ""),
        when.date(),
        title,
    )


def _activity_of(session: Session, link: ProvenanceLink) -> Activity | None:
    if link.source_kind is SourceKind.EVIDENCE:
        entry = session.get(EvidenceEntry, link.source_id)
        return entry.activity if entry else None
    if link.source_kind is SourceKind.ACTIVITY:
        return session.get(Activity, link.source_id)
    return None


def _previous_actions(session: Session, version: ReportVersion) -> tuple:
    followed = {a.follow_up_of_id: a for a in version.actions if a.follow_up_of_id}
    result = []
    for action in previous_quad_actions(session, version.quad_id):
        follow = followed.get(action.id)
        result.append(
            snap.PreviousAction(
                action.description,
                action.owner,
                action.due_on,
                FOLLOW_UP[follow.status if follow else ActionStatus.NOT_YET],
                follow.follow_up_note if follow else "Not yet reviewed",
            )
        )
    return tuple(result)


def _judgement_counts(quad: Quad, activities: list[Activity]) -> tuple:
    counts = []
    for focus in quad.focus_areas:
        tally = Counter(
            entry.judgement.value
            for activity in activities
            for entry in activity.evidence
            if entry.focus_area_id == focus.id and entry.judgement
        )
        counts.append(snap.JudgementCounts(focus.title, **tally))
    return tuple(counts)


def _visit_record(activity: Activity, quad: Quad) -> snap.VisitRecord:
    titles = {focus.id: focus.title for focus in quad.focus_areas}
    lines = [
        f"{titles.get(e.focus_area_id, 'Focus')}: {e.text}"
        for e in activity.evidence
        if e.text.strip()
    ]
    return snap.VisitRecord(
        started_at=activity.time_in or activity.created_at,
        activity=activity.kind.value.replace("_", " ").capitalize(),
        teacher=activity.teacher_name,
        subject=activity.subject,
        class_name=activity.class_name,
        observer=activity.author.name,
        evidence_lines=tuple(lines),
    )


def signer_role(session: Session, quad_id: str, person_id: str) -> str:
    quad = session.get(Quad, quad_id)
    role = next((m.role for m in quad.team if m.person_id == person_id), None)
    if role is not None:
        return TEAM_ROLE_LABELS[role]
    return session.get(Person, person_id).roles[0].role.label

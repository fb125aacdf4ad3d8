"""What the Notes screen shows: the QUADs I write notes for, and one QUAD's desk.

Reading never starts a correction: once a version is submitted, the desk
shows it (read only) until the author asks for the next version with
`notes.open_draft`.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from invictus_desktop.errors import PermissionDenied, UserFacingError
from invictus_desktop.services import notes
from invictus_desktop.services.planning import QuadSummary, load_plan, quad_summary
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.models import (
    Activity,
    NoteSubmission,
    Quad,
    School,
    TeamMember,
    TeamRole,
)

NOTE_REFUSED = (
    "Notes are submitted by the Executive Headteacher and the visiting Headteacher "
    "of a QUAD's team."
)


@dataclass(frozen=True)
class NoteQuad:
    summary: QuadSummary
    my_role: TeamRole


@dataclass(frozen=True)
class FocusBrief:
    id: str
    title: str
    priorities: str  # "P1 Maths: clarity of concepts; P2 ..." or ""


@dataclass(frozen=True)
class OwnVisit:
    id: str
    time_in: datetime | None
    description: str  # "Lesson visit · Maths · 9X/Ma · Mrs Ashby"


@dataclass
class NoteDesk:
    quad: NoteQuad
    focus_areas: list[FocusBrief]
    visits: list[OwnVisit]
    versions: list[notes.SubmittedNote]  # mine, newest first
    draft: notes.NoteDraft | None  # None: the latest version is submitted
    focus_titles: dict[str, str] = field(default_factory=dict)

    @property
    def latest(self) -> notes.SubmittedNote | None:
        return self.versions[0] if self.versions else None


def note_quads(profile: UnlockedProfile) -> list[NoteQuad]:
    """QUADs where I am in the team as someone who submits notes, newest first."""
    with profile.store.session() as session:
        rows = session.execute(
            select(Quad, TeamMember.role)
            .join(TeamMember, TeamMember.quad_id == Quad.id)
            .join(School, School.id == Quad.school_id)
            .where(
                TeamMember.person_id == profile.person_id,
                TeamMember.role.in_(notes.NOTE_WRITERS),
            )
            .order_by(Quad.starts_on.desc(), School.name)
        ).all()
        return [NoteQuad(quad_summary(quad), role) for quad, role in rows]


def load_note_desk(profile: UnlockedProfile, quad_id: str) -> NoteDesk:
    """My note for one QUAD: the open draft (made when I have none and never
    submitted), my submitted versions, my visits and the focus areas."""
    mine = {q.summary.id: q for q in note_quads(profile)}
    if quad_id not in mine:
        raise PermissionDenied(NOTE_REFUSED)

    with profile.store.session() as session:
        has_draft = _has_open_draft(session, profile.person_id, quad_id)
        visits = _own_visits(session, profile.person_id, quad_id)
    versions = [
        note
        for note in notes.submitted_notes(profile, quad_id)
        if note.author_id == profile.person_id
    ]
    draft = None
    if has_draft or not versions:
        draft = notes.open_draft(profile, quad_id)

    plan = load_plan(profile, quad_id)
    focus_areas = [
        FocusBrief(
            f.id, f.title, "; ".join(f"{code} {title}" for _id, code, title in f.priorities)
        )
        for f in plan.focus_areas
    ]
    return NoteDesk(
        mine[quad_id],
        focus_areas,
        visits,
        versions,
        draft,
        {f.id: f.title for f in focus_areas},
    )


def start_correction(profile: UnlockedProfile, quad_id: str) -> NoteDesk:
    """Open the next version (a copy of the latest submitted one) and show it."""
    draft = notes.open_draft(profile, quad_id)
    desk = load_note_desk(profile, quad_id)
    if desk.draft is None or desk.draft.id != draft.id:
        raise UserFacingError("The correction could not be opened; try again.")
    return desk


def _has_open_draft(session, person_id: str, quad_id: str) -> bool:
    return (
        session.scalar(
            select(NoteSubmission.id).where(
                NoteSubmission.quad_id == quad_id,
                NoteSubmission.author_id == person_id,
                NoteSubmission.submitted_at.is_(None),
            )
        )
        is not None
    )


def _own_visits(session, person_id: str, quad_id: str) -> list[OwnVisit]:
    activities = session.scalars(
        select(Activity)
        .where(Activity.quad_id == quad_id, Activity.author_id == person_id)
        .order_by(Activity.time_in)
    ).all()
    return [OwnVisit(a.id, a.time_in, describe_activity(a)) for a in activities]


def describe_activity(activity: Activity) -> str:
    parts = (
        activity.kind.value.replace("_", " ").capitalize(),
        activity.subject,
        activity.class_name,
        activity.teacher_name,
    )
    return " · ".join(part for part in parts if part)

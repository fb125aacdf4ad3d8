"""What the Report screen shows: the QUADs I write reports for, and one QUAD's
merge workspace read in one go.

Reading never starts a new version: when the latest version is final and no
draft is open, the desk says so, and `start_next=True` (the consultant's
explicit choice) opens draft N+1.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from invictus_desktop.errors import PermissionDenied
from invictus_desktop.services import publishing, report_drafts
from invictus_desktop.services.access import load_actor
from invictus_desktop.services.notes import verify_note
from invictus_desktop.services.planning import QuadSummary, quad_summary
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.models import (
    NoteSection,
    NoteSubmission,
    Quad,
    ReviewKind,
    Role,
    School,
    TeamMember,
    TeamRole,
)

REPORT_REFUSED = (
    "The consultant writes the QUAD report (a specialist writes their own visit's)."
)


@dataclass(frozen=True)
class ReportState:
    """Where a QUAD's report stands, read without changing anything."""

    final_number: int | None
    finalised_at: datetime | None
    signer_name: str
    draft_number: int | None
    # When the final version reached the Board and the school (None: waiting
    # for a sync round, or finalised on another laptop).
    published_at: datetime | None = None

    @property
    def next_number(self) -> int:
        return (self.final_number or 0) + 1


@dataclass(frozen=True)
class NoteCheck:
    """A submitted note's section: which version it came from, and whether the
    author's signature over that version still verifies."""

    version: int
    verified: bool


@dataclass
class ReportDesk:
    quad: QuadSummary
    state: ReportState
    report: report_drafts.ReportDraft | None  # None: final, and no draft open
    sources: dict[str, list[report_drafts.Source]] = field(default_factory=dict)
    note_checks: dict[str, NoteCheck] = field(default_factory=dict)


def report_quads(profile: UnlockedProfile) -> list[QuadSummary]:
    """QUADs whose report I may write, newest first."""
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
        query = select(Quad).join(School, School.id == Quad.school_id)
        if Role.CONSULTANT not in actor.roles:
            query = query.join(TeamMember, TeamMember.quad_id == Quad.id).where(
                TeamMember.person_id == profile.person_id,
                TeamMember.role == TeamRole.SUBJECT_SPECIALIST,
                Quad.kind == ReviewKind.SPECIALIST_VISIT,
            )
        quads = session.scalars(query.order_by(Quad.starts_on.desc(), School.name))
        return [quad_summary(quad) for quad in quads]


def report_state(profile: UnlockedProfile, quad_id: str) -> ReportState:
    with profile.store.session() as session:
        report_drafts.require_report_writer(session, profile.person_id, quad_id)
        final = report_drafts.latest_final(session, quad_id)
        draft = report_drafts.current_draft(session, quad_id)
        return ReportState(
            final.number if final else None,
            final.finalised_at if final else None,
            final.signed_off_by.name if final and final.signed_off_by else "",
            draft.number if draft else None,
            publishing.published_at(session, final.id) if final else None,
        )


def load_report_desk(
    profile: UnlockedProfile, quad_id: str, start_next: bool = False
) -> ReportDesk:
    """The open draft with every focus area's sources; a new draft only when
    there has never been a final version, or when `start_next` asks for one."""
    if quad_id not in {q.id for q in report_quads(profile)}:
        raise PermissionDenied(REPORT_REFUSED)

    state = report_state(profile, quad_id)
    with profile.store.session() as session:
        summary = quad_summary(session.get(Quad, quad_id))
    if state.final_number is not None and state.draft_number is None and not start_next:
        return ReportDesk(summary, state, None)

    report = report_drafts.open_report(profile, quad_id)
    desk = ReportDesk(summary, report_state(profile, quad_id), report)
    for section in report.sections:
        focus_id = section.focus_area_id
        if focus_id and focus_id not in desk.sources:
            desk.sources[focus_id] = report_drafts.merge_sources(profile, quad_id, focus_id)
    desk.note_checks = note_checks(profile, quad_id)
    return desk


def note_checks(profile: UnlockedProfile, quad_id: str) -> dict[str, NoteCheck]:
    """Every submitted note section of the QUAD, by id, with its version's check."""
    with profile.store.session() as session:
        report_drafts.require_report_writer(session, profile.person_id, quad_id)
        submissions = session.scalars(
            select(NoteSubmission).where(
                NoteSubmission.quad_id == quad_id,
                NoteSubmission.submitted_at.is_not(None),
            )
        ).all()
        verified = {s.id: verify_note(session, s) for s in submissions}
        sections = session.scalars(
            select(NoteSection).where(NoteSection.submission_id.in_(list(verified)))
        ).all()
        return {
            s.id: NoteCheck(s.submission.version, verified[s.submission_id])
            for s in sections
        }

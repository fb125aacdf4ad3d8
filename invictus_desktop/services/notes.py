"""Notes the Executive Headteacher and visiting Headteacher submit to the consultant.

A note is drafted freely; submitting it freezes it as a version signed with
the author's key. A correction is a new draft that names the version it
supersedes; submitted versions never change.
"""

import difflib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invictus_desktop.errors import PermissionDenied, UserFacingError
from invictus_desktop.services.access import load_actor, record_audit
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.signing import (
    canonical_bytes,
    sha256_hex,
    sign_as_me,
    verify_by_person,
)
from invictus_desktop.services.visits import now
from invictus_desktop.store.models import (
    Activity,
    FocusArea,
    NoteSection,
    NoteSubmission,
    Quad,
    TeamMember,
    TeamRole,
)

NOTE_WRITERS = {
    TeamRole.EXECUTIVE_HEAD,
    TeamRole.VISITING_HEAD,
    TeamRole.SUBJECT_SPECIALIST,
}


@dataclass(frozen=True)
class NoteDraft:
    id: str
    version: int
    general_note: str
    sections: dict[str, str]  # focus area id -> text
    linked_visit_ids: list[str]
    supersedes_version: int | None


@dataclass(frozen=True)
class SubmittedNote:
    id: str
    author_id: str
    author_name: str
    role: TeamRole | None
    version: int
    submitted_at: datetime
    is_current: bool
    verified: bool
    general_note: str
    sections: dict[str, str]
    linked_visit_ids: list[str]
    changes_from_previous: str  # a unified diff; empty for a first version


# Drafting ------------------------------------------------------------------------


def open_draft(profile: UnlockedProfile, quad_id: str) -> NoteDraft:
    """My draft for this QUAD: the open one, or a new version (a correction
    starts from the latest submitted text)."""
    with profile.store.session() as session:
        _require_note_writer(session, profile.person_id, quad_id)
        draft = _my_draft(session, profile.person_id, quad_id)
        if draft is None:
            draft = _new_draft(session, profile.person_id, quad_id)
        return _draft_view(draft)


def _draft_view(draft: NoteSubmission) -> NoteDraft:
    superseded = draft.version - 1 if draft.supersedes_id else None
    return NoteDraft(
        draft.id,
        draft.version,
        draft.general_note,
        {s.focus_area_id: s.text for s in draft.sections},
        sorted(a.id for a in draft.activities),
        superseded,
    )


def _my_draft(session: Session, person_id: str, quad_id: str) -> NoteSubmission | None:
    return session.scalar(
        select(NoteSubmission).where(
            NoteSubmission.quad_id == quad_id,
            NoteSubmission.author_id == person_id,
            NoteSubmission.submitted_at.is_(None),
        )
    )


def _new_draft(session: Session, person_id: str, quad_id: str) -> NoteSubmission:
    latest = _latest_submitted(session, person_id, quad_id)
    draft = NoteSubmission(
        quad_id=quad_id,
        author_id=person_id,
        version=(latest.version + 1) if latest else 1,
        supersedes_id=latest.id if latest else None,
        general_note=latest.general_note if latest else "",
    )
    if latest is not None:
        draft.sections = [
            NoteSection(quad_id=quad_id, focus_area_id=s.focus_area_id, text=s.text)
            for s in latest.sections
        ]
        draft.activities = list(latest.activities)
    session.add(draft)
    session.flush()
    return draft


def _latest_submitted(
    session: Session, person_id: str, quad_id: str
) -> NoteSubmission | None:
    return session.scalar(
        select(NoteSubmission)
        .where(
            NoteSubmission.quad_id == quad_id,
            NoteSubmission.author_id == person_id,
            NoteSubmission.submitted_at.is_not(None),
        )
        .order_by(NoteSubmission.version.desc())
        .limit(1)
    )


def save_section(
    profile: UnlockedProfile, draft_id: str, focus_area_id: str | None, text: str
) -> None:
    """A focus area's note (or, with focus_area_id None, the general note)."""
    with profile.store.session() as session:
        draft = _editable(session, profile.person_id, draft_id)
        if focus_area_id is None:
            draft.general_note = text
            return
        focus = session.get(FocusArea, focus_area_id)
        if focus is None or focus.quad_id != draft.quad_id:
            raise UserFacingError("That focus area is no longer part of this QUAD.")
        section = next(
            (s for s in draft.sections if s.focus_area_id == focus_area_id), None
        )
        if section is None:
            section = NoteSection(quad_id=draft.quad_id, focus_area_id=focus_area_id)
            draft.sections.append(section)
        section.text = text


def link_visits(profile: UnlockedProfile, draft_id: str, activity_ids: list[str]) -> None:
    """Link the author's own visit records to the note."""
    with profile.store.session() as session:
        draft = _editable(session, profile.person_id, draft_id)
        activities = [session.get(Activity, activity_id) for activity_id in activity_ids]
        for activity in activities:
            if activity is None or activity.quad_id != draft.quad_id:
                raise UserFacingError("A linked visit is not part of this QUAD.")
            if activity.author_id != profile.person_id:
                raise PermissionDenied("You can link only your own visit records.")
        draft.activities = activities  # type: ignore[assignment]


def _editable(session: Session, person_id: str, draft_id: str) -> NoteSubmission:
    draft = session.get(NoteSubmission, draft_id)
    if draft is None or draft.author_id != person_id:
        raise UserFacingError("That note is not one of your drafts.")
    if draft.submitted_at is not None:
        raise UserFacingError(
            f"Version {draft.version} was submitted and cannot change.",
            next_step="Start a correction: it becomes the next version.",
        )
    return draft


# Submitting ----------------------------------------------------------------------


def note_document(note: NoteSubmission) -> dict[str, object]:
    """What a signature covers: every word and link of the version."""
    return {
        "kind": "invictus-note",
        "quad": note.quad_id,
        "author": note.author_id,
        "version": note.version,
        "supersedes": note.supersedes_id,
        "general": note.general_note,
        "sections": {s.focus_area_id: s.text for s in note.sections},
        "visits": sorted(a.id for a in note.activities),
        "submitted_at": note.submitted_at.isoformat() if note.submitted_at else None,
    }


def submit(profile: UnlockedProfile, draft_id: str) -> int:
    """Freeze the draft as a signed version; returns its version number."""
    with profile.store.session() as session:
        draft = _editable(session, profile.person_id, draft_id)
        if not draft.general_note.strip() and not any(
            s.text.strip() for s in draft.sections
        ):
            raise UserFacingError("The note is empty; write at least one section first.")
        draft.submitted_at = now()
        content = canonical_bytes(note_document(draft))
        draft.content_hash = sha256_hex(content)
        draft.signature = sign_as_me(session, profile.person_id, content)
        record_audit(
            session,
            load_actor(session, profile.person_id),
            "note.submitted",
            "note_submission",
            draft.id,
            version=draft.version,
        )
        return draft.version


def verify_note(session: Session, note: NoteSubmission) -> bool:
    if note.signature is None or note.content_hash is None:
        return False
    content = canonical_bytes(note_document(note))
    return sha256_hex(content) == note.content_hash and verify_by_person(
        session, note.author_id, content, note.signature
    )


# Reading (the consultant's view) ---------------------------------------------------


def submitted_notes(profile: UnlockedProfile, quad_id: str) -> list[SubmittedNote]:
    """Every submitted version, newest first per author, each verified."""
    with profile.store.session() as session:
        notes = session.scalars(
            select(NoteSubmission)
            .where(
                NoteSubmission.quad_id == quad_id, NoteSubmission.submitted_at.is_not(None)
            )
            .order_by(NoteSubmission.author_id, NoteSubmission.version.desc())
        ).all()
        roles = dict(
            session.execute(
                select(TeamMember.person_id, TeamMember.role).where(
                    TeamMember.quad_id == quad_id
                )
            ).all()
        )
        by_id = {note.id: note for note in notes}
        current = dict(
            session.execute(
                select(NoteSubmission.author_id, func.max(NoteSubmission.version))
                .where(
                    NoteSubmission.quad_id == quad_id,
                    NoteSubmission.submitted_at.is_not(None),
                )
                .group_by(NoteSubmission.author_id)
            ).all()
        )

        views = []
        for note in notes:
            previous = by_id.get(note.supersedes_id or "")
            views.append(
                SubmittedNote(
                    note.id,
                    note.author_id,
                    note.author.name,
                    roles.get(note.author_id),
                    note.version,
                    note.submitted_at,
                    current[note.author_id] == note.version,
                    verify_note(session, note),
                    note.general_note,
                    {s.focus_area_id: s.text for s in note.sections},
                    sorted(a.id for a in note.activities),
                    _diff(previous, note) if previous else "",
                )
            )
        return views


def _diff(old: NoteSubmission, new: NoteSubmission) -> str:
    def lines(note: NoteSubmission) -> list[str]:
        titles = {s.focus_area_id: s.focus_area.title for s in note.sections}
        text = [f"# General\n{note.general_note}"]
        text += [
            f"# {titles[s.focus_area_id]}\n{s.text}"
            for s in sorted(note.sections, key=lambda s: titles[s.focus_area_id])
        ]
        return "\n".join(text).splitlines()

    return "\n".join(
        difflib.unified_diff(
            lines(old),
            lines(new),
            f"version {old.version}",
            f"version {new.version}",
            lineterm="",
        )
    )


def _require_note_writer(session: Session, person_id: str, quad_id: str) -> None:
    if session.get(Quad, quad_id) is None:
        raise UserFacingError("That QUAD is no longer in the store.")
    role = session.scalar(
        select(TeamMember.role).where(
            TeamMember.quad_id == quad_id, TeamMember.person_id == person_id
        )
    )
    if role not in NOTE_WRITERS:
        raise PermissionDenied(
            "Notes are submitted by the Executive Headteacher and the visiting "
            "Headteacher of this QUAD's team.",
        )

"""The consultant's report: drafting, the merge workspace and provenance.

A QUAD's report is a series of versions. The open draft is the only one that
changes; a final version is immutable, and editing after finalising opens
draft N+1 as a copy of version N.
"""

from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.orm import Session

from invictus_desktop.errors import PermissionDenied, UserFacingError
from invictus_desktop.services.access import load_actor
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.models import (
    ActionStatus,
    Activity,
    EvidenceEntry,
    FocusArea,
    Judgement,
    NoteSection,
    NoteSubmission,
    ProvenanceLink,
    Quad,
    Rag,
    ReportAction,
    ReportSection,
    ReportStatus,
    ReportVersion,
    ReviewKind,
    Role,
    SourceKind,
    TeamMember,
    TeamRole,
)

REPORT_TEXT_FIELDS = {"executive_summary", "strengths", "host_response"}


@dataclass(frozen=True)
class Citation:
    id: str
    paragraph_index: int
    source_kind: SourceKind
    source_id: str
    quote: str


@dataclass(frozen=True)
class SectionDraft:
    id: str
    title: str
    focus_area_id: str | None
    priority_id: str | None
    priority_code: str
    body: str
    school_rag: Rag | None
    recommended_rag: Rag | None
    rag_rationale: str
    progress_since_last: str
    citations: list[Citation]


@dataclass(frozen=True)
class ActionDraft:
    id: str
    description: str
    owner: str
    due_on: date | None
    priority_id: str | None
    status: ActionStatus
    follow_up_of_id: str | None
    follow_up_note: str


@dataclass
class ReportDraft:
    version_id: str
    number: int
    status: ReportStatus
    executive_summary: str
    strengths: str
    host_response: str
    sections: list[SectionDraft] = field(default_factory=list)
    actions: list[ActionDraft] = field(default_factory=list)
    previous_actions: list[ActionDraft] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """Something a section can quote: a visit's evidence or a submitted note."""

    kind: SourceKind
    id: str
    author_name: str
    author_role: str
    heading: str
    text: str
    judgement: Judgement | None
    used: bool


# Opening ---------------------------------------------------------------------------


def open_report(profile: UnlockedProfile, quad_id: str) -> ReportDraft:
    """The open draft, created (from the plan, or as a copy of the latest final
    version) when there is none."""
    with profile.store.session() as session:
        quad = require_report_writer(session, profile.person_id, quad_id)
        draft = current_draft(session, quad_id) or _new_draft(session, quad)
        return _draft_view(session, draft)


def current_draft(session: Session, quad_id: str) -> ReportVersion | None:
    return session.scalar(
        select(ReportVersion).where(
            ReportVersion.quad_id == quad_id, ReportVersion.status == ReportStatus.DRAFT
        )
    )


def latest_final(session: Session, quad_id: str) -> ReportVersion | None:
    return session.scalar(
        select(ReportVersion)
        .where(ReportVersion.quad_id == quad_id, ReportVersion.status == ReportStatus.FINAL)
        .order_by(ReportVersion.number.desc())
        .limit(1)
    )


def _new_draft(session: Session, quad: Quad) -> ReportVersion:
    final = latest_final(session, quad.id)
    draft = ReportVersion(quad_id=quad.id, number=(final.number + 1) if final else 1)
    session.add(draft)
    if final is None:
        _sections_from_plan(quad, draft)
    else:
        _copy_content(final, draft)
    session.flush()
    return draft


def _sections_from_plan(quad: Quad, draft: ReportVersion) -> None:
    """A section per SIP priority in focus, and one per free-standing focus area."""
    seen: set[str] = set()
    for focus in quad.focus_areas:
        for priority in focus.priorities:
            if priority.id in seen:
                continue
            seen.add(priority.id)
            draft.sections.append(
                ReportSection(
                    quad_id=quad.id,
                    focus_area_id=focus.id,
                    priority_id=priority.id,
                    title=f"{priority.code}: {priority.title}",
                    school_rag=priority.rag,
                    position=len(draft.sections),
                )
            )
        if not focus.priorities:
            draft.sections.append(
                ReportSection(
                    quad_id=quad.id,
                    focus_area_id=focus.id,
                    title=focus.title,
                    position=len(draft.sections),
                )
            )


def _copy_content(final: ReportVersion, draft: ReportVersion) -> None:
    for name in REPORT_TEXT_FIELDS | {"protective_marking"}:
        setattr(draft, name, getattr(final, name))
    section_map = {}
    for old in final.sections:
        new = ReportSection(
            quad_id=old.quad_id,
            focus_area_id=old.focus_area_id,
            priority_id=old.priority_id,
            title=old.title,
            body=old.body,
            school_rag=old.school_rag,
            recommended_rag=old.recommended_rag,
            rag_rationale=old.rag_rationale,
            progress_since_last=old.progress_since_last,
            position=old.position,
        )
        new.provenance = [
            ProvenanceLink(
                quad_id=link.quad_id,
                paragraph_index=link.paragraph_index,
                source_kind=link.source_kind,
                source_id=link.source_id,
                quote=link.quote,
            )
            for link in old.provenance
        ]
        draft.sections.append(new)
        section_map[old.id] = new
    for action in final.actions:
        draft.actions.append(
            ReportAction(
                quad_id=action.quad_id,
                description=action.description,
                owner=action.owner,
                due_on=action.due_on,
                priority_id=action.priority_id,
                status=action.status,
                follow_up_of_id=action.follow_up_of_id,
                follow_up_note=action.follow_up_note,
                section_id=section_map[action.section_id].id
                if action.section_id in section_map
                else None,
            )
        )


def _draft_view(session: Session, version: ReportVersion) -> ReportDraft:
    view = ReportDraft(
        version.id,
        version.number,
        version.status,
        version.executive_summary,
        version.strengths,
        version.host_response,
    )
    for section in version.sections:
        view.sections.append(
            SectionDraft(
                section.id,
                section.title,
                section.focus_area_id,
                section.priority_id,
                section.priority.code if section.priority else "",
                section.body,
                section.school_rag,
                section.recommended_rag,
                section.rag_rationale,
                section.progress_since_last,
                [
                    Citation(
                        link.id,
                        link.paragraph_index,
                        link.source_kind,
                        link.source_id,
                        link.quote,
                    )
                    for link in sorted(
                        section.provenance, key=lambda link: link.paragraph_index
                    )
                ],
            )
        )
    view.actions = [_action_view(a) for a in version.actions if a.follow_up_of_id is None]
    followed = {a.follow_up_of_id: a for a in version.actions if a.follow_up_of_id}
    view.previous_actions = [
        _action_view(followed.get(action.id, action))
        for action in previous_quad_actions(session, version.quad_id)
    ]
    return view


def _action_view(action: ReportAction) -> ActionDraft:
    return ActionDraft(
        action.id,
        action.description,
        action.owner,
        action.due_on,
        action.priority_id,
        action.status,
        action.follow_up_of_id,
        action.follow_up_note,
    )


def previous_quad_actions(session: Session, quad_id: str) -> list[ReportAction]:
    """The actions set by the school's previous QUAD's latest final report."""
    previous = previous_quad(session, quad_id)
    final = latest_final(session, previous.id) if previous else None
    if final is None:
        return []
    return [a for a in final.actions if a.follow_up_of_id is None]


def previous_quad(session: Session, quad_id: str) -> Quad | None:
    quad = session.get(Quad, quad_id)
    return session.scalar(
        select(Quad)
        .where(
            Quad.school_id == quad.school_id,
            Quad.kind == quad.kind,
            Quad.starts_on < quad.starts_on,
        )
        .order_by(Quad.starts_on.desc())
        .limit(1)
    )


# Editing ---------------------------------------------------------------------------


def save_report_text(
    profile: UnlockedProfile, version_id: str, name: str, text: str
) -> None:
    if name not in REPORT_TEXT_FIELDS:
        raise ValueError(f"not a report text field: {name}")
    with profile.store.session() as session:
        version = _editable_version(session, version_id)
        if name == "host_response":
            _require_host_or_writer(session, profile.person_id, version.quad_id)
        else:
            require_report_writer(session, profile.person_id, version.quad_id)
        setattr(version, name, text)


def save_section(
    profile: UnlockedProfile,
    section_id: str,
    *,
    body: str | None = None,
    recommended_rag: Rag | None = None,
    rag_rationale: str | None = None,
    progress_since_last: str | None = None,
) -> None:
    with profile.store.session() as session:
        section = _editable_section(session, profile.person_id, section_id)
        if body is not None and body != section.body:
            moves = moved_paragraphs(section.body, body)
            for link in section.provenance:
                # Citations follow their paragraph when others come or go above it.
                moved = moves.get(link.paragraph_index, link.paragraph_index)
                if moved != link.paragraph_index:
                    link.paragraph_index = moved
            section.body = body
        if recommended_rag is not None:
            section.recommended_rag = recommended_rag
        if rag_rationale is not None:
            section.rag_rationale = rag_rationale
        if progress_since_last is not None:
            section.progress_since_last = progress_since_last


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a section body: blocks between blank lines, as printed."""
    return [block.strip() for block in text.split("\n\n") if block.strip()]


def moved_paragraphs(old_text: str, new_text: str) -> dict[int, int]:
    """Where each paragraph of `old_text` stands in `new_text` (by index).

    A diff of the paragraphs: unchanged ones map to their new place; an edited
    one (a replaced run) to the most alike paragraph of the run that replaced
    it, so typing a new paragraph onto the start of a cited one leaves the
    citation on the old text; a deleted one to the paragraph now in its place.
    """
    old, new = paragraphs(old_text), paragraphs(new_text)
    moves: dict[int, int] = {}
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in range(i1, i2):
            if tag == "equal":
                moves[i] = j1 + (i - i1)
            elif tag == "replace":
                moves[i] = max(
                    range(j1, j2),
                    key=lambda j, i=i: SequenceMatcher(a=old[i], b=new[j]).ratio(),
                )
            else:  # deleted: its citations stay, on what now stands there
                moves[i] = min(j1, max(len(new) - 1, 0))
    return moves


def cite(
    profile: UnlockedProfile,
    section_id: str,
    paragraph_index: int,
    source: Source,
    quote: str = "",
) -> str:
    """Record that a paragraph quotes or rests on a source."""
    with profile.store.session() as session:
        section = _editable_section(session, profile.person_id, section_id)
        link = ProvenanceLink(
            quad_id=section.quad_id,
            paragraph_index=paragraph_index,
            source_kind=source.kind,
            source_id=source.id,
            quote=quote,
        )
        section.provenance.append(link)
        session.flush()
        return link.id


def remove_citation(profile: UnlockedProfile, citation_id: str) -> None:
    with profile.store.session() as session:
        link = session.get(ProvenanceLink, citation_id)
        if link is not None:
            _editable_section(session, profile.person_id, link.section_id)
            session.delete(link)


def save_action(
    profile: UnlockedProfile,
    version_id: str,
    description: str,
    owner: str,
    due_on: date | None,
    priority_id: str | None,
    action_id: str | None = None,
) -> str:
    if not description.strip():
        raise UserFacingError("An action needs a description.")
    with profile.store.session() as session:
        version = _editable_version(session, version_id)
        require_report_writer(session, profile.person_id, version.quad_id)
        action = session.get(ReportAction, action_id) if action_id else None
        if action is None:
            action = ReportAction(quad_id=version.quad_id, description="")
            version.actions.append(action)
        action.description = description.strip()
        action.owner = owner.strip()
        action.due_on = due_on
        action.priority_id = priority_id
        session.flush()
        return action.id


def remove_action(profile: UnlockedProfile, action_id: str) -> None:
    with profile.store.session() as session:
        action = session.get(ReportAction, action_id)
        if action is not None:
            _editable_version(session, action.version_id)
            require_report_writer(session, profile.person_id, action.quad_id)
            session.delete(action)


def follow_up(
    profile: UnlockedProfile,
    version_id: str,
    previous_action_id: str,
    status: ActionStatus,
    note: str = "",
) -> None:
    """Record how far one of the previous QUAD's actions has come."""
    with profile.store.session() as session:
        version = _editable_version(session, version_id)
        require_report_writer(session, profile.person_id, version.quad_id)
        previous = {a.id: a for a in previous_quad_actions(session, version.quad_id)}
        if previous_action_id not in previous:
            raise UserFacingError("That action was not set by the previous QUAD.")
        original = previous[previous_action_id]
        entry = next((a for a in version.actions if a.follow_up_of_id == original.id), None)
        if entry is None:
            entry = ReportAction(
                quad_id=version.quad_id,
                description=original.description,
                owner=original.owner,
                due_on=original.due_on,
                priority_id=original.priority_id,
                follow_up_of_id=original.id,
            )
            version.actions.append(entry)
        entry.status = status
        entry.follow_up_note = note


def previous_section_text(profile: UnlockedProfile, section_id: str) -> str:
    """The same priority's section in the previous QUAD's final report, to compare."""
    with profile.store.session() as session:
        section = session.get(ReportSection, section_id)
        previous = previous_quad(session, section.quad_id) if section else None
        final = latest_final(session, previous.id) if previous else None
        if final is None or section.priority_id is None:
            return ""
        match = next(
            (s for s in final.sections if s.priority_id == section.priority_id), None
        )
        return match.body if match else ""


def _editable_version(session: Session, version_id: str) -> ReportVersion:
    version = session.get(ReportVersion, version_id)
    if version is None:
        raise UserFacingError("That report version is no longer in the store.")
    if version.status is not ReportStatus.DRAFT:
        raise UserFacingError(
            f"Version {version.number} is final and cannot change.",
            next_step="Open the report again to start the next version.",
        )
    return version


def _editable_section(session: Session, person_id: str, section_id: str) -> ReportSection:
    section = session.get(ReportSection, section_id)
    if section is None:
        raise UserFacingError("That section is no longer in the store.")
    _editable_version(session, section.version_id)
    require_report_writer(session, person_id, section.quad_id)
    return section


def require_report_writer(session: Session, person_id: str, quad_id: str) -> Quad:
    quad = session.get(Quad, quad_id)
    if quad is None:
        raise UserFacingError("That QUAD is no longer in the store.")
    team_role = session.scalar(
        select(TeamMember.role).where(
            TeamMember.quad_id == quad_id, TeamMember.person_id == person_id
        )
    )
    specialist = quad.kind is ReviewKind.SPECIALIST_VISIT
    writer = TeamRole.SUBJECT_SPECIALIST if specialist else TeamRole.CONSULTANT
    if (
        team_role is not writer
        and Role.CONSULTANT not in load_actor(session, person_id).roles
    ):
        raise PermissionDenied(
            "The consultant writes the QUAD report (a specialist writes their own visit's).",
            next_step="Submit your notes instead; they appear in the consultant's workspace.",
        )
    return quad


def _require_host_or_writer(session: Session, person_id: str, quad_id: str) -> None:
    quad = session.get(Quad, quad_id)
    if quad.school_id in load_actor(session, person_id).head_of:
        return
    require_report_writer(session, person_id, quad_id)


# The merge workspace -------------------------------------------------------------


def merge_sources(
    profile: UnlockedProfile, quad_id: str, focus_area_id: str
) -> list[Source]:
    """Every source for one focus area, side by side, each marked used or not yet."""
    with profile.store.session() as session:
        require_report_writer(session, profile.person_id, quad_id)
        focus = session.get(FocusArea, focus_area_id)
        if focus is None or focus.quad_id != quad_id:
            raise UserFacingError("That focus area is no longer part of this QUAD.")
        roles = dict(
            session.execute(
                select(TeamMember.person_id, TeamMember.role).where(
                    TeamMember.quad_id == quad_id
                )
            ).all()
        )
        draft = current_draft(session, quad_id)
        used = set()
        if draft is not None:
            used = {link.source_id for s in draft.sections for link in s.provenance}

        sources = [
            _evidence_source(e, roles, used)
            for e in session.scalars(
                select(EvidenceEntry)
                .join(Activity)
                .where(
                    EvidenceEntry.focus_area_id == focus_area_id, EvidenceEntry.text != ""
                )
                .order_by(Activity.time_in)
            )
        ]
        sources += [
            _note_source(n, roles, used)
            for n in session.scalars(
                select(NoteSection)
                .join(NoteSubmission)
                .where(
                    NoteSection.focus_area_id == focus_area_id,
                    NoteSubmission.submitted_at.is_not(None),
                )
                .order_by(NoteSubmission.author_id, NoteSubmission.version.desc())
            )
            if _is_current(session, n.submission)
        ]
        return sources


def _is_current(session: Session, submission: NoteSubmission) -> bool:
    newer = session.scalar(
        select(NoteSubmission.id)
        .where(
            NoteSubmission.quad_id == submission.quad_id,
            NoteSubmission.author_id == submission.author_id,
            NoteSubmission.submitted_at.is_not(None),
            NoteSubmission.version > submission.version,
        )
        .limit(1)
    )
    return newer is None


def _role_label(roles: dict, person_id: str) -> str:
    role = roles.get(person_id)
    return role.value.replace("_", " ").capitalize() if role else ""


def _evidence_source(entry: EvidenceEntry, roles: dict, used: set[str]) -> Source:
    activity = entry.activity
    heading = " · ".join(
        part
        for part in (
            activity.kind.value.replace("_", " ").capitalize(),
            activity.subject,
            activity.class_name,
            activity.teacher_name,
        )
        if part
    )
    return Source(
        SourceKind.EVIDENCE,
        entry.id,
        activity.author.name,
        _role_label(roles, activity.author_id),
        heading,
        entry.text,
        entry.judgement,
        entry.id in used,
    )


def _note_source(section: NoteSection, roles: dict, used: set[str]) -> Source:
    submission = section.submission
    return Source(
        SourceKind.NOTE_SECTION,
        section.id,
        submission.author.name,
        _role_label(roles, submission.author_id),
        f"Submitted note, version {submission.version}",
        section.text,
        None,
        section.id in used,
    )

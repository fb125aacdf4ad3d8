"""The consultant's merge workspace and report drafting, with provenance."""

from datetime import date

import pytest

from invictus_desktop.errors import PermissionDenied
from invictus_desktop.services import notes, report_drafts, visits
from invictus_desktop.store.models import (
    ActionStatus,
    Judgement,
    Rag,
    Role,
    SourceKind,
    TeamRole,
)
from tests.services.factories import add_colleague, plan_quad


@pytest.fixture
def merged(new_profile):
    """A QUAD with the consultant's visit, the Executive Head's visit and note."""
    planned = plan_quad(new_profile)
    exec_head = add_colleague(new_profile, "Priya Raman", Role.EXECUTIVE_HEAD,
                              TeamRole.EXECUTIVE_HEAD, planned.quad_id)
    mine = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    visits.save_evidence(new_profile, mine, planned.focus_ids[0],
                         "Worked examples were clear", Judgement.SUPPORTS)
    theirs = visits.start_visit(exec_head, planned.quad_id)
    visits.save_evidence(exec_head, theirs, planned.focus_ids[0],
                         "Concepts were jumbled in Year 10", Judgement.CONTRADICTS)
    draft = notes.open_draft(exec_head, planned.quad_id)
    notes.save_section(exec_head, draft.id, planned.focus_ids[0], "Maths remains inconsistent")
    notes.submit(exec_head, draft.id)
    return planned, exec_head


def test_report_opens_with_a_section_per_priority_in_focus(new_profile, merged):
    planned, _ = merged
    report = report_drafts.open_report(new_profile, planned.quad_id)

    assert report.number == 1
    assert [(s.priority_code, s.school_rag) for s in report.sections] == [
        ("P1", Rag.RED), ("P2", Rag.AMBER), ("P3", Rag.GREEN)]
    assert report_drafts.open_report(new_profile, planned.quad_id).version_id == \
        report.version_id


def test_sources_side_by_side_and_citing_marks_them_used(new_profile, merged):
    planned, _ = merged
    report = report_drafts.open_report(new_profile, planned.quad_id)
    sources = report_drafts.merge_sources(new_profile, planned.quad_id, planned.focus_ids[0])

    assert [(s.kind, s.author_name, s.author_role, s.used) for s in sources] == [
        (SourceKind.EVIDENCE, "Dana Whitfield", "Consultant", False),
        (SourceKind.EVIDENCE, "Priya Raman", "Executive head", False),
        (SourceKind.NOTE_SECTION, "Priya Raman", "Executive head", False),
    ]

    maths = report.sections[0]
    report_drafts.save_section(new_profile, maths.id,
                               body="Teaching of concepts is inconsistent.\n\nExamples help.",
                               recommended_rag=Rag.RED, rag_rationale="Mixed evidence")
    report_drafts.cite(new_profile, maths.id, 0, sources[1], "Concepts were jumbled")
    report_drafts.cite(new_profile, maths.id, 0, sources[2])

    used = [s.used for s in report_drafts.merge_sources(new_profile, planned.quad_id,
                                                        planned.focus_ids[0])]
    assert used == [False, True, True]
    section = report_drafts.open_report(new_profile, planned.quad_id).sections[0]
    assert [(c.paragraph_index, c.source_kind) for c in section.citations] == [
        (0, SourceKind.EVIDENCE), (0, SourceKind.NOTE_SECTION)]
    assert section.recommended_rag is Rag.RED


def test_only_the_consultant_writes_the_report(new_profile, merged):
    planned, exec_head = merged
    with pytest.raises(PermissionDenied, match="consultant writes"):
        report_drafts.open_report(exec_head, planned.quad_id)


def test_actions_and_follow_up_of_the_previous_quads_actions(new_profile, merged):
    planned, _ = merged
    report = report_drafts.open_report(new_profile, planned.quad_id)
    action_id = report_drafts.save_action(new_profile, report.version_id,
                                          "Adopt a common maths sequence", "Head of Maths",
                                          date(2027, 2, 1), planned.priority_ids[0])

    report = report_drafts.open_report(new_profile, planned.quad_id)
    assert [(a.id, a.owner, a.status) for a in report.actions] == [
        (action_id, "Head of Maths", ActionStatus.OPEN)]
    assert report.previous_actions == []  # the school's first QUAD


def test_citations_follow_their_paragraph_when_others_come_or_go_above(
    new_profile, merged
):
    planned, _ = merged
    report = report_drafts.open_report(new_profile, planned.quad_id)
    sources = report_drafts.merge_sources(new_profile, planned.quad_id, planned.focus_ids[0])
    maths = report.sections[0]
    report_drafts.save_section(new_profile, maths.id,
                               body="Concepts are jumbled.\n\nExamples help.")
    report_drafts.cite(new_profile, maths.id, 0, sources[1], "Concepts were jumbled")
    report_drafts.cite(new_profile, maths.id, 1, sources[0], "Worked examples")

    def cited() -> list[tuple[int, str]]:
        section = report_drafts.open_report(new_profile, planned.quad_id).sections[0]
        return sorted((c.paragraph_index, c.quote) for c in section.citations)

    # A paragraph typed above both, the way it is typed: onto the first line.
    report_drafts.save_section(new_profile, maths.id,
                               body="Overall: uneven.Concepts are jumbled.\n\nExamples help.")
    report_drafts.save_section(
        new_profile, maths.id,
        body="Overall: uneven.\n\nConcepts are jumbled.\n\nExamples help.")
    assert cited() == [(1, "Concepts were jumbled"), (2, "Worked examples")]

    # An edit inside a cited paragraph keeps its citation there.
    report_drafts.save_section(
        new_profile, maths.id,
        body="Overall: uneven.\n\nConcepts are often jumbled.\n\nExamples help.")
    assert cited() == [(1, "Concepts were jumbled"), (2, "Worked examples")]

    # The paragraph above removed: both move up again.
    report_drafts.save_section(new_profile, maths.id,
                               body="Concepts are often jumbled.\n\nExamples help.")
    assert cited() == [(0, "Concepts were jumbled"), (1, "Worked examples")]


def test_moved_paragraphs_maps_each_old_paragraph():
    assert report_drafts.moved_paragraphs("A\n\nB", "New\n\nA\n\nB") == {0: 1, 1: 2}
    assert report_drafts.moved_paragraphs("A\n\nB\n\nC", "A\n\nC") == {0: 0, 1: 1, 2: 1}
    assert report_drafts.moved_paragraphs("", "A") == {}

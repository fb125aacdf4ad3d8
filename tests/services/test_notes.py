"""Submitted notes are signed, immutable versions; corrections are new versions."""

import pytest
from sqlalchemy import select

from invictus_desktop.errors import PermissionDenied, UserFacingError
from invictus_desktop.services import notes, visits
from invictus_desktop.store.models import NoteSubmission, Role, TeamRole
from tests.services.factories import add_colleague, plan_quad


@pytest.fixture
def team(new_profile):
    planned = plan_quad(new_profile)
    exec_head = add_colleague(new_profile, "Priya Raman", Role.EXECUTIVE_HEAD,
                              TeamRole.EXECUTIVE_HEAD, planned.quad_id)
    return planned, exec_head


def test_submit_signs_and_freezes_a_version(new_profile, team):
    planned, exec_head = team
    visit_id = visits.start_visit(exec_head, planned.quad_id, planned.slot_id)
    draft = notes.open_draft(exec_head, planned.quad_id)
    notes.save_section(exec_head, draft.id, planned.focus_ids[0], "Maths is improving")
    notes.save_section(exec_head, draft.id, None, "A calm, purposeful school")
    notes.link_visits(exec_head, draft.id, [visit_id])

    assert notes.submit(exec_head, draft.id) == 1

    [submitted] = notes.submitted_notes(new_profile, planned.quad_id)
    assert (submitted.author_name, submitted.role) == ("Priya Raman", TeamRole.EXECUTIVE_HEAD)
    assert submitted.verified and submitted.is_current
    assert submitted.sections == {planned.focus_ids[0]: "Maths is improving"}
    assert submitted.linked_visit_ids == [visit_id]
    with pytest.raises(UserFacingError, match="was submitted and cannot change"):
        notes.save_section(exec_head, draft.id, None, "changed afterwards")


def test_a_correction_is_a_new_version_showing_what_changed(new_profile, team):
    planned, exec_head = team
    first = notes.open_draft(exec_head, planned.quad_id)
    notes.save_section(exec_head, first.id, planned.focus_ids[0], "Maths is improving")
    notes.submit(exec_head, first.id)

    correction = notes.open_draft(exec_head, planned.quad_id)
    assert (correction.version, correction.supersedes_version) == (2, 1)
    assert correction.sections == {planned.focus_ids[0]: "Maths is improving"}
    notes.save_section(exec_head, correction.id, planned.focus_ids[0],
                       "Maths is improving in Key Stage 3 only")
    notes.submit(exec_head, correction.id)

    versions = notes.submitted_notes(new_profile, planned.quad_id)
    assert [(v.version, v.is_current) for v in versions] == [(2, True), (1, False)]
    assert "-Maths is improving" in versions[0].changes_from_previous
    assert "+Maths is improving in Key Stage 3 only" in versions[0].changes_from_previous
    assert all(v.verified for v in versions)


def test_a_tampered_submission_fails_verification(new_profile, team):
    planned, exec_head = team
    draft = notes.open_draft(exec_head, planned.quad_id)
    notes.save_section(exec_head, draft.id, None, "Original words")
    notes.submit(exec_head, draft.id)

    with new_profile.store.session() as session:
        stored = session.scalar(select(NoteSubmission))
        stored.general_note = "Words the author never wrote"

    [submitted] = notes.submitted_notes(new_profile, planned.quad_id)
    assert not submitted.verified


def test_only_the_heads_in_the_team_submit_and_only_their_own_visits(new_profile, team):
    planned, exec_head = team
    consultant_visit = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    with pytest.raises(PermissionDenied):
        notes.open_draft(new_profile, planned.quad_id)  # the consultant writes the report

    draft = notes.open_draft(exec_head, planned.quad_id)
    with pytest.raises(PermissionDenied, match="only your own"):
        notes.link_visits(exec_head, draft.id, [consultant_visit])
    with pytest.raises(UserFacingError, match="empty"):
        notes.submit(exec_head, draft.id)

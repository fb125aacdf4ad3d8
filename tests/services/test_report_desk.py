"""Reading the Notes and Report desks never starts a version by itself."""

import pytest

from invictus_desktop.errors import PermissionDenied
from invictus_desktop.services import note_desk, notes, report_desk, report_finalise
from invictus_desktop.store.models import Role, TeamRole
from tests.services.factories import add_colleague, plan_quad


def test_after_finalising_the_desk_waits_for_the_consultant_to_start_version_2(
    new_profile,
):
    planned = plan_quad(new_profile)
    desk = report_desk.load_report_desk(new_profile, planned.quad_id)
    assert desk.report.number == 1 and desk.state.draft_number == 1
    report_finalise.finalise(new_profile, planned.quad_id)

    desk = report_desk.load_report_desk(new_profile, planned.quad_id)
    assert desk.report is None
    assert (desk.state.final_number, desk.state.draft_number) == (1, None)
    assert desk.state.signer_name == "Dana Whitfield" and desk.state.next_number == 2

    desk = report_desk.load_report_desk(new_profile, planned.quad_id, start_next=True)
    assert desk.report.number == 2 and desk.state.draft_number == 2


def test_a_submitted_note_stays_read_only_until_a_correction_is_asked_for(new_profile):
    planned = plan_quad(new_profile)
    head = add_colleague(new_profile, "Owen Castell", Role.HEADTEACHER,
                         TeamRole.VISITING_HEAD, planned.quad_id)
    [mine] = note_desk.note_quads(head)
    assert mine.my_role is TeamRole.VISITING_HEAD
    draft = note_desk.load_note_desk(head, planned.quad_id).draft
    notes.save_section(head, draft.id, None, "A calm school.")
    notes.submit(head, draft.id)

    desk = note_desk.load_note_desk(head, planned.quad_id)
    assert desk.draft is None and desk.latest.version == 1
    assert note_desk.load_note_desk(head, planned.quad_id).draft is None

    desk = note_desk.start_correction(head, planned.quad_id)
    assert desk.draft.version == 2 and desk.draft.general_note == "A calm school."


def test_each_desk_is_refused_to_the_wrong_role(new_profile):
    planned = plan_quad(new_profile)
    head = add_colleague(new_profile, "Owen Castell", Role.HEADTEACHER,
                         TeamRole.VISITING_HEAD, planned.quad_id)

    assert report_desk.report_quads(head) == []
    with pytest.raises(PermissionDenied, match="consultant writes"):
        report_desk.load_report_desk(head, planned.quad_id)
    assert note_desk.note_quads(new_profile) == []
    with pytest.raises(PermissionDenied, match="Notes are submitted"):
        note_desk.load_note_desk(new_profile, planned.quad_id)

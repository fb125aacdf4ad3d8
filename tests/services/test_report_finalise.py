"""Three people, one QUAD: notes submitted, merged with citations, finalised,
PDFs produced, parsed back and verified."""

from datetime import date, time
from io import BytesIO

import pytest
from pypdf import PdfReader

from invictus_desktop.errors import UserFacingError
from invictus_desktop.reporting.audience import Variant
from invictus_desktop.services import (
    notes,
    planning,
    report_drafts,
    report_finalise,
    visits,
)
from invictus_desktop.store.models import ActionStatus, Judgement, Rag, Role, TeamRole, Term
from tests.services.factories import add_colleague, plan_quad

CONCERN = "A pupil disclosed worries about home; referred at break."


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


@pytest.fixture
def finalised(new_profile):
    """The whole workflow through the services; returns what the test needs."""
    planned = plan_quad(new_profile)
    exec_head = add_colleague(new_profile, "Priya Raman", Role.EXECUTIVE_HEAD,
                              TeamRole.EXECUTIVE_HEAD, planned.quad_id)
    visiting = add_colleague(new_profile, "Owen Castell", Role.HEADTEACHER,
                             TeamRole.VISITING_HEAD, planned.quad_id)

    lesson = visits.start_visit(exec_head, planned.quad_id, planned.slot_id)
    visits.save_evidence(exec_head, lesson, planned.focus_ids[0],
                         "Concepts were introduced in a jumbled order.", Judgement.CONTRADICTS)
    visits.save_fields(exec_head, lesson, {"safeguarding_concern": True,
                                           "safeguarding_text": CONCERN})
    for author, text in ((exec_head, "Maths remains inconsistent across classes."),
                         (visiting, "Reading is modelled well in English.")):
        draft = notes.open_draft(author, planned.quad_id)
        notes.save_section(author, draft.id, planned.focus_ids[0], text)
        notes.submit(author, draft.id)

    report = report_drafts.open_report(new_profile, planned.quad_id)
    report_drafts.save_report_text(new_profile, report.version_id, "executive_summary",
                                   "Leaders know the school well; maths must improve.")
    maths = report.sections[0]
    report_drafts.save_section(
        new_profile, maths.id, recommended_rag=Rag.RED, rag_rationale="Evidence is mixed.",
        body="Concepts are not sequenced coherently.\n\nMrs Ashby's class was the exception.")
    for source in report_drafts.merge_sources(new_profile, planned.quad_id,
                                              planned.focus_ids[0]):
        report_drafts.cite(new_profile, maths.id, 0, source)
    report_drafts.save_action(new_profile, report.version_id, "Adopt one maths sequence",
                              "Head of Maths", date(2027, 2, 1), planned.priority_ids[0])

    result = report_finalise.finalise(new_profile, planned.quad_id, accept_name_warnings=True)
    return planned, result


def test_a_staff_name_bound_for_the_board_is_warned_about(new_profile):
    planned = plan_quad(new_profile)
    report = report_drafts.open_report(new_profile, planned.quad_id)
    report_drafts.save_report_text(new_profile, report.version_id, "executive_summary",
                                   "Amelia Ashby's lesson stood out.")

    assert report_finalise.board_name_warnings(new_profile, planned.quad_id) == [
        "Amelia Ashby"]
    with pytest.raises(UserFacingError, match="names staff: Amelia Ashby"):
        report_finalise.finalise(new_profile, planned.quad_id)


def test_both_copies_parse_back_with_the_right_content(new_profile, finalised):
    planned, result = finalised
    school_pdf, description = report_finalise.report_pdf(new_profile, planned.quad_id,
                                                         Variant.SCHOOL)
    board_pdf, _ = report_finalise.report_pdf(new_profile, planned.quad_id, Variant.BOARD)

    assert description.startswith("version 1, final")
    school, board = _text(school_pdf), _text(board_pdf)
    for heading in ("Executive summary", "Findings by SIP priority", "Actions"):
        assert heading in school and heading in board
    assert "Maths: clarity of concepts" in school
    assert "Ashby" in school and CONCERN[:30] in school
    assert "Ashby" not in board
    assert CONCERN[:30] not in board and "home" not in board
    reader = PdfReader(BytesIO(board_pdf))
    pages = len(reader.pages)
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()
    assert result.number == 1


def test_signature_and_hashes_verify_and_one_changed_byte_fails(new_profile, finalised):
    planned, _result = finalised
    check = report_finalise.verify_latest(new_profile, planned.quad_id)
    assert check.ok, check.problems
    assert check.signer_name == "Dana Whitfield"

    pdf, _ = report_finalise.report_pdf(new_profile, planned.quad_id, Variant.BOARD)
    tampered = bytearray(pdf)
    tampered[len(tampered) // 2] ^= 0x01
    check = report_finalise.verify_latest(new_profile, planned.quad_id,
                                          {"board": bytes(tampered)})
    assert not check.ok
    assert check.problems == ["the board PDF differs from the one that was signed"]


def test_final_is_immutable_and_editing_starts_the_next_version(new_profile, finalised):
    planned, result = finalised
    with pytest.raises(UserFacingError, match="final and cannot change"):
        report_drafts.save_report_text(new_profile, result.version_id, "strengths", "x")

    draft = report_drafts.open_report(new_profile, planned.quad_id)
    assert draft.number == 2
    assert draft.executive_summary == "Leaders know the school well; maths must improve."
    assert len(draft.sections[0].citations) == 3


def test_next_quad_follows_up_the_previous_actions(new_profile, finalised):
    planned, _ = finalised
    next_quad = planning.create_quad(new_profile, planning.QuadDetails(
        planned.school_id, "2026-27", Term.SPRING, date(2027, 3, 2), date(2027, 3, 3)))
    planning.set_team(new_profile, next_quad, [(new_profile.person_id, TeamRole.CONSULTANT)])
    planning.add_slot(new_profile, next_quad, planning.Slot(date(2027, 3, 2), "P1",
                                                            time(8, 50)))

    report = report_drafts.open_report(new_profile, next_quad)
    [previous] = report.previous_actions
    assert previous.description == "Adopt one maths sequence"
    report_drafts.follow_up(new_profile, report.version_id, previous.id,
                            ActionStatus.PARTLY, "Years 7 and 8 only")

    report = report_drafts.open_report(new_profile, next_quad)
    assert [(a.status, a.follow_up_note) for a in report.previous_actions] == [
        (ActionStatus.PARTLY, "Years 7 and 8 only")]
    text = _text(report_finalise.preview_pdf(new_profile, next_quad, Variant.SCHOOL))
    assert "Years 7 and 8 only" in text

"""Recording a visit: start from the schedule, evidence, running notes, find."""

import json

import pytest
from sqlalchemy import select

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services import visits
from invictus_desktop.store.models import (
    ActivityKind,
    ActivityStatus,
    AuditEntry,
    Judgement,
    OutboxEntry,
    Rag,
)
from tests.services.factories import plan_quad


@pytest.fixture
def planned(new_profile):
    return plan_quad(new_profile)


def test_starting_from_the_schedule_fills_the_lesson(new_profile, planned):
    visit_id = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)

    record = visits.load_visit(new_profile, visit_id)
    assert record.fields["teacher_name"] == "Mrs Amelia Ashby"
    assert (record.fields["room"], record.fields["class_name"]) == ("M4", "9X/Ma")
    assert record.fields["time_in"] is not None
    assert record.observers == ["Dana Whitfield"]
    assert record.safeguarding_lead == "Rhys Radcliffe"
    assert [(p.focus_title, [(b.code, b.rag) for b in p.priorities]) for p in record.panes] == [
        ("Maths", [("P1", Rag.RED)]),
        ("Reading", [("P2", Rag.AMBER), ("P3", Rag.GREEN)]),
    ]


def test_an_ad_hoc_learning_walk_has_no_lesson(new_profile, planned):
    visit_id = visits.start_visit(new_profile, planned.quad_id, kind=ActivityKind.LEARNING_WALK)
    record = visits.load_visit(new_profile, visit_id)
    assert record.kind is ActivityKind.LEARNING_WALK
    assert record.fields["teacher_name"] == ""


def test_fields_evidence_and_notes_are_saved_and_queued(new_profile, planned):
    visit_id = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)

    visits.save_fields(new_profile, visit_id, {"strengths": "Crisp worked examples",
                                               "pupils_present": 27, "joint_visit": True})
    visits.save_evidence(new_profile, visit_id, planned.focus_ids[0],
                         "Concepts sequenced well", Judgement.SUPPORTS)
    note_id = visits.add_note_line(new_profile, visit_id, "Starter on fractions")
    visits.save_note_line(new_profile, note_id, "Starter on equivalent fractions")

    record = visits.load_visit(new_profile, visit_id)
    assert record.fields["strengths"] == "Crisp worked examples"
    assert record.fields["pupils_present"] == 27 and record.fields["joint_visit"] is True
    assert (record.panes[0].text, record.panes[0].judgement) == (
        "Concepts sequenced well", Judgement.SUPPORTS)
    assert [n.text for n in record.notes] == ["Starter on equivalent fractions"]

    with new_profile.store.session() as session:
        queued = session.scalars(
            select(OutboxEntry).where(OutboxEntry.partition == f"quad:{planned.quad_id}")
        ).all()
    entities = {entry.entity for entry in queued}
    assert {"activity", "evidence_entry", "running_note_line"} <= entities
    assert any(json.loads(e.payload).get("strengths") == "Crisp worked examples"
               for e in queued)


def test_a_note_line_moves_into_a_focus_pane(new_profile, planned):
    visit_id = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    visits.save_evidence(new_profile, visit_id, planned.focus_ids[1], "Reading aloud modelled",
                         Judgement.PARTLY_SUPPORTS)
    note_id = visits.add_note_line(new_profile, visit_id, "Pupils followed the text")

    visits.move_note_to_evidence(new_profile, note_id, planned.focus_ids[1])

    record = visits.load_visit(new_profile, visit_id)
    lines = record.panes[1].text.splitlines()
    assert lines[0] == "Reading aloud modelled"
    assert lines[1].endswith("] Pupils followed the text")
    assert record.panes[1].judgement is Judgement.PARTLY_SUPPORTS
    assert record.notes[0].moved


def test_completing_is_audited_and_later_edits_keep_history(new_profile, planned):
    visit_id = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    visits.complete_visit(new_profile, visit_id)
    visits.save_fields(new_profile, visit_id, {"development_points": "Check understanding"})

    record = visits.load_visit(new_profile, visit_id)
    assert record.status is ActivityStatus.COMPLETE
    assert record.fields["time_out"] is not None
    with new_profile.store.session() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == visit_id)).all()
    assert [a.action for a in audit] == [
        "visit.started", "visit.completed", "visit.edited_after_completion"]
    assert json.loads(audit[-1].detail) == {"fields": ["development_points"]}
    assert "Check understanding" not in audit[-1].detail


def test_bad_values_are_refused_before_writing(new_profile, planned):
    visit_id = visits.start_visit(new_profile, planned.quad_id)
    with pytest.raises(UserFacingError, match="0 to 500"):
        visits.save_fields(new_profile, visit_id, {"pupils_present": -3})
    with pytest.raises(ValueError, match="not editable"):
        visits.save_fields(new_profile, visit_id, {"author_id": "someone else"})


def test_full_text_search_and_filters(new_profile, planned):
    first = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    visits.add_note_line(new_profile, first, "Excellent use of mini-whiteboards")
    visits.save_evidence(new_profile, first, planned.focus_ids[0], "Clear", Judgement.SUPPORTS)
    second = visits.start_visit(new_profile, planned.quad_id, kind=ActivityKind.BOOK_LOOK)
    visits.save_fields(new_profile, second, {"strengths": "Presentation of books is improving",
                                             "subject": "English"})

    assert [v.id for v in visits.search_visits(new_profile, "whiteboard")] == [first]
    assert [v.id for v in visits.search_visits(new_profile, "books improv")] == [second]
    assert visits.search_visits(new_profile, 'AND OR "( NEAR') == []

    by = visits.VisitFilter
    assert [v.id for v in visits.list_visits(new_profile, planned.quad_id,
                                             by(subject="english"))] == [second]
    assert [v.id for v in visits.list_visits(
        new_profile, planned.quad_id, by(focus_area_id=planned.focus_ids[0]))] == [first]
    assert [v.id for v in visits.list_visits(
        new_profile, planned.quad_id, by(judgement=Judgement.SUPPORTS))] == [first]
    assert [v.id for v in visits.list_visits(
        new_profile, planned.quad_id, by(words="whiteboards", teacher="ashby"))] == [first]
    assert len(visits.list_visits(new_profile, planned.quad_id,
                                  by(observer_id=new_profile.person_id))) == 2

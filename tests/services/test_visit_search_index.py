"""The visit search index (migrations 0002 and 0007): kept current by
triggers, one document per visit, and an autosave whose work does not grow
with the store."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from invictus_desktop.services import visits
from invictus_desktop.store.engine import open_raw_connection
from invictus_desktop.store.models import Activity, EvidenceEntry, RunningNoteLine
from tests.helpers import data_key
from tests.services.factories import plan_quad


@pytest.fixture
def planned(new_profile):
    return plan_quad(new_profile)


def _index_rows(profile) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    with profile.store.session() as session:
        documents = session.execute(
            text("SELECT rowid, activity_id FROM visit_search ORDER BY rowid")).all()
        mapping = session.execute(
            text("SELECT doc, activity_id FROM visit_search_doc ORDER BY doc")).all()
    return [tuple(row) for row in documents], [tuple(row) for row in mapping]


def test_one_document_per_visit_under_its_mapped_rowid(new_profile, planned):
    first = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    second = visits.start_visit(new_profile, planned.quad_id)
    note = visits.add_note_line(new_profile, first, "Pupils used mini-whiteboards")
    visits.save_note_line(new_profile, note, "Pupils used mini-whiteboards well")
    visits.save_evidence(new_profile, first, planned.focus_ids[0], "Clear modelling", None)
    visits.save_fields(new_profile, second, {"strengths": "Books show progress"})

    documents, mapping = _index_rows(new_profile)
    assert documents == mapping
    assert sorted(activity_id for _, activity_id in documents) == sorted([first, second])
    assert [v.id for v in visits.search_visits(new_profile, "whiteboards modelling")] == [first]

    # Removing a visit's lines rebuilds its document; removing the visit drops it.
    with new_profile.store.session() as session:
        session.execute(text("DELETE FROM running_note_line WHERE id = :id"), {"id": note})
    assert visits.search_visits(new_profile, "whiteboards") == []
    with new_profile.store.session() as session:
        session.execute(text("DELETE FROM evidence_entry WHERE activity_id = :id"), {"id": first})
        session.execute(text("DELETE FROM activity_observer WHERE activity_id = :id"),
                        {"id": first})
        session.execute(text("DELETE FROM activity WHERE id = :id"), {"id": first})
    documents, mapping = _index_rows(new_profile)
    assert documents == mapping == [(documents[0][0], second)]
    assert [v.id for v in visits.search_visits(new_profile, "books")] == [second]


def test_equal_ranks_come_in_the_order_visits_were_last_saved(new_profile, planned):
    # As before 0007: a rebuilt document goes after every other, so of two
    # equally good matches the one saved longer ago comes first.
    first = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    second = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    for visit_id in (first, second):
        visits.save_fields(new_profile, visit_id, {"strengths": "Confident questioning"})
    assert [v.id for v in visits.search_visits(new_profile, "questioning")] == [first, second]

    visits.save_fields(new_profile, first, {"pupils_present": 28})  # not in the document
    assert [v.id for v in visits.search_visits(new_profile, "questioning")] == [second, first]


def _steps_of_an_autosave(raw, activity_id: str, value: str) -> int:
    """SQLite virtual-machine steps (in tens) of one field update and commit,
    the triggers' work included: deterministic, unlike a time."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    raw.set_progress_handler(count, 10)
    try:
        raw.execute("BEGIN")
        raw.execute("UPDATE activity SET strengths = ? WHERE id = ?", (value, activity_id))
        raw.execute("COMMIT")
    finally:
        raw.set_progress_handler(None, 0)
    return steps


def _many_visits(profile, planned, count: int) -> None:
    stamp = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    with profile.store.session() as session:
        for v in range(count):
            activity = Activity(quad_id=planned.quad_id, author_id=profile.person_id,
                                strengths=f"visit {v} strengths", teacher_name=f"Teacher {v}")
            activity.running_notes = [
                RunningNoteLine(quad_id=planned.quad_id, stamped_at=stamp, position=n,
                                text=f"line {n} of visit {v} about reading")
                for n in range(10)]
            activity.evidence = [
                EvidenceEntry(quad_id=planned.quad_id, focus_area_id=focus_id,
                              text=f"evidence {v} for focus {f}")
                for f, focus_id in enumerate(planned.focus_ids)]
            session.add(activity)


def test_an_autosave_does_not_grow_with_the_store(new_profile, planned):
    visit_id = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    visits.add_note_line(new_profile, visit_id, "Pupils read aloud")
    raw = open_raw_connection(new_profile.paths.database, data_key(new_profile.paths))
    try:
        _steps_of_an_autosave(raw, visit_id, "warm")
        small = _steps_of_an_autosave(raw, visit_id, "Clear explanations")

        _many_visits(new_profile, planned, 300)  # 3,000 note lines, 600 evidence entries
        _steps_of_an_autosave(raw, visit_id, "warm again")
        large = _steps_of_an_autosave(raw, visit_id, "Clear explanations again")
    finally:
        raw.close()

    # Before 0007 each autosave scanned every note line and evidence entry and
    # every search document: here about 50 times the work of the small store.
    assert large < 2 * small, (small, large)
    assert [v.id for v in visits.search_visits(new_profile, "explanations again")] == [visit_id]
    assert len(visits.search_visits(new_profile, "reading")) == 300

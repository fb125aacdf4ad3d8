"""Visits that arrive by sync are searchable as if typed here: their search
documents are rebuilt once per visit at the end of an apply, by the store's own
triggers, which are back in place whatever happens (store/search_index.py)."""

import pytest
from sqlalchemy import text

from invictus_desktop.services import visits
from invictus_desktop.sync.engine import SyncEngine
from tests.services.factories import plan_quad
from tests.sync.replicas import engines_in_one_repository, introduced_laptops


def _triggers(laptop) -> dict[str, str]:
    with laptop.store.session() as session:
        rows = session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
    return dict(rows)


def _documents(laptop) -> list[tuple[str, str]]:
    """Each visit's search document, in rowid order (the order of equal ranks)."""
    with laptop.store.session() as session:
        rows = session.execute(
            text("SELECT activity_id, body FROM visit_search ORDER BY rowid")
        ).all()
        mapped = session.execute(
            text("SELECT s.rowid FROM visit_search s JOIN visit_search_doc d "
                 "ON d.doc = s.rowid AND d.activity_id = s.activity_id")
        ).all()
    assert len(mapped) == len(rows)  # every document under its mapped rowid
    return [tuple(row) for row in rows]


@pytest.fixture
def two_laptops(tmp_path, repository):
    with (introduced_laptops(tmp_path, "ann", "ben") as (ann, ben),
          engines_in_one_repository([ann, ben], repository.url) as (writer, reader)):
        yield ann, ben, writer, reader


def _record_a_morning(ann, writer) -> tuple[str, str]:
    """Two visits edited in turn, each change sent in its own round."""
    planned = plan_quad(ann)
    first = visits.start_visit(ann, planned.quad_id, planned.slot_id)
    second = visits.start_visit(ann, planned.quad_id)
    writer.sync()
    steps = [
        lambda: visits.add_note_line(ann, first, "Pupils used mini-whiteboards"),
        lambda: visits.save_fields(ann, second, {"strengths": "Books show progress"}),
        lambda: visits.save_evidence(ann, first, planned.focus_ids[0], "Modelling", None),
        lambda: visits.add_note_line(ann, second, "Questioning probed reasons"),
        lambda: visits.save_fields(ann, first, {"development_points": "Pace after 20 min"}),
    ]
    for step in steps:
        step()
        writer.sync()
    return first, second


def test_visits_that_arrive_are_found_and_indexed_as_here(two_laptops):
    ann, ben, writer, reader = two_laptops
    first, second = _record_a_morning(ann, writer)

    report = reader.sync()

    assert report.refused == [] and report.waiting == [] and report.received > 5
    assert _documents(ben) == _documents(ann)  # same text, same order
    assert [v.id for v in visits.search_visits(ben, "whiteboards pace")] == [first]
    assert [v.id for v in visits.search_visits(ben, "questioning")] == [second]
    assert _triggers(ben) == _triggers(ann)

    # The triggers work again for what is written on this laptop afterwards.
    with ben.store.session() as session:
        session.execute(text("UPDATE activity SET strengths = 'Exit tickets' WHERE id = :id"),
                        {"id": second})
    assert [v.id for v in visits.search_visits(ben, "tickets")] == [second]


def test_an_apply_that_fails_leaves_the_triggers_and_the_index_as_they_were(
    two_laptops, monkeypatch
):
    ann, ben, writer, reader = two_laptops
    _record_a_morning(ann, writer)
    before = _triggers(ben)

    def fail(*_args, **_kwargs):
        raise RuntimeError("the laptop lost power at the commit")

    monkeypatch.setattr(SyncEngine, "_record_applied", fail)
    with pytest.raises(RuntimeError):
        reader.sync()

    assert _triggers(ben) == before
    assert _documents(ben) == []
    monkeypatch.undo()
    reader.sync()
    assert _documents(ben) == _documents(ann)

"""Sync rounds between real encrypted stores through the real WsgiDAV server."""

import json

import pytest
from sqlalchemy import func, select

from invictus_desktop.store.models import (
    AppliedSegment,
    KeptConflict,
    OutboxEntry,
    School,
    SyncCursor,
)
from invictus_desktop.sync.errors import RepositoryMismatch
from tests.sync.replicas import (
    add_school,
    engines_in_one_repository,
    introduced_laptops,
    school_names,
)


@pytest.fixture
def laptops(tmp_path):
    with introduced_laptops(tmp_path, "ann", "ben", "cal") as made:
        yield made


@pytest.fixture
def engines(laptops, proxy):
    with engines_in_one_repository(laptops, proxy.url) as made:
        yield made


def outbox_size(laptop) -> int:
    with laptop.store.session() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry))


def test_a_school_made_on_one_laptop_reaches_another(laptops, engines):
    ann, ben, _ = laptops
    school_id = add_school(ann, "Kinver High School", urn="124426")
    before = outbox_size(ben)

    sent = engines[0].sync()
    received = engines[1].sync()

    assert sent.sent >= 1 and received.received >= 1
    assert abs(received.clock_skew_seconds) < 60
    assert school_names(ben)[school_id] == "Kinver High School"
    assert outbox_size(ben) - before == 0  # applied, not queued to be sent again
    with ben.store.session() as session:
        assert session.scalar(select(func.count()).select_from(AppliedSegment)) >= 1


def test_a_second_round_with_nothing_new_changes_nothing(laptops, engines):
    add_school(laptops[0], "Kinver High School")
    engines[0].sync()
    engines[1].sync()

    again = engines[1].sync()

    assert (again.sent, again.received, again.refused) == (0, 0, [])


def test_06_two_laptops_edit_one_field_offline_and_both_values_survive(laptops, engines):
    ann, ben, _ = laptops
    school_id = add_school(ann, "Kinver High School")
    for engine in engines:
        engine.sync()

    for laptop, head in ((ann, "Mrs Ann Example"), (ben, "Mr Ben Example")):
        with laptop.store.session() as session:
            session.get(School, school_id).headteacher_name = head
    for engine in engines + engines:
        engine.sync()

    results = []
    for laptop in laptops:
        with laptop.store.session() as session:
            winner = session.get(School, school_id).headteacher_name
            kept = [
                json.loads(k.value)
                for k in session.scalars(
                    select(KeptConflict).where(KeptConflict.entity_id == school_id)
                )
            ]
        results.append((winner, kept))
    assert results[0] == results[1] == results[2]
    winner, kept = results[0]
    assert sorted([winner, *kept]) == ["Mr Ben Example", "Mrs Ann Example"]


def test_a_later_edit_made_after_seeing_the_first_is_no_conflict(laptops, engines):
    ann, ben, _ = laptops
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    engines[1].sync()
    with ben.store.session() as session:
        session.get(School, school_id).name = "Kinver High"
    engines[1].sync()
    engines[0].sync()

    assert school_names(ann)[school_id] == "Kinver High"
    with ann.store.session() as session:
        assert session.scalar(select(func.count()).select_from(KeptConflict)) == 0


def test_a_deletion_is_a_tombstone_that_a_concurrent_edit_does_not_undo(laptops, engines):
    ann, ben, _ = laptops
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    engines[1].sync()
    with ann.store.session() as session:
        session.delete(session.get(School, school_id))
    with ben.store.session() as session:
        session.get(School, school_id).name = "Renamed while offline"

    for engine in engines[:2] + engines[:2]:
        engine.sync()

    assert school_id not in school_names(ann)
    assert school_id not in school_names(ben)


def test_05_a_different_or_empty_repository_at_the_address_stops_sync(
    laptops, engines, repository
):
    add_school(laptops[0], "Kinver High School")
    identity = repository.root / "invictus-repository.json"
    original = identity.read_bytes()
    identity.write_text(json.dumps({"format": 1, "repository": "f" * 32}))

    with pytest.raises(RepositoryMismatch, match="different repository"):
        engines[0].sync()
    identity.unlink()
    with pytest.raises(RepositoryMismatch, match="no repository"):
        engines[0].sync()

    assert not (repository.root / "partitions" / "trust").exists()  # nothing sent
    identity.write_bytes(original)
    assert engines[0].sync().sent >= 1


def test_cursor_moves_only_with_applied_changes(laptops, engines):
    ann, ben, _ = laptops
    add_school(ann, "Kinver High School")
    engines[0].sync()
    engines[1].sync()

    with ben.store.session() as session:
        cursors = {
            (c.partition, c.device_id): c.applied_seq
            for c in session.scalars(select(SyncCursor))
        }
    assert cursors == {("trust", ann.store.device_id): 1}


def test_a_large_outbox_is_cut_into_segments_under_the_size_cap(
    laptops, engines, monkeypatch
):
    from invictus_desktop.store.models import OutgoingSegment
    from invictus_desktop.sync import outgoing

    ann, ben, _ = laptops
    monkeypatch.setattr(outgoing, "MAX_PAYLOAD_BYTES", 3_000)
    ids = [add_school(ann, f"School {n} " + "é" * 600) for n in range(5)]

    engines[0].sync()
    engines[1].sync()

    with ann.store.session() as session:
        bodies = list(session.scalars(select(OutgoingSegment.body)))
    assert len(bodies) >= 3
    assert max(len(body) for body in bodies) < 6_000  # all five together would be ~8 KB
    assert set(ids) <= set(school_names(ben))


def test_staff_added_to_a_school_deleted_meanwhile_goes_with_it_everywhere(
    laptops, engines
):
    from invictus_desktop.store.models import StaffMember

    ann, ben, _ = laptops
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    engines[1].sync()
    with ben.store.session() as session:
        session.add(StaffMember(school_id=school_id, first_name="Sam", last_name="Lee"))
    with ann.store.session() as session:
        session.delete(session.get(School, school_id))

    reports = [engine.sync() for engine in (engines[0], engines[1], engines[0])]

    assert all(r.refused == [] and r.waiting == [] for r in reports)
    for laptop in (ann, ben):
        with laptop.store.session() as session:
            assert session.scalars(select(StaffMember)).all() == []
            assert session.get(School, school_id) is None

"""Every change to a synced row is queued in the same transaction as the change."""

import json
import threading
from datetime import date

import pytest
from sqlalchemy import select

from invictus_desktop.services.profile import unlock
from invictus_desktop.store import hlc
from invictus_desktop.store.models import (
    ClockState,
    FocusArea,
    OutboxEntry,
    Quad,
    School,
    Trust,
)
from invictus_desktop.store.outbox import APPLYING_REMOTE_CHANGES
from invictus_desktop.store.vocabulary import Term
from tests.conftest import PASSPHRASE


def _outbox(profile) -> list[OutboxEntry]:
    with profile.store.session() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def test_insert_update_delete_are_queued_with_ordered_clocks(new_profile):
    before = len(_outbox(new_profile))
    with new_profile.store.session() as session:
        trust_id = session.scalar(select(Trust.id))
        school = School(trust_id=trust_id, name="Kinver High School", urn="124426")
        session.add(school)
    with new_profile.store.session() as session:
        session.get(School, school.id).headteacher_name = "Mr Example"
    with new_profile.store.session() as session:
        session.delete(session.get(School, school.id))

    entries = _outbox(new_profile)[before:]
    assert [(e.entity, e.operation) for e in entries] == [
        ("school", "upsert"),
        ("school", "upsert"),
        ("school", "delete"),
    ]
    assert json.loads(entries[0].payload)["name"] == "Kinver High School"
    assert json.loads(entries[1].payload) == {"headteacher_name": "Mr Example"}
    assert [e.hlc for e in entries] == sorted(e.hlc for e in entries)
    assert len({e.hlc for e in entries}) == 3


def test_rolled_back_change_leaves_no_outbox_entry(new_profile):
    before = len(_outbox(new_profile))
    with pytest.raises(RuntimeError), new_profile.store.session() as session:
        trust_id = session.scalar(select(Trust.id))
        session.add(School(trust_id=trust_id, name="Crestwood School"))
        session.flush()
        raise RuntimeError("the user's change failed half way")

    assert len(_outbox(new_profile)) == before
    with new_profile.store.session() as session:
        assert session.scalar(select(School).where(School.name == "Crestwood School")) is None


def _newest_entries(profile, count: int) -> list[OutboxEntry]:
    return _outbox(profile)[-count:]


def _december_quad(school: School, reference: str, term: Term = Term.AUTUMN) -> Quad:
    """A QUAD linked to its school only through the relationship (no school_id)."""
    return Quad(
        reference=reference,
        school=school,
        academic_year="2026-27",
        term=term,
        starts_on=date(2026, 12, 8),
        ends_on=date(2026, 12, 9),
    )


def test_a_row_added_only_through_a_relationship_has_its_keys_and_defaults_queued(
    new_profile,
):
    with new_profile.store.session() as session:
        trust = session.scalars(select(Trust)).one()
        school = School(name="Kinver High School")
        trust.schools.append(school)
        quad = _december_quad(school, "Q-2026-1")
        session.add(quad)
        area = FocusArea(title="Maths")
        quad.focus_areas.append(area)

    by_entity = {e.entity: e for e in _newest_entries(new_profile, 3)}
    school_payload = json.loads(by_entity["school"].payload)
    assert school_payload["trust_id"] == trust.id
    assert school_payload["id"] == school.id
    assert school_payload["phase"] == "secondary"  # a column default
    assert school_payload["created_at"] is not None

    quad_payload = json.loads(by_entity["quad"].payload)
    assert quad_payload["school_id"] == school.id
    assert quad_payload["status"] == "planned"
    assert by_entity["quad"].partition == f"quad:{quad.id}"

    area_entry = by_entity["focus_area"]
    area_payload = json.loads(area_entry.payload)
    assert area_entry.partition == f"quad:{quad.id}"  # not "quad:None"
    assert area_payload["quad_id"] == quad.id
    assert area_payload["position"] == 0
    assert area_payload["description"] == ""
    assert None not in (area_payload["created_at"], area_payload["updated_at"])


def test_a_key_changed_through_a_relationship_is_queued(new_profile):
    with new_profile.store.session() as session:
        trust = session.scalars(select(Trust)).one()
        school = School(name="Kinver High School")
        trust.schools.append(school)
        quads = [
            _december_quad(school, f"Q-{n}", term)
            for n, term in enumerate([Term.AUTUMN, Term.SPRING])
        ]
        session.add_all(quads)
        area = FocusArea(title="Maths")
        quads[0].focus_areas.append(area)
    with new_profile.store.session() as session:
        moved = session.get(FocusArea, area.id)
        target = session.get(Quad, quads[1].id)
        target.focus_areas.append(moved)

    (entry,) = _newest_entries(new_profile, 1)
    assert entry.entity == "focus_area"
    assert json.loads(entry.payload)["quad_id"] == quads[1].id
    assert entry.partition == f"quad:{quads[1].id}"


def test_an_unchanged_assignment_queues_nothing(new_profile):
    with new_profile.store.session() as session:
        trust = session.scalars(select(Trust)).one()
        name = trust.name
    before = len(_outbox(new_profile))
    with new_profile.store.session() as session:
        session.get(Trust, trust.id).name = name
    assert len(_outbox(new_profile)) == before


# The clock ---------------------------------------------------------------------


def _rename_trust(profile, name: str) -> str:
    with profile.store.session() as session:
        session.scalars(select(Trust)).one().name = name
    return _newest_entries(profile, 1)[0].hlc


def _clock_row(profile) -> tuple[int, int]:
    with profile.store.session() as session:
        state = session.get(ClockState, 1)
        return state.wall_ms, state.counter


def test_the_clock_row_holds_the_newest_value_issued(new_profile):
    newest = hlc.Hlc.decode(_rename_trust(new_profile, "Renamed"))
    assert _clock_row(new_profile) == (newest.wall_ms, newest.counter)


def test_a_clock_stepped_back_does_not_run_the_clock_backwards(new_profile, monkeypatch):
    first = _rename_trust(new_profile, "Before the step")
    real_now = hlc.now_ms()
    monkeypatch.setattr(hlc, "now_ms", lambda: real_now - 3_600_000)
    second = _rename_trust(new_profile, "After the step")
    third = _rename_trust(new_profile, "Later still")
    assert first < second < third


def test_the_clock_survives_a_restart_with_the_clock_stepped_back(
    new_profile, profile_paths, monkeypatch
):
    before = _rename_trust(new_profile, "Before the restart")
    new_profile.lock()

    real_now = hlc.now_ms()
    monkeypatch.setattr(hlc, "now_ms", lambda: real_now - 86_400_000)
    reopened = unlock(profile_paths, PASSPHRASE)
    try:
        after = _rename_trust(reopened, "After the restart")
        again = _rename_trust(reopened, "And again")
    finally:
        reopened.lock()
    assert before < after < again


def test_the_clock_moves_past_a_value_only_the_outbox_remembers(
    new_profile, profile_paths, monkeypatch
):
    """A clock row written by an older app, or moved back by a stale writer: the
    newest outbox entry is still a floor after a restart."""
    before = _rename_trust(new_profile, "Before")
    with new_profile.store.session() as session:
        session.get(ClockState, 1).wall_ms = 0
    new_profile.lock()

    real_now = hlc.now_ms()
    monkeypatch.setattr(hlc, "now_ms", lambda: real_now - 86_400_000)
    reopened = unlock(profile_paths, PASSPHRASE)
    try:
        assert _rename_trust(reopened, "After") > before
    finally:
        reopened.lock()


def test_the_clock_moves_past_a_value_sync_received(new_profile):
    """Sync moves the clock row itself (through the ORM) when a segment arrives;
    the next local edit must sort after it."""
    _rename_trust(new_profile, "Before")
    future = hlc.now_ms() + 365 * 86_400_000
    with new_profile.store.session() as session:
        session.info[APPLYING_REMOTE_CHANGES] = True
        state = session.get(ClockState, 1)
        state.wall_ms, state.counter = future, 7
    after = hlc.Hlc.decode(_rename_trust(new_profile, "After"))
    assert (after.wall_ms, after.counter) == (future, 8)


def test_a_clock_held_ahead_for_a_million_events_stays_fixed_width_and_ordered(
    new_profile,
):
    """A clock far ahead (a laptop's year typed wrong, received by sync) leaves
    every laptop counting on one wall time; the counter has six digits, and the
    value after the last of them must still decode and sort after it."""
    before = _rename_trust(new_profile, "Before")
    future = hlc.now_ms() + 365 * 86_400_000
    with new_profile.store.session() as session:
        session.info[APPLYING_REMOTE_CHANGES] = True
        state = session.get(ClockState, 1)
        state.wall_ms, state.counter = future, 999_999
    after = _rename_trust(new_profile, "After")
    assert hlc.Hlc.decode(after) > hlc.Hlc.decode(before)
    assert after > f"{future:013d}-999999-"
    remote = hlc.Hlc(future, 999_999, "b" * 32)
    received = hlc.receive(hlc.Hlc(future, 999_999), remote, "a" * 32)
    assert hlc.Hlc.decode(received.encode()) == received
    assert received.encode() > remote.encode()


def test_a_rolled_back_edit_leaves_the_clock_row_and_later_values_increasing(new_profile):
    first = _rename_trust(new_profile, "First")
    with pytest.raises(RuntimeError), new_profile.store.session() as session:
        session.scalars(select(Trust)).one().name = "Never saved"
        session.flush()
        raise RuntimeError("failed half way")
    assert _clock_row(new_profile) == _wall_and_counter(first)

    second = _rename_trust(new_profile, "Second")
    assert second > first
    assert _clock_row(new_profile) == _wall_and_counter(second)


def test_two_stores_on_one_file_never_issue_a_value_below_the_others(
    new_profile, profile_paths, monkeypatch
):
    """Another copy of the app (or the command line) writing to the same store."""
    other = unlock(profile_paths, PASSPHRASE)
    try:
        _rename_trust(new_profile, "One")
        real_now = hlc.now_ms()
        # The other copy runs an hour ahead; this one's clock stays behind it.
        monkeypatch.setattr(hlc, "now_ms", lambda: real_now + 3_600_000)
        ahead = _rename_trust(other, "Two")
        monkeypatch.setattr(hlc, "now_ms", lambda: real_now)
        assert _rename_trust(new_profile, "Three") > ahead
    finally:
        other.lock()


def test_clock_values_from_many_threads_are_distinct_and_ordered_by_seq(new_profile):
    with new_profile.store.session() as session:
        trust_id = session.scalar(select(Trust.id))

    def add_schools(n: int) -> None:
        # Writes only (no read first), so the threads wait for each other's
        # write lock rather than find their snapshot out of date.
        for i in range(10):
            with new_profile.store.session() as session:
                session.add(School(trust_id=trust_id, name=f"School {n}.{i}"))

    before = len(_outbox(new_profile))
    threads = [threading.Thread(target=add_schools, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    entries = _outbox(new_profile)[before:]
    assert len(entries) == 30
    assert [e.hlc for e in entries] == sorted({e.hlc for e in entries})


def _wall_and_counter(text: str) -> tuple[int, int]:
    value = hlc.Hlc.decode(text)
    return value.wall_ms, value.counter


def test_a_row_deleted_while_its_attributes_are_expired_is_queued(new_profile):
    with new_profile.store.session() as session:
        trust = session.scalars(select(Trust)).one()
        school = School(name="Kinver High School")
        trust.schools.append(school)
        quad = _december_quad(school, "Q-gone")
        area = FocusArea(title="Maths")
        quad.focus_areas.append(area)
        session.add(quad)
    with new_profile.store.session() as session:
        doomed = session.get(FocusArea, area.id)
        session.expire(doomed)
        session.delete(doomed)

    (entry,) = _newest_entries(new_profile, 1)
    assert (entry.entity, entry.entity_id, entry.operation) == ("focus_area", area.id, "delete")
    assert entry.partition == f"quad:{quad.id}"

"""Every change to a synced row is queued in the same transaction as the change."""

import json

import pytest
from sqlalchemy import select

from invictus_desktop.store.models import OutboxEntry, School, Trust


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

"""Large rounds: many segments moved a few at a time, confirmed and applied in
batches, and a profile that pulls only the partitions it wants."""

import pytest
from sqlalchemy import func, select

from invictus_desktop.store.models import (
    AppliedSegment,
    OutboxEntry,
    OutgoingSegment,
    Quad,
    School,
    SyncCursor,
)
from invictus_desktop.sync import engine as engine_module
from invictus_desktop.sync import outgoing
from invictus_desktop.sync.merge import FieldHistory
from invictus_desktop.sync.outgoing import load_histories
from invictus_desktop.sync.segment import SegmentRefused
from tests.services.factories import plan_quad
from tests.sync.proxy import Fault
from tests.sync.replicas import (
    add_school,
    add_schools,
    engine_for,
    engines_in_one_repository,
    introduced_laptops,
    school_names,
)


def _count(laptop, model, *where) -> int:
    with laptop.store.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def laptops(tmp_path):
    with introduced_laptops(tmp_path, "ann", "ben") as made:
        yield made


def test_15_many_segments_go_and_arrive_in_several_batches(laptops, proxy, monkeypatch):
    monkeypatch.setattr(outgoing, "MAX_OPS_PER_SEGMENT", 1)
    monkeypatch.setattr(engine_module, "CONFIRM_BATCH", 7)
    monkeypatch.setattr(engine_module, "APPLY_BATCH", 5)
    ann, ben = laptops
    with engines_in_one_repository(laptops, proxy.url) as (writer, reader):
        add_schools(ann, 30)
        proxy.clear()

        sent = writer.sync()
        with ann.store.session() as session:
            written = session.scalar(select(func.count()).select_from(OutgoingSegment))
        assert sent.sent == written and sent.unconfirmed == 0
        assert _count(ann, OutboxEntry, OutboxEntry.sent_in_segment.is_(None)) == 0
        # Confirmed by the folder's listing, not a GET of each segment: the one GET
        # is the repository's identity.
        assert proxy.count("GET") == 1

        received = reader.sync()
        assert received.received == written and received.refused == []
        assert school_names(ben) == school_names(ann)
        with ben.store.session() as session:
            cursor = session.get(SyncCursor, ("trust", ann.store.device_id))
            assert cursor.applied_seq == written
        assert _count(ben, AppliedSegment) == written
        # The transfer threads' sessions are closed with their round.
        assert len(writer.client._sessions) == len(reader.client._sessions) == 1


def test_01_uploads_a_listing_does_not_show_whole_are_read_back_instead(
    laptops, proxy, monkeypatch
):
    """A listing without sizes confirms nothing: each segment is read back."""
    monkeypatch.setattr(outgoing, "MAX_OPS_PER_SEGMENT", 1)
    ann, ben = laptops
    with engines_in_one_repository(laptops, proxy.url) as (writer, reader):
        add_schools(ann, 12)

        def drop_sizes(status, headers, body):
            return status, headers, body.replace(b"getcontentlength>", b"getcontentlengthX>")

        proxy.clear()
        proxy.add(Fault(method="PROPFIND", action="rewrite", rewrite=drop_sizes))
        report = writer.sync()
        with ann.store.session() as session:
            written = session.scalar(select(func.count()).select_from(OutgoingSegment))
        assert report.sent == written and report.unconfirmed == 0
        assert proxy.count("GET") == 1 + written  # the identity, then each segment

        reader.sync()
        assert len(school_names(ben)) == len(school_names(ann))


def test_a_refused_segment_in_a_batch_stops_its_log_there(
    laptops, repository, monkeypatch
):
    monkeypatch.setattr(outgoing, "MAX_OPS_PER_SEGMENT", 1)
    monkeypatch.setattr(engine_module, "APPLY_BATCH", 3)
    ann, ben = laptops
    with engines_in_one_repository(laptops, repository.url) as (writer, reader):
        add_schools(ann, 8)
        writer.sync()

        real_verified = engine_module.SyncEngine._verified

        def refuse_the_fifth(self, session, device_log, name, data, *rest):
            if "-00000005-" in name:
                raise SegmentRefused(engine_module.Refusal.MALFORMED, "test")
            return real_verified(self, session, device_log, name, data, *rest)

        monkeypatch.setattr(engine_module.SyncEngine, "_verified", refuse_the_fifth)
        report = reader.sync()

        assert report.received == 4 and len(report.refused) == 1
        with ben.store.session() as session:
            cursor = session.get(SyncCursor, ("trust", ann.store.device_id))
            assert cursor.applied_seq == 4
        assert _count(ben, AppliedSegment) == 4

        monkeypatch.setattr(engine_module.SyncEngine, "_verified", real_verified)
        reader.sync()
        assert len(school_names(ben)) == len(school_names(ann))


def test_histories_loaded_together_equal_those_loaded_one_by_one(laptops, repository):
    ann, ben = laptops
    with engines_in_one_repository(laptops, repository.url) as (writer, reader):
        first = add_school(ann, "First School")
        second = add_school(ann, "Second School")
        writer.sync()
        reader.sync()
        with ben.store.session() as session:
            session.get(School, first).name = "Renamed on Ben's laptop"
            session.get(School, second).headteacher_name = "A. Head"
        reader.sync()
        writer.sync()
        with ann.store.session() as session:
            session.get(School, first).name = "Renamed again on Ann's"
        add_school(ann, "Third School")

        with ann.store.session() as session:
            entries = list(session.scalars(select(OutboxEntry)))
            together = load_histories(session, entries)
            assert {("school", first), ("school", second)} <= set(together)
            assert together[("school", first)].remote  # Ben's values arrived
            for (entity, entity_id), history in together.items():
                assert history == FieldHistory.load(session, entity, entity_id)


def test_a_profile_that_does_not_want_a_quad_partition_does_not_download_it(
    laptops, proxy
):
    ann, ben = laptops
    planned = plan_quad(ann)
    school_id = add_school(ann, "Kinver High School")
    with engines_in_one_repository(laptops, proxy.url) as (writer, reader):
        reader.wants_partition = lambda partition: partition == "trust"
        writer.sync()
        proxy.clear()

        report = reader.sync()

    assert report.refused == [] and report.waiting == []
    assert school_names(ben)[school_id] == "Kinver High School"
    assert _count(ben, Quad) == 0
    quad_folder = f"quad-{planned.quad_id}"
    assert not [path for _method, path, _status in proxy.seen if quad_folder in path]
    with ben.store.session() as session:
        partitions = set(session.scalars(select(SyncCursor.partition)))
    assert partitions == {"trust"}

    everything = engine_for(ben, proxy.url)  # the default: every partition
    everything.sync()
    assert _count(ben, Quad) == 1
    everything.client.close()

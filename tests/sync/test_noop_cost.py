"""A sync round with nothing new costs the same number of requests whatever the
history: 10 segments or 1,000 (failure mode 15's other half: staying fast)."""

from invictus_desktop.store.models import School, Trust
from invictus_desktop.sync import outgoing
from tests.sync.replicas import engine_for, introduce, make_laptop, school_names


def _noop_requests(tmp_path, repository, segments: int, monkeypatch) -> tuple[int, int]:
    """(writer's, reader's) requests in a round with nothing new, after `segments`."""
    folder = tmp_path / f"history-{segments}"
    ann, ben = make_laptop(folder, "ann"), make_laptop(folder, "ben")
    introduce(ann, ben)
    url = f"{repository.url}history-{segments}/"
    (repository.root / f"history-{segments}").mkdir()
    writer, reader = engine_for(ann, url), engine_for(ben, url)
    writer.create_repository()
    reader.join_repository()

    monkeypatch.setattr(outgoing, "MAX_OPS_PER_SEGMENT", 1)
    with ann.store.session() as session:
        trust = session.query(Trust).first()
        session.add_all(
            School(trust_id=trust.id, name=f"School {n}") for n in range(segments)
        )
    writer.sync()
    reader.sync()
    writer.sync()
    assert len(school_names(ben)) == segments

    counts = []
    for engine in (writer, reader):
        before = engine.client.requests_sent
        report = engine.sync()
        assert (report.sent, report.received) == (0, 0)
        counts.append(engine.client.requests_sent - before)
        engine.client.close()
    ann.lock()
    ben.lock()
    return counts[0], counts[1]


def test_15_a_round_with_nothing_new_costs_the_same_with_10_or_1000_segments(
    tmp_path, repository, monkeypatch
):
    small = _noop_requests(tmp_path, repository, 10, monkeypatch)
    large = _noop_requests(tmp_path, repository, 1_000, monkeypatch)

    assert small == large
    assert max(small) <= 8

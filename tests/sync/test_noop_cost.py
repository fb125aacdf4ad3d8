"""A sync round with nothing new costs the same number of requests whatever the
history: 10 segments or 1,000 (failure mode 15's other half: staying fast); and
so does the app's whole round, publishing and the published library included,
with one published report version or five."""

from invictus_desktop.services import publishing
from invictus_desktop.services.syncing import sync_once
from invictus_desktop.store.models import Role, RoleAssignment, School, Trust
from invictus_desktop.sync import outgoing
from invictus_desktop.sync.connection import RepositoryConnection, save_connection
from tests.sync.publishing_setup import consultant_and_board, finalise, invite
from tests.sync.replicas import (
    add_schools,
    engine_for,
    introduce,
    make_laptop,
    school_names,
)


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


def _full_round_requests(
    tmp_path, repository, proxy, versions: int, segments: int, monkeypatch
) -> dict[str, int]:
    """Requests in the app's whole round (`sync_once`: exchange, publish, fetch
    the library) with nothing new, per laptop, after `versions` published
    report versions and `segments` one-change segments."""
    name = f"published-{versions}"
    folder = tmp_path / name
    (repository.root / name).mkdir()
    url = f"{repository.url}{name}/"
    ann, board, planned = consultant_and_board(folder, url)
    head = make_laptop(folder, "Ruth Linden", role=Role.HEADTEACHER)
    invite(ann, head, url)
    with ann.store.session() as session:
        session.add(RoleAssignment(person_id=head.person_id, role=Role.HEADTEACHER,
                                   school_id=planned.school_id))

    monkeypatch.setattr(outgoing, "MAX_OPS_PER_SEGMENT", 1)
    add_schools(ann, segments)
    for number in range(versions):
        finalise(ann, planned.quad_id, f"Version {number + 1} of the summary.")
    laptops = {"consultant": ann, "board": board, "headteacher": head}
    for _ in range(2):  # everyone has everything, and has sent what they wrote
        for laptop in laptops.values():
            sync_once(laptop)
    assert len(publishing.published_reports(board)) == versions
    assert len(publishing.published_reports(head)) == versions

    counts = {}
    for role, laptop in laptops.items():
        save_connection(laptop.store, RepositoryConnection(f"{proxy.url}{name}/"))
        proxy.clear()
        report = sync_once(laptop)
        assert (report.sent, report.received, report.reports_arrived) == (0, 0, 0)
        assert report.published == report.publishing_problems == []
        counts[role] = len(proxy.seen)
        laptop.lock()
    return counts


def test_15_the_whole_round_with_nothing_new_costs_the_same_with_1_or_5_versions(
    tmp_path, repository, proxy, monkeypatch
):
    small = _full_round_requests(tmp_path, repository, proxy, 1, 10, monkeypatch)
    large = _full_round_requests(tmp_path, repository, proxy, 5, 300, monkeypatch)

    assert small == large
    # Identity, the partitions and each log's newest bucket, one area's listing.
    assert max(small.values()) <= 10

"""Sync rounds under the failures listed in design/sync.md (numbers in test names)."""

import json
import logging
import re
import shutil
import time
from dataclasses import replace
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from invictus_desktop.store import hlc
from invictus_desktop.store.models import (
    AppliedSegment,
    KeptConflict,
    OutboxEntry,
    OutgoingSegment,
    School,
    SyncCursor,
)
from invictus_desktop.sync import layout, outgoing
from invictus_desktop.sync.engine import SyncEngine, SyncReport
from invictus_desktop.sync.errors import NotARepository, RepositoryBusy, RepositoryFull
from invictus_desktop.sync.outgoing import load_author
from invictus_desktop.sync.segment import (
    MAX_SEGMENT_BYTES,
    Header,
    Op,
    Refusal,
    build_segment,
    segment_name,
)
from tests.sync.proxy import Fault, infinite_depth_refused
from tests.sync.replicas import (
    add_school,
    engine_for,
    engines_in_one_repository,
    introduce,
    introduced_laptops,
    make_laptop,
    school_names,
)


@pytest.fixture
def laptops(tmp_path):
    with introduced_laptops(tmp_path, "ann", "ben") as made:
        yield made


@pytest.fixture
def engines(laptops, proxy):
    with engines_in_one_repository(laptops, proxy.url) as made:
        yield made


def count(laptop, model) -> int:
    with laptop.store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def unsent(laptop) -> int:
    with laptop.store.session() as session:
        return session.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.sent_in_segment.is_(None))
        )


def trust_folder(repository, laptop):
    return repository.root / "partitions" / "trust" / laptop.store.device_id / "00000"


def place_in_log(repository, laptop, name: str, data: bytes) -> None:
    """Write a segment straight into the laptop's trust log on the server, as a
    forger or a broken laptop would, past the client's checks."""
    folder = trust_folder(repository, laptop)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def sync_capturing_warnings(engine: SyncEngine, caplog) -> SyncReport:
    """One round, with the engine's warnings (refusals say why there) captured."""
    with caplog.at_level(logging.WARNING, logger="invictus_desktop.sync.engine"):
        return engine.sync()


def cursor_of(reader, writer) -> int:
    with reader.store.session() as session:
        cursor = session.get(SyncCursor, ("trust", writer.store.device_id))
        return cursor.applied_seq if cursor else 0


def test_01_a_push_cut_off_mid_upload_is_completed_and_never_read_half(
    laptops, engines, proxy, repository
):
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    proxy.add(Fault(method="PUT", action="truncate_request", keep_bytes=200))

    engines[0].sync()
    engines[1].sync()

    assert school_names(ben)[school_id] == "Kinver High School"
    assert unsent(ann) == 0


def test_01_04_a_segment_left_truncated_on_the_server_is_waited_for_then_given_back(
    laptops, engines, repository
):
    """A cut-off upload, or a server restored from a backup taken while a segment
    was being written, holds the name with half the bytes: readers wait for it,
    and the writer's next round sends it again whole."""
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    [segment] = trust_folder(repository, ann).iterdir()
    whole = segment.read_bytes()
    segment.write_bytes(whole[: len(whole) // 2])

    report = engines[1].sync()
    assert school_id not in school_names(ben)  # treated as not yet arrived
    assert report.received == 0 and cursor_of(ben, ann) == 0

    repair = engines[0].sync()
    engines[1].sync()

    assert repair.repaired == 1
    assert segment.read_bytes() == whole
    assert school_names(ben)[school_id] == "Kinver High School"


def test_02_a_gap_in_a_log_is_waited_out_and_filled_in_order(laptops, engines, repository):
    ann, ben = laptops
    first = add_school(ann, "First School")
    engines[0].sync()
    second = add_school(ann, "Second School")
    engines[0].sync()
    folder = trust_folder(repository, ann)
    [held_back] = [p for p in folder.iterdir() if "-00000001-" in p.name]
    parked = repository.root / held_back.name
    held_back.rename(parked)

    engines[1].sync()
    assert first not in school_names(ben) and second not in school_names(ben)
    assert cursor_of(ben, ann) == 0

    parked.rename(held_back)
    engines[1].sync()
    assert {first, second} <= set(school_names(ben))
    assert cursor_of(ben, ann) == 2


def test_02_an_edit_stamped_with_an_old_clock_after_seeing_a_newer_one_still_wins(
    laptops, engines, monkeypatch
):
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    engines[1].sync()
    with ben.store.session() as session:
        session.get(School, school_id).name = "Ben's name"
    engines[1].sync()
    engines[0].sync()

    # Ann's laptop clock is now a day slow; she edits what she has just seen.
    real_now = hlc.now_ms()
    monkeypatch.setattr(hlc, "now_ms", lambda: real_now - 86_400_000)
    with ann.store.session() as session:
        session.get(School, school_id).name = "Ann's later name"
    engines[0].sync()
    engines[1].sync()

    assert school_names(ben)[school_id] == "Ann's later name"
    assert count(ben, KeptConflict) == 0


def test_07_a_laptop_clock_in_the_future_does_not_bury_later_edits(
    laptops, engines, monkeypatch
):
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    real_now = hlc.now_ms
    monkeypatch.setattr(hlc, "now_ms", lambda: real_now() + 365 * 86_400_000)
    with ann.store.session() as session:
        session.get(School, school_id).headteacher_name = "From the future"
    engines[0].sync()
    monkeypatch.setattr(hlc, "now_ms", real_now)

    engines[1].sync()
    with ben.store.session() as session:
        session.get(School, school_id).headteacher_name = "Written after reading it"
    engines[1].sync()
    engines[0].sync()

    assert count(ann, KeptConflict) == 0
    with ann.store.session() as session:
        assert session.get(School, school_id).headteacher_name == "Written after reading it"


def test_07_16_a_clock_at_the_end_of_time_is_refused_not_taken_up_by_every_laptop(
    laptops, engines, repository
):
    """A signed op stamped with the largest clock a segment can spell would move
    every reader's clock to it, and their next edits past thirteen digits, which
    no laptop accepts: each reader's own log would stop."""
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    engines[1].sync()
    repository_id = engines[0].check_repository()
    op = _school_op(ann, "The end of time", _trust_id(ann))
    end_of_time = f"9999999999999-999999-{ann.store.device_id}"
    name, data = _forge(
        ann, repository_id, 2, [replace(op, hlc=end_of_time)], created=op.hlc
    )
    place_in_log(repository, ann, name, data)

    report = engines[1].sync()
    with ben.store.session() as session:
        session.get(School, school_id).name = "Renamed after"
    engines[1].sync()
    engines[0].sync()

    assert report.refused and "op clock" in report.refused[0].why
    assert school_names(ann)[school_id] == "Renamed after"


def test_07_a_daylight_saving_change_between_edits_keeps_their_order(
    laptops, engines, monkeypatch
):
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    with ann.store.session() as session:
        session.get(School, school_id).name = "Before the clocks change"
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    with ann.store.session() as session:
        session.get(School, school_id).name = "After the clocks change"
    monkeypatch.delenv("TZ")
    time.tzset()

    engines[0].sync()
    engines[1].sync()
    assert school_names(ben)[school_id] == "After the clocks change"


def test_04_a_repository_restored_from_an_older_backup_gets_our_segments_again(
    laptops, engines, repository, tmp_path
):
    ann, ben = laptops
    first = add_school(ann, "First School")
    engines[0].sync()
    backup = tmp_path / "backup"
    shutil.copytree(repository.root, backup)
    second = add_school(ann, "Second School")
    engines[0].sync()
    engines[1].sync()

    shutil.rmtree(repository.root)
    shutil.copytree(backup, repository.root)
    reader = engines[1].sync()  # the reader is ahead of the server: it deletes nothing
    assert {first, second} <= set(school_names(ben))
    assert reader.refused == []

    writer = engines[0].sync()
    assert writer.repaired == 1
    third_reader = make_laptop(tmp_path, "cal")
    introduce(ann, ben, third_reader)
    cal_engine = engine_for(third_reader, engines[0].client.base_url)
    cal_engine.join_repository()
    cal_engine.sync()
    assert {first, second} <= set(school_names(third_reader))
    cal_engine.client.close()
    third_reader.lock()


def test_08_a_full_server_stops_the_push_and_nothing_is_marked_sent(
    laptops, engines, proxy
):
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    proxy.add(Fault(method="PUT", status=507))

    with pytest.raises(RepositoryFull):
        engines[0].sync()
    assert unsent(ann) > 0

    engines[0].sync()
    engines[1].sync()
    assert school_names(ben)[school_id] == "Kinver High School"


def test_09_stray_and_hidden_files_in_a_log_folder_are_ignored(
    laptops, engines, repository
):
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    folder = trust_folder(repository, ann)
    (folder / ".DS_Store").write_bytes(b"\0\0")
    (folder / "notes.txt").write_text("left by an administrator")
    (
        folder / f"{ann.store.device_id}-00000002-0123456789abcdef.seg.a1b2.uploading"
    ).write_text("")

    report = engines[1].sync()

    assert school_names(ben)[school_id] == "Kinver High School"
    assert report.refused == []


DAV_RESPONSE = re.compile(rb"<(?:\w+:)?response\b.*?</(?:\w+:)?response>", re.S)
DAV_HREF = re.compile(rb"<(?:\w+:)?href>([^<]*)</(?:\w+:)?href>")


def test_09_a_server_that_hides_dot_names_still_lets_two_laptops_converge(
    laptops, engines, proxy, repository
):
    ann, ben = laptops
    hidden: list[str] = []

    def hide_dot_names(status, headers, body):
        def keep(response):
            href = DAV_HREF.search(response.group(0))
            name = unquote(href.group(1).decode()).rstrip("/").rsplit("/", 1)[-1]
            if not name.startswith("."):
                return response.group(0)
            hidden.append(name)
            return b""

        return status, headers, DAV_RESPONSE.sub(keep, body)

    proxy.add(
        Fault(method="PROPFIND", action="rewrite", rewrite=hide_dot_names, times=10**6)
    )
    engines[0].sync()
    (repository.root / "partitions" / ".Trash").mkdir()
    (trust_folder(repository, ann) / ".DS_Store").write_bytes(b"\0\0")
    (repository.root / "partitions" / "trust" / ".sync_state").write_text("x")
    ann_school = add_school(ann, "Kinver High School")
    ben_school = add_school(ben, "Crestwood School")

    reports = [engine.sync() for engine in engines + engines]

    assert school_names(ann) == school_names(ben)
    assert {ann_school, ben_school} <= set(school_names(ben))
    assert all(report.refused == [] and report.waiting == [] for report in reports)
    assert {".Trash", ".DS_Store", ".sync_state"} <= set(hidden)


def _propfind_depths(proxy) -> list[str | None]:
    return [r.header("Depth") for r in proxy.requests if r.method == "PROPFIND"]


def test_09_a_server_that_refuses_infinite_depth_is_never_asked_for_it(
    laptops, engines, proxy
):
    ann, ben = laptops
    proxy.add(infinite_depth_refused())
    add_school(ann, "Kinver High School")
    add_school(ben, "Crestwood School")

    reports = [engine.sync() for engine in engines + engines]

    assert school_names(ann) == school_names(ben)
    assert all(report.refused == [] for report in reports)
    depths = _propfind_depths(proxy)
    assert len(depths) > 10 and set(depths) <= {"0", "1"}  # push and pull listed
    assert 403 not in {status for _, _, status in proxy.seen}


def test_12_etags_that_change_for_nothing_or_never_change_do_not_matter(
    laptops, engines, proxy
):
    ann, ben = laptops
    engines[0].sync()
    engines[1].sync()
    counter = iter(range(10_000))

    def restless_etags(status, headers, body):
        return (
            status,
            headers,
            body.replace(b"<ns0:getetag>", f"<ns0:getetag>{next(counter)}".encode()),
        )

    def stale_etags(status, headers, body):
        import re

        return (
            status,
            headers,
            re.sub(rb"<ns0:getetag>[^<]*<", b'<ns0:getetag>"stale"<', body),
        )

    proxy.add(Fault(method="PROPFIND", action="rewrite", rewrite=restless_etags, times=100))
    proxy.clear()
    proxy.add(Fault(method="PROPFIND", action="rewrite", rewrite=restless_etags, times=100))
    engines[1].sync()
    assert proxy.count("GET") == 1  # the identity file only: nothing downloaded again

    proxy.clear()
    proxy.add(Fault(method="PROPFIND", action="rewrite", rewrite=stale_etags, times=100))
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    engines[1].sync()
    assert school_names(ben)[school_id] == "Kinver High School"


def _forge(laptop, repository_id, seq, ops, **header_changes):
    """A segment signed with `laptop`'s own key, outside its outbox."""
    with laptop.store.session() as session:
        author = load_author(session)
    values = dict(
        repository=repository_id,
        partition="trust",
        device=author.device_id,
        author=author.person_id,
        key=author.signing_public.hex(),
        seq=seq,
        created=ops[0].hlc if ops else f"{hlc.now_ms():013d}-000000-{author.device_id}",
        count=len(ops),
    )
    values.update(header_changes)
    return build_segment(Header(**values), ops, author.signing_private)


def _school_op(laptop, name, trust_id):
    from invictus_desktop.store.models import new_id

    clock = f"{hlc.now_ms():013d}-000000-{laptop.store.device_id}"
    return Op("school", new_id(), "upsert", clock, {"name": name, "trust_id": trust_id})


def _trust_id(laptop):
    from invictus_desktop.store.models import Trust

    with laptop.store.session() as session:
        return session.scalar(select(Trust.id).order_by(Trust.id))


def test_13_the_same_segment_sent_twice_is_applied_once(laptops, engines, repository):
    ann, ben = laptops
    engines[0].sync()
    with ann.store.session() as session:
        body = session.get(OutgoingSegment, ("trust", 1)).body
        name = session.get(OutgoingSegment, ("trust", 1)).name
    path = layout.segment_path("trust", ann.store.device_id, 1, name)
    engines[0].client.put_immutable(path, body)
    engines[1].sync()
    engines[0].client.put_immutable(path, body)

    report = engines[1].sync()

    assert report.received == 0
    assert count(ben, AppliedSegment) == 1


def test_13_16_a_second_different_file_for_one_sequence_number_is_refused(
    laptops, engines, repository, caplog
):
    ann, ben = laptops
    repository_id = engines[0].check_repository()
    engines[0].sync()
    trust_id = _trust_id(ann)
    name, data = _forge(ann, repository_id, 1, [_school_op(ann, "Impostor", trust_id)])
    place_in_log(repository, ann, name, data)

    report = sync_capturing_warnings(engines[1], caplog)

    assert "seq 1 has 2 different files" in caplog.text
    assert report.refused and "Impostor" not in school_names(ben).values()
    assert cursor_of(ben, ann) == 0


@pytest.mark.parametrize(
    "spoil",
    ["malformed", "unsigned", "wrongly_signed", "unknown_key", "foreign", "oversized"],
)
def test_16_bad_segments_are_refused_with_a_clear_log_line_and_nothing_applied(
    laptops, engines, repository, caplog, spoil, tmp_path
):
    ann, ben = laptops
    repository_id = engines[0].check_repository()
    trust_id = _trust_id(ann)
    ops = [_school_op(ann, "Should never appear", trust_id)]
    device = ann.store.device_id
    if spoil == "unknown_key":
        stranger = make_laptop(tmp_path, "stranger")
        name, data = _forge(stranger, repository_id, 1, ops, device=device)
        stranger.lock()
    elif spoil == "foreign":
        name, data = _forge(ann, "e" * 32, 1, ops)
    else:
        name, data = _forge(ann, repository_id, 1, ops)
        magic, signature, body = data.split(b"\n", 2)
        data = {
            "malformed": magic + b"\n" + signature + b"\n{not json",
            "unsigned": magic + b"\n\n" + body,
            "wrongly_signed": magic
            + b"\n"
            + signature
            + b"\n"
            + body.replace(b"Should never", b"Should NEVER"),
            "oversized": data + b" " * (5 * 1024 * 1024),
        }[spoil]
        name = segment_name(device, 1, data)
    place_in_log(repository, ann, name, data)

    report = sync_capturing_warnings(engines[1], caplog)

    assert "Should never appear" not in school_names(ben).values()
    assert cursor_of(ben, ann) == 0
    assert f"refused a segment from device {device}" in caplog.text
    assert len(report.refused) == 1
    if spoil == "oversized":
        assert "too large" in caplog.text and "too large" in report.refused[0].why


def test_16_an_oversized_segment_after_good_ones_is_refused_in_its_turn(
    laptops, engines, repository, caplog
):
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    repository_id = engines[0].check_repository()
    _, data = _forge(ann, repository_id, 2, [_school_op(ann, "Never", _trust_id(ann))])
    oversized = data + b" " * (MAX_SEGMENT_BYTES + 1)
    name = segment_name(ann.store.device_id, 2, oversized)
    place_in_log(repository, ann, name, oversized)

    report = sync_capturing_warnings(engines[1], caplog)
    again = sync_capturing_warnings(engines[1], caplog)

    assert school_names(ben)[school_id] == "Kinver High School"
    assert "Never" not in school_names(ben).values()
    assert cursor_of(ben, ann) == 1
    assert report.refused == again.refused  # every round says so; nothing waits
    assert [(log.why, log.refusal) for log in report.refused] == [
        (f"{name}: too large: more than {MAX_SEGMENT_BYTES} bytes; not read",
         Refusal.OVERSIZED)
    ]
    assert report.waiting == []
    assert caplog.text.count(f"{name}: too large") == 2


def test_16_a_segment_from_a_newer_app_is_reported_as_such_not_as_damage(
    laptops, engines, repository, caplog
):
    ann, ben = laptops
    repository_id = engines[0].check_repository()
    _, data = _forge(ann, repository_id, 1, [_school_op(ann, "From v2", _trust_id(ann))])
    newer = data.replace(b"INVICTUS-SEGMENT/1\n", b"INVICTUS-SEGMENT/2\n", 1)
    name = segment_name(ann.store.device_id, 1, newer)
    place_in_log(repository, ann, name, newer)

    report = sync_capturing_warnings(engines[1], caplog)

    assert "From v2" not in school_names(ben).values()
    assert cursor_of(ben, ann) == 0
    [refused] = report.refused
    assert refused.refusal is Refusal.NEWER_FORMAT
    assert "written by a newer version of the app; update this app" in refused.why
    assert "malformed" not in refused.why
    assert "update this app" in caplog.text


def test_17_a_segment_whose_download_is_cut_off_waits_and_is_never_refused(
    laptops, engines, proxy
):
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    anns_log = f"/{ann.store.device_id}/"
    proxy.add(Fault(method="GET", path_contains=anns_log, action="reset_mid_response"))

    report = engines[1].sync()

    assert report.refused == [] and cursor_of(ben, ann) == 0
    assert engines[1].sync().refused == []
    assert school_names(ben)[school_id] == "Kinver High School"


def test_16_a_valid_segment_replayed_under_a_later_number_is_refused(
    laptops, engines, repository
):
    ann, ben = laptops
    engines[0].sync()
    engines[1].sync()
    [original] = trust_folder(repository, ann).iterdir()
    replayed_name = original.name.replace("-00000001-", "-00000002-")
    (original.parent / replayed_name).write_bytes(original.read_bytes())

    report = engines[1].sync()

    assert report.refused and "00000002" in report.refused[0].why
    assert cursor_of(ben, ann) == 1


def test_14_a_segment_that_could_not_be_sent_is_sent_after_a_restart(
    laptops, engines, proxy, tmp_path
):
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    proxy.add(Fault(method="PUT", status=503, times=100))
    with pytest.raises(RepositoryBusy):
        engines[0].sync()
    with ann.store.session() as session:
        [(name, sent_at)] = session.execute(
            select(OutgoingSegment.name, OutgoingSegment.sent_at)
        ).all()
    assert sent_at is None
    proxy.clear()

    ann.lock()
    from invictus_desktop.services.profile import unlock
    from tests.conftest import PASSPHRASE

    reopened = unlock(ann.paths, PASSPHRASE)
    restarted = engine_for(reopened, proxy.url)
    restarted.sync()
    engines[1].sync()

    with reopened.store.session() as session:
        assert session.execute(select(OutgoingSegment.name)).scalars().all() == [name]
    assert school_names(ben)[school_id] == "Kinver High School"
    restarted.client.close()
    reopened.lock()
    laptops[0] = make_laptop(tmp_path, "spare")  # the fixture locks what it holds


def test_17_a_captive_portal_mid_round_changes_nothing(laptops, engines, proxy):
    ann, _ = laptops
    add_school(ann, "Kinver High School")
    proxy.add(
        Fault(method="GET", path_contains="invictus-repository", action="captive_portal")
    )

    with pytest.raises(NotARepository, match="sign in"):
        engines[0].sync()
    assert count(ann, OutgoingSegment) == 0 and unsent(ann) > 0

    engines[0].sync()
    assert unsent(ann) == 0


def test_17_connections_reset_during_a_round_lose_nothing(laptops, engines, proxy):
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    proxy.add(Fault(method="GET", path_contains=".seg", action="reset_mid_response"))
    proxy.add(Fault(method="PROPFIND", action="reset_before"))

    engines[1].sync()
    engines[1].sync()

    assert school_names(ben)[school_id] == "Kinver High School"


def test_15_a_large_first_sync_uses_one_request_per_segment(
    laptops, engines, proxy, monkeypatch
):
    ann, ben = laptops
    monkeypatch.setattr(outgoing, "MAX_OPS_PER_SEGMENT", 1)
    for number in range(300):
        add_school(ann, f"School {number}")
    engines[0].sync()
    proxy.clear()

    report = engines[1].sync()

    written = count(ann, OutgoingSegment)
    assert written > 300 and report.received >= written
    assert len(school_names(ben)) == 300
    downloads = [p for m, p, _ in proxy.seen if m == "GET" and ann.store.device_id in p]
    assert len(downloads) == written  # one GET per segment, nothing fetched twice
    assert proxy.count("PROPFIND") <= 8


def test_conflict_values_are_kept_as_json(laptops, engines):
    ann, ben = laptops
    school_id = add_school(ann, "Kinver High School")
    engines[0].sync()
    engines[1].sync()
    for laptop, name in ((ann, "A"), (ben, "B")):
        with laptop.store.session() as session:
            session.get(School, school_id).name = name
    engines[0].sync()
    engines[1].sync()

    with ben.store.session() as session:
        [kept] = session.scalars(select(KeptConflict)).all()
    assert json.loads(kept.value) in ("A", "B")
    assert kept.field == "name" and kept.entity == "school"


def test_16_an_enrolled_colleague_cannot_write_into_someone_elses_log(
    laptops, engines, repository, tmp_path
):
    ann, ben = laptops
    cal = make_laptop(tmp_path, "cal")
    introduce(ann, ben, cal)
    repository_id = engines[0].check_repository()
    engines[0].sync()
    engines[1].sync()
    ops = [_school_op(ann, "Written under Ann's name", _trust_id(ann))]
    name, data = _forge(cal, repository_id, 2, ops, device=ann.store.device_id)
    place_in_log(repository, ann, name, data)

    report = engines[1].sync()

    assert report.refused and "not the log's owner" in report.refused[0].why
    assert "Written under Ann's name" not in school_names(ben).values()
    assert cursor_of(ben, ann) == 1
    cal.lock()

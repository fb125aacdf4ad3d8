"""Publishing and the Board's library under the failures of design/sync.md
(numbers in test names), through the fault-injecting proxy, and against
hostile listings and manifests."""

import functools
import json

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from invictus_desktop.cli.main import main
from invictus_desktop.services import publishing
from invictus_desktop.services.syncing import sync_once
from invictus_desktop.store.models import PublishedReport, Setting
from invictus_desktop.sync import connection as connection_module
from invictus_desktop.sync import publication
from invictus_desktop.sync.connection import RepositoryConnection, save_connection
from invictus_desktop.sync.errors import NotARepository
from invictus_desktop.sync.webdav import WebDavClient
from tests.conftest import PASSPHRASE
from tests.sync.conftest import QUICK_RETRIES
from tests.sync.proxy import Fault, infinite_depth_refused
from tests.sync.publishing_setup import consultant_and_board, finalise

ATTEMPTS = QUICK_RETRIES.attempts


@pytest.fixture
def quick_clients(monkeypatch):
    """Rounds run by `sync_once` retry quickly and never really sleep."""
    monkeypatch.setattr(
        connection_module,
        "WebDavClient",
        functools.partial(WebDavClient, retry=QUICK_RETRIES, read_timeout=5,
                          sleep=lambda _s: None),
    )


@pytest.fixture
def trust(tmp_path, repository, proxy, quick_clients):
    """A consultant with a planned QUAD and a Board member, both syncing through
    the proxy; the consultant has finalised version 1."""
    ann, board, planned = consultant_and_board(tmp_path, repository.url)
    for laptop in (ann, board):
        save_connection(laptop.store, RepositoryConnection(proxy.url))
    reference = json.loads(finalise(ann, planned.quad_id, "Leaders know.").manifest)[
        "reference"
    ]
    yield ann, board, reference
    ann.lock()  # harmless if a test locked it for the command line
    board.lock()


def board_dir(repository, reference, number=1):
    return repository.root / publication.board_folder(reference, number)


def kept(laptop) -> int:
    with laptop.store.session() as session:
        return session.scalar(select(func.count()).select_from(PublishedReport))


def marks(laptop, prefix) -> int:
    with laptop.store.session() as session:
        return session.scalar(
            select(func.count()).select_from(Setting).where(Setting.key.startswith(prefix))
        )


def verifies(board, reference, number=1) -> bool:
    entry = publishing.find_published(board, reference, number)
    _, verification = publishing.open_published(board, entry.folder)
    return verification.ok


# 1, 17: an upload cut off ---------------------------------------------------------


def test_01_a_pdf_upload_cut_off_every_time_is_reported_and_completed_next_round(
    trust, proxy, repository
):
    ann, board, reference = trust
    proxy.add(Fault(method="PUT", path_contains="report.pdf", action="truncate_request",
                    keep_bytes=2000, times=ATTEMPTS))

    report = sync_once(ann)  # the round itself does not fail

    assert report.published == []
    assert len(report.publishing_problems) == 1
    assert report.publishing_problems[0].startswith(f"not published: {reference} version 1")
    assert not (board_dir(repository, reference) / "manifest.json").exists()
    assert sync_once(board).reports_arrived == 0  # no manifest: not complete

    assert sync_once(ann).published == [f"{reference} version 1"]
    assert sync_once(board).reports_arrived == 1
    assert verifies(board, reference)


def test_01_a_truncated_pdf_the_server_kept_is_replaced_before_the_manifest(
    trust, repository
):
    ann, board, reference = trust
    report = sync_once(ann)
    folder = board_dir(repository, reference)
    whole = (folder / "report.pdf").read_bytes()
    # As if the earlier attempt died after a truncated PDF: remove the manifest
    # and the mark, keep half the PDF.
    (folder / "manifest.json").unlink()
    (folder / "report.pdf").write_bytes(whole[: len(whole) // 2])
    with ann.store.session() as session:
        session.execute(
            Setting.__table__.delete().where(Setting.key.startswith("published:"))
        )
    assert report.published

    assert sync_once(ann).published == [f"{reference} version 1"]
    assert (folder / "report.pdf").read_bytes() == whole
    assert sync_once(board).reports_arrived == 1
    assert verifies(board, reference)


# 8: 507, 423, 503 ---------------------------------------------------------------------


def test_08_a_full_repository_while_publishing_exits_4_then_0(
    trust, proxy, repository, monkeypatch, capsys
):
    ann, _, reference = trust
    ann_dir = str(ann.paths.root)
    ann.lock()
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    proxy.add(Fault(method="PUT", path_contains="report.pdf", status=507, times=1))

    assert main(["--profile", ann_dir, "sync"]) == 4
    out, err = capsys.readouterr()
    assert "sent " in out  # the round's exchange is still reported
    assert f"not published: {reference} version 1" in err and "out of space" in err
    assert not (board_dir(repository, reference) / "manifest.json").exists()

    assert main(["--profile", ann_dir, "sync"]) == 0
    assert f"published {reference} version 1" in capsys.readouterr().out


def test_08_a_503_with_retry_after_while_publishing_is_waited_out(trust, proxy):
    ann, board, reference = trust
    proxy.add(Fault(method="PUT", path_contains="manifest.json", status=503,
                    headers={"Retry-After": "1"}, times=1))

    report = sync_once(ann)

    assert report.published == [f"{reference} version 1"]
    assert report.publishing_problems == []
    assert ("PUT", 503) in {(m, s) for m, p, s in proxy.seen if "manifest.json" in p}
    assert sync_once(board).reports_arrived == 1


def test_08_a_423_that_does_not_clear_leaves_the_version_pending(trust, proxy, repository):
    ann, board, reference = trust
    proxy.add(Fault(method="PUT", path_contains="manifest.json", status=423, times=ATTEMPTS))

    report = sync_once(ann)

    assert report.published == [] and "busy" in report.publishing_problems[0]
    assert marks(ann, publishing.PUBLISHED_MARK) == 0
    assert sync_once(board).reports_arrived == 0
    assert sync_once(ann).published == [f"{reference} version 1"]
    assert sync_once(board).reports_arrived == 1
    assert verifies(board, reference)


def test_08_a_503_while_the_board_fetches_keeps_what_arrived(trust, proxy):
    ann, board, reference = trust
    finalise(ann, *_quad_of(ann), "Second version.")
    sync_once(ann)
    # Versions are fetched newest first; version 1's PDF keeps failing.
    proxy.add(Fault(method="GET", path_contains=f"{reference}-v0001/report.pdf",
                    status=503, times=ATTEMPTS))

    report = sync_once(board)

    assert report.reports_arrived == 1
    assert "not all fetched" in report.publishing_problems[0]
    assert [e.number for e in publishing.published_reports(board)] == [2]
    assert sync_once(board).reports_arrived == 1
    assert verifies(board, reference, 1) and verifies(board, reference, 2)


# 9: only shallow listings ----------------------------------------------------------


def test_09_publishing_and_fetching_never_ask_for_infinite_depth(trust, proxy):
    ann, board, reference = trust
    proxy.add(infinite_depth_refused())

    published, fetched = sync_once(ann), sync_once(board)

    assert published.published == [f"{reference} version 1"]
    assert fetched.reports_arrived == 1 and verifies(board, reference)
    assert published.publishing_problems == fetched.publishing_problems == []
    depths = [r.header("Depth") for r in proxy.requests if r.method == "PROPFIND"]
    assert depths and set(depths) <= {"0", "1"}
    assert 403 not in {status for _, _, status in proxy.seen}


def _quad_of(ann):
    from invictus_desktop.store.models import Quad

    with ann.store.session() as session:
        return (session.scalar(select(Quad.id)),)


# 11: create-only writes ignored -------------------------------------------------------


@pytest.fixture
def if_none_match_ignored(monkeypatch):
    """The server behind the proxy never sees If-None-Match (as nginx ignores it)."""
    from tests.sync import proxy as proxy_module

    real = proxy_module._upstream_bytes

    def without_header(upstream, request):
        request.headers = {k: v for k, v in request.headers.items()
                           if k.lower() != "if-none-match"}
        return real(upstream, request)

    monkeypatch.setattr(proxy_module, "_upstream_bytes", without_header)


def _impostor(repository, reference):
    """Another complete version 1 in the Board's area (someone else's)."""
    folder = board_dir(repository, reference)
    folder.mkdir(parents=True)
    files = {
        "manifest.json": json.dumps({"kind": "someone else's", "reference": reference,
                                     "version": 1}).encode(),
        "manifest.sig": bytes(range(64)),
        "report.pdf": b"%PDF-1.4 someone else's report",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder, files


def test_11_a_complete_folder_is_not_written_into_when_its_manifest_read_is_cut_off(
    trust, proxy, repository, if_none_match_ignored
):
    ann, _, reference = trust
    folder, files = _impostor(repository, reference)
    proxy.add(Fault(method="GET", path_contains=f"{reference}-v0001/manifest.json",
                    action="truncate_response", keep_bytes=5, times=1))

    report = sync_once(ann)

    assert report.publish_clashes == [f"{reference} version 1"]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files
    assert not [
        (m, p) for m, p, _ in proxy.seen
        if m in ("PUT", "MOVE") and f"board/{reference}-v0001/" in p
    ]
    assert marks(ann, publishing.PUBLISHED_MARK) == 0  # tried (and reported) again


def test_11_a_manifest_that_lands_before_ours_is_kept_when_if_none_match_is_ignored(
    trust, proxy, repository, if_none_match_ignored
):
    ann, _, reference = trust
    folder = board_dir(repository, reference)
    theirs = b'{"kind": "someone else\'s"}'

    def their_manifest_lands(status, headers, body):
        (folder / "manifest.json").write_bytes(theirs)
        return status, headers, body

    # Between our signature going up and our manifest: their manifest arrives.
    proxy.add(Fault(method="MOVE", path_contains=f"board/{reference}-v0001/manifest.sig",
                    action="rewrite", rewrite=their_manifest_lands, times=1))

    report = sync_once(ann)

    assert report.publish_clashes == [f"{reference} version 1"]
    assert (folder / "manifest.json").read_bytes() == theirs
    assert marks(ann, publishing.PUBLISHED_MARK) == 0


# 17: a captive portal -----------------------------------------------------------------


def test_17_a_sign_in_page_instead_of_the_pdf_is_fetched_again_and_mended(trust, proxy):
    ann, board, reference = trust
    sync_once(ann)
    proxy.add(Fault(method="GET", path_contains="report.pdf", action="captive_portal"))

    assert sync_once(board).reports_arrived == 1

    entry = publishing.find_published(board, reference)
    pdf, verification = publishing.open_published(board, entry.folder)
    assert not verification.ok and pdf.startswith(b"<!DOCTYPE html>")
    assert "fetched again at the next sync" in verification.problems[-1]

    assert sync_once(board).reports_arrived == 0  # mended, not a new arrival
    pdf, verification = publishing.open_published(board, entry.folder)
    assert verification.ok, verification.problems
    assert pdf.startswith(b"%PDF")
    assert marks(board, publishing.REFETCH_MARK) == 0


def test_17_a_sign_in_page_instead_of_the_manifest_is_not_kept(trust, proxy):
    ann, board, reference = trust
    sync_once(ann)
    proxy.add(Fault(method="GET", path_contains="manifest.json", action="captive_portal"))

    assert sync_once(board).reports_arrived == 0
    assert kept(board) == 0
    assert sync_once(board).reports_arrived == 1
    assert verifies(board, reference)


def test_17_a_sign_in_page_for_the_whole_round_fails_it_and_keeps_nothing(trust, proxy):
    ann, board, _ = trust
    sync_once(ann)
    proxy.add(Fault(action="captive_portal", times=1000))

    with pytest.raises(NotARepository):
        sync_once(board)
    assert kept(board) == 0


# 3: a reader killed between fetching and storing --------------------------------------


def test_03_a_reader_that_dies_before_storing_keeps_nothing_and_fetches_again(
    trust, monkeypatch
):
    ann, board, reference = trust
    sync_once(ann)
    real = publication.fetch_files

    def fetched_then_killed(*args):
        real(*args)
        raise KeyboardInterrupt

    monkeypatch.setattr(publication, "fetch_files", fetched_then_killed)
    with pytest.raises(KeyboardInterrupt):
        sync_once(board)
    assert kept(board) == 0

    monkeypatch.setattr(publication, "fetch_files", real)
    assert sync_once(board).reports_arrived == 1
    assert verifies(board, reference)


def test_03_a_reader_that_dies_while_storing_keeps_nothing_half(trust):
    ann, board, reference = trust
    sync_once(ann)

    def die_mid_write(session, _context, _instances):
        if any(isinstance(obj, PublishedReport) for obj in session.new):
            raise KeyboardInterrupt

    event.listen(Session, "before_flush", die_mid_write)
    try:
        with pytest.raises(KeyboardInterrupt):
            sync_once(board)
    finally:
        event.remove(Session, "before_flush", die_mid_write)
    assert kept(board) == 0 and marks(board, publishing.REFETCH_MARK) == 0

    assert sync_once(board).reports_arrived == 1
    assert verifies(board, reference)


# Hostile listings and manifests ------------------------------------------------------


def test_a_folder_listed_twice_is_kept_once(trust, proxy):
    ann, board, reference = trust
    sync_once(ann)

    def listed_twice(status, headers, body):
        """The folder's <response> element, repeated."""
        name = body.index(f"{reference}-v0001".encode())
        start = body.rindex(b"<", 0, body.rindex(b"response>", 0, name))
        end = body.index(b"response>", name) + len(b"response>")
        return status, headers, body[:end] + body[start:end] + body[end:]

    proxy.add(Fault(method="PROPFIND", path_contains="/board/", action="rewrite",
                    rewrite=listed_twice))

    assert sync_once(board).reports_arrived == 1
    assert kept(board) == 1


def test_a_folder_named_with_other_scripts_digits_is_ignored(trust, repository):
    ann, board, reference = trust
    sync_once(ann)
    real = board_dir(repository, reference)
    twin = real.parent / f"{reference}-v\u0660\u0660\u0660\u0661"  # Arabic-Indic 0001
    twin.mkdir()
    for path in real.iterdir():
        (twin / path.name).write_bytes(path.read_bytes())

    assert sync_once(board).reports_arrived == 1
    assert [e.folder for e in publishing.published_reports(board)] == [
        publication.board_folder(reference, 1)
    ]


@pytest.mark.parametrize(
    "manifest",
    [
        b"[" * 30_000 + b"]" * 30_000,  # nested past the parser's recursion limit
        json.dumps({"kind": "invictus-report-manifest", "reference": "ODD",
                    "version": True, "signer_id": "x"}).encode(),  # true == 1
        json.dumps({"kind": "invictus-report-manifest", "reference": "ODD",
                    "version": 1, "signer_id": ["x"]}).encode(),
    ],
    ids=["deeply-nested", "version-true", "signer-not-text"],
)
def test_a_hostile_manifest_is_not_kept_and_fails_nothing(trust, repository, manifest):
    _, board, _ = trust
    folder = repository.root / "board" / "ODD-v0001"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_bytes(manifest)
    (folder / "manifest.sig").write_bytes(bytes(64))
    (folder / "report.pdf").write_bytes(b"%PDF-1.4")

    report = sync_once(board)

    assert report.reports_arrived == 0 and report.publishing_problems == []
    assert kept(board) == 0


def test_a_long_listing_is_fetched_a_few_versions_a_round(trust, monkeypatch):
    ann, board, _ = trust
    finalise(ann, *_quad_of(ann), "Second version.")
    finalise(ann, *_quad_of(ann), "Third version.")
    sync_once(ann)
    monkeypatch.setattr(publishing, "MAX_FETCHES_PER_ROUND", 2)

    assert sync_once(board).reports_arrived == 2
    assert [e.number for e in publishing.published_reports(board)] == [3, 2]  # newest first
    assert sync_once(board).reports_arrived == 1
    assert sync_once(board).reports_arrived == 0


def test_08_the_status_bar_says_online_and_names_what_was_not_published(
    qtbot, trust, proxy
):
    from invictus_desktop.gui.sync_indicator import SyncIndicator
    from invictus_desktop.gui.tasks import TaskRunner

    ann, _, reference = trust
    proxy.add(Fault(method="PUT", path_contains="report.pdf", status=507, times=1))
    indicator = SyncIndicator(ann, TaskRunner(synchronous=True))

    with qtbot.waitSignal(indicator.round_finished, timeout=20_000) as finished:
        indicator.sync_now()

    assert finished.args == [True]  # changes went through: not "Offline"
    assert indicator.label.text().startswith("Online · synced ")
    assert "publishing incomplete, will retry" in indicator.label.text()
    assert f"not published: {reference} version 1" in indicator.label.toolTip()
    assert "out of space" in indicator.label.toolTip()
    indicator.stop()

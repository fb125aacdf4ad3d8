"""The Board's reader: published reports by school and term, opened and verified,
and a Board member's window showing nothing else."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument

from invictus_desktop.gui.pages.published import FOLDER_ROLE, PublishedPage
from invictus_desktop.services.profile import NewProfile, create_profile
from invictus_desktop.services.syncing import sync_once
from invictus_desktop.store.models import Role
from invictus_desktop.sync import publication
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import HeldRunner
from tests.gui.test_main_window import open_main
from tests.services.factories import plan_quad
from tests.sync.conftest import repository  # noqa: F401  (a fixture used below)
from tests.sync.publishing_setup import connect, finalise, invite
from tests.sync.replicas import make_laptop


@pytest.fixture
def board_member(tmp_path, profile_paths, repository):  # noqa: F811
    """A Board member's profile (at `profile_paths`) whose library holds two
    versions of one report; on the server, version 1's PDF was altered first."""
    ann = make_laptop(tmp_path, "ann")
    connect(ann, repository.url, create=True)
    planned = plan_quad(ann)
    spec = NewProfile(name="Beatrice Okafor", role=Role.BOARD_MEMBER, passphrase=PASSPHRASE)
    board, _ = create_profile(profile_paths, spec, kdf_params=FAST_KDF)
    invite(ann, board, repository.url)

    first = finalise(ann, planned.quad_id, "Leaders know the school well.")
    finalise(ann, planned.quad_id, "Maths must improve; reading is strong.")
    sync_once(ann)
    reference = first.manifest.split('"reference":"')[1].split('"')[0]
    altered = repository.root / publication.board_folder(reference, 1) / "report.pdf"
    altered.write_bytes(altered.read_bytes().replace(b"PDF Library", b"PDF Librarz", 1))
    sync_once(board)
    ann.lock()
    yield board
    if board.store is not None:
        board.lock()


def _items(tree):
    found = []

    def walk(item, depth):
        found.append(("  " * depth) + item.text(0))
        for index in range(item.childCount()):
            walk(item.child(index), depth + 1)

    for index in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(index), 0)
    return found


def test_versions_are_listed_by_school_and_term_and_the_newest_verifies(
    qtbot, runner, board_member
):
    page = PublishedPage(board_member, runner)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()

    page.page_shown()

    reference = page.tree.currentItem().data(0, FOLDER_ROLE).split("/")[1][:-6]
    assert _items(page.tree) == [
        "Kinver High School",
        "  Autumn 2026-27",
        f"    {reference} v2 · newest",
        f"    {reference} v1",
    ]
    qtbot.waitUntil(lambda: page.pane.document.status() is QPdfDocument.Status.Ready)
    assert page.verdict.property("tone") == "success"
    assert page.verdict.text().startswith("Verified: signed by ann")
    assert page.pane.document.pageCount() >= 2


def test_an_altered_version_is_flagged_not_trusted(qtbot, runner, board_member):
    page = PublishedPage(board_member, runner)
    qtbot.addWidget(page)
    page.page_shown()
    term = page.tree.topLevelItem(0).child(0)

    page.tree.setCurrentItem(term.child(1))

    assert page.verdict.property("tone") == "error"
    assert "Do not rely on this copy" in page.verdict.text()
    assert "board PDF differs from the one that was signed" in page.verdict.text()

    page.clear_data()
    assert page.tree.topLevelItemCount() == 0 and page.pane.document.pageCount() == 0


def test_a_board_member_sees_no_visit_records_and_reads_published_reports(
    qtbot, board_member, make_controller
):
    board_member.lock()
    window = open_main(make_controller(), qtbot)

    titles = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert titles == ["Overview", "Schools", "QUADs", "Published reports", "Repository"]

    page = window.show_page(PublishedPage.key)
    assert page.tree.topLevelItemCount() == 1
    qtbot.mouseClick(page.fetch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "synced" in window.sync.label.text())


def test_a_copy_that_opens_late_does_not_replace_the_one_chosen_since(
    qtbot, board_member
):
    held = HeldRunner()
    page = PublishedPage(board_member, held)
    qtbot.addWidget(page)
    page.page_shown()
    held.finish(0)  # the list; the newest version starts opening
    term = page.tree.topLevelItem(0).child(0)
    assert page.tree.currentItem() is term.child(0)

    page.tree.setCurrentItem(term.child(1))  # the altered version 1
    held.finish(1)  # version 1 opens first: not to be trusted
    held.finish(0)  # then version 2, chosen before it, arrives late

    assert page.title_label.text().endswith("version 1 · Board copy")
    assert page.verdict.property("tone") == "error"
    assert "Do not rely on this copy" in page.verdict.text()


def test_a_bug_while_opening_says_where_the_details_are(
    qtbot, runner, board_member, monkeypatch
):
    from invictus_desktop.gui.pages import published

    def broken(_profile, _folder):
        raise RuntimeError("a bug")

    monkeypatch.setattr(published, "open_published", broken)
    page = PublishedPage(board_member, runner)
    qtbot.addWidget(page)

    page.page_shown()

    assert page.verdict.property("tone") == "error"
    assert page.verdict.text() == (
        "Something went wrong inside the app (a bug, not your doing). "
        f"Details are in the log in {board_member.paths.logs}."
    )

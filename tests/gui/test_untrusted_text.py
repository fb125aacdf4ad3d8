"""Text that comes from outside (a join request file, a manifest not yet
verified) is shown as text on screen, never as markup."""

import json

import pytest
from PySide6.QtCore import Qt

from invictus_desktop.errors import UserFacingError
from invictus_desktop.gui.pages.published import FOLDER_ROLE, PublishedPage
from invictus_desktop.gui.pages.repository import RepositoryPage
from invictus_desktop.reporting.audience import Variant
from invictus_desktop.services.publishing import PublishedEntry
from invictus_desktop.services.trust_repository import read_join_request
from invictus_desktop.sync.enrol import make_join_request
from tests.sync.replicas import make_laptop

MARKUP = '<b style="color:green">Verified</b> <img src="file:///etc/passwd">'


def test_a_join_request_name_is_shown_as_plain_text(qtbot, runner, tmp_path):
    ann = make_laptop(tmp_path, "ann")
    newcomer = make_laptop(tmp_path, "ben")
    request = make_join_request(newcomer.store)
    request["name"] = MARKUP + "\x1b[2J" + "x" * 1000
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request))
    page = RepositoryPage(ann, runner)
    qtbot.addWidget(page)

    page.open_join_request(path)

    qtbot.waitUntil(lambda: page.request is not None)
    assert page.request_label.textFormat() == Qt.TextFormat.PlainText
    assert MARKUP in page.request_label.text()
    assert "\x1b" not in page.request.name and len(page.request.name) == 200
    ann.lock()
    newcomer.lock()


def test_a_join_request_nested_without_end_is_refused_plainly(tmp_path):
    path = tmp_path / "request.json"
    path.write_text("[" * 100_000 + "]" * 100_000)

    with pytest.raises(UserFacingError, match="is not a join request"):
        read_join_request(path)


def test_a_published_reports_school_and_signer_are_not_markup(qtbot, runner, tmp_path):
    board = make_laptop(tmp_path, "bea")
    page = PublishedPage(board, runner)
    qtbot.addWidget(page)
    entry = PublishedEntry("board/ODD-v0001/", Variant.BOARD, "ODD", 1, MARKUP,
                           "Autumn 2026-27", MARKUP, "2026-12-03T10:00:00", newest=True)

    page._show_entries([entry])

    item = page.tree.currentItem()
    assert item.data(0, FOLDER_ROLE) == entry.folder
    assert page.title_label.textFormat() == Qt.TextFormat.PlainText
    assert page.title_label.text().startswith(MARKUP)
    assert "<b " not in item.toolTip(0) and "&lt;b " in item.toolTip(0)
    assert item.text(1) == "3 Dec 2026"
    board.lock()

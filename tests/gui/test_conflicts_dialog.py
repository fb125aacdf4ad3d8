"""The edits-to-choose dialog and the status bar's count, on profiles that
synced a real conflict through the real WsgiDAV server."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from invictus_desktop.gui.dialogs.conflicts import ConflictsDialog
from invictus_desktop.gui.sync_indicator import SyncIndicator
from invictus_desktop.store.models import School
from invictus_desktop.sync.connection import RepositoryConnection, save_connection
from tests.sync.conftest import repository  # noqa: F401  (the real server)
from tests.sync.replicas import (
    add_school,
    consultants_and_board_member,
    edit_concurrently,
    engine_for,
    engines_in_one_repository,
)


@pytest.fixture
def laptops(tmp_path, repository):  # noqa: F811
    """Ann (consultant, connected), Ben (consultant) and Cal (Board member):
    Ann's and Ben's headteacher edits of one school crossed."""
    ann, ben, cal = consultants_and_board_member(tmp_path)
    with engines_in_one_repository([ann, ben, cal], repository.url) as engines:
        school_id = add_school(ann, "Kinver High School")
        for engine in engines:
            engine.sync()
    edit_concurrently(repository.url, [ann, ben], school_id, "headteacher_name",
                      ["Mrs Ann Head", "Mr Ben Head"])
    board_engine = engine_for(cal, repository.url)
    board_engine.sync()
    board_engine.client.close()
    save_connection(ann.store, RepositoryConnection(
        url=repository.url, username=None, password=None, trusted_certificate=None))
    yield ann, ben, cal, school_id
    for laptop in (ann, ben, cal):
        laptop.lock()


def test_the_status_bar_counts_the_edits_to_choose(qtbot, runner, laptops):
    ann = laptops[0]
    indicator = SyncIndicator(ann, runner)

    assert indicator.conflicts_button.text() == "1 edit to choose"
    assert not indicator.conflicts_button.isHidden()
    with qtbot.waitSignal(indicator.conflicts_action.triggered):
        indicator.conflicts_button.click()
    indicator.stop()
    assert indicator.conflicts_button.isHidden()


def test_the_values_stand_side_by_side_and_one_is_chosen_from_the_keyboard(
    qtbot, runner, laptops
):
    ann, _, _, school_id = laptops
    dialog = ConflictsDialog(ann, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    assert dialog.conflict_list.count() == 1
    assert "Kinver High School" in dialog.conflict_list.item(0).text()
    shown = [edit.toPlainText() for edit in dialog.findChildren(QPlainTextEdit)]
    assert sorted(shown) == ["Mr Ben Head", "Mrs Ann Head"]
    assert [b.text().replace("&", "") for b in dialog.value_buttons] == [
        "Use value 1 (keep)", "Use value 2",
    ]
    second = next(e for e in dialog.findChildren(QPlainTextEdit)
                  if e.accessibleName() == "Value 2")
    kept_text = second.toPlainText()

    dialog.value_buttons[1].setFocus()
    with qtbot.waitSignal(dialog.settled):
        qtbot.keyClick(dialog.value_buttons[1], Qt.Key.Key_Space)

    assert dialog.conflict_list.count() == 0
    assert "Nothing to choose" in dialog._heading.text()
    assert "reaches everyone" in dialog.message.text()
    with ann.store.session() as session:
        assert session.get(School, school_id).headteacher_name == kept_text


def test_someone_who_may_not_edit_the_school_sees_why_and_cannot_choose(
    qtbot, runner, laptops
):
    cal = laptops[2]
    dialog = ConflictsDialog(cal, runner)
    qtbot.addWidget(dialog)

    assert dialog.conflict_list.count() == 1
    assert all(not button.isEnabled() for button in dialog.value_buttons)
    assert "may not change" in dialog._refusal.text()


def test_the_profile_menu_opens_the_dialog(qtbot, signed_in):
    _, window = signed_in

    window.sync.conflicts_action.trigger()

    dialog = window.findChild(ConflictsDialog)
    assert dialog is not None and dialog.isVisible()
    assert "Nothing to choose" in dialog._heading.text()
    dialog.close()

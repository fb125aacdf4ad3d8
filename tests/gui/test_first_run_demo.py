"""Explore the demo trust straight from the first-run window."""

import pytest
from PySide6.QtCore import Qt

from invictus_desktop.gui.dialogs.demo_dialog import DemoDialog
from invictus_desktop.gui.first_run import FirstRunWindow
from invictus_desktop.gui.main_window import MainWindow
from invictus_desktop.gui.passphrase_strength import TOO_WEAK_MESSAGE
from tests.conftest import PASSPHRASE


@pytest.fixture
def first_run(make_controller):
    controller = make_controller()
    controller.start()
    assert isinstance(controller.window, FirstRunWindow)
    return controller, controller.window


def open_demo_dialog(window: FirstRunWindow, qtbot) -> DemoDialog:
    qtbot.mouseClick(window.demo_button, Qt.MouseButton.LeftButton)
    dialog = window.demo_dialog
    assert isinstance(dialog, DemoDialog) and dialog.isVisible()
    return dialog


def test_the_demo_button_builds_the_demo_and_opens_it(qtbot, first_run, profile_paths):
    controller, window = first_run
    dialog = open_demo_dialog(window, qtbot)
    fields = dialog.passphrase_fields

    qtbot.keyClicks(fields.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(fields.confirm_edit, PASSPHRASE)
    qtbot.keyClick(fields.confirm_edit, Qt.Key.Key_Return)

    assert profile_paths.exists()
    main = controller.window
    assert isinstance(main, MainWindow)
    assert main.home.name_label.text() == "Dr Morgan Hale"
    assert main.home.tile_value("Schools") == "4"
    assert not dialog.isVisible() and fields.passphrase == ""
    schools = main.show_page("schools")
    assert schools.school_list.count() == 4
    assert len(schools.sip.model.texts()) >= 5
    quads = main.show_page("quads")
    assert len(quads.model.texts()) == 16


def test_the_demo_passphrase_follows_the_same_rules(qtbot, first_run, profile_paths):
    controller, window = first_run
    dialog = open_demo_dialog(window, qtbot)

    qtbot.keyClicks(dialog.passphrase_fields.passphrase_edit, "password1234")
    qtbot.keyClicks(dialog.passphrase_fields.confirm_edit, "password1234")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.message.text() == TOO_WEAK_MESSAGE
    assert not profile_paths.exists()
    assert controller.window is window

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert window.demo_dialog is None
    assert window.create_button.isEnabled() and window.demo_button.isEnabled()


def test_a_demo_that_fails_half_way_leaves_no_profile_behind(
    qtbot, first_run, profile_paths, monkeypatch
):
    """The store refuses half-way through the demo: the half-made profile is
    taken away (else it would open next time, half empty), and trying again
    builds the whole demo."""
    from invictus_desktop.errors import StorageUnavailable
    from invictus_desktop.services import demo

    real_sip = demo._sip

    def disk_full(*_args, **_kwargs):
        raise StorageUnavailable("The disk is full.", next_step="Free some space.")

    monkeypatch.setattr(demo, "_sip", disk_full)
    controller, window = first_run
    assert not profile_paths.root.exists()
    dialog = open_demo_dialog(window, qtbot)
    fields = dialog.passphrase_fields
    qtbot.keyClicks(fields.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(fields.confirm_edit, PASSPHRASE)
    qtbot.keyClick(fields.confirm_edit, Qt.Key.Key_Return)

    assert controller.window is window and controller.profile is None
    assert "disk is full" in dialog.message.text()
    assert not profile_paths.exists()
    assert not profile_paths.database.exists()
    assert not profile_paths.root.exists() or [
        p.name for p in profile_paths.root.iterdir()] == ["logs"]

    monkeypatch.setattr(demo, "_sip", real_sip)
    qtbot.keyClick(fields.confirm_edit, Qt.Key.Key_Return)
    assert isinstance(controller.window, MainWindow)
    assert controller.window.home.tile_value("Schools") == "4"

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

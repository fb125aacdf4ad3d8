"""The first-run form refuses what it should, and creates what it should."""

import pytest
from PySide6.QtCore import Qt

from invictus_desktop.gui.first_run import FirstRunWindow
from invictus_desktop.gui.main_window import MainWindow
from invictus_desktop.gui.passphrase_strength import (
    MISMATCH_MESSAGE,
    TOO_SHORT_MESSAGE,
    TOO_WEAK_MESSAGE,
)
from tests.conftest import PASSPHRASE
from tests.gui.conftest import mnemonics


@pytest.fixture
def first_run(make_controller):
    controller = make_controller()
    controller.start()
    assert isinstance(controller.window, FirstRunWindow)
    return controller, controller.window


def fill(window: FirstRunWindow, name: str, passphrase: str, confirm: str, qtbot) -> None:
    qtbot.keyClicks(window.name_edit, name)
    qtbot.keyClicks(window.passphrase_fields.passphrase_edit, passphrase)
    qtbot.keyClicks(window.passphrase_fields.confirm_edit, confirm)


@pytest.mark.parametrize(
    ("passphrase", "expected"),
    [
        ("short", TOO_SHORT_MESSAGE.format(10)),
        ("password1234", TOO_WEAK_MESSAGE),
        ("qwertyuiop12", TOO_WEAK_MESSAGE),
    ],
)
def test_weak_passphrases_are_refused_with_a_message(
    qtbot, first_run, profile_paths, passphrase, expected
):
    controller, window = first_run
    fill(window, "Dana Whitfield", passphrase, passphrase, qtbot)

    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)

    assert window.message.isVisible()
    assert window.message.text() == expected
    assert window.passphrase_fields.meter.assessment.acceptable is False
    assert not profile_paths.exists()
    assert controller.window is window and controller.profile is None


def test_a_passphrase_made_of_the_name_is_refused(qtbot, first_run, profile_paths):
    _controller, window = first_run
    fill(window, "Dana Whitfield", "DanaWhitfield", "DanaWhitfield", qtbot)

    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)

    assert window.message.text() == TOO_WEAK_MESSAGE
    assert not profile_paths.exists()


def test_mismatched_passphrases_are_refused(qtbot, first_run, profile_paths):
    _controller, window = first_run
    fill(window, "Dana Whitfield", PASSPHRASE, PASSPHRASE + "!", qtbot)

    qtbot.keyClick(window.passphrase_fields.confirm_edit, Qt.Key.Key_Return)

    assert window.message.text() == MISMATCH_MESSAGE
    assert window.passphrase_fields.confirm_edit.hasFocus()
    assert not profile_paths.exists()


def test_a_name_is_required(qtbot, first_run, profile_paths):
    _controller, window = first_run
    fill(window, "   ", PASSPHRASE, PASSPHRASE, qtbot)

    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)

    assert window.message.text() == "Please enter your name."
    assert window.name_edit.hasFocus()
    assert not profile_paths.exists()


def test_enter_creates_and_no_recovery_key_skips_the_dialog(
    qtbot, first_run, profile_paths
):
    controller, window = first_run
    fill(window, "Sam Okafor", PASSPHRASE, PASSPHRASE, qtbot)
    qtbot.keyClick(window.recovery_check, Qt.Key.Key_Space)
    assert not window.recovery_check.isChecked()

    qtbot.keyClick(window.passphrase_fields.confirm_edit, Qt.Key.Key_Enter)

    assert profile_paths.exists()
    assert controller.recovery_dialog is None
    assert isinstance(controller.window, MainWindow)
    assert controller.window.home.name_label.text() == "Sam Okafor"
    assert window.passphrase_fields.passphrase == ""


def test_a_storage_problem_is_shown_inline(qtbot, first_run, profile_paths):
    controller, window = first_run
    profile_paths.root.write_text("a file where the profile folder should be")
    fill(window, "Dana Whitfield", PASSPHRASE, PASSPHRASE, qtbot)

    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)

    assert window.message.text().startswith(f"The profile folder {profile_paths.root}")
    assert "bug" not in window.message.text()
    assert window.create_button.isEnabled() and window.name_edit.isEnabled()
    assert controller.profile is None


def test_tab_order_follows_the_form(first_run):
    _controller, window = first_run
    fields = window.passphrase_fields
    expected = [
        window.role_combo,
        fields.passphrase_edit,
        fields.confirm_edit,
        window.recovery_check,
        window.create_button,
    ]

    widget = window.name_edit
    for following in expected:
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget = widget.nextInFocusChain()
        assert widget is following


def test_every_mnemonic_on_the_form_is_unique(first_run):
    _controller, window = first_run

    letters = mnemonics(window)

    assert len(letters) >= 6
    assert len(letters) == len(set(letters)), letters

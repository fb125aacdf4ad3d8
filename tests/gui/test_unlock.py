"""Unlocking: the passphrase, a wrong one, and the recovery key path."""

import pytest
from PySide6.QtCore import Qt

from invictus_desktop.errors import WrongPassphrase
from invictus_desktop.gui.main_window import MainWindow
from invictus_desktop.gui.passphrase_strength import MISMATCH_MESSAGE
from invictus_desktop.gui.unlock import UnlockWindow
from invictus_desktop.services.profile import NewProfile, create_profile, unlock
from invictus_desktop.store.models import Role
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import mnemonics

NEW_PASSPHRASE = "quiet harbour lantern meadow"


@pytest.fixture
def recovery_key(profile_paths) -> str:
    """A locked profile with a recovery key; returns the key."""
    spec = NewProfile("Sam Okafor", Role.HEADTEACHER, PASSPHRASE, with_recovery_key=True)
    profile, key = create_profile(profile_paths, spec, kdf_params=FAST_KDF)
    profile.lock()
    assert key is not None
    return key


@pytest.fixture
def unlock_window(make_controller, recovery_key):
    controller = make_controller()
    controller.start()
    assert isinstance(controller.window, UnlockWindow)
    return controller, controller.window


def test_wrong_passphrase_shows_the_error_and_stays_locked(qtbot, unlock_window):
    controller, window = unlock_window
    qtbot.keyClicks(window.passphrase_edit, "not the passphrase")

    qtbot.keyClick(window.passphrase_edit, Qt.Key.Key_Return)

    assert window.unlock_message.isVisible()
    assert window.unlock_message.text() == str(WrongPassphrase())
    assert window.unlock_message.text().startswith(
        "That passphrase does not unlock this profile."
    )
    assert controller.profile is None
    assert controller.window is window and window.isVisible()
    assert window.passphrase_edit.selectedText() == "not the passphrase"
    assert window.unlock_button.isEnabled()


def test_right_passphrase_after_a_wrong_one_opens(qtbot, unlock_window):
    controller, window = unlock_window
    qtbot.keyClicks(window.passphrase_edit, "not the passphrase")
    qtbot.keyClick(window.passphrase_edit, Qt.Key.Key_Return)

    qtbot.keyClicks(window.passphrase_edit, PASSPHRASE)  # replaces the selection
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)

    assert isinstance(controller.window, MainWindow)
    assert controller.window.home.name_label.text() == "Sam Okafor"
    assert "Headteacher" in controller.window.home.roles_label.text()


def test_empty_passphrase_asks_for_one(qtbot, unlock_window):
    controller, window = unlock_window

    qtbot.keyClick(window.passphrase_edit, Qt.Key.Key_Return)

    assert window.unlock_message.text() == "Type your passphrase, then press Enter."
    assert controller.profile is None


def test_recovery_key_resets_the_passphrase_and_opens(
    qtbot, unlock_window, recovery_key, profile_paths
):
    controller, window = unlock_window
    qtbot.mouseClick(window.use_recovery_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == 1
    assert window.recovery_edit.hasFocus()

    qtbot.keyClicks(window.recovery_edit, "AAAAA-BBBBB-CCCCC")
    qtbot.keyClick(window.recovery_edit, Qt.Key.Key_Return)
    assert window.recovery_message.text() == str(WrongPassphrase())
    assert window.pages.currentIndex() == 1

    window.recovery_edit.clear()
    qtbot.keyClicks(window.recovery_edit, recovery_key.lower())
    qtbot.keyClick(window.recovery_edit, Qt.Key.Key_Return)
    assert window.pages.currentIndex() == 2
    assert window.recovery_edit.text() == ""

    fields = window.new_passphrase_fields
    qtbot.keyClicks(fields.passphrase_edit, NEW_PASSPHRASE)
    qtbot.keyClicks(fields.confirm_edit, NEW_PASSPHRASE + "x")
    qtbot.mouseClick(window.reset_button, Qt.MouseButton.LeftButton)
    assert window.reset_message.text() == MISMATCH_MESSAGE

    qtbot.keyClick(fields.confirm_edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(fields.confirm_edit, Qt.Key.Key_Return)

    assert isinstance(controller.window, MainWindow)
    assert controller.window.home.name_label.text() == "Sam Okafor"
    controller.lock()
    unlock(profile_paths, NEW_PASSPHRASE).lock()
    with pytest.raises(WrongPassphrase):
        unlock(profile_paths, PASSPHRASE)


def test_back_from_the_recovery_path_forgets_what_was_typed(
    qtbot, unlock_window, recovery_key
):
    _controller, window = unlock_window
    qtbot.mouseClick(window.use_recovery_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.recovery_edit, recovery_key)
    qtbot.keyClick(window.recovery_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(window.new_passphrase_fields.passphrase_edit, NEW_PASSPHRASE)

    qtbot.mouseClick(window.reset_back_button, Qt.MouseButton.LeftButton)

    assert window.pages.currentIndex() == 0
    assert window.passphrase_edit.hasFocus()
    assert window.new_passphrase_fields.passphrase == ""
    assert window._verified_recovery_key == ""


def test_every_page_has_unique_mnemonics(qtbot, unlock_window):
    _controller, window = unlock_window
    qtbot.mouseClick(window.use_recovery_button, Qt.MouseButton.LeftButton)

    for index in range(window.pages.count()):
        letters = mnemonics(window.pages.widget(index))
        assert len(letters) >= 2
        assert len(letters) == len(set(letters)), (index, letters)

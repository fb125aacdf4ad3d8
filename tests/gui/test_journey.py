"""A whole journey, as a user would make it, on a real encrypted profile.

First run -> create (recovery key) -> main window with the store's data ->
idle lock (data gone, key dropped) -> unlock with the passphrase -> data again.
"""

import gc
import re
import weakref

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from invictus_desktop.gui.first_run import FirstRunWindow
from invictus_desktop.gui.main_window import MainWindow
from invictus_desktop.gui.unlock import UnlockWindow
from invictus_desktop.store.migrate import head_revision
from tests.conftest import PASSPHRASE
from tests.gui.conftest import visible_texts

NAME = "Priya Shah"
RECOVERY_KEY_SHAPE = re.compile(r"[A-Z0-9]{5}(-[A-Z0-9]{5})+")
IDLE_MS = 1000  # short, yet longer than any gap between steps before the wait


def test_first_run_idle_lock_and_unlock_again(qtbot, make_controller, profile_paths):
    controller = make_controller(idle_interval_ms=IDLE_MS)
    controller.start()

    # First run: type into the real fields, click the real button.
    first_run = controller.window
    assert isinstance(first_run, FirstRunWindow)
    assert first_run.isVisible()
    qtbot.keyClicks(first_run.name_edit, NAME)
    qtbot.keyClicks(first_run.role_combo, "Executive")
    assert first_run.role_combo.currentText() == "Executive Headteacher"
    qtbot.keyClicks(first_run.passphrase_fields.passphrase_edit, PASSPHRASE)
    assert first_run.passphrase_fields.meter.text == "Very strong"
    qtbot.keyClicks(first_run.passphrase_fields.confirm_edit, PASSPHRASE)
    assert first_run.recovery_check.isChecked()
    qtbot.mouseClick(first_run.create_button, Qt.MouseButton.LeftButton)

    # The recovery key, once, and only after "written down" is ticked.
    dialog = controller.recovery_dialog
    assert dialog is not None and dialog.isVisible()
    assert RECOVERY_KEY_SHAPE.fullmatch(dialog.key_label.text())
    assert not dialog.continue_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible(), "Escape must not skip the recovery key"
    qtbot.mouseClick(dialog.confirm_check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert dialog.key_label.text() == ""
    assert controller.recovery_dialog is None

    # The main window shows what the store holds.
    main = controller.window
    assert isinstance(main, MainWindow)
    assert main.home.name_label.text() == NAME
    assert "Executive Headteacher" in main.home.roles_label.text()
    assert main.home.tile_value("People") == "1"
    assert main.home.tile_value("Schools") == "0"
    assert main.home.revision_label.text() == head_revision()
    assert main.home.store_label.text() == str(profile_paths.database)
    assert main.home.audit_tree.topLevelItem(0).text(1) == "Profile created"
    assert not first_run.isVisible()

    store = weakref.ref(controller.profile.store)
    pool = controller.profile.store.engine.pool

    # Idle: no input for IDLE_MS locks the profile.
    with qtbot.waitSignal(controller.profile_locked, timeout=5000) as locked:
        pass
    assert locked.args == ["idle"]
    assert controller.profile is None
    assert isinstance(controller.window, UnlockWindow)
    assert controller.window.isVisible()
    assert not any(NAME in text for text in visible_texts())
    assert main.home.name_label.text() == "" and main.home.audit_tree.topLevelItemCount() == 0

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert not shiboken6.isValid(main), "the main window must be destroyed on lock"
    assert pool.checkedout() == 0
    assert store() is None, "something in the GUI still holds the open store and its key"

    # Unlock with the passphrase: the data comes back.
    unlock = controller.window
    qtbot.keyClicks(unlock.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(unlock.passphrase_edit, Qt.Key.Key_Return)
    main = controller.window
    assert isinstance(main, MainWindow)
    assert main.home.name_label.text() == NAME
    assert main.home.tile_value("People") == "1"
    assert controller.idle_lock.active
    assert unlock.passphrase_edit.text() == ""


def test_a_lock_while_the_recovery_key_is_shown_shows_it_again_after_unlock(
    qtbot, make_controller
):
    """The key is shown once: a lock may hide it, but must not lose it."""
    controller = make_controller()
    controller.start()
    first_run = controller.window
    qtbot.keyClicks(first_run.name_edit, NAME)
    qtbot.keyClicks(first_run.passphrase_fields.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(first_run.passphrase_fields.confirm_edit, PASSPHRASE)
    qtbot.mouseClick(first_run.create_button, Qt.MouseButton.LeftButton)
    shown = controller.recovery_dialog.key_label.text()
    assert RECOVERY_KEY_SHAPE.fullmatch(shown)

    controller.lock("idle")

    assert controller.recovery_dialog is None
    assert isinstance(controller.window, UnlockWindow)
    assert shown not in visible_texts(), "the key is hidden while locked"
    qtbot.keyClicks(controller.window.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(controller.window.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.recovery_dialog is not None, timeout=5000)

    dialog = controller.recovery_dialog
    assert dialog.isVisible() and dialog.key_label.text() == shown
    qtbot.mouseClick(dialog.confirm_check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert isinstance(controller.window, MainWindow)

    controller.lock("idle")
    qtbot.keyClicks(controller.window.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(controller.window.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=5000)
    assert controller.recovery_dialog is None, "confirmed once: not shown again"

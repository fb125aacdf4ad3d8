"""The main window: real data, refresh, Lock now, and the idle lock setting."""

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from invictus_desktop.gui.controller import MS_PER_MINUTE, AppController
from invictus_desktop.gui.main_window import MainWindow
from invictus_desktop.gui.unlock import UnlockWindow
from invictus_desktop.services.settings import get_idle_lock_minutes
from invictus_desktop.store.models import School, Trust
from tests.conftest import PASSPHRASE
from tests.gui.conftest import visible_texts


def open_main(controller: AppController, qtbot) -> MainWindow:
    controller.start()
    qtbot.keyClicks(controller.window.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(controller.window.passphrase_edit, Qt.Key.Key_Return)
    assert isinstance(controller.window, MainWindow)
    return controller.window


@pytest.fixture
def main_window(qtbot, new_profile, make_controller):
    new_profile.lock()
    controller = make_controller()
    window = open_main(controller, qtbot)
    qtbot.waitExposed(window)
    return controller, window


def test_ctrl_l_locks_and_clears_the_window(qtbot, main_window):
    controller, window = main_window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    with qtbot.waitSignal(controller.profile_locked) as locked:
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert locked.args == ["user"]
    assert controller.profile is None
    assert isinstance(controller.window, UnlockWindow)
    assert window.overview is None and window.home.tile_value("People") == ""
    assert not any("Dana Whitfield" in text for text in visible_texts())


def test_refresh_shows_new_rows(qtbot, main_window):
    controller, window = main_window
    assert window.home.tile_value("Schools") == "0"
    with controller.profile.store.session() as session:
        trust = session.scalar(select(Trust))
        session.add(School(trust_id=trust.id, name="Northfield Academy"))

    window.refresh_action.trigger()

    assert window.home.tile_value("Schools") == "1"
    assert window.refresh_action.shortcut().toString() == "F5"


def test_idle_lock_setting_is_saved_and_used(qtbot, profile_paths, new_profile, runner):
    new_profile.lock()
    controller = AppController(profile_paths, runner, warm_up_delay_ms=0)
    try:
        window = open_main(controller, qtbot)
        assert window.home.idle_spin.value() == 5
        assert controller.idle_lock.interval_ms == 5 * MS_PER_MINUTE

        window.home.idle_spin.clear()
        qtbot.keyClicks(window.home.idle_spin, "12")
        qtbot.keyClick(window.home.idle_spin, Qt.Key.Key_Return)

        assert get_idle_lock_minutes(controller.profile) == 12
        assert controller.idle_lock.interval_ms == 12 * MS_PER_MINUTE
        assert "12 minutes" in window.statusBar().currentMessage()

        controller.lock()
        window = open_main(controller, qtbot)
        assert window.home.idle_spin.value() == 12
        assert controller.idle_lock.interval_ms == 12 * MS_PER_MINUTE
    finally:
        controller.shutdown()
        controller.window.close()


def test_menus_list_only_working_actions(main_window):
    _controller, window = main_window
    menus = {
        action.text(): [item.text() for item in action.menu().actions() if item.text()]
        for action in window.menuBar().actions()
    }

    assert menus == {
        "&Profile": [
            "&Refresh", "&Sync now", "&Choose between concurrent edits…", "&Lock now", "&Quit",
        ],
        "&Go": [page.title for page in window.pages.values()],
        "&Help": ["&About Invictus QUAD Desktop"],
    }
    assert window.lock_action.shortcut().toString() == "Ctrl+L"


def test_a_job_that_ends_after_the_lock_is_ignored(
    qtbot, new_profile, profile_paths, monkeypatch
):
    """A refresh still running when the app locks must not touch the deleted window."""
    import threading

    from invictus_desktop.errors import UserFacingError
    from invictus_desktop.gui.pages import overview
    from invictus_desktop.gui.tasks import TaskRunner

    new_profile.lock()
    release = threading.Event()

    def slow_failing_reload(_profile):
        release.wait(10)
        raise UserFacingError("The store is in use by another copy of Invictus.")

    monkeypatch.setattr(overview, "load_overview", slow_failing_reload)
    runner = TaskRunner()
    controller = AppController(profile_paths, runner, warm_up_delay_ms=0)
    try:
        controller.start()
        qtbot.keyClicks(controller.window.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(controller.window.passphrase_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
        window = controller.window

        window.refresh_action.trigger()
        controller.lock()
        with qtbot.waitSignal(runner.busy_changed, timeout=10_000) as idle:
            release.set()

        assert idle.args == [False]
        assert isinstance(controller.window, UnlockWindow)
    finally:
        release.set()
        runner.wait_for_done()
        controller.shutdown()
        controller.window.close()


def test_a_long_sync_error_fits_a_laptop_screen(qtbot, main_window):
    from invictus_desktop.sync.errors import RepositoryLoginRefused

    _controller, window = main_window
    window.resize(1366, 768)
    host = "quad-repository.nextcloud.saint-bartholomews-catholic-academy-trust.org.uk"
    window.sync._on_conflicts_counted(12)
    window.sync._on_round_failed(RepositoryLoginRefused(
        f"The repository at {host} did not accept the user name and password.",
        next_step="Check them on the Repository screen.",
    ))
    label = window.sync.label

    qtbot.wait(10)  # the status bar lays out its widgets again

    # The status bar never asks for more than the screen: the label gives way.
    assert window.statusBar().minimumSizeHint().width() <= 1366
    assert label.geometry().right() < window.statusBar().width()
    assert window.sync.conflicts_button.isVisible()
    # Cut short on screen with "…", and whole in the tooltip, before what to do.
    assert label.text().endswith("Next try in 10 min.") and label.elided
    assert label.tooltip_shown() == (
        f"{label.text()}\nCheck them on the Repository screen."
    )

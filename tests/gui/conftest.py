"""GUI fixtures: the app's look applied, a synchronous task runner, a controller.

Windows get the KDF floor (`FAST_KDF`) through the same injection point the
app uses for calibrated parameters; nothing in production is weakened.
"""

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from invictus_desktop.gui import qt_workarounds
from invictus_desktop.gui.app import apply_look
from invictus_desktop.gui.controller import AppController
from invictus_desktop.gui.tasks import TaskRunner
from tests.conftest import FAST_KDF

ONE_HOUR_MS = 3_600_000


@pytest.fixture(autouse=True)
def looks_like_the_app(qapp, collected_on_gui_thread):
    """The real stylesheet and icon (a broken sheet shows up as a Qt warning),
    and the workarounds `create_application` applies."""
    qt_workarounds.apply()
    apply_look(qapp)


@pytest.fixture
def runner(qapp):
    runner = TaskRunner(synchronous=True)
    yield runner
    runner.deleteLater()


@pytest.fixture
def make_controller(runner, profile_paths):
    """Build controllers on `profile_paths`; each is shut down and closed afterwards."""
    made: list[AppController] = []

    def make(idle_interval_ms: int = ONE_HOUR_MS) -> AppController:
        controller = AppController(
            profile_paths,
            runner,
            kdf_params=FAST_KDF,
            idle_interval_ms=idle_interval_ms,
            warm_up_delay_ms=0,
        )
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.shutdown()
        if controller.window is not None:
            controller.window.close()
            controller.window.deleteLater()
        controller.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def visible_texts() -> list[str]:
    """Every label, line edit and tree cell's text in the visible top-level windows."""
    from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTreeWidget

    texts: list[str] = []
    for window in QApplication.topLevelWidgets():
        if not window.isVisible():
            continue
        texts.append(window.windowTitle())
        texts += [label.text() for label in window.findChildren(QLabel)]
        texts += [edit.text() for edit in window.findChildren(QLineEdit)]
        for tree in window.findChildren(QTreeWidget):
            for row in range(tree.topLevelItemCount()):
                item = tree.topLevelItem(row)
                texts += [item.text(column) for column in range(item.columnCount())]
    return texts


def mnemonics(page) -> list[str]:
    """The Alt+letter keys of the labels, buttons and boxes visible on `page`."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    letters = []
    for widget in page.findChildren(QLabel) + page.findChildren(QAbstractButton):
        text = widget.text().replace("&&", "")
        if widget.isVisibleTo(page) and "&" in text:
            letters.append(text[text.index("&") + 1].lower())
    return letters


def sign_in(controller, qtbot):
    """Unlock `controller`'s profile with the test passphrase; the main window."""
    from PySide6.QtCore import Qt

    from invictus_desktop.gui.main_window import MainWindow
    from tests.conftest import PASSPHRASE

    controller.start()
    qtbot.keyClicks(controller.window.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(controller.window.passphrase_edit, Qt.Key.Key_Return)
    assert isinstance(controller.window, MainWindow)
    return controller.window


@pytest.fixture
def signed_in(qtbot, new_profile, make_controller):
    """The consultant's profile (`new_profile`, changed as a test likes before
    it asks for this) unlocked in the main window: (controller, window)."""
    new_profile.lock()
    controller = make_controller()
    window = sign_in(controller, qtbot)
    qtbot.waitExposed(window)
    return controller, window


class HeldRunner:
    """A runner that keeps each job until the test finishes it, in any order:
    what a thread pool does when an earlier job happens to take longer."""

    def __init__(self):
        self.held = []

    def submit(self, work, *, on_success, on_failure=None, description=""):
        self.held.append((work, on_success, on_failure))

    def finish(self, index):
        work, on_success, on_failure = self.held.pop(index)
        try:
            result = work(None)
        except Exception as error:  # handed on, as the runner does
            on_failure(error)
        else:
            on_success(result)

"""The idle lock: input postpones it, time (even asleep) triggers it, so does suspend."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from invictus_desktop.gui.idle_lock import IdleLock

INTERVAL_MS = 50


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clocks():
    return FakeClock(), FakeClock()


@pytest.fixture
def idle_lock(qapp, clocks):
    monotonic, wall = clocks
    lock = IdleLock(INTERVAL_MS, monotonic_clock=monotonic, wall_clock=wall)
    yield lock
    lock.stop()
    lock.deleteLater()


@pytest.fixture
def field(qtbot):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    return edit


def advance(clocks, seconds: float) -> None:
    for clock in clocks:
        clock.now += seconds


def test_input_postpones_the_lock_and_silence_triggers_it(qtbot, idle_lock, clocks, field):
    idle_lock.start()
    advance(clocks, 0.04)
    qtbot.keyClick(field, Qt.Key.Key_A)

    with qtbot.assertNotEmitted(idle_lock.lock_due, wait=150):
        pass  # the timer fires and re-arms: only 0 s idle by the fake clocks
    assert idle_lock.active

    advance(clocks, 0.06)
    with qtbot.waitSignal(idle_lock.lock_due, timeout=2000) as due:
        pass
    assert due.args == ["idle"]
    assert not idle_lock.active
    assert field.text() == "a"


def test_waking_after_a_long_sleep_locks_before_the_first_key_lands(
    qtbot, idle_lock, clocks, field
):
    _monotonic, wall = clocks
    idle_lock.start()
    wall.now += 3600  # asleep for an hour: the monotonic clock did not move

    with qtbot.waitSignal(idle_lock.lock_due, timeout=100) as due:
        qtbot.keyClick(field, Qt.Key.Key_A)

    assert due.args == ["idle"]
    assert field.text() == "", "the key that woke the app must not reach the data"


@pytest.mark.parametrize(
    "state",
    [Qt.ApplicationState.ApplicationSuspended, Qt.ApplicationState.ApplicationHidden],
)
def test_suspend_or_hide_locks(qtbot, idle_lock, state):
    idle_lock.start()

    with qtbot.waitSignal(idle_lock.lock_due, timeout=100) as due:
        QGuiApplication.instance().applicationStateChanged.emit(state)

    assert due.args == ["suspended"]


def test_losing_focus_does_not_lock(qtbot, idle_lock):
    idle_lock.start()

    with qtbot.assertNotEmitted(idle_lock.lock_due):
        QGuiApplication.instance().applicationStateChanged.emit(
            Qt.ApplicationState.ApplicationInactive
        )

    assert idle_lock.active


def test_a_stopped_lock_ignores_time_and_input(qtbot, idle_lock, clocks, field):
    idle_lock.start()
    idle_lock.stop()
    advance(clocks, 3600)

    with qtbot.assertNotEmitted(idle_lock.lock_due, wait=150):
        qtbot.keyClick(field, Qt.Key.Key_A)

    assert field.text() == "a"

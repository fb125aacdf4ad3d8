"""Deciding when to lock: no user input for a while, or the session going away.

How it works:

- An application-wide event filter sees every keyboard, mouse, wheel, touch
  and tablet event and notes the time of the last one. It never blocks input,
  except the first event after an overlong absence (below), which it consumes.
- One single-shot timer wakes when the interval could have run out (at least
  every `POLL_MS`), compares the time since the last input with the interval,
  and either re-arms or emits `lock_due("idle")`. No timer is restarted per
  event, so mouse movement costs a comparison, not a timer reset.
- Idle time is the larger of a monotonic clock and the wall clock. Monotonic
  clocks stop while a laptop sleeps on Linux and macOS, so after a long sleep
  only the wall clock shows that time passed: the next poll, or the first key
  press or mouse move on waking, locks before anything else happens.

What Qt can tell about the session, honestly:

- `applicationStateChanged` reports `ApplicationSuspended` (the platform is
  about to suspend the app; mostly mobile) and `ApplicationHidden` (macOS
  "Hide"): both lock. `ApplicationInactive` only means another window has
  focus, so it does not lock.
- `commitDataRequest` is the session manager asking for data before the
  session ends (logout, shutdown): it locks.
- Qt has no signal for the screen locking or for the machine going to
  sleep; the wall-clock check above covers the sleep case, and the idle
  timer covers a locked screen left long enough.
"""

import logging
import math
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication

log = logging.getLogger(__name__)

POLL_MS = 5_000

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.InputMethod,
    }
)

LOCKING_STATES = frozenset(
    {Qt.ApplicationState.ApplicationSuspended, Qt.ApplicationState.ApplicationHidden}
)

Clock = Callable[[], float]


class IdleLock(QObject):
    """Watches for inactivity while a profile is open.

    Signals:
        lock_due(str): time to lock; the reason is "idle", "suspended" or
            "session ending". Emitted once per `start()`.

    Attributes:
        interval_ms: how long without input before locking.
    """

    lock_due = Signal(str)

    def __init__(
        self,
        interval_ms: int,
        parent: QObject | None = None,
        *,
        monotonic_clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
    ) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self._monotonic = monotonic_clock
        self._wall = wall_clock
        self._active = False
        self._last_monotonic = 0.0
        self._last_wall = 0.0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> None:
        """Begin watching (call when a profile opens); the idle time starts now."""
        if self._active:
            return
        app = QCoreApplication.instance()
        app.installEventFilter(self)
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_application_state_changed)
            app.commitDataRequest.connect(self._on_application_commit_data_request)

        self._active = True
        self._note_input()
        self._arm()
        log.info("idle lock armed (%d s)", self.interval_ms // 1000)

    def stop(self) -> None:
        """Stop watching (call when the profile locks or the app quits)."""
        if not self._active:
            return
        self._active = False
        self._timer.stop()
        app = QCoreApplication.instance()
        app.removeEventFilter(self)
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.disconnect(self._on_application_state_changed)
            app.commitDataRequest.disconnect(self._on_application_commit_data_request)

    def set_interval_ms(self, interval_ms: int) -> None:
        self.interval_ms = interval_ms
        if self._active:
            self._arm()

    def idle_ms(self) -> float:
        """Time since the last input: the larger of the monotonic and wall clocks."""
        monotonic = self._monotonic() - self._last_monotonic
        wall = self._wall() - self._last_wall
        return max(monotonic, wall) * 1000

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._active or event.type() not in INPUT_EVENTS:
            return False
        if self.idle_ms() >= self.interval_ms:
            # Back after a sleep the timer did not see: lock before this input lands.
            self._fire("idle")
            return True
        self._note_input()
        return False

    @Slot()
    def _on_timer_timeout(self) -> None:
        if not self._active:
            return
        if self.idle_ms() >= self.interval_ms:
            self._fire("idle")
        else:
            self._arm()

    @Slot(Qt.ApplicationState)
    def _on_application_state_changed(self, state: Qt.ApplicationState) -> None:
        if self._active and state in LOCKING_STATES:
            self._fire("suspended")

    @Slot(object)
    def _on_application_commit_data_request(self, _manager: object) -> None:
        if self._active:
            self._fire("session ending")

    def _note_input(self) -> None:
        self._last_monotonic = self._monotonic()
        self._last_wall = self._wall()

    def _arm(self) -> None:
        remaining = max(1, math.ceil(self.interval_ms - self.idle_ms()))
        self._timer.start(min(remaining, POLL_MS))

    def _fire(self, reason: str) -> None:
        self.stop()
        log.info("locking: %s", reason)
        self.lock_due.emit(reason)

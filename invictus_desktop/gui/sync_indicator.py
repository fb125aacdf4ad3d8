"""Background sync for the main window: a status-bar indicator, "Sync now",
and automatic rounds (after changes and periodically, backing off on failure).

Rounds run through the task runner, never on the GUI thread; one at a time.
"""

import logging
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget

from invictus_desktop.gui.tasks import TaskControl, TaskRunner
from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)

PERIOD_MS = 5 * 60_000
AFTER_CHANGE_MS = 15_000
LONGEST_BACKOFF_MS = 60 * 60_000


class SyncIndicator(QObject):
    """Runs sync rounds and shows how they went.

    Signals:
        round_finished(bool): a round ended (True if it succeeded).

    Attributes:
        label: the status-bar text (offline/online, waiting, last success or error).
        progress: a busy bar shown while a round runs.
        sync_action: "Sync now" (Ctrl+Shift+S), enabled once connected.
        conflicts_action: opens the edits to choose between (the window
            connects it).
        conflicts_button: "N edits to choose" in the status bar, shown only
            while there are any; it triggers `conflicts_action`.
        connected: whether this profile has a repository.
    """

    round_finished = Signal(bool)

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profile: UnlockedProfile | None = profile
        self._runner = runner
        self._running = False
        self._backoff_ms = PERIOD_MS
        self.connected = False

        self.label = QLabel("Sync: checking…")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.hide()
        self.sync_action = QAction("&Sync now", self)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.sync_action.setEnabled(False)
        self.sync_action.triggered.connect(self.sync_now)
        self.conflicts_action = QAction("&Choose between concurrent edits…", self)
        self.conflicts_button = QPushButton()
        self.conflicts_button.setFlat(True)
        self.conflicts_button.setToolTip("Fields changed on two laptops at once")
        self.conflicts_button.clicked.connect(self.conflicts_action.trigger)
        self.conflicts_button.hide()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._submit(_status, self._on_status_loaded)
        self.recount_conflicts()

    def recount_conflicts(self) -> None:
        """Count the edits waiting for a person to choose (after a round or a choice)."""
        if self._profile is not None:
            self._submit(_conflict_count, self._on_conflicts_counted,
                         lambda error: log.warning("could not count conflicts: %s", error))

    def sync_now(self) -> None:
        if self._profile is None or self._running or not self.connected:
            return
        self._running = True
        self.progress.show()
        self.label.setText("Syncing…")
        self._submit(_one_round, self._on_round_done, self._on_round_failed)

    def request_round(self) -> None:
        """Sync now; a profile that was not connected is checked again first (it
        may just have been connected), and syncs at once if it now is."""
        if self.connected:
            self.sync_now()
        elif self._profile is not None:
            self._submit(_status, self._on_status_loaded)

    def schedule_after_change(self) -> None:
        """Something was saved: sync soon, unless a round is already due sooner."""
        if self.connected and (not self._timer.isActive()
                               or self._timer.remainingTime() > AFTER_CHANGE_MS):
            self._timer.start(AFTER_CHANGE_MS)

    def stop(self) -> None:
        """On lock: no more rounds, and forget the profile."""
        self._timer.stop()
        self._profile = None
        self.label.clear()
        self.progress.hide()
        self.conflicts_button.hide()

    def _submit(self, work, on_success, on_failure=None) -> None:
        profile = self._profile

        def job(_control: TaskControl):
            return work(profile)

        self._runner.submit(job, on_success=self._if_open(on_success),
                            on_failure=self._if_open(on_failure or self._on_status_failed),
                            description="Syncing with the trust's repository…")

    def _if_open(self, callback):
        def guarded(result) -> None:
            if self._profile is not None:
                callback(result)
        return guarded

    def _on_status_loaded(self, status) -> None:
        self.connected = status.connected
        self.sync_action.setEnabled(status.connected)
        if not status.connected:
            self.label.setText("Sync: not connected to a repository")
            return
        self.label.setText(f"Sync: {status.repository}")
        self._timer.start(0)

    def _on_status_failed(self, error: BaseException) -> None:
        self.label.setText(f"Sync: {error}")

    def _on_round_done(self, report) -> None:
        self._finish()
        self._backoff_ms = PERIOD_MS
        problems = f", {len(report.refused)} refused" if report.refused else ""
        # Changes went through, so "Online"; what publishing could not do is
        # named here and tried again at the next round (see sync_once).
        not_published = len(report.publish_clashes) + len(
            getattr(report, "publishing_problems", [])
        )
        if not_published:
            problems += " · publishing incomplete, will retry"
        self.label.setText(f"Online · synced {datetime.now():%H:%M} · sent {report.sent}, "
                           f"received {report.received}{problems}")
        details = [f"not published: the repository holds a different {clash}"
                   for clash in report.publish_clashes]
        self.label.setToolTip("\n".join(
            details + list(getattr(report, "publishing_problems", []))
        ))
        self._timer.start(PERIOD_MS)
        if report.received:
            self.recount_conflicts()
        self.round_finished.emit(True)

    def _on_round_failed(self, error: BaseException) -> None:
        self._finish()
        self._backoff_ms = min(self._backoff_ms * 2, LONGEST_BACKOFF_MS)
        self.label.setText(f"Offline · {error} Next try in {self._backoff_ms // 60_000} min.")
        self._timer.start(self._backoff_ms)
        self.round_finished.emit(False)

    def _on_conflicts_counted(self, count: int) -> None:
        self.conflicts_button.setText(
            f"{count} edit{'s' if count != 1 else ''} to choose"
        )
        self.conflicts_button.setVisible(count > 0)

    def _finish(self) -> None:
        self._running = False
        self.progress.hide()


def _status(profile: UnlockedProfile):
    from invictus_desktop.services.syncing import sync_status

    return sync_status(profile)


def _one_round(profile: UnlockedProfile):
    from invictus_desktop.services.syncing import sync_once

    return sync_once(profile)


def _conflict_count(profile: UnlockedProfile) -> int:
    from invictus_desktop.services.conflicts import count_conflicts

    return count_conflicts(profile)

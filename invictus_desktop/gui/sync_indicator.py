"""Background sync for the main window: a status-bar indicator, "Sync now",
and automatic rounds (after changes and periodically, backing off on failure).

Rounds run through the task runner, never on the GUI thread; one at a time.
A round's progress (segments sent, then received, then publishing) comes back
through the runner as data: the status-bar bar appears once a round has run
for the runner's delay, and counts when the round knows how many.
"""

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHelpEvent, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QToolTip, QWidget

from invictus_desktop.errors import UserFacingError
from invictus_desktop.gui.tasks import Progress, TaskControl, TaskRunner
from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)

PERIOD_MS = 5 * 60_000
AFTER_CHANGE_MS = 15_000
LONGEST_BACKOFF_MS = 60 * 60_000
# What the status-bar label keeps when a long error leaves it little room.
NARROWEST_LABEL = 240


class StatusLabel(QLabel):
    """A status-bar label that may be narrower than its text.

    A plain label asks for its whole text, and a status bar passes that on to
    the window: a long error (a long host name, say) made the window wider
    than a 1366-pixel screen. This one gives way instead, ends what it shows
    with "…", and its tooltip then starts with the whole text.
    """

    def minimumSizeHint(self) -> QSize:
        return QSize(NARROWEST_LABEL, super().minimumSizeHint().height())

    @property
    def elided(self) -> bool:
        room = self.contentsRect().width()
        return self.fontMetrics().horizontalAdvance(self.text()) > room

    def tooltip_shown(self) -> str:
        """The tooltip as it shows: the whole text first, if it is cut short."""
        if not self.elided:
            return self.toolTip()
        return "\n".join(part for part in (self.text(), self.toolTip()) if part)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.elided:
            super().paintEvent(event)
            return
        room = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, room.width()
        )
        painter = QPainter(self)
        self.style().drawItemText(painter, room, self.alignment(), self.palette(),
                                  self.isEnabled(), shown, self.foregroundRole())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.elided:
            assert isinstance(event, QHelpEvent)
            QToolTip.showText(event.globalPos(), self.tooltip_shown(), self)
            return True
        return super().event(event)


class SyncIndicator(QObject):
    """Runs sync rounds and shows how they went.

    Signals:
        round_finished(bool): a round ended (True if it succeeded).

    Attributes:
        label: the status-bar text (offline/online, waiting, last success and the
            last error).
        progress: the round's progress, shown once it has run for the task
            runner's delay: a count (tooltip: "Sending 120 of 400") when the
            round knows how many, else busy.
        sync_action: "Sync now" (Ctrl+Shift+S), enabled once connected.
        conflicts_action: opens the edits to choose between (the window
            connects it).
        conflicts_button: "N edits to choose" in the status bar, shown only
            while there are any; it triggers `conflicts_action`.
        connected: whether this profile has a repository.
        after_change_ms, period_ms, longest_backoff_ms: when automatic rounds
            come (after a change; after a success; at most, after failures,
            which double the wait from `period_ms`).
    """

    round_finished = Signal(bool)

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profile: UnlockedProfile | None = profile
        self._runner = runner
        self._running = False
        self._changed_meanwhile = False
        self._last_success: datetime | None = None
        self.after_change_ms = AFTER_CHANGE_MS
        self.period_ms = PERIOD_MS
        self.longest_backoff_ms = LONGEST_BACKOFF_MS
        self._failures = 0  # rounds failed in a row
        self.connected = False

        self.label = StatusLabel("Sync: checking…")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.sync_action = QAction("&Sync now", self)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.sync_action.setEnabled(False)
        self.sync_action.triggered.connect(self._on_sync_action_triggered)
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

    @property
    def next_round_ms(self) -> int | None:
        """How long after it was scheduled the next automatic round comes (None
        while none is due, as during a round)."""
        return self._timer.interval() if self._timer.isActive() else None

    def sync_now(self, thorough: bool = False) -> None:
        """Start a round. A thorough one lists every partition, whatever its
        folder's ETag says: what a person asks for by hand."""
        if self._profile is None or self._running or not self.connected:
            return
        self._running = True
        self._changed_meanwhile = False
        self._timer.stop()
        self.label.setText("Syncing…")
        work = _thorough_round if thorough else _one_round
        task = self._submit(work, self._on_round_done, self._on_round_failed)
        task.progress_changed.connect(self._on_round_progress_changed)

    def _on_sync_action_triggered(self) -> None:
        self.sync_now(thorough=True)

    def request_round(self) -> None:
        """Sync now; a profile that was not connected is checked again first (it
        may just have been connected), and syncs at once if it now is."""
        if self.connected:
            self.sync_now()
        elif self._profile is not None:
            self._submit(_status, self._on_status_loaded)

    def schedule_after_change(self) -> None:
        """Something was saved: sync soon, unless a round is already due sooner.
        During a round, the next one comes that soon after it ends (the change
        may have missed this one)."""
        if not self.connected:
            return
        if self._running:
            self._changed_meanwhile = True
        elif (not self._timer.isActive()
              or self._timer.remainingTime() > self.after_change_ms):
            self._timer.start(self.after_change_ms)

    def stop(self) -> None:
        """On lock: no more rounds, and forget the profile."""
        self._timer.stop()
        self._profile = None
        self.label.clear()
        self.progress.hide()
        self.conflicts_button.hide()

    def _submit(self, work, on_success, on_failure=None):
        profile = self._profile

        def job(control: TaskControl):
            return work(profile, control)

        return self._runner.submit(
            job, on_success=self._if_open(on_success),
            on_failure=self._if_open(on_failure or self._on_status_failed),
            description="Syncing with the trust's repository…",
        )

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
        self._last_success = status.last_success
        self.label.setText(f"Sync: {status.repository}")
        self._timer.start(0)

    def _on_status_failed(self, error: BaseException) -> None:
        self.label.setText(f"Sync: {error}")

    def _on_round_progress_changed(self, progress: Progress) -> None:
        if not self._running or self._profile is None:
            return
        self.progress.setToolTip(progress.message)
        if progress.message:
            self.label.setText(f"Syncing · {progress.message}")
        if progress.total > 0:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(min(progress.done, progress.total))
        else:
            self.progress.setRange(0, 0)
        self.progress.show()

    def _on_round_done(self, report) -> None:
        self._finish()
        self._last_success = datetime.now(UTC)
        self._failures = 0
        problems = f", {len(report.refused)} refused" if report.refused else ""
        # Changes went through, so "Online"; what publishing could not do is
        # named here and tried again at the next round (see sync_once).
        not_published = len(report.publish_clashes) + len(
            getattr(report, "publishing_problems", [])
        )
        if not_published:
            problems += " · publishing incomplete, will retry"
        self.label.setText(f"Online · synced {_when(self._last_success)} · "
                           f"sent {report.sent}, received {report.received}{problems}")
        # What to do about what was refused or not published: the label has
        # room only to count it.
        details = _what_to_do(report.refused) + [
            f"not published: the repository holds a different {clash}"
            for clash in report.publish_clashes
        ]
        self.label.setToolTip("\n".join(
            details + list(getattr(report, "publishing_problems", []))
        ))
        self._timer.start(
            self.after_change_ms if self._changed_meanwhile else self.period_ms
        )
        if report.received:
            self.recount_conflicts()
        self.round_finished.emit(True)

    def _on_round_failed(self, error: BaseException) -> None:
        self._finish()
        self._failures += 1
        backoff_ms = min(self.period_ms * 2 ** min(self._failures, 20),
                         self.longest_backoff_ms)
        # As between rounds, a change brings a try sooner than the backoff.
        next_ms = (min(backoff_ms, self.after_change_ms) if self._changed_meanwhile
                   else backoff_ms)
        state = "Offline" if _could_not_reach(error) else "Not synced"
        if self._last_success is None:
            last = "never synced"
        else:
            last = f"last synced {_when(self._last_success)}"
        # What happened fits the status bar; what to do is in the tooltip. A
        # bug's text is no help to the user; the task runner logged its trace.
        if isinstance(error, UserFacingError):
            why, next_step = error.message, error.next_step
        else:
            why, next_step = "Sync stopped on an unexpected problem.", "Details are in the log."
        self.label.setText(f"{state} · {last} · {why} Next try in "
                           f"{_minutes(next_ms)}.")
        self.label.setToolTip(next_step)
        self._timer.start(next_ms)
        self.round_finished.emit(False)

    def _on_conflicts_counted(self, count: int) -> None:
        self.conflicts_button.setText(
            f"{count} edit{'s' if count != 1 else ''} to choose"
        )
        self.conflicts_button.setVisible(count > 0)

    def _finish(self) -> None:
        self._running = False
        self.progress.hide()
        self.progress.setRange(0, 0)
        self.progress.setToolTip("")


def _when(moment: datetime) -> str:
    """A time of day for today, else the date too, in this laptop's time zone."""
    local = moment.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return f"{local:%H:%M}"
    return f"{local.day} {local:%b %H:%M}"


def _minutes(ms: int) -> str:
    minutes = ms // 60_000
    if minutes < 1:
        return "under a minute"
    return f"{minutes} min"


def _could_not_reach(error: BaseException) -> bool:
    from invictus_desktop.services.syncing import could_not_reach

    return could_not_reach(error)


def _what_to_do(refused: list) -> list[str]:
    from invictus_desktop.services.sync_refusals import what_to_do

    return what_to_do(refused)


def _status(profile: UnlockedProfile, _control: TaskControl):
    from invictus_desktop.services.syncing import sync_status

    return sync_status(profile)


def _one_round(profile: UnlockedProfile, control: TaskControl, thorough: bool = False):
    from invictus_desktop.services.syncing import sync_once

    return sync_once(profile, progress=control.report, thorough=thorough)


def _thorough_round(profile: UnlockedProfile, control: TaskControl):
    return _one_round(profile, control, thorough=True)


def _conflict_count(profile: UnlockedProfile, _control: TaskControl) -> int:
    from invictus_desktop.services.conflicts import count_conflicts

    return count_conflicts(profile)

"""Debounced autosave and ordered jobs for the note and report screens.

Typing calls `edit(key, work, *args)`: the latest edit of each key waits for a
short pause in typing, then all waiting edits are written in one job. Jobs
run one at a time, in the order asked, so a later save never lands before an
earlier one, and a job queued with `after_saves` (cite, submit, preview,
finalise) sees every edit typed before it.

Everything runs through the page's task runner; nothing slow happens on the
GUI thread, except `write_now`, which writes what is still waiting when the
profile is about to lock.
"""

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from invictus_desktop.gui.tasks import Task, TaskControl, TaskRunner
from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)

DEBOUNCE_MS = 700

Write = Callable[..., Any]


@dataclass
class _Job:
    work: Callable[[UnlockedProfile], Any]
    on_success: Callable[[Any], None] | None
    on_failure: Callable[[BaseException], None] | None
    description: str
    on_started: Callable[[Task], None] | None = None


class SerialWriter(QObject):
    """One page's writes: debounced edits, then jobs strictly in order.

    Signals:
        saved(str): waiting edits were written, at this local time ("HH:MM:SS").
        failed(object): a job failed (the exception); later jobs still run.
        pending_changed(bool): whether edits are waiting or being written.

    Attributes:
        profile_source: returns the open profile, or None once locked.
    """

    saved = Signal(str)
    failed = Signal(object)
    pending_changed = Signal(bool)

    def __init__(
        self,
        runner: TaskRunner,
        profile_source: Callable[[], UnlockedProfile | None],
        parent: QObject | None = None,
        delay_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.profile_source = profile_source
        self._pending: dict[object, tuple[Write, tuple[Any, ...]]] = {}
        self._queue: deque[_Job] = deque()
        self._in_flight = False
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def busy(self) -> bool:
        return bool(self._pending) or self._in_flight or bool(self._queue)

    def edit(self, key: object, work: Write, *args: Any) -> None:
        """Remember the latest edit for `key`; written after a pause in typing."""
        was_busy = self.busy
        self._pending.pop(key, None)  # re-insert: the latest edit goes last
        self._pending[key] = (work, args)
        self._timer.start()
        if not was_busy:
            self.pending_changed.emit(True)

    def flush(self) -> None:
        """Write waiting edits now (in a worker), without waiting for the pause."""
        self._timer.stop()
        if self._pending:
            self._queue.append(self._save_job())
        self._pump()

    def after_saves(
        self,
        work: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_started: Callable[[Task], None] | None = None,
        description: str = "",
    ) -> None:
        """Run `work(profile, *args)` once every edit made so far is written."""
        self._timer.stop()
        if self._pending:
            self._queue.append(self._save_job())
        self._queue.append(
            _Job(
                lambda profile: work(profile, *args),
                on_success,
                on_failure,
                description,
                on_started,
            )
        )
        self._pump()

    def write_now(self) -> bool:
        """Write what is still waiting, here and now (the profile is about to
        lock). False if it could not be written."""
        self._timer.stop()
        if self._in_flight:
            self.runner.wait_for_done(5000)
        profile = self.profile_source()
        pending, self._pending = self._pending, {}
        self._queue.clear()
        if profile is None or not pending:
            return True

        try:
            _write_all(profile, pending)
        except Exception:
            log.exception("edits could not be written before the lock")
            return False
        return True

    def discard(self) -> None:
        """Forget everything waiting (the screen is being emptied)."""
        self._timer.stop()
        self._pending.clear()
        self._queue.clear()

    # Running ----------------------------------------------------------------

    def _save_job(self) -> _Job:
        pending, self._pending = self._pending, {}

        def keep_for_later(error: BaseException) -> None:
            for key, edit in pending.items():
                self._pending.setdefault(key, edit)
            self.failed.emit(error)

        return _Job(
            lambda profile: _write_all(profile, pending),
            self._on_edits_written,
            keep_for_later,
            "Saving…",
        )

    def _on_timer_timeout(self) -> None:
        self.flush()

    def _pump(self) -> None:
        if self._in_flight or not self._queue:
            if not self.busy:
                self.pending_changed.emit(False)
            return

        profile = self.profile_source()
        if profile is None:
            self.discard()
            return
        job = self._queue.popleft()
        self._in_flight = True

        def run(control: TaskControl, profile: UnlockedProfile = profile) -> Any:
            return job.work(profile)

        task = self.runner.submit(
            run,
            on_success=lambda result: self._on_job_succeeded(job, result),
            on_failure=lambda error: self._on_job_failed(job, error),
            description=job.description,
        )
        if job.on_started is not None and task.running:
            job.on_started(task)

    def _on_job_succeeded(self, job: _Job, result: Any) -> None:
        self._in_flight = False
        if self.profile_source() is not None and job.on_success is not None:
            job.on_success(result)
        self._pump()

    def _on_job_failed(self, job: _Job, error: BaseException) -> None:
        self._in_flight = False
        if self.profile_source() is not None:
            if job.on_failure is not None:
                job.on_failure(error)
            else:
                self.failed.emit(error)
        self._pump()

    def _on_edits_written(self, _result: object) -> None:
        self.saved.emit(time.strftime("%H:%M:%S"))


def _write_all(
    profile: UnlockedProfile, pending: dict[object, tuple[Write, tuple[Any, ...]]]
) -> None:
    for work, args in pending.values():
        work(profile, *args)

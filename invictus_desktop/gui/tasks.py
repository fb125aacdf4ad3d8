"""The one way the GUI runs slow work: off the GUI thread, results back on it.

A window hands `TaskRunner.submit` a function of one argument, a
`TaskControl`, and two callbacks. The function runs in a `QThreadPool`
worker; its result (or exception) travels back as plain Python data in a
queued signal, so `on_success` and `on_failure` always run on the GUI thread.
The GUI thread therefore never runs the KDF, a migration or a slow import.

Progress is data: the function calls `control.report(done, total, message)`.
Reports are throttled, and none reach the screen until the job has run for
`PROGRESS_DELAY_MS`, so quick jobs never flash a busy indicator.

A runner made with `synchronous=True` runs each function at once on the
calling thread and calls back before `submit` returns; tests use it to drive
whole journeys without waiting. Callers therefore set up their busy state
before submitting, never after.

Failures are split by audience: a `UserFacingError` is the user's situation
and goes to `on_failure` as is; anything else is a bug, logged with its trace
before `on_failure` sees it.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from invictus_desktop.errors import UserFacingError

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 600
PROGRESS_THROTTLE_SECONDS = 0.1


class Progress(NamedTuple):
    """How far a job has come. `total == 0` means "busy, amount unknown"."""

    done: int = 0
    total: int = 0
    message: str = ""


class TaskCancelled(Exception):
    """Raised inside a job by `TaskControl.check_cancelled` once cancel was asked."""


class TaskControl:
    """The job's side of a task: report progress, notice cancellation.

    Safe to use from the worker thread; it holds no Qt objects.
    """

    def __init__(self, emit_progress: Callable[[Progress], None]) -> None:
        self._emit_progress = emit_progress
        self._cancelled = threading.Event()
        self._last_emit = 0.0

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check_cancelled(self) -> None:
        if self.cancelled:
            raise TaskCancelled()

    def report(self, done: int, total: int, message: str = "") -> None:
        """Record progress; sent at most every 100 ms, except the final count and
        a step of unknown length (`total == 0`), which always go: each may be
        the last word for a while, and steps are few."""
        now = time.monotonic()
        always = done >= total
        if not always and now - self._last_emit < PROGRESS_THROTTLE_SECONDS:
            return

        self._last_emit = now
        self._emit_progress(Progress(done, total, message))

    def _cancel(self) -> None:
        self._cancelled.set()


Work = Callable[[TaskControl], Any]
OnSuccess = Callable[[Any], None]
OnFailure = Callable[[BaseException], None]


class Task(QObject):
    """One submitted job, as the GUI thread sees it.

    Signals:
        progress_changed(Progress): the job has run for `PROGRESS_DELAY_MS` and
            is still going (first emission), or reported progress after that.
        ended(): the job finished, failed or was cancelled; callbacks have run.
    """

    progress_changed = Signal(object)
    ended = Signal()

    # Emitted from the worker thread; queued to this object's (GUI) thread.
    _worker_succeeded = Signal(object)
    _worker_failed = Signal(object)
    _worker_progressed = Signal(object)

    def __init__(
        self,
        description: str,
        on_success: OnSuccess,
        on_failure: OnFailure | None,
    ) -> None:
        super().__init__()
        self.description = description
        self.control = TaskControl(self._worker_progressed.emit)
        self._on_success = on_success
        self._on_failure = on_failure
        self._latest = Progress(message=description)
        self._progress_visible = False
        self._running = True

        self._delay = QTimer(self, singleShot=True, interval=PROGRESS_DELAY_MS)
        self._delay.timeout.connect(self._on_delay_timeout)
        self._worker_succeeded.connect(self._on_worker_succeeded)
        self._worker_failed.connect(self._on_worker_failed)
        self._worker_progressed.connect(self._on_worker_progressed)

    @property
    def running(self) -> bool:
        return self._running

    def cancel(self) -> None:
        """Ask the job to stop; its callbacks will not run."""
        self.control._cancel()

    def execute(self, work: Work) -> None:
        """Run `work` here and now (worker thread, or the caller in synchronous mode)."""
        try:
            result = work(self.control)
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            self._worker_failed.emit(exc)
        else:
            self._worker_succeeded.emit(result)

    def _start_delay(self) -> None:
        self._delay.start()

    @Slot()
    def _on_delay_timeout(self) -> None:
        if not self._running:
            return
        self._progress_visible = True
        self.progress_changed.emit(self._latest)

    @Slot(object)
    def _on_worker_progressed(self, progress: Progress) -> None:
        self._latest = progress
        if self._progress_visible and self._running:
            self.progress_changed.emit(progress)

    @Slot(object)
    def _on_worker_succeeded(self, result: object) -> None:
        self._finish()
        if self.control.cancelled:
            log.info("task %r cancelled", self.description)
        else:
            self._on_success(result)
        self.ended.emit()

    @Slot(object)
    def _on_worker_failed(self, error: BaseException) -> None:
        self._finish()
        if isinstance(error, TaskCancelled) or self.control.cancelled:
            log.info("task %r cancelled", self.description)
        else:
            self._report_failure(error)
        self.ended.emit()

    def _finish(self) -> None:
        self._running = False
        self._delay.stop()

    def _report_failure(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            log.info("task %r: %s", self.description, type(error).__name__)
        else:
            log.error("task %r failed (a bug)", self.description, exc_info=error)

        if self._on_failure is None:
            return
        self._on_failure(error)


class _Worker(QRunnable):
    def __init__(self, task: Task, work: Work) -> None:
        super().__init__()
        self._task = task
        self._work = work

    def run(self) -> None:
        self._task.execute(self._work)


class TaskRunner(QObject):
    """Runs jobs in a thread pool (or inline, when `synchronous`).

    Signals:
        busy_changed(bool): whether any job is running.
    """

    busy_changed = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        synchronous: bool = False,
        max_threads: int = 2,
    ) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._tasks: set[Task] = set()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def submit(
        self,
        work: Work,
        *,
        on_success: OnSuccess,
        on_failure: OnFailure | None = None,
        description: str = "",
    ) -> Task:
        """Start `work(control)`; see the module docstring for threads and errors."""
        # No Qt parent: Python owns the task. The runner keeps it until it ends;
        # a caller that keeps the returned handle keeps it alive for longer.
        task = Task(description, on_success, on_failure)
        task.ended.connect(self._on_task_ended)
        self._tasks.add(task)
        if len(self._tasks) == 1:
            self.busy_changed.emit(True)

        if self.synchronous:
            task.execute(work)
        else:
            task._start_delay()
            self._pool.start(_Worker(task, work))
        return task

    def wait_for_done(self, timeout_ms: int = -1) -> bool:
        """Block until every worker has returned (used when the app quits)."""
        return self._pool.waitForDone(timeout_ms)

    @Slot()
    def _on_task_ended(self) -> None:
        self._tasks.discard(self.sender())  # type: ignore[arg-type]
        if not self._tasks:
            self.busy_changed.emit(False)

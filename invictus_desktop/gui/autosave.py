"""Autosave for every page that edits: each write reaches the encrypted store
in order, one at a time, and nothing typed is dropped while the disk refuses.

The form on screen is the source of truth until the store has acknowledged a
write. Edits become `SaveUnit`s: a key (what is being written), a payload
(the value to write) and the service call that writes it. Units wait in an
`AutosaveQueue`, which sends them one at a time, in order, through the task
runner, so two writes never overlap and a later value can never be
overtaken by an earlier one.

While a unit waits, a newer unit with the same key merges into it (only the
latest text of a field is worth writing). A unit without a key is a barrier
(moving a note into a pane, completing a visit, loading a record, a job such
as submitting a note): it is never merged, and nothing queued after it
merges into units before it.

Pages use it in two ways. The Record page builds units itself (`put`), with
its own `Debouncer` delay for typing. The Notes and Report pages call
`edit(key, work, *args)`, debounced per key, and `after_saves(work, ...)`
for a job (cite, submit, preview, finalise) that must see every edit typed
before it; a job is never retried and never held across a lock.

When the store is unavailable (disk full, read-only folder) the edit goes
back to the head of the queue and is tried again every `retry_ms` and at
the next edit; `flush()` writes every edit synchronously, for the lock, and
`hold()` takes out what the store still refuses, to keep it sealed across
an idle lock (`services.held_edits`).
"""

import logging
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from invictus_desktop.errors import StorageUnavailable, UserFacingError
from invictus_desktop.gui.tasks import Task, TaskControl, TaskRunner
from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)

DEBOUNCE_MS = 300  # fields of a visit record: short, typed in bursts
PROSE_DEBOUNCE_MS = 700  # notes and report sections: long prose
RETRY_MS = 3000
FLUSH_WAIT_SECONDS = 10.0

Write = Callable[[UnlockedProfile, Any], Any]


def _replace(_old: Any, new: Any) -> Any:
    return new


def _ignore(_result: Any) -> None:
    return None


def _star(work: Callable[..., Any]) -> Write:
    """A `Write` whose payload is the tuple of arguments after the profile."""

    def write(profile: UnlockedProfile, args: tuple[Any, ...]) -> Any:
        return work(profile, *args)

    return write


@dataclass
class SaveUnit:
    """One write waiting for the store.

    `write(profile, payload)` runs in a worker; `saved(result)` runs on the GUI
    thread once the write has returned. `merge(old, new)` combines the payloads
    of two waiting units with the same key. `what` names the unit in the log
    (never its text) and, for a job, in the busy indicator.

    A unit is an edit unless `job` is set: a job (a load, a submission, a
    rendering) is not written by `flush()`, not kept by `hold()`, and not
    retried when the store refuses; `failed(error)` hears of its failure
    (else `write_failed`), and `started(task)` is told when it starts in a
    worker.
    """

    key: Hashable | None
    payload: Any
    write: Write
    what: str
    saved: Callable[[Any], None] = _ignore
    merge: Callable[[Any, Any], Any] = _replace
    job: bool = False
    failed: Callable[[BaseException], None] | None = None
    started: Callable[[Task], None] | None = None


@dataclass
class _Flight:
    """The unit being written, and what became of it (set by the worker)."""

    unit: SaveUnit
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None
    landed: bool = False


class AutosaveQueue(QObject):
    """Writes `SaveUnit`s one at a time, in order, and retries while the
    store is unavailable.

    Signals:
        caught_up(datetime): every queued unit has been written and at least
            one edit was since the last time; the time of the acknowledgement.
        storage_failed(str): the store refused a write (disk full, read-only);
            the message says what to do. The unit is kept and retried.
        storage_recovered(): a retry succeeded after `storage_failed`.
        write_failed(str): a unit was refused for another reason (a bug, or a
            record removed meanwhile); it is dropped, the form keeps its text.

    Attributes:
        retry_ms: how long to wait before trying a refused unit again.
        debouncer: delays `edit()` until a pause in typing.
    """

    caught_up = Signal(object)
    storage_failed = Signal(str)
    storage_recovered = Signal()
    write_failed = Signal(str)

    def __init__(
        self,
        profile: UnlockedProfile,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        retry_ms: int = RETRY_MS,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self.retry_ms = retry_ms
        self.debouncer = Debouncer(self, delay_ms=debounce_ms)
        self._edits_written = False
        self._profile: UnlockedProfile | None = profile
        self._runner = runner
        self._pending: list[SaveUnit] = []
        self._flight: _Flight | None = None
        self._failing = False
        self._flushing = False
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self._on_retry_timeout)

    @property
    def idle(self) -> bool:
        """Nothing waits and nothing is being written."""
        return not self._pending and self._flight is None

    @property
    def edits_waiting(self) -> bool:
        """Some edit is not written yet (typed, queued or being written)."""
        flight = self._flight
        return (
            self.debouncer.pending
            or any(not unit.job for unit in self._pending)
            or (flight is not None and not flight.unit.job)
        )

    def edit(self, key: Hashable, work: Callable[..., Any], *args: Any) -> None:
        """Write `work(profile, *args)` after a pause in typing; a later edit
        with the same key replaces this one while it waits."""
        unit = SaveUnit(("edit", key), args, _star(work), "an edit")
        self.debouncer.touch(key, lambda: self.put(unit))

    def after_saves(
        self,
        work: Callable[..., Any],
        *args: Any,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_started: Callable[[Task], None] | None = None,
        description: str = "Working",
    ) -> None:
        """Run the job `work(profile, *args)` once every edit so far is written."""
        self.debouncer.flush()
        self.put(SaveUnit(
            None, args, _star(work), description, saved=on_success or _ignore,
            job=True, failed=on_failure, started=on_started,
        ))

    @property
    def failing(self) -> bool:
        """The last write was refused by the store and is waiting for a retry."""
        return self._failing

    def put(self, unit: SaveUnit) -> None:
        """Queue `unit` (merged into a waiting unit with its key) and send it."""
        if self._profile is None:
            log.warning("autosave after close dropped (%s)", unit.what)
            return

        waiting = self._waiting_with_key(unit.key)
        if waiting is None:
            self._pending.append(unit)
        else:
            waiting.payload = unit.merge(waiting.payload, unit.payload)
            waiting.saved = unit.saved

        if self._failing:
            self._retry.stop()  # the next edit is a good moment to try again
        self._send_next()

    def _waiting_with_key(self, key: Hashable | None) -> SaveUnit | None:
        if key is None:
            return None
        for unit in reversed(self._pending):
            if unit.key is None:
                return None
            if unit.key == key:
                return unit
        return None

    # Sending ---------------------------------------------------------------

    def _send_next(self) -> None:
        if (
            self._flushing
            or self._flight is not None
            or not self._pending
            or self._retry.isActive()
            or self._profile is None
        ):
            return

        unit = self._pending.pop(0)
        flight = _Flight(unit)
        self._flight = flight

        def work(_control: TaskControl, profile: UnlockedProfile = self._profile) -> Any:
            try:
                flight.result = unit.write(profile, unit.payload)
            except BaseException as exc:
                flight.error = exc
                raise
            finally:
                flight.done.set()
            return flight.result

        task = self._runner.submit(
            work,
            on_success=lambda _result: self._land(flight),
            on_failure=lambda _error: self._land(flight),
            description=unit.what if unit.job else f"Saving ({unit.what})",
        )
        if unit.started is not None and task.running:
            unit.started(task)

    def _land(self, flight: _Flight) -> None:
        """What to do once a write has returned (on the GUI thread, once)."""
        if flight.landed:
            return
        flight.landed = True
        if self._flight is flight:
            self._flight = None
        if self._profile is None:
            return

        if flight.error is None:
            self._acknowledge(flight.unit, flight.result)
        elif flight.unit.job:
            self._job_failed(flight.unit, flight.error)
        elif isinstance(flight.error, StorageUnavailable):
            self._pending.insert(0, flight.unit)
            self._refused(flight.error)
            return
        else:
            self._dropped(flight.unit, flight.error)
        self._send_next()

    def _acknowledge(self, unit: SaveUnit, result: Any) -> None:
        unit.saved(result)
        if unit.job:
            return
        self._edits_written = True
        if self._failing:
            self._failing = False
            log.info("autosave recovered")
            self.storage_recovered.emit()
        if self.idle:
            self._edits_written = False
            self.caught_up.emit(datetime.now().astimezone())

    def _job_failed(self, unit: SaveUnit, error: BaseException) -> None:
        if unit.failed is None:
            self._dropped(unit, error)
            return
        if not isinstance(error, UserFacingError):
            log.error("%s failed (a bug)", unit.what, exc_info=error)
        unit.failed(error)

    def _refused(self, error: StorageUnavailable) -> None:
        first = not self._failing
        self._failing = True
        if first:
            log.warning(
                "autosave refused by the store; retrying (%s)", type(error).__name__
            )
        self.storage_failed.emit(str(error))
        if not self._flushing:
            self._retry.start(self.retry_ms)

    def _dropped(self, unit: SaveUnit, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            log.info("autosave of %s refused: %s", unit.what, type(error).__name__)
            self.write_failed.emit(str(error))
            return

        log.error("autosave of %s failed (a bug)", unit.what, exc_info=error)
        self.write_failed.emit(
            "Something went wrong inside the app while saving (a bug, not your doing)."
        )

    @Slot()
    def _on_retry_timeout(self) -> None:
        self._send_next()

    # Flushing and closing -------------------------------------------------

    def flush(self) -> bool:
        """Write every edit now, on this thread (before a lock): True when no
        edit is left unsaved. Jobs stay queued, to run if the profile stays
        open."""
        self.debouncer.flush()
        if self._profile is None:
            return not self.edits_waiting

        self._retry.stop()
        self._flushing = True
        try:
            flight = self._flight
            if flight is not None:
                if not flight.done.wait(FLUSH_WAIT_SECONDS):
                    log.error("autosave flush: a write did not return in time")
                    return False
                self._land(flight)

            jobs = []
            while self._pending:
                unit = self._pending.pop(0)
                if unit.job:
                    jobs.append(unit)
                    continue
                flight = _Flight(unit)
                try:
                    flight.result = unit.write(self._profile, unit.payload)
                except Exception as exc:
                    flight.error = exc
                self._land(flight)
                if isinstance(flight.error, StorageUnavailable):
                    break  # the store refuses: trying the rest now would fail too
            self._pending.extend(jobs)
            return not self.edits_waiting
        finally:
            self._flushing = False
            if self._failing and self._pending:
                self._retry.start(self.retry_ms)
            elif self._pending:
                # Jobs left behind run on the next turn, unless the lock closes first.
                QTimer.singleShot(0, self, self._send_next)

    def hold(self) -> list[SaveUnit]:
        """Take out every edit still waiting (the store refused it and the
        profile is locking), oldest first; the queue is then closed and its
        jobs dropped."""
        self.debouncer.flush()
        self._retry.stop()
        units = [unit for unit in self._pending if not unit.job]
        self.close()
        return units

    def close(self) -> int:
        """Forget the profile and every waiting unit; returns how many were left."""
        left = len(self._pending) + (self._flight is not None)
        self.debouncer.cancel()
        self._retry.stop()
        self._pending.clear()
        self._flight = None
        self._profile = None
        return left


class Debouncer(QObject):
    """Calls `fire` once per key, `delay_ms` after the key was last touched.

    Attributes:
        delay_ms: the quiet time after the last touch.
    """

    def __init__(
        self, parent: QObject | None = None, *, delay_ms: int = DEBOUNCE_MS
    ) -> None:
        super().__init__(parent)
        self.delay_ms = delay_ms
        self._timers: dict[Hashable, QTimer] = {}
        self._fires: dict[Hashable, Callable[[], None]] = {}

    @property
    def pending(self) -> bool:
        return bool(self._fires)

    def touch(self, key: Hashable, fire: Callable[[], None]) -> None:
        self._fires[key] = fire
        timer = self._timers.get(key)
        if timer is None:
            timer = QTimer(self, singleShot=True)
            timer.timeout.connect(lambda key=key: self._fire(key))
            self._timers[key] = timer
        timer.start(self.delay_ms)

    def flush(self) -> None:
        """Fire every waiting key now, in the order they were first touched."""
        for key in list(self._fires):
            self._fire(key)

    def cancel(self) -> None:
        for timer in self._timers.values():
            timer.stop()
        self._fires.clear()

    def _fire(self, key: Hashable) -> None:
        self._timers[key].stop()
        fire = self._fires.pop(key, None)
        if fire is not None:
            fire()

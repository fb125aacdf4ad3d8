"""Which window is on screen, and whether the profile is open.

    no profile --> first run --(recovery key dialog)--+
                                                      +--> main window
    profile -----> unlock ----------------------------+        |
                     ^                                          |
                     +---- lock: Ctrl+L, idle, suspend ---------+

Locking drops every reference the GUI holds to the open profile: the main
window is emptied and deleted, the recovery key dialog (if still up) is
closed, the idle lock stops and `UnlockedProfile.lock()` closes the store.
A fresh unlock window then takes over. What must survive the lock (edits the
disk refused, a recovery key not yet confirmed) is first sealed under a key
derived from the database key (`services.held_edits`) and given back after
the next unlock: the recovery key dialog then appears again.
"""

from __future__ import annotations

import gc
import logging
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.unlock import UnlockWindow
from invictus_desktop.paths import ProfilePaths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from invictus_desktop.crypto.kdf import KdfParams
    from invictus_desktop.gui import jobs
    from invictus_desktop.gui.first_run import FirstRunWindow
    from invictus_desktop.gui.idle_lock import IdleLock
    from invictus_desktop.services.held_edits import SealedEdits
    from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)

ENTRY_WINDOW_SIZE = (760, 660)
MAIN_WINDOW_SIZE = (1180, 740)
MS_PER_MINUTE = 60_000
DEFAULT_IDLE_MINUTES = 5  # until the profile's own setting is read at unlock
# The services load in the background only once the window is up: started at
# once, the import would compete with the first paint for the interpreter.
WARM_UP_DELAY_MS = 250


class AppController(QObject):
    """Moves between the first-run, unlock and main windows, and locks.

    Signals:
        profile_opened(): the main window is showing an open profile.
        profile_locked(str): the profile was locked (the reason: "user", "idle",
            "suspended", "session ending"); the unlock window is showing.

    Attributes:
        window: the top-level window on screen.
        profile: the open `UnlockedProfile`, or None while locked.
        idle_lock: the inactivity watcher, made when a profile first opens
            (None before) and active only while one is open.
        recovery_dialog: the recovery key dialog while it is up, else None.
        held_edits: how many refused edits wait, sealed, for the next unlock.
    """

    profile_opened = Signal()
    profile_locked = Signal(str)

    def __init__(
        self,
        paths: ProfilePaths,
        runner: TaskRunner,
        *,
        kdf_params: KdfParams | None = None,
        idle_interval_ms: int | None = None,
        warm_up_delay_ms: int = WARM_UP_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self.window: QWidget | None = None
        self.profile = None
        self.recovery_dialog: QDialog | None = None
        self._main_window = None
        self._runner = runner
        self._kdf_params = kdf_params
        self._idle_interval_override = idle_interval_ms
        self._warm_up_delay_ms = warm_up_delay_ms
        self.idle_lock: IdleLock | None = None
        self._held: tuple[SealedEdits, dict[str, list]] | None = None
        self._held_recovery_key: SealedEdits | None = None

    @property
    def held_edits(self) -> int:
        return 0 if self._held is None else self._held[0].count

    def start(self) -> None:
        """Show the unlock window, or the first-run window if there is no profile."""
        if self.paths.exists() or self.paths.database.exists():
            self._show_unlock()
        else:
            self._show_first_run()

    def lock(self, reason: str = "user") -> None:
        """Close the data, drop the key, and ask for the passphrase again.

        Edits still waiting to be saved are written first. If the store refuses
        them (disk full, read-only folder), a lock the user asked for waits and
        the page says why. An idle or session lock cannot wait (a laptop left
        open is the risk it exists for), so the refused edits are sealed under
        a key derived from the database key, kept in memory only, and queued
        again after the next unlock: nothing typed is lost, and nothing is
        readable while locked.
        """
        if self.profile is None:
            return
        flushed = self._main_window is None or self._main_window.flush_pending()
        if not flushed and reason == "user":
            log.warning("lock postponed: edits not saved yet")
            return
        if not flushed:
            self._hold_unsaved_edits()
        self._hold_recovery_key()
        self._close_profile()
        self._show_unlock()
        if self._held is not None:
            self.window.show_held_edits(self._held[0].count)
        log.info("locked (%s)", reason)
        self.profile_locked.emit(reason)

    def shutdown(self) -> None:
        """Close the profile as the app quits; no window is shown."""
        if self.profile is not None:
            self._close_profile()
            log.info("locked (quitting)")

    # Windows ---------------------------------------------------------------

    def _show_first_run(self) -> None:
        from invictus_desktop.gui.first_run import FirstRunWindow

        window = FirstRunWindow(self.paths, self._runner, self._kdf_params)
        window.profile_created.connect(self._on_first_run_profile_created)
        self._replace_window(window, ENTRY_WINDOW_SIZE)
        self._warm_up(window)

    def _show_unlock(self) -> None:
        window = UnlockWindow(self.paths, self._runner, self._kdf_params)
        window.unlocked.connect(self._on_unlock_unlocked)
        self._replace_window(window, ENTRY_WINDOW_SIZE)
        self._warm_up(window)

    def _warm_up(self, window: FirstRunWindow | UnlockWindow) -> None:
        """Have `window` load the services, once it has had time to appear."""
        if self._warm_up_delay_ms <= 0:
            window.load_policy()
            return
        QTimer.singleShot(self._warm_up_delay_ms, window, window.load_policy)

    def _show_main(self, opened: jobs.OpenProfile) -> None:
        from invictus_desktop.gui.main_window import MainWindow

        window = MainWindow(opened, self._runner)
        window.lock_requested.connect(self._on_main_window_lock_requested)
        window.idle_lock_minutes_changed.connect(
            self._on_main_window_idle_lock_minutes_changed
        )
        self._main_window = window
        self._replace_window(window, MAIN_WINDOW_SIZE)
        # What unlocking loaded (ORM, services, pages) lives until the lock: kept
        # out of the garbage collector's scans, a collection while the user types
        # takes milliseconds instead of a noticeable 100 ms (bench/typing.py).
        gc.freeze()
        self.profile_opened.emit()

    def _replace_window(self, window: QWidget, size: tuple[int, int]) -> None:
        """Show `window` first, then close the old one, so the app never has none."""
        old = self.window
        self.window = window
        window.resize(*size)
        window.show()
        window.activateWindow()
        if old is not None:
            old.close()
            old.deleteLater()

    # Opening ---------------------------------------------------------------

    def _on_first_run_profile_created(
        self, opened: jobs.OpenProfile, recovery_key: str | None
    ) -> None:
        self._take_profile(opened)
        if recovery_key is None:
            self._show_main(opened)
            return

        from invictus_desktop.gui.recovery_key_dialog import RecoveryKeyDialog

        dialog = RecoveryKeyDialog(recovery_key, self.window)
        dialog.accepted.connect(partial(self._on_recovery_dialog_accepted, opened))
        self.recovery_dialog = dialog
        dialog.open()

    def _on_recovery_dialog_accepted(self, opened: jobs.OpenProfile) -> None:
        self._forget_recovery_dialog()
        if self.profile is opened.profile:
            self._show_main(opened)

    def _on_unlock_unlocked(self, opened: jobs.OpenProfile) -> None:
        held, self._held = self._held, None
        if held is not None:
            self.window.show_held_edits(0)
        sealed_key, self._held_recovery_key = self._held_recovery_key, None
        if sealed_key is not None:
            # The lock came while the key was shown: show it again, then go on.
            recovery_key = self._open_recovery_key(opened.profile, sealed_key)
            self._on_first_run_profile_created(opened, recovery_key)
            return
        self._take_profile(opened)
        self._show_main(opened)
        if held is not None:
            self._resume_held_edits(held)

    def _take_profile(self, opened: jobs.OpenProfile) -> None:
        self.profile = opened.profile
        idle_lock = self._ensure_idle_lock()
        if self._idle_interval_override is None:
            idle_lock.set_interval_ms(opened.idle_lock_minutes * MS_PER_MINUTE)
        idle_lock.start()

    def _ensure_idle_lock(self) -> IdleLock:
        if self.idle_lock is None:
            from invictus_desktop.gui.idle_lock import IdleLock

            default_ms = DEFAULT_IDLE_MINUTES * MS_PER_MINUTE
            self.idle_lock = IdleLock(self._idle_interval_override or default_ms, self)
            self.idle_lock.lock_due.connect(self._on_idle_lock_lock_due)
        return self.idle_lock

    # Locking ---------------------------------------------------------------

    def _on_main_window_lock_requested(self) -> None:
        self.lock("user")

    def _on_idle_lock_lock_due(self, reason: str) -> None:
        self.lock(reason)

    def _on_main_window_idle_lock_minutes_changed(self, minutes: int) -> None:
        if self._idle_interval_override is None:
            self._ensure_idle_lock().set_interval_ms(minutes * MS_PER_MINUTE)

    def _hold_unsaved_edits(self) -> None:
        """Seal what the store refused, so that it survives the lock unreadable."""
        from invictus_desktop.services.held_edits import seal_edits

        by_page = self._main_window.hold_unsaved()
        units = [unit for page_units in by_page.values() for unit in page_units]
        if not units:
            return
        sealed = seal_edits(self.profile, [unit.payload for unit in units])
        for unit in units:
            unit.payload = None
        self._held = (sealed, by_page)
        log.warning("locking with %d unsaved edits, sealed until the unlock", len(units))

    def _hold_recovery_key(self) -> None:
        """The recovery key is shown once: if a lock closes its dialog before
        the user confirmed it, keep it sealed for the next unlock."""
        dialog = self.recovery_dialog
        if dialog is None or not dialog.isVisible():
            return
        from invictus_desktop.services.held_edits import seal_edits

        self._held_recovery_key = seal_edits(self.profile, [dialog.key_label.text()])
        log.info("locked while the recovery key was shown: it is shown again at unlock")

    def _open_recovery_key(self, profile: UnlockedProfile, sealed: SealedEdits) -> str:
        from invictus_desktop.services.held_edits import open_edits

        (recovery_key,) = open_edits(profile, sealed)
        return recovery_key

    def _resume_held_edits(self, held: tuple[SealedEdits, dict[str, list]]) -> None:
        from invictus_desktop.errors import UserFacingError
        from invictus_desktop.services.held_edits import open_edits

        sealed, by_page = held
        try:
            payloads = iter(open_edits(self.profile, sealed))
        except UserFacingError:
            log.error("%d edits held across the lock could not be reopened", sealed.count)
            return
        for units in by_page.values():
            for unit in units:
                unit.payload = next(payloads)

        self._main_window.resume_unsaved(by_page)
        self._main_window.show_page(next(iter(by_page)))
        self._main_window.statusBar().showMessage(
            f"{sealed.count} edits typed before the lock are being saved again."
        )

    def _close_profile(self) -> None:
        if self.idle_lock is not None:
            self.idle_lock.stop()
        self._forget_recovery_dialog()
        main_window, self._main_window = self._main_window, None
        if main_window is not None:
            main_window.clear_data()

        profile, self.profile = self.profile, None
        profile.lock()
        gc.unfreeze()  # the closed store and its key must be collectable again

    def _forget_recovery_dialog(self) -> None:
        dialog, self.recovery_dialog = self.recovery_dialog, None
        if dialog is None:
            return
        if dialog.isVisible():
            from PySide6.QtWidgets import QDialog  # not needed to show the unlock window

            dialog.done(QDialog.DialogCode.Rejected)
        dialog.deleteLater()

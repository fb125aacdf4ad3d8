"""The unlock window: the passphrase, or the recovery key and a new passphrase.

Three pages in one window:

1. the passphrase (the usual way in);
2. the recovery key, checked in a worker and closed again at once;
3. a new passphrase, which re-wraps the key (the KDF, in a worker) and opens
   the profile with it.

Nothing here imports the services: the jobs do, in workers, so this window
appears as fast as Qt can show it (and `jobs` itself is imported only when a
job is submitted). The recovery pages are built the first
time they are needed, for the same reason, and Qt classes the first page does
not use (`QMessageBox`, `QCloseEvent`) are imported only when needed: PySide
builds each class's Python type, with its enums, on first use.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import (
    BusyIndicator,
    CardPage,
    InlineMessage,
    describe_failure,
    footnote,
    labelled,
)
from invictus_desktop.paths import ProfilePaths

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from invictus_desktop.crypto.kdf import KdfParams
    from invictus_desktop.gui import jobs

log = logging.getLogger(__name__)


class UnlockWindow(QWidget):
    """Opens an existing profile.

    Signals:
        unlocked(OpenProfile): the profile is open; the window has cleared its fields.

    Attributes:
        pages: the stack of pages: passphrase, then (once built) recovery key and
            new passphrase.
        policy: the minimum passphrase length and roles, once loaded (else None).
    """

    unlocked = Signal(object)

    def __init__(
        self,
        paths: ProfilePaths,
        runner: TaskRunner,
        kdf_params: KdfParams | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Invictus QUAD Desktop: unlock")
        self.policy: jobs.FormPolicy | None = None
        self._paths = paths
        self._runner = runner
        self._kdf_params = kdf_params
        self._verified_recovery_key = ""
        self._held_edits = 0

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_passphrase_page())
        self._recovery_pages_built = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.passphrase_edit.setFocus()

    def load_policy(self) -> None:
        """Warm the services in the background while the user types."""
        from invictus_desktop.gui import jobs

        self._runner.submit(
            jobs.load_form_policy,
            on_success=self._on_policy_loaded,
            on_failure=partial(self._on_job_failed, self.unlock_message),
            description="Loading",
        )

    def show_held_edits(self, count: int) -> None:
        """Say that `count` edits the disk refused wait, sealed, for this unlock
        (0 hides the message); closing the window then asks first."""
        self._held_edits = count
        if count == 0:
            self.held_message.clear_message()
            return
        self.held_message.show_error(
            f"{count} edits could not be saved before the lock: the disk refused "
            "them. They are kept, encrypted, in this app's memory only. Unlock to "
            "save them once the disk has room or is writable again; quitting the "
            "app now would lose them."
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._held_edits and not self._confirm_losing_held_edits():
            event.ignore()
            return
        super().closeEvent(event)

    def _confirm_losing_held_edits(self) -> bool:
        from PySide6.QtWidgets import QMessageBox  # its wrapper type costs start-up 1 ms

        answer = QMessageBox.warning(
            self,
            "Unsaved edits",
            f"{self._held_edits} edits typed before the lock are not saved yet. "
            "Quit and lose them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    # Building --------------------------------------------------------------

    def _build_passphrase_page(self) -> QWidget:
        page = CardPage(
            "Unlock Invictus QUAD",
            "Enter your passphrase to open your encrypted profile.",
        )
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)

        self.unlock_message = InlineMessage()
        self.unlock_busy = BusyIndicator()
        self.use_recovery_button = QPushButton("Use a &recovery key…")
        self.use_recovery_button.setObjectName("secondary")
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setObjectName("primary")

        self.held_message = InlineMessage()
        page.body.addWidget(self.held_message)
        page.body.addLayout(labelled("&Passphrase", self.passphrase_edit))
        page.body.addWidget(self.unlock_message)
        page.body.addWidget(self.unlock_busy)
        page.body.addLayout(_button_row(self.use_recovery_button, self.unlock_button))
        page.body.addWidget(footnote(f"Profile folder: {self._paths.root}"))

        QWidget.setTabOrder(self.passphrase_edit, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.use_recovery_button)
        self.passphrase_edit.returnPressed.connect(self._on_unlock_button_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.use_recovery_button.clicked.connect(self._on_use_recovery_button_clicked)
        return page

    def _ensure_recovery_pages(self) -> None:
        if self._recovery_pages_built:
            return
        self.pages.addWidget(self._build_recovery_page())
        self.pages.addWidget(self._build_reset_page())
        self._recovery_pages_built = True
        if self.policy is not None:
            self._on_policy_loaded(self.policy)

    def _build_recovery_page(self) -> QWidget:
        page = CardPage(
            "Use your recovery key",
            "Type the recovery key you wrote down when you set up this profile. "
            "Then you will choose a new passphrase.",
        )
        self.recovery_edit = QLineEdit()
        self.recovery_edit.setPlaceholderText("Groups of letters and digits")

        self.recovery_message = InlineMessage()
        self.recovery_busy = BusyIndicator()
        self.recovery_back_button = QPushButton("&Back")
        self.recovery_back_button.setObjectName("secondary")
        self.recovery_continue_button = QPushButton("&Continue")
        self.recovery_continue_button.setObjectName("primary")

        page.body.addLayout(labelled("Recovery &key", self.recovery_edit))
        page.body.addWidget(self.recovery_message)
        page.body.addWidget(self.recovery_busy)
        page.body.addLayout(
            _button_row(self.recovery_back_button, self.recovery_continue_button)
        )

        QWidget.setTabOrder(self.recovery_edit, self.recovery_continue_button)
        QWidget.setTabOrder(self.recovery_continue_button, self.recovery_back_button)
        self.recovery_edit.returnPressed.connect(self._on_recovery_continue_button_clicked)
        self.recovery_continue_button.clicked.connect(
            self._on_recovery_continue_button_clicked
        )
        self.recovery_back_button.clicked.connect(self._on_back_button_clicked)
        return page

    def _build_reset_page(self) -> QWidget:
        from invictus_desktop.gui.passphrase_strength import NewPassphraseFields

        page = CardPage(
            "Choose a new passphrase",
            "Your recovery key is correct. Choose a new passphrase: it replaces the "
            "old one, which will no longer unlock this profile.",
        )
        self.new_passphrase_fields = NewPassphraseFields("&New passphrase")
        self.reset_message = InlineMessage()
        self.reset_busy = BusyIndicator()
        self.reset_back_button = QPushButton("&Back")
        self.reset_back_button.setObjectName("secondary")
        self.reset_button = QPushButton("Set passphrase and &unlock")
        self.reset_button.setObjectName("primary")
        self.reset_button.setEnabled(False)

        page.body.addWidget(self.new_passphrase_fields)
        page.body.addWidget(self.reset_message)
        page.body.addWidget(self.reset_busy)
        page.body.addLayout(_button_row(self.reset_back_button, self.reset_button))

        fields = self.new_passphrase_fields
        QWidget.setTabOrder(fields.confirm_edit, self.reset_button)
        QWidget.setTabOrder(self.reset_button, self.reset_back_button)
        for edit in (fields.passphrase_edit, fields.confirm_edit):
            edit.returnPressed.connect(self._on_reset_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.reset_back_button.clicked.connect(self._on_back_button_clicked)
        return page

    # Page 1: the passphrase -------------------------------------------------

    def _on_unlock_button_clicked(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.unlock_message.show_error("Type your passphrase, then press Enter.")
            return

        from invictus_desktop.gui import jobs

        self.unlock_message.clear_message()
        self._set_page_enabled(False)
        task = self._runner.submit(
            partial(jobs.unlock_and_open, self._paths, passphrase),
            on_success=self._on_profile_opened,
            on_failure=self._on_unlock_failed,
            description="Unlocking…",
        )
        self.unlock_busy.track(task)

    def _on_unlock_failed(self, error: BaseException) -> None:
        self._on_job_failed(self.unlock_message, error)
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()

    def _on_use_recovery_button_clicked(self) -> None:
        self._ensure_recovery_pages()
        self.unlock_message.clear_message()
        self.passphrase_edit.clear()
        self.pages.setCurrentIndex(1)
        self.recovery_edit.setFocus()

    # Page 2: the recovery key -----------------------------------------------

    def _on_recovery_continue_button_clicked(self) -> None:
        if not self.recovery_continue_button.isEnabled():
            return
        recovery_key = self.recovery_edit.text().strip()
        if not recovery_key:
            self.recovery_message.show_error("Type your recovery key, then press Enter.")
            return

        from invictus_desktop.gui import jobs

        self.recovery_message.clear_message()
        self._set_page_enabled(False)
        task = self._runner.submit(
            partial(jobs.verify_recovery_key, self._paths, recovery_key),
            on_success=partial(self._on_recovery_key_verified, recovery_key),
            on_failure=partial(self._on_job_failed, self.recovery_message),
            description="Checking the recovery key…",
        )
        self.recovery_busy.track(task)

    def _on_recovery_key_verified(self, recovery_key: str, _result: None) -> None:
        self._verified_recovery_key = recovery_key
        self.recovery_edit.clear()
        self._set_page_enabled(True)
        self.pages.setCurrentIndex(2)
        self.reset_button.setEnabled(self.policy is not None)
        self.new_passphrase_fields.passphrase_edit.setFocus()

    # Page 3: the new passphrase ---------------------------------------------

    def _on_reset_button_clicked(self) -> None:
        if self.policy is None or not self.reset_button.isEnabled():
            return
        problem, field = self.new_passphrase_fields.problem()
        if problem:
            self.reset_message.show_error(problem)
            if field is not None:
                field.setFocus()
            return

        from invictus_desktop.gui import jobs

        self.reset_message.clear_message()
        self._set_page_enabled(False)
        task = self._runner.submit(
            partial(
                jobs.reset_and_open,
                self._paths,
                self._verified_recovery_key,
                self.new_passphrase_fields.passphrase,
                self._kdf_params,
            ),
            on_success=self._on_profile_opened,
            on_failure=partial(self._on_job_failed, self.reset_message),
            description="Setting your new passphrase…",
        )
        self.reset_busy.track(task)

    # Shared -----------------------------------------------------------------

    def _on_policy_loaded(self, policy: jobs.FormPolicy) -> None:
        self.policy = policy
        if self._recovery_pages_built:
            self.new_passphrase_fields.set_min_length(policy.min_passphrase_length)
            self.reset_button.setEnabled(True)

    def _on_back_button_clicked(self) -> None:
        self._forget_secrets()
        for message in (self.recovery_message, self.reset_message):
            message.clear_message()
        self.pages.setCurrentIndex(0)
        self.passphrase_edit.setFocus()

    def _on_profile_opened(self, opened: jobs.OpenProfile) -> None:
        self._forget_secrets()
        self._set_page_enabled(True)
        self.pages.setCurrentIndex(0)
        log.info("unlock window done")
        self.unlocked.emit(opened)

    def _on_job_failed(self, message: InlineMessage, error: BaseException) -> None:
        self._set_page_enabled(True)
        message.show_error(
            describe_failure(error, f"Details are in the log in {self._paths.logs}.")
        )

    def _forget_secrets(self) -> None:
        self._verified_recovery_key = ""
        self.passphrase_edit.clear()
        if self._recovery_pages_built:
            self.recovery_edit.clear()
            self.new_passphrase_fields.clear()

    def _set_page_enabled(self, enabled: bool) -> None:
        page = self.pages.currentWidget()
        page.setEnabled(enabled)
        if enabled and self._recovery_pages_built and self.policy is None:
            self.reset_button.setEnabled(False)


def _button_row(secondary: QPushButton, primary: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(secondary)
    row.addStretch(1)
    row.addWidget(primary)
    return row

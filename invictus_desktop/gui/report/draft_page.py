"""What the Notes and Report pages share: a QUAD's draft, written as it is
typed through the page's autosave queue, with "Saved HH:MM:SS" and a message
line that says when the store refuses or a job fails."""

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QLabel, QWidget

from invictus_desktop.gui.autosave import PROSE_DEBOUNCE_MS, AutosaveQueue
from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import InlineMessage
from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)


class DraftPage(Page):
    """A page that edits a draft: autosave, the saved label and the message.

    Attributes:
        autosave: saves edits after a pause in typing, and runs jobs in order.
        saved_label: "Saved HH:MM:SS", "Saving…" or "Not saved".
        message: the page's message line (errors, refusals).
    """

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        self.message = InlineMessage()
        self.autosave = AutosaveQueue(profile, runner, self, debounce_ms=PROSE_DEBOUNCE_MS)
        self.autosave.caught_up.connect(self._on_autosave_caught_up)
        self.autosave.storage_failed.connect(self._on_autosave_failed)
        self.autosave.storage_recovered.connect(self._on_autosave_storage_recovered)
        self.autosave.write_failed.connect(self._on_autosave_failed)

    def _edit(self, key: object, work: Callable[..., object], *args: object) -> None:
        """Save `work(profile, *args)` after a pause in typing."""
        self.saved_label.setText("Saving…")
        self.autosave.edit(key, work, *args)

    def _on_autosave_caught_up(self, at: datetime) -> None:
        self.saved_label.setText(f"Saved {at:%H:%M:%S}")

    def _on_autosave_storage_recovered(self) -> None:
        self.message.clear_message()

    def _on_autosave_failed(self, reason: str) -> None:
        self.saved_label.setText("Not saved")
        self.message.show_error(reason)
        self.status_message.emit(reason)

    def _on_job_failed_here(self, error: BaseException) -> None:
        text = self.failure_text(error)
        self.message.show_error(text)
        self.status_message.emit(text)

    def _close_autosave(self) -> None:
        """Write what is waiting and close the queue (first, in `clear_data`)."""
        if not self.autosave.flush():
            log.error("closing with unsaved edits (the store refused them)")
        self.autosave.close()
        self.message.clear_message()
        self.saved_label.clear()

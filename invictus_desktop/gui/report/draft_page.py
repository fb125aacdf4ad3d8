"""What the Notes and Report pages share: a QUAD chosen from those the person
may write for, and its draft, written as it is typed through the page's
autosave queue, with "Saved HH:MM:SS" and a message line that says when the
store refuses or a job fails."""

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from invictus_desktop.gui.autosave import PROSE_DEBOUNCE_MS, AutosaveQueue
from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.report.quad_picker import QuadPicker
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import InlineMessage, buddy_label
from invictus_desktop.services.planning import QuadSummary
from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)


class DraftPage(Page):
    """A page that edits a QUAD's draft: the QUAD picker, autosave, the saved
    label and the message.

    A subclass says how to find its QUADs (`find_quads`, `no_quads_text`),
    opens the chosen one (`load`) and empties itself (`show_nothing`).

    Attributes:
        picker: the QUADs this person may write for here.
        state_label: what the chosen QUAD's draft is ("Draft, version 2").
        autosave: saves edits after a pause in typing, and runs jobs in order.
        saved_label: "Saved HH:MM:SS", "Saving…" or "Not saved".
        message: the page's message line (errors, refusals).
    """

    no_quads_text = ""
    # Each page gives these: the QUADs this person may write for here (run in a
    # worker), opening one QUAD's draft, and showing none (fields empty).
    find_quads: Callable[[UnlockedProfile], list[QuadSummary]]
    load: Callable[[str], None]
    show_nothing: Callable[[], None]

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self._wanted: str | None = None  # a QUAD asked for before the list arrives
        self.picker = QuadPicker()
        self.picker.quad_chosen.connect(self.load)
        self.state_label = QLabel()
        self.state_label.setObjectName("subheading")
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        self.message = InlineMessage()
        self.autosave = AutosaveQueue(profile, runner, self, debounce_ms=PROSE_DEBOUNCE_MS)
        self.autosave.caught_up.connect(self._on_autosave_caught_up)
        self.autosave.storage_failed.connect(self._on_autosave_failed)
        self.autosave.storage_recovered.connect(self._on_autosave_storage_recovered)
        self.autosave.write_failed.connect(self._on_autosave_failed)

    def quad_row(self) -> QHBoxLayout:
        """The row that chooses the QUAD and says what its draft is and when it
        was saved; the page may add its own buttons at the end."""
        row = QHBoxLayout()
        row.addWidget(buddy_label("&QUAD", self.picker))
        row.addWidget(self.picker)
        row.addSpacing(12)
        row.addWidget(self.state_label, 1)
        row.addWidget(self.saved_label)
        return row

    # Choosing the QUAD -------------------------------------------------------

    def page_shown(self) -> None:
        self.run(self.find_quads, on_success=self._on_quads_found,
                 description="Finding your QUADs…")

    def open_item(self, item: object) -> None:
        self._wanted = str(item)
        self.page_shown()

    def _on_quads_found(self, quads: list[QuadSummary]) -> None:
        wanted = self._wanted or self.picker.quad_id()
        self._wanted = None
        self.picker.show_quads(quads, keep=wanted)
        if not quads:
            self.show_nothing()
            self.message.show_info(self.no_quads_text)
            return

        if self.picker.quad_id() is None:
            self.picker.setCurrentIndex(0)  # announced: loads it
        else:
            self.load(self.picker.quad_id())

    # Writing -----------------------------------------------------------------

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

"""The record of one visit, filled in while it happens and saved as it is typed.

Every edit is written to the encrypted store through an `AutosaveQueue`: text
fields a moment after the last keystroke (`DEBOUNCE_MS`), ticks and choices at
once, one write at a time, in order. "Saved 14:32:05" appears only when the
store has acknowledged everything typed. If the store refuses (disk full,
read-only folder), a banner stays up, the form keeps the text, and the queue
retries until the store takes it. Locking first flushes every waiting edit.
"""

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.autosave import AutosaveQueue, SaveUnit
from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.shortcut_overlay import ShortcutOverlay
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.visit.record_form import RecordForm
from invictus_desktop.gui.visit.running_notes import NoteRow
from invictus_desktop.gui.visit.save_status import SavedIndicator, SaveProblemBanner
from invictus_desktop.gui.visit.words import KIND_LABELS, STATUS_LABELS, clock
from invictus_desktop.services import visits
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.visits import VisitRecord
from invictus_desktop.store.models import ActivityStatus

log = logging.getLogger(__name__)

# Ticks and choices are saved at once; typing waits for a pause.
IMMEDIATE_FIELDS = {"joint_visit", "safeguarding_concern"}

SHORTCUTS = [
    ("Ctrl+Enter  or  Ctrl+T", "Add a running-note line stamped with the time"),
    ("Enter", "In a note line: start the next line"),
    ("Up  /  Down", "Move between note lines"),
    ("Ctrl+M", "Move the note line into a focus area's evidence"),
    ("Alt+N", "Go to the running notes"),
    ("Alt+1 … Alt+9", "Go to the evidence of focus area 1 … 9"),
    ("Alt+underlined letter", "Go to that field"),
    ("Tab  /  Shift+Tab", "Next / previous field, in form order"),
    ("Ctrl+Shift+C", "Complete the visit (you can still edit it afterwards)"),
    ("Alt+Left", "Back to the visits list"),
    ("Ctrl+L", "Lock now (everything typed is saved first)"),
    ("F1  or  Ctrl+/", "Show or hide these shortcuts"),
]


class RecordPage(Page):
    """One visit's record: header, focus panes, texts, safeguarding, notes.

    Signals:
        (those of `Page`) data_changed() after each acknowledged save.

    Attributes:
        record: the visit as loaded (its fields are not kept up to date: the
            form is the source of truth), or None when no visit is open.
        activity_id: the open visit's id, or None.
        form: the record's fields.
        autosave: the queue of writes to the store.
        debouncer: waits for a pause in typing before queueing a write.
        indicator: "Saving…" / "Saved 14:32:05".
        banner: the warning shown while edits cannot be saved.
        overlay: the keyboard shortcuts sheet (F1).
    """

    key = "record"
    title = "Record"
    shown_to_board = False

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self.record: VisitRecord | None = None
        self.activity_id: str | None = None
        self._dirty = False
        self.autosave = AutosaveQueue(profile, runner, self)
        self.debouncer = self.autosave.debouncer
        self._build()
        self._build_actions()
        self._connect()
        self._show_empty()

    # Building --------------------------------------------------------------

    def _build(self) -> None:
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.meta_label = QLabel()
        self.meta_label.setObjectName("caption")
        self.indicator = SavedIndicator()
        self.back_button = QPushButton("← Visits")
        self.back_button.setToolTip("Back to the visits list (Alt+Left)")
        self.help_button = QPushButton("Shortcuts  F1")
        self.complete_button = QPushButton("Co&mplete visit")
        self.complete_button.setObjectName("primary")
        self.complete_button.setToolTip("Record that the visit is complete (Ctrl+Shift+C)")

        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title_label)
        titles.addWidget(self.meta_label)
        bar = QHBoxLayout()
        bar.setContentsMargins(24, 14, 24, 10)
        bar.setSpacing(10)
        bar.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        bar.addSpacing(6)
        bar.addLayout(titles, 1)
        bar.addWidget(self.indicator)
        bar.addWidget(self.help_button)
        bar.addWidget(self.complete_button)
        self.banner = SaveProblemBanner()

        self.form = RecordForm()
        self.empty_label = QLabel(
            "No visit is open. Start one from a QUAD's schedule on the Visits page, "
            "or open one from its list of visits."
        )
        self.empty_label.setObjectName("intro")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.form)

        top = QWidget()
        top.setObjectName("recordBar")
        top.setLayout(bar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.overlay = ShortcutOverlay(self, "Recording a visit", SHORTCUTS)

    def _build_actions(self) -> None:
        def action(text: str, keys: list[str], slot) -> QAction:
            made = QAction(text, self)
            made.setShortcuts([QKeySequence(k) for k in keys])
            made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        self.add_line_action = action(
            "Add a note line", ["Ctrl+Return", "Ctrl+Enter", "Ctrl+T"],
            self._on_add_line_action_triggered,
        )
        self.complete_action = action(
            "Complete visit", ["Ctrl+Shift+C"], self._on_complete_action_triggered
        )
        self.help_action = action("Shortcuts", ["F1", "Ctrl+/"], self.overlay.toggle)
        self.back_action = action("Back to visits", ["Alt+Left"], self._on_back_triggered)

    def _connect(self) -> None:
        self.back_button.clicked.connect(self._on_back_triggered)
        self.help_button.clicked.connect(self.overlay.toggle)
        self.complete_button.clicked.connect(self._on_complete_action_triggered)
        self.form.add_line_button.clicked.connect(self._on_add_line_action_triggered)

        self.form.field_edited.connect(self._on_form_field_edited)
        self.form.evidence_edited.connect(self._on_form_evidence_edited)
        self.form.judgement_changed.connect(self._on_form_judgement_changed)
        self.form.note_edited.connect(self._on_form_note_edited)
        self.form.note_move_requested.connect(self._on_form_note_move_requested)

        self.autosave.caught_up.connect(self._on_autosave_caught_up)
        self.autosave.storage_failed.connect(self._on_autosave_storage_failed)
        self.autosave.storage_recovered.connect(self._on_autosave_storage_recovered)
        self.autosave.write_failed.connect(self._on_autosave_write_failed)

    # Opening ---------------------------------------------------------------

    def open_item(self, item: object) -> None:
        """Open the visit with id `item` (after every write already queued)."""
        if self.profile is None or not isinstance(item, str):
            return
        if item == self.activity_id:
            return  # the form on screen is newer than the store until saved

        self.debouncer.flush()
        self.autosave.put(
            SaveUnit(None, item, _load_visit, "loading a visit", saved=self._show_record,
                     job=True)
        )

    def page_shown(self) -> None:
        if self.record is None:
            self._show_empty()

    def _show_record(self, record: VisitRecord) -> None:
        if self.profile is None:
            return
        self.debouncer.flush()  # edits to the record being replaced go first

        self.record = record
        self.activity_id = record.id
        self.form.fill(record)
        self._dirty = False
        self.indicator.clear()
        self._show_titles()
        self.complete_button.setEnabled(record.status is ActivityStatus.DRAFT)
        self.stack.setCurrentWidget(self.form)

        last = self.form.notes.last_edit()
        if last is not None:
            last.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_titles(self) -> None:
        record = self.record
        if record is None:
            return
        status = record.status
        value = self.form.value
        what = [str(value(name)) for name in ("teacher_name", "subject", "class_name")]
        details = ", ".join(part for part in what if part)
        kind = KIND_LABELS[record.kind]
        self.title_label.setText(f"{kind}: {details}" if details else kind)
        started = clock(record.fields.get("time_in"))  # type: ignore[arg-type]
        parts = [record.quad_reference, f"started {started}" if started else "",
                 f"by {record.author_name}", STATUS_LABELS[status]]
        if status is ActivityStatus.COMPLETE:
            parts.append("later edits are kept in the history")
        self.meta_label.setText("  ·  ".join(part for part in parts if part))

    def _show_empty(self) -> None:
        self.stack.setCurrentWidget(self.empty_label)
        self.title_label.setText("Record")
        self.meta_label.clear()
        self.complete_button.setEnabled(False)

    # Editing ---------------------------------------------------------------

    def _on_form_field_edited(self, name: str) -> None:
        activity_id = self.activity_id
        if activity_id is None:
            return
        self._note_edit()
        if name in ("teacher_name", "subject", "class_name"):
            self._show_titles()

        def queue() -> None:
            self._put_fields(activity_id, {name: self.form.value(name)})

        if name in IMMEDIATE_FIELDS:
            queue()
        else:
            self.debouncer.touch(("field", name), queue)

    def _put_fields(self, activity_id: str, changes: dict[str, object]) -> None:
        self.autosave.put(SaveUnit(
            ("fields", activity_id), changes, _fields_writer(activity_id),
            "visit fields", merge=_merge_dicts,
        ))

    def _on_form_evidence_edited(self, focus_area_id: str) -> None:
        activity_id = self.activity_id
        if activity_id is None:
            return
        self._note_edit()
        self.debouncer.touch(
            ("evidence", focus_area_id),
            lambda: self._put_evidence(activity_id, focus_area_id),
        )

    def _on_form_judgement_changed(self, focus_area_id: str) -> None:
        if self.activity_id is None:
            return
        self._note_edit()
        self._put_evidence(self.activity_id, focus_area_id)

    def _put_evidence(self, activity_id: str, focus_area_id: str) -> None:
        pane = self.form.pane(focus_area_id)
        self.autosave.put(SaveUnit(
            ("evidence", activity_id, focus_area_id),
            (pane.text(), pane.judgement()),
            _evidence_writer(activity_id, focus_area_id),
            "evidence",
        ))

    def _on_form_note_edited(self, row: NoteRow) -> None:
        activity_id = self.activity_id
        if activity_id is None:
            return
        self._note_edit()
        self.debouncer.touch(("note", row), lambda: self._put_note(activity_id, row))

    def _put_note(self, activity_id: str, row: NoteRow) -> None:
        self.autosave.put(SaveUnit(
            ("note", row), self.form.notes.text_of(row), _note_writer(activity_id, row),
            "a note line", saved=lambda note_id: setattr(row, "note_id", note_id),
        ))

    def _on_form_note_move_requested(self, row: NoteRow, focus_area_id: str) -> None:
        if self.activity_id is None or row.moved_to:
            return
        text = self.form.notes.text_of(row)
        if not text.strip():
            return

        self.debouncer.flush()  # the line and the pane as typed, before the move
        self._note_edit()
        pane = self.form.pane(focus_area_id)
        self.autosave.put(SaveUnit(
            None, focus_area_id, _move_writer(row), "moving a note line"
        ))
        # The store appends the line the same way; the form shows it at once.
        pane.append_quietly(f"[{clock(row.stamped_at)}] {text}")
        self.form.notes.mark_moved(row, pane.focus_title)
        self.status_message.emit(f"Note line moved into “{pane.focus_title}”.")

    def _on_add_line_action_triggered(self) -> None:
        if self.activity_id is None:
            return
        self.form.notes.add_line(datetime.now().astimezone())

    def _on_complete_action_triggered(self) -> None:
        activity_id = self.activity_id
        if activity_id is None or not self.complete_button.isEnabled():
            return

        self.debouncer.flush()
        self._note_edit()
        if self.form.header.time_out_missing():
            now = datetime.now().astimezone()
            self.form.header.set_time_out(now)
            self._put_fields(activity_id, {"time_out": now})
        self.complete_button.setEnabled(False)
        self.autosave.put(SaveUnit(
            None, activity_id, _complete_visit, "completing a visit",
            saved=lambda _none: self._on_visit_completed(activity_id),
        ))

    def _on_visit_completed(self, activity_id: str) -> None:
        if activity_id != self.activity_id or self.record is None:
            return
        self.record.status = ActivityStatus.COMPLETE
        self._show_titles()
        self.status_message.emit("Visit completed. You can still edit it; changes are kept "
                                 "in its history.")

    def _on_back_triggered(self) -> None:
        quad_id = self.record.quad_id if self.record is not None else None
        self.navigate_requested.emit("visits", quad_id)

    def _note_edit(self) -> None:
        self._dirty = True
        if not self.autosave.failing:
            self.indicator.show_saving()

    # Saving ----------------------------------------------------------------

    def _on_autosave_caught_up(self, at: datetime) -> None:
        if self._dirty and not self.debouncer.pending:
            self._dirty = False
            self.indicator.show_saved(at)
            self.data_changed.emit()

    def _on_autosave_storage_failed(self, reason: str) -> None:
        self.banner.show_storage_problem(reason)
        self.indicator.show_not_saved()

    def _on_autosave_storage_recovered(self) -> None:
        self.banner.clear_problem()
        self.status_message.emit("Saved again: the store is taking your notes.")

    def _on_autosave_write_failed(self, reason: str) -> None:
        self.banner.show_failure(reason)
        self.indicator.show_not_saved()

    # Locking ---------------------------------------------------------------

    def resume_unsaved(self, units: list[SaveUnit]) -> None:
        self._dirty = self._dirty or bool(units)
        super().resume_unsaved(units)

    def clear_data(self) -> None:
        if not self.flush_pending():
            log.error("closing with unsaved visit edits (the store refused them)")
        left = self.autosave.close()
        if left:
            log.error("%d visit edits could not be saved before closing", left)
        self.debouncer.cancel()

        self.overlay.hide()
        self.form.clear()
        self.record = None
        self.activity_id = None
        self.banner.clear_problem()
        self.indicator.clear()
        self._show_empty()
        super().clear_data()


# Writers: run in a worker; they look the service up when called, so tests
# can put a fault in front of it.


def _load_visit(profile: UnlockedProfile, activity_id: str) -> VisitRecord:
    return visits.load_visit(profile, activity_id)


def _complete_visit(profile: UnlockedProfile, activity_id: str) -> None:
    visits.complete_visit(profile, activity_id)


def _fields_writer(activity_id: str):
    def write(profile: UnlockedProfile, changes: dict[str, object]) -> None:
        visits.save_fields(profile, activity_id, changes)

    return write


def _evidence_writer(activity_id: str, focus_area_id: str):
    def write(profile: UnlockedProfile, payload: tuple[str, Any]) -> str:
        text, judgement = payload
        return visits.save_evidence(profile, activity_id, focus_area_id, text, judgement)

    return write


def _note_writer(activity_id: str, row: NoteRow):
    def write(profile: UnlockedProfile, text: str) -> str:
        if row.note_id is None:
            return visits.add_note_line(profile, activity_id, text, row.stamped_at)
        visits.save_note_line(profile, row.note_id, text)
        return row.note_id

    return write


def _move_writer(row: NoteRow):
    def write(profile: UnlockedProfile, focus_area_id: str) -> str:
        return visits.move_note_to_evidence(profile, row.note_id, focus_area_id)

    return write


def _merge_dicts(old: dict, new: dict) -> dict:
    return {**old, **new}

"""Notes: the Executive Headteacher and visiting Headteacher summarise their
evidence per focus area, link their visits, and submit to the consultant.

Typing is saved after a short pause ("Saved 10:42:13"). Submitting makes an
immutable version signed with the author's key; after that the note is read
only, and "Start a correction" opens the next version as a copy.
"""

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.report.draft_page import DraftPage
from invictus_desktop.gui.report.note_form import NoteForm, VersionHistory, VisitLinks
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import buddy_label
from invictus_desktop.services import notes
from invictus_desktop.services.note_desk import (
    NOTE_REFUSED,
    NoteDesk,
    load_note_desk,
    note_quads,
    start_correction,
)
from invictus_desktop.services.planning import QuadSummary
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.vocabulary import Role

log = logging.getLogger(__name__)

NOTE_ROLES = {Role.EXECUTIVE_HEAD.label, Role.HEADTEACHER.label,
              Role.SUBJECT_SPECIALIST.label}


def submit_and_reload(profile: UnlockedProfile, draft_id: str, quad_id: str
                      ) -> tuple[int, NoteDesk]:
    version = notes.submit(profile, draft_id)
    return version, load_note_desk(profile, quad_id)


class NotesPage(DraftPage):
    """Write, link, submit and correct my notes for one QUAD.

    Attributes:
        desk: what is on screen (None before a QUAD is chosen and once cleared).
        picker: the QUADs where I am in the team as a note writer.
        form: the note per focus area and the general note.
        visit_links: my visits in the QUAD, ticked when linked.
        history: my submitted versions.
        saved_label: "Saved HH:MM:SS", or "Saving…" while edits wait.
        submit_button, correction_button: submit the draft; open the next version.
        confirm_box: the submit confirmation while it is open.
        autosave: saves edits after a pause, and runs jobs in order.
    """

    key = "notes"
    title = "Notes"
    no_quads_text = (f"{NOTE_REFUSED} You are not in such a role in any QUAD's team "
                     "yet; the consultant adds you when planning.")

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self.desk: NoteDesk | None = None
        self.confirm_box: QMessageBox | None = None
        self._build()

    @classmethod
    def shown_for(cls, role_labels: list[str]) -> bool:
        """Whether the navigation lists this screen for someone with these roles."""
        return bool(NOTE_ROLES & set(role_labels))

    # Building ----------------------------------------------------------------

    def _build(self) -> None:
        heading = QLabel("Notes for the consultant")
        heading.setObjectName("heading")

        self.form = NoteForm()
        self.form.section_edited.connect(self._on_form_section_edited)
        self.visit_links = VisitLinks()
        self.visit_links.links_changed.connect(self._on_visit_links_changed)
        self.history = VersionHistory()

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        side_layout.addWidget(buddy_label("&Link my visits to this note", self.visit_links))
        side_layout.addWidget(self.visit_links, 2)
        side_layout.addWidget(self.visit_links.empty_label)
        side_layout.addWidget(QLabel("My submitted versions"))
        side_layout.addWidget(self.history, 3)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.form)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([660, 440])
        splitter.setChildrenCollapsible(False)

        self.correction_button = QPushButton("Start a &correction")
        self.correction_button.clicked.connect(self._on_correction_button_clicked)
        self.submit_button = QPushButton("&Submit")
        self.submit_button.setObjectName("primary")
        self.submit_button.clicked.connect(self._on_submit_button_clicked)
        bottom = QHBoxLayout()
        bottom.addWidget(self.correction_button)
        bottom.addStretch(1)
        bottom.addWidget(self.submit_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addLayout(self.quad_row())
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.show_nothing()

    # Loading -----------------------------------------------------------------

    @staticmethod
    def find_quads(profile: UnlockedProfile) -> list[QuadSummary]:
        return [found.summary for found in note_quads(profile)]

    def load(self, quad_id: str) -> None:
        self.autosave.after_saves(load_note_desk, quad_id, on_success=self.show_desk,
                                on_failure=self._on_job_failed_here,
                                description="Opening your note…")

    def show_desk(self, desk: NoteDesk) -> None:
        """Show my note for the desk's QUAD: the draft, or the latest version."""
        if self.desk is None or self.desk.quad.summary.id != desk.quad.summary.id:
            self.saved_label.clear()
        self.desk = desk
        self.message.clear_message()
        draft, latest = desk.draft, desk.latest
        if draft is not None:
            self.form.show_note(desk.focus_areas, draft.sections, draft.general_note)
            self.visit_links.show_visits(desk.visits, draft.linked_visit_ids)
        elif latest is not None:
            self.form.show_note(desk.focus_areas, latest.sections, latest.general_note)
            self.visit_links.show_visits(desk.visits, latest.linked_visit_ids)
        self.history.show_versions(desk.versions)
        self._show_mode()

    def _show_mode(self) -> None:
        desk = self.desk
        editable = desk is not None and desk.draft is not None
        self.form.set_read_only(not editable)
        self.visit_links.setEnabled(editable)
        self.submit_button.setVisible(editable)
        self.correction_button.setVisible(desk is not None and not editable)
        if desk is None:
            return

        if editable:
            draft = desk.draft
            state = f"Draft, version {draft.version}"
            if draft.supersedes_version:
                state += f" (a correction of version {draft.supersedes_version})"
            self.state_label.setText(state)
            self.submit_button.setText(f"&Submit version {draft.version}")
            return

        latest = desk.latest
        self.state_label.setText(f"Version {latest.version}, submitted and signed")
        self.saved_label.clear()
        self.message.show_info(
            f"Version {latest.version} was submitted on "
            f"{latest.submitted_at.astimezone():%d %b %Y at %H:%M} and signed with your "
            f"key: it cannot change. A correction becomes version {latest.version + 1}."
        )

    def show_nothing(self) -> None:
        self.desk = None
        self.form.clear()
        self.visit_links.clear_visits()
        self.history.clear()
        self.state_label.clear()
        self.saved_label.clear()
        self.submit_button.hide()
        self.correction_button.hide()

    # Editing -----------------------------------------------------------------

    def _on_form_section_edited(self, focus_id: str | None, text: str) -> None:
        if self.desk is None or self.desk.draft is None:
            return
        draft_id = self.desk.draft.id
        self._edit((draft_id, focus_id), notes.save_section, draft_id, focus_id, text)

    def _on_visit_links_changed(self, ids: list) -> None:
        if self.desk is None or self.desk.draft is None:
            return
        draft_id = self.desk.draft.id
        self._edit((draft_id, "visits"), notes.link_visits, draft_id, ids)


    # Submitting and correcting -----------------------------------------------

    def _on_submit_button_clicked(self) -> None:
        if self.desk is None or self.desk.draft is None:
            return
        number = self.desk.draft.version
        box = QMessageBox(
            QMessageBox.Icon.Question,
            f"Submit version {number}",
            f"Submit your notes to the consultant? They become an immutable, signed "
            f"version {number}. Any later change is a correction: version {number + 1}.",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        self.confirm_submit_button = box.addButton(
            f"Submit version {number}", QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.confirm_submit_button)
        box.finished.connect(self._on_confirm_box_finished)
        self.confirm_box = box
        box.open()

    def _on_confirm_box_finished(self, _result: int) -> None:
        box, self.confirm_box = self.confirm_box, None
        if box is None:
            return
        box.deleteLater()
        if box.clickedButton() is not self.confirm_submit_button or self.desk is None:
            return
        draft = self.desk.draft
        if draft is None:
            return
        self.autosave.after_saves(
            submit_and_reload, draft.id, self.desk.quad.summary.id,
            on_success=self._on_submitted, on_failure=self._on_job_failed_here,
            description="Signing and submitting your note…",
        )

    def _on_submitted(self, result: tuple[int, NoteDesk]) -> None:
        version, desk = result
        self.show_desk(desk)
        self.status_message.emit(f"Version {version} submitted and signed.")
        self.data_changed.emit()

    def _on_correction_button_clicked(self) -> None:
        if self.desk is None:
            return
        self.autosave.after_saves(
            start_correction, self.desk.quad.summary.id,
            on_success=self._on_correction_opened, on_failure=self._on_job_failed_here,
            description="Opening a correction…",
        )

    def _on_correction_opened(self, desk: NoteDesk) -> None:
        self.show_desk(desk)
        if desk.draft is not None:
            number = desk.draft.version
            self.status_message.emit(f"Version {number} opened as a correction.")
            first = next(iter(self.form.editors.values()), None)
            if first is not None:
                first.setFocus()

    # Locking -----------------------------------------------------------------

    def clear_data(self) -> None:
        self._close_autosave()
        if self.confirm_box is not None:
            box, self.confirm_box = self.confirm_box, None
            box.done(0)
            box.deleteLater()
        self.show_nothing()
        self.picker.show_quads([])
        self.message.clear_message()
        super().clear_data()

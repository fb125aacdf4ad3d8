"""Report: the consultant merges every observer's evidence into one report.

The merge workspace shows, per section (a SIP priority in focus), every
source side by side with the section being written; citing a source links it
to the paragraph holding the cursor (provenance) and marks it used. Other
tabs hold the summary, strengths and the Headteacher's response, the actions,
and the follow-up of the previous QUAD's actions. Preview renders the PDF in
a worker; Finalise signs version N, after which editing starts version N+1.
"""

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.report import report_jobs as jobs
from invictus_desktop.gui.report.actions import ActionsPanel, FollowUpPanel, priority_titles
from invictus_desktop.gui.report.draft_page import DraftPage
from invictus_desktop.gui.report.finalise import FinalBanner, FinaliseDialog
from invictus_desktop.gui.report.preview import PreviewDialog
from invictus_desktop.gui.report.quad_picker import describe_quad
from invictus_desktop.gui.report.section_editor import SectionEditor
from invictus_desktop.gui.report.sources import SourceList
from invictus_desktop.gui.report.texts import ReportTexts
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import (
    BusyIndicator,
    buddy_label,
    describe_failure,
)
from invictus_desktop.reporting.audience import Variant
from invictus_desktop.services import report_drafts, report_finalise
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.report_desk import (
    REPORT_REFUSED,
    ReportDesk,
    load_report_desk,
    report_quads,
)
from invictus_desktop.store.vocabulary import Role

log = logging.getLogger(__name__)

REPORT_ROLES = {Role.CONSULTANT.label, Role.SUBJECT_SPECIALIST.label}


class ReportPage(DraftPage):
    """The consultant's merge workspace, preview and finalising for one QUAD.

    Attributes:
        desk: what is on screen (None before a QUAD is chosen and once cleared).
        picker: the QUADs whose report I write.
        state_label, saved_label: the version being edited; "Saved HH:MM:SS".
        preview_button, finalise_button: preview the PDF; sign version N.
        banner: which version is final, by whom, and Verify.
        tabs: the workspace, texts, actions and follow-up.
        section_combo: the section (SIP priority) being written.
        sources: the chosen section's sources, side by side with `editor`.
        editor: the section being written.
        texts, actions, follow_up: the other tabs.
        preview: the preview dialog while open.
        finalise_dialog: the finalise confirmation while open.
        busy: shows progress while finalising.
        autosave: saves edits after a pause, and runs jobs in order.
    """

    key = "report"
    title = "Report"
    no_quads_text = REPORT_REFUSED
    find_quads = staticmethod(report_quads)

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self.desk: ReportDesk | None = None
        self.preview: PreviewDialog | None = None
        self.finalise_dialog: FinaliseDialog | None = None
        self._section_id: str | None = None
        self._version_id: str | None = None  # whose texts the editors hold
        self._previous_texts: dict[str, str] = {}
        self._build()

    @classmethod
    def shown_for(cls, role_labels: list[str]) -> bool:
        """Whether the navigation lists this screen for someone with these roles."""
        return bool(REPORT_ROLES & set(role_labels))

    # Building ----------------------------------------------------------------

    def _build(self) -> None:
        heading = QLabel("QUAD report")
        heading.setObjectName("heading")
        self.preview_button = QPushButton("Pre&view PDF")
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.finalise_button = QPushButton("&Finalise and sign")
        self.finalise_button.setObjectName("primary")
        self.finalise_button.clicked.connect(self._on_finalise_button_clicked)
        top = self.quad_row()
        top.addSpacing(8)
        top.addWidget(self.preview_button)
        top.addWidget(self.finalise_button)

        self.banner = FinalBanner()
        self.banner.start_next_requested.connect(self._on_banner_start_next_requested)
        self.banner.verify_requested.connect(self._on_banner_verify_requested)
        self.busy = BusyIndicator()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        self.tabs.addTab(self._build_workspace(), "&Merge workspace")
        self.texts = ReportTexts()
        self.texts.text_edited.connect(self._on_texts_text_edited)
        self.tabs.addTab(self.texts, "Summar&y, strengths, response")
        self.actions = ActionsPanel()
        self.actions.action_saved.connect(self._on_actions_action_saved)
        self.actions.action_remove_requested.connect(self._on_actions_remove_requested)
        self.tabs.addTab(self.actions, "Ac&tions")
        self.follow_up = FollowUpPanel()
        self.follow_up.follow_up_edited.connect(self._on_follow_up_edited)
        self.tabs.addTab(self.follow_up, "Previous QUAD's actions")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.tabs, 1)
        self.show_nothing()

    def _build_workspace(self) -> QWidget:
        self.section_combo = QComboBox()
        self.section_combo.currentIndexChanged.connect(self._on_section_combo_changed)
        self.sources = SourceList()
        self.sources.cite_requested.connect(self._on_sources_cite_requested)
        self.editor = SectionEditor()
        self.editor.body_edited.connect(self._on_editor_body_edited)
        self.editor.rag_chosen.connect(self._on_editor_rag_chosen)
        self.editor.rationale_edited.connect(self._on_editor_rationale_edited)
        self.editor.progress_edited.connect(self._on_editor_progress_edited)
        self.editor.citation_remove_requested.connect(
            self._on_editor_citation_remove_requested
        )

        row = QHBoxLayout()
        row.addWidget(buddy_label("Sectio&n", self.section_combo))
        row.addWidget(self.section_combo, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.sources)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([440, 560])
        splitter.setChildrenCollapsible(False)

        workspace = QWidget()
        layout = QVBoxLayout(workspace)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)
        return workspace

    # Loading -----------------------------------------------------------------

    def load(self, quad_id: str) -> None:
        self.autosave.after_saves(load_report_desk, quad_id, on_success=self.show_desk,
                                on_failure=self._on_job_failed_here,
                                description="Opening the report…")

    def show_desk(self, desk: ReportDesk) -> None:
        """Show the desk: the draft in every tab, or, with none open, the final banner."""
        if self.desk is None or self.desk.quad.id != desk.quad.id:
            self._section_id = None
            self._previous_texts = {}
            self.saved_label.clear()
            self.editor.clear()
        self.desk = desk
        self.message.clear_message()
        self.banner.show_state(desk.state)
        report = desk.report
        self.tabs.setVisible(report is not None)
        self.finalise_button.setEnabled(report is not None)
        self.preview_button.setEnabled(True)
        if report is None:
            self.state_label.setText(f"Version {desk.state.final_number} is final")
            self._clear_tabs()
            return

        self.state_label.setText(f"Draft, version {report.number}")
        if report.version_id != self._version_id:
            # Only for another version: a reload must not undo typing in progress.
            self._version_id = report.version_id
            self.texts.show_texts({"executive_summary": report.executive_summary,
                                   "strengths": report.strengths,
                                   "host_response": report.host_response})
            self.follow_up.show_previous(report.previous_actions)
        self.actions.show_actions(report.actions, priority_titles(report.sections))
        self._fill_section_combo()

    def _fill_section_combo(self) -> None:
        report = self.desk.report
        self.section_combo.blockSignals(True)
        self.section_combo.clear()
        for section in report.sections:
            sources = self.desk.sources.get(section.focus_area_id or "", [])
            unused = sum(1 for source in sources if not source.used)
            suffix = f"  ({unused} unused)" if unused else ""
            self.section_combo.addItem(section.title + suffix, section.id)
        index = max(self.section_combo.findData(self._section_id), 0)
        self.section_combo.setCurrentIndex(index)
        self.section_combo.blockSignals(False)
        self._show_section()

    def _show_section(self) -> None:
        section = self._current_section()
        if section is None:
            self.sources.clear()
            self.editor.clear()
            return

        self._section_id = section.id
        sources = self.desk.sources.get(section.focus_area_id or "", [])
        self.sources.show_sources(sources, self.desk.note_checks)
        self.editor.show_section(section, {source.id: source for source in sources})
        if section.id in self._previous_texts:
            self.editor.show_previous(self._previous_texts[section.id])
        else:
            self.autosave.after_saves(
                report_drafts.previous_section_text, section.id,
                on_success=lambda text, sid=section.id: self._on_previous_text(sid, text),
                on_failure=self._on_job_failed_here,
            )

    def _current_section(self) -> report_drafts.SectionDraft | None:
        if self.desk is None or self.desk.report is None:
            return None
        section_id = self.section_combo.currentData()
        return next((s for s in self.desk.report.sections if s.id == section_id), None)

    def _on_previous_text(self, section_id: str, text: str) -> None:
        self._previous_texts[section_id] = text
        if self._section_id == section_id:
            self.editor.show_previous(text)

    def show_nothing(self) -> None:
        self.desk = None
        self._section_id = None
        self._previous_texts = {}
        self.state_label.clear()
        self.saved_label.clear()
        self.banner.clear()
        self.tabs.hide()
        self.preview_button.setEnabled(False)
        self.finalise_button.setEnabled(False)
        self._clear_tabs()

    def _clear_tabs(self) -> None:
        self._version_id = None
        self.section_combo.clear()
        self.sources.clear()
        self.editor.clear()
        self.texts.clear()
        self.actions.clear()
        self.follow_up.clear()

    # Writing -----------------------------------------------------------------

    def _on_section_combo_changed(self, _index: int) -> None:
        self._show_section()

    def _edit_section(self, what: str, work, value: object) -> None:
        section = self._current_section()
        if section is not None:
            self._edit((what, section.id), work, section.id, value)

    def _on_editor_body_edited(self, text: str) -> None:
        self._edit_section("body", jobs.save_body, text)

    def _on_editor_rag_chosen(self, rag: object) -> None:
        self._edit_section("rag", jobs.save_rag, rag)

    def _on_editor_rationale_edited(self, text: str) -> None:
        self._edit_section("rationale", jobs.save_rationale, text)

    def _on_editor_progress_edited(self, text: str) -> None:
        self._edit_section("progress", jobs.save_progress, text)

    def _on_texts_text_edited(self, name: str, text: str) -> None:
        if self.desk is not None and self.desk.report is not None:
            version_id = self.desk.report.version_id
            self._edit(("text", name), report_drafts.save_report_text, version_id,
                             name, text)

    def _on_follow_up_edited(self, previous_id: str, status: object, note: str) -> None:
        if self.desk is not None and self.desk.report is not None:
            version_id = self.desk.report.version_id
            self._edit(("follow-up", previous_id), report_drafts.follow_up,
                             version_id, previous_id, status, note)

    def _on_sources_cite_requested(self, source: report_drafts.Source, quote: str) -> None:
        section = self._current_section()
        if section is None:
            return
        if quote:
            self.editor.insert_quote(quote)
        paragraph = self.editor.current_paragraph()
        self.autosave.after_saves(
            jobs.cite, self.desk.quad.id, section.id, paragraph, source, quote,
            on_success=self._on_desk_reloaded, on_failure=self._on_job_failed_here,
            description="Recording the citation…",
        )
        self.status_message.emit(f"Cited in paragraph {paragraph + 1}.")

    def _on_editor_citation_remove_requested(self, citation_id: str) -> None:
        if self.desk is not None:
            self.autosave.after_saves(
                jobs.remove_citation, self.desk.quad.id, citation_id,
                on_success=self._on_desk_reloaded, on_failure=self._on_job_failed_here,
            )

    def _on_actions_action_saved(self, fields: dict) -> None:
        if self.desk is None or self.desk.report is None:
            return
        self.autosave.after_saves(
            jobs.save_action, self.desk.quad.id, self.desk.report.version_id,
            fields["description"], fields["owner"], fields["due_on"],
            fields["priority_id"], fields["action_id"],
            on_success=self._on_desk_reloaded, on_failure=self._on_job_failed_here,
            description="Saving the action…",
        )

    def _on_actions_remove_requested(self, action_id: str) -> None:
        if self.desk is not None:
            self.autosave.after_saves(
                jobs.remove_action, self.desk.quad.id, action_id,
                on_success=self._on_desk_reloaded, on_failure=self._on_job_failed_here,
            )

    def _on_desk_reloaded(self, desk: ReportDesk) -> None:
        self.show_desk(desk)
        self.data_changed.emit()


    # Previewing --------------------------------------------------------------

    def _on_preview_button_clicked(self) -> None:
        if self.desk is None:
            return
        if self.preview is None:
            self.preview = PreviewDialog(describe_quad(self.desk.quad), self)
            self.preview.variant_requested.connect(self._on_preview_variant_requested)
            self.preview.finished.connect(self._on_preview_finished)
        self.preview.show()
        self._on_preview_variant_requested(self.preview.variant)

    def _on_preview_variant_requested(self, variant: Variant) -> None:
        if self.preview is None or self.desk is None:
            return
        self.preview.show_rendering(variant)
        self.autosave.after_saves(
            jobs.render_preview, self.desk.quad.id, variant,
            on_success=self._on_preview_rendered, on_failure=self._on_preview_failed,
            description=f"Rendering the {variant.label.lower()}…",
        )

    def _on_preview_rendered(self, result: tuple[bytes, Variant, str]) -> None:
        pdf, variant, description = result
        if self.preview is not None:
            self.preview.show_pdf(pdf, variant, description)

    def _on_preview_failed(self, error: BaseException) -> None:
        if self.preview is not None:
            logs = self.profile.paths.logs if self.profile else "the log folder"
            self.preview.show_error(describe_failure(error, f"Details are in {logs}."))

    def _on_preview_finished(self, _result: int) -> None:
        self._close_preview()

    def _close_preview(self) -> None:
        preview, self.preview = self.preview, None
        if preview is not None:
            preview.clear()
            preview.hide()
            preview.deleteLater()

    # Finalising --------------------------------------------------------------

    def _on_finalise_button_clicked(self) -> None:
        if self.desk is None or self.desk.report is None:
            return
        self.finalise_button.setEnabled(False)
        self.autosave.after_saves(
            report_finalise.board_name_warnings, self.desk.quad.id,
            on_success=self._on_name_warnings_found, on_failure=self._on_finalise_failed,
            description="Checking text bound for the Board…",
        )

    def _on_name_warnings_found(self, names: list[str]) -> None:
        if self.desk is None or self.desk.report is None:
            return
        dialog = FinaliseDialog(self.desk.report.number, names, self)
        dialog.finished.connect(self._on_finalise_dialog_finished)
        self.finalise_dialog = dialog
        dialog.open()

    def _on_finalise_dialog_finished(self, result: int) -> None:
        dialog, self.finalise_dialog = self.finalise_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result != FinaliseDialog.DialogCode.Accepted or self.desk is None:
            self.finalise_button.setEnabled(self.desk is not None)
            self.status_message.emit("Not finalised: the draft is as you left it.")
            return

        self.autosave.after_saves(
            jobs.finalise, self.desk.quad.id, bool(dialog.names),
            on_success=self._on_finalised, on_failure=self._on_finalise_failed,
            on_started=self.busy.track,
            description="Finalising: rendering both copies and signing…",
        )

    def _on_finalised(self, result: tuple) -> None:
        finalised, desk = result
        self.show_desk(desk)
        self.status_message.emit(f"Version {finalised.number} is final and signed.")
        self.data_changed.emit()

    def _on_finalise_failed(self, error: BaseException) -> None:
        has_draft = self.desk is not None and self.desk.report is not None
        self.finalise_button.setEnabled(has_draft)
        self._on_job_failed_here(error)

    def _on_banner_start_next_requested(self) -> None:
        if self.desk is not None:
            self.autosave.after_saves(
                jobs.start_next_version, self.desk.quad.id,
                on_success=self._on_desk_reloaded, on_failure=self._on_job_failed_here,
                description="Starting the next version…",
            )

    def _on_banner_verify_requested(self) -> None:
        if self.desk is not None:
            self.autosave.after_saves(
                report_finalise.verify_latest, self.desk.quad.id,
                on_success=self.banner.show_verification,
                on_failure=self._on_job_failed_here,
                description="Verifying the signature and the PDFs…",
            )

    # Locking -----------------------------------------------------------------

    def clear_data(self) -> None:
        self._close_autosave()
        self._close_preview()
        if self.finalise_dialog is not None:
            dialog, self.finalise_dialog = self.finalise_dialog, None
            dialog.done(0)
            dialog.deleteLater()
        self.show_nothing()
        self.picker.show_quads([])
        self.message.clear_message()
        super().clear_data()

"""The merge workspace's right side: the report section being written.

The body is plain text, paragraphs separated by a blank line (as the PDF
prints them); the paragraph holding the cursor is the one a citation is
recorded for. Beside the body: the school's RAG against the one this QUAD
recommends and why, progress since the last QUAD with the previous report's
text for the same priority, and the paragraph's citations.
"""

import logging
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.report.rag import RagChip, RagChooser
from invictus_desktop.gui.widgets import (
    buddy_label,
    fill,
    scroll_area,
)
from invictus_desktop.services.report_drafts import (
    Citation,
    SectionDraft,
    Source,
    moved_paragraphs,
)

log = logging.getLogger(__name__)

QUOTE_PREVIEW_CHARS = 70


def paragraph_at(text: str, position: int) -> int:
    """The index of the paragraph at `position`, counting non-empty blocks
    separated by a blank line, as the report prints them."""
    blocks = text[:position].split("\n\n")
    return sum(1 for block in blocks[:-1] if block.strip())


def _renumbered(citations: list[Citation], old_text: str, new_text: str) -> list[Citation]:
    if old_text == new_text or not citations:
        return list(citations)
    moves = moved_paragraphs(old_text, new_text)
    return [
        replace(c, paragraph_index=moves.get(c.paragraph_index, c.paragraph_index))
        for c in citations
    ]


def text_editor(placeholder: str, height: int | None = None) -> QPlainTextEdit:
    editor = QPlainTextEdit()
    editor.setPlaceholderText(placeholder)
    editor.setTabChangesFocus(True)
    if height is not None:
        editor.setFixedHeight(height)
    return editor


def set_text_quietly(editor: QPlainTextEdit, text: str) -> None:
    """Show `text` without it counting as an edit (nothing to save)."""
    editor.blockSignals(True)
    editor.setPlainText(text)
    editor.blockSignals(False)


def describe_citation(citation: Citation, sources: dict[str, Source]) -> str:
    source = sources.get(citation.source_id)
    who = source.author_name if source else "A source"
    if source and source.author_role:
        who += f" ({source.author_role})"
    quote = citation.quote or (source.text if source else "")
    if len(quote) > QUOTE_PREVIEW_CHARS:
        quote = quote[: QUOTE_PREVIEW_CHARS - 1].rstrip() + "…"
    return f"¶{citation.paragraph_index + 1} · {who}: “{quote}”"


class SectionEditor(QWidget):
    """Writes one section: body, RAG, rationale, progress, citations.

    Signals:
        body_edited(str): the body's new text.
        rag_chosen(object): a recommended `Rag` was chosen.
        rationale_edited(str): the RAG rationale's new text.
        progress_edited(str): the progress-since-last-QUAD text.
        citation_remove_requested(str): remove the citation with this id.
        paragraph_changed(int): the cursor moved into another paragraph.

    Attributes:
        section: the section shown, or None.
        body_edit, rationale_edit, progress_edit, previous_edit: the texts.
        school_rag_chip, rag_chooser: the school's RAG and the recommendation.
        citations_list, remove_citation_button: the section's provenance.
    """

    body_edited = Signal(str)
    rag_chosen = Signal(object)
    rationale_edited = Signal(str)
    progress_edited = Signal(str)
    citation_remove_requested = Signal(str)
    paragraph_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section: SectionDraft | None = None
        self._paragraph = 0
        self._citations: list[Citation] = []  # as shown: numbered for the text on screen
        self._stored_citations: list[Citation] = []  # numbered for `_stored_body`
        self._stored_body = ""
        self._sources: dict[str, Source] = {}
        self._build()

    def _build(self) -> None:
        self.title_label = QLabel()
        self.title_label.setObjectName("subheading")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)

        self.school_rag_chip = RagChip()
        self.rag_chooser = RagChooser()
        self.rag_chooser.rag_chosen.connect(self._on_rag_chooser_rag_chosen)
        rag_row = QHBoxLayout()
        rag_row.addWidget(QLabel("School's RAG"))
        rag_row.addWidget(self.school_rag_chip)
        rag_row.addSpacing(16)
        rag_row.addWidget(QLabel("QUAD recommends"))
        rag_row.addWidget(self.rag_chooser, 1)

        self.body_edit = text_editor(
            "Evidence and findings. Separate paragraphs with a blank line; Cite or "
            "Quote a source to link it to the paragraph where the cursor is."
        )
        self.body_edit.setMinimumHeight(130)
        self.body_edit.textChanged.connect(self._on_body_edit_text_changed)
        self.body_edit.cursorPositionChanged.connect(
            self._on_body_edit_cursor_position_changed
        )
        self.paragraph_label = QLabel()
        self.paragraph_label.setMinimumWidth(130)
        self.paragraph_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.paragraph_label.setObjectName("caption")

        self.citations_list = QListWidget()
        self.citations_list.setObjectName("citations")
        self.citations_list.setMaximumHeight(96)
        self.citations_list.setWordWrap(True)
        self.citations_list.currentRowChanged.connect(self._on_citations_list_row_changed)
        self.remove_citation_button = QPushButton("Remove &citation")
        self.remove_citation_button.setEnabled(False)
        self.remove_citation_button.clicked.connect(self._on_remove_citation_button_clicked)
        citations_header = QHBoxLayout()
        citations_header.addWidget(QLabel("Citations (provenance)"), 1)
        citations_header.addWidget(self.remove_citation_button)

        self.rationale_edit = text_editor("Why this RAG: the evidence that decides it", 64)
        self.rationale_edit.textChanged.connect(self._on_rationale_edit_text_changed)
        self.progress_edit = text_editor("Progress since the last QUAD", 90)
        self.progress_edit.textChanged.connect(self._on_progress_edit_text_changed)
        self.previous_edit = text_editor("The last QUAD's report has no section for "
                                         "this priority.", 90)
        self.previous_edit.setReadOnly(True)
        self.previous_edit.setObjectName("previousText")

        progress = QGridLayout()
        progress.setHorizontalSpacing(10)
        progress.addWidget(buddy_label("Progress since the &last QUAD", self.progress_edit),
                           0, 0)
        progress.addWidget(QLabel("Last QUAD's report said"), 0, 1)
        progress.addWidget(self.progress_edit, 1, 0)
        progress.addWidget(self.previous_edit, 1, 1)
        progress.setColumnStretch(0, 1)
        progress.setColumnStretch(1, 1)

        column = QVBoxLayout()
        column.setSpacing(6)
        column.addWidget(self.title_label)
        column.addLayout(rag_row)
        column.addSpacing(4)
        body_header = QHBoxLayout()
        body_header.addWidget(buddy_label("&Evidence and findings", self.body_edit), 1)
        body_header.addWidget(self.paragraph_label)
        column.addLayout(body_header)
        column.addWidget(self.body_edit, 2)
        column.addLayout(citations_header)
        column.addWidget(self.citations_list)
        column.addWidget(buddy_label("RAG &rationale", self.rationale_edit))
        column.addWidget(self.rationale_edit)
        column.addLayout(progress)

        inner = QWidget()
        inner.setObjectName("sectionColumn")
        inner.setLayout(column)
        fill(self, scroll_area(inner, wraps=True))

    # Showing -----------------------------------------------------------------

    def show_section(self, section: SectionDraft, sources: dict[str, Source]) -> None:
        """Show `section`; the body's text is kept when it is the same section
        (the user may have typed since it was saved)."""
        same = self.section is not None and self.section.id == section.id
        self.section = section
        self.title_label.setText(section.title)
        self.school_rag_chip.show_rag(section.school_rag)
        self.rag_chooser.set_rag(section.recommended_rag)
        if not same:
            set_text_quietly(self.body_edit, section.body)
            set_text_quietly(self.rationale_edit, section.rag_rationale)
            set_text_quietly(self.progress_edit, section.progress_since_last)
            self.previous_edit.clear()
        # The stored citations count the stored body's paragraphs; the text on
        # screen may be newer, and is compared with that body as it changes.
        self._stored_citations = section.citations
        self._stored_body = section.body
        self._sources = sources
        self._citations = _renumbered(section.citations, section.body,
                                      self.body_edit.toPlainText())
        self.show_citations(self._citations, sources)
        self._update_paragraph(force=True)

    def show_citations(self, citations: list[Citation], sources: dict[str, Source]) -> None:
        self.citations_list.clear()
        for citation in citations:
            item = QListWidgetItem(describe_citation(citation, sources))
            item.setData(Qt.ItemDataRole.UserRole, citation.id)
            item.setToolTip(citation.quote or "Cited without a quotation")
            self.citations_list.addItem(item)
        self._mark_current_paragraph()
        self.remove_citation_button.setEnabled(False)

    def show_previous(self, text: str) -> None:
        set_text_quietly(self.previous_edit, text)

    def current_paragraph(self) -> int:
        position = self.body_edit.textCursor().position()
        return paragraph_at(self.body_edit.toPlainText(), position)

    def insert_quote(self, quote: str) -> None:
        """Put “quote” at the cursor, in the current paragraph (saved as an edit)."""
        cursor = self.body_edit.textCursor()
        before = self.body_edit.toPlainText()[: cursor.position()]
        space = "" if not before or before[-1] in " \n" else " "
        cursor.insertText(f"{space}“{quote}”")
        self.body_edit.setTextCursor(cursor)

    def set_editable(self, editable: bool) -> None:
        for editor in (self.body_edit, self.rationale_edit, self.progress_edit):
            editor.setReadOnly(not editable)
        self.rag_chooser.setEnabled(editable)
        self.citations_list.setEnabled(editable)

    def clear(self) -> None:
        self.section = None
        self.title_label.clear()
        self.school_rag_chip.show_rag(None)
        self.rag_chooser.set_rag(None)
        for editor in (self.body_edit, self.rationale_edit, self.progress_edit,
                       self.previous_edit):
            set_text_quietly(editor, "")
        self.citations_list.clear()
        self._citations, self._stored_citations, self._sources = [], [], {}
        self._stored_body = ""
        self.paragraph_label.clear()
        self.remove_citation_button.setEnabled(False)

    # Reacting ----------------------------------------------------------------

    def _update_paragraph(self, force: bool = False) -> None:
        paragraph = self.current_paragraph()
        if paragraph == self._paragraph and not force:
            return

        self._paragraph = paragraph
        self.paragraph_label.setText(f"Cursor in paragraph {paragraph + 1}")
        self._mark_current_paragraph()
        self.paragraph_changed.emit(paragraph)

    def _mark_current_paragraph(self) -> None:
        """Citations of the paragraph holding the cursor are shown in bold."""
        prefix = f"¶{self._paragraph + 1} "
        for row in range(self.citations_list.count()):
            item = self.citations_list.item(row)
            font = item.font()
            font.setBold(item.text().startswith(prefix))
            item.setFont(font)

    def _on_body_edit_text_changed(self) -> None:
        text = self.body_edit.toPlainText()
        self.body_edited.emit(text)
        self._follow_citations(text)
        self._update_paragraph()

    def _follow_citations(self, text: str) -> None:
        """Renumber the citations shown as paragraphs come and go above them
        (the store does the same when the body is saved)."""
        if not self._stored_citations:
            return
        citations = _renumbered(self._stored_citations, self._stored_body, text)
        if citations != self._citations:
            self._citations = citations
            self.show_citations(citations, self._sources)

    def _on_body_edit_cursor_position_changed(self) -> None:
        self._update_paragraph()

    def _on_rationale_edit_text_changed(self) -> None:
        self.rationale_edited.emit(self.rationale_edit.toPlainText())

    def _on_progress_edit_text_changed(self) -> None:
        self.progress_edited.emit(self.progress_edit.toPlainText())

    def _on_rag_chooser_rag_chosen(self, rag: object) -> None:
        self.rag_chosen.emit(rag)

    def _on_citations_list_row_changed(self, row: int) -> None:
        self.remove_citation_button.setEnabled(row >= 0)

    def _on_remove_citation_button_clicked(self) -> None:
        item = self.citations_list.currentItem()
        if item is not None:
            self.citation_remove_requested.emit(item.data(Qt.ItemDataRole.UserRole))

"""The visit record as a form: header, focus panes, judgements of the lesson's
strengths and next steps, the safeguarding flag, and the running notes.

The form only shows and reports; saving is the record page's business.
"""

from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.visit.focus_pane import FocusPaneBox
from invictus_desktop.gui.visit.header import VisitHeader
from invictus_desktop.gui.visit.running_notes import RunningNotes
from invictus_desktop.gui.visit.safeguarding import SafeguardingBox
from invictus_desktop.gui.widgets import (
    buddy_label,
    labelled,
    scroll_area,
)
from invictus_desktop.services.visits import VisitRecord

TEXT_FIELDS = [
    ("strengths", "&Strengths", "What is working well, with the evidence for it."),
    ("development_points", "Points for de&velopment", "What would improve it most."),
    ("follow_up_questions", "Follow-up &questions", "For the teacher, a leader or pupils."),
]
TEXT_BOX_HEIGHT = 76
FORM_MAX_WIDTH = 860
NOTES_WIDTH = 480


class RecordForm(QWidget):
    """Every field of a visit record, in form order.

    Signals:
        field_edited(str): a header or text field changed; the service's name
            for it (`strengths`, `time_in`, `safeguarding_text`...).
        evidence_edited(str): the evidence text of that focus area changed.
        judgement_changed(str): the judgement of that focus area changed.
        note_edited(NoteRow): a running-note line changed.
        note_move_requested(NoteRow, str): move that line into that focus area.

    Attributes:
        header: lesson, times, people.
        panes: one `FocusPaneBox` per focus area of the QUAD.
        text_edits: strengths, development points, follow-up questions, by name.
        safeguarding: the concern flag and its text.
        notes: the running-notes timeline.
        add_line_button: adds a time-stamped line (Ctrl+Enter does the same).
    """

    field_edited = Signal(str)
    evidence_edited = Signal(str)
    judgement_changed = Signal(str)
    note_edited = Signal(object)
    note_move_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panes: list[FocusPaneBox] = []
        self.text_edits: dict[str, QPlainTextEdit] = {}
        self._filling = False
        self._build()

    # Building --------------------------------------------------------------

    def _build(self) -> None:
        self.header = VisitHeader()
        self.header.field_edited.connect(self.field_edited)

        self._panes_layout = QVBoxLayout()
        self._panes_layout.setSpacing(12)
        panes_heading = QLabel("Evidence by focus area")
        panes_heading.setObjectName("sectionHeading")

        texts = QVBoxLayout()
        texts.setSpacing(12)
        for name, caption, placeholder in TEXT_FIELDS:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(TEXT_BOX_HEIGHT)
            edit.setPlaceholderText(placeholder)
            edit.textChanged.connect(lambda name=name: self._on_text_changed(name))
            self.text_edits[name] = edit
            texts.addLayout(labelled(caption, edit))

        self.safeguarding = SafeguardingBox()
        self.safeguarding.concern_toggled.connect(
            lambda _on: self.field_edited.emit("safeguarding_concern")
        )
        self.safeguarding.text_edited.connect(
            lambda: self.field_edited.emit("safeguarding_text")
        )

        column_widget = QWidget()
        column_widget.setMaximumWidth(FORM_MAX_WIDTH)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(24, 16, 20, 24)
        column.setSpacing(14)
        column.addWidget(self.header)
        column.addWidget(panes_heading)
        column.addLayout(self._panes_layout)
        column.addLayout(texts)
        column.addWidget(self.safeguarding)
        column.addStretch(1)
        content = QWidget()
        content.setObjectName("content")
        centred = QHBoxLayout(content)
        centred.setContentsMargins(0, 0, 0, 0)
        centred.addWidget(column_widget)
        self.form_scroll = scroll_area(content)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.form_scroll)
        splitter.addWidget(self._build_notes_panel())
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([900, NOTES_WIDTH])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _build_notes_panel(self) -> QWidget:
        self.notes = RunningNotes()
        self.notes.line_edited.connect(self.note_edited)
        self.notes.move_requested.connect(self.note_move_requested)
        self.add_line_button = QPushButton("Add &line   Ctrl+Enter")
        self.add_line_button.setToolTip("A new line stamped with the time (also Ctrl+T)")
        heading = buddy_label("Running &notes", self.notes)
        heading.setObjectName("sectionHeading")
        hint = QLabel("Enter starts the next line. Ctrl+M moves a line into a focus area.")
        hint.setObjectName("caption")
        hint.setWordWrap(True)

        panel = QFrame()
        panel.setObjectName("notesPanel")
        panel.setMinimumWidth(320)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.add_line_button, 0, Qt.AlignmentFlag.AlignLeft)
        return panel

    # Filling ---------------------------------------------------------------

    def fill(self, record: VisitRecord) -> None:
        """Show `record` as stored; nothing here is reported as an edit."""
        self._filling = True
        try:
            self.header.fill(record.fields, record.observers)
            self._set_panes(record)
            for name, edit in self.text_edits.items():
                edit.setPlainText(str(record.fields.get(name) or ""))
            self.safeguarding.set_lead(record.safeguarding_lead)
            self.safeguarding.fill(
                bool(record.fields.get("safeguarding_concern")),
                str(record.fields.get("safeguarding_text") or ""),
            )
            focus_areas = [(p.focus_area_id, p.focus_title) for p in record.panes]
            self.notes.set_lines(record.notes, focus_areas)
        finally:
            self._filling = False
        self._chain_focus()

    def clear(self) -> None:
        self._filling = True
        try:
            self.header.clear()
            self._remove_panes()
            for edit in self.text_edits.values():
                edit.clear()
            self.safeguarding.fill(False, "")
            self.safeguarding.set_lead("")
            self.notes.clear()
        finally:
            self._filling = False

    def _set_panes(self, record: VisitRecord) -> None:
        self._remove_panes()
        for number, pane in enumerate(record.panes, start=1):
            box = FocusPaneBox(number, pane)
            focus_id = pane.focus_area_id
            box.evidence_edited.connect(lambda f=focus_id: self._on_evidence_edited(f))
            box.judgement_changed.connect(lambda f=focus_id: self.judgement_changed.emit(f))
            self._panes_layout.addWidget(box)
            self.panes.append(box)

    def _remove_panes(self) -> None:
        for box in self.panes:
            box.evidence_edit.clear()
            self._panes_layout.removeWidget(box)
            box.setParent(None)
            box.deleteLater()
        self.panes.clear()

    def _chain_focus(self) -> None:
        """Tab follows the form: header, panes, texts, safeguarding, notes."""
        chain = self.header.focus_chain()
        for box in self.panes:
            chain += [box.evidence_edit, box.judgement_combo]
        chain += list(self.text_edits.values())
        chain += [self.safeguarding.concern_check, self.safeguarding.text_edit]
        chain += [edit for _row, edit, _stamp, _marker in self.notes.rows]
        chain.append(self.add_line_button)
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # Values ----------------------------------------------------------------

    def pane(self, focus_area_id: str) -> FocusPaneBox:
        return next(box for box in self.panes if box.focus_area_id == focus_area_id)

    def value(self, name: str) -> object:
        """A header or text field's value, as the visit service takes it."""
        if name in self.text_edits:
            return self.text_edits[name].toPlainText()
        if name == "safeguarding_concern":
            return self.safeguarding.concern()
        if name == "safeguarding_text":
            return self.safeguarding.text()
        return self.header.value(name)

    def _on_text_changed(self, name: str) -> None:
        if not self._filling:
            self.field_edited.emit(name)

    def _on_evidence_edited(self, focus_area_id: str) -> None:
        if not self._filling:
            self.evidence_edited.emit(focus_area_id)

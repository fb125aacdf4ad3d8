"""The report's free texts outside the sections: the executive summary, the
strengths and the host Headteacher's response."""

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from invictus_desktop.gui.report.section_editor import set_text_quietly, text_editor
from invictus_desktop.gui.widgets import buddy_label

log = logging.getLogger(__name__)

# The service's field name -> what the screen calls it, and its hint.
FIELDS = {
    "executive_summary": (
        "E&xecutive summary",
        "The overall picture in a few hard-hitting sentences",
    ),
    "strengths": ("Stre&ngths", "One strength per line"),
    "host_response": (
        "Headteacher's re&sponse",
        "The host Headteacher's response, as they gave it",
    ),
}


class ReportTexts(QWidget):
    """Three editors side by side (summary, strengths) and below (response).

    Signals:
        text_edited(str, str): the field name and its new text.

    Attributes:
        editors: the editor for each field name.
    """

    text_edited = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: dict[str, QPlainTextEdit] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        places = {"executive_summary": (0, 0), "strengths": (0, 1), "host_response": (2, 0)}
        for name, (caption, hint) in FIELDS.items():
            editor = text_editor(hint)
            editor.textChanged.connect(lambda name=name: self._on_editor_text_changed(name))
            self.editors[name] = editor
            row, column = places[name]
            span = 2 if name == "host_response" else 1
            grid.addWidget(buddy_label(caption, editor), row, column, 1, span)
            grid.addWidget(editor, row + 1, column, 1, span)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 2)

        note = QLabel(
            "The Board copy withholds staff and pupil names; Finalise warns when "
            "one appears here."
        )
        note.setObjectName("caption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(grid, 1)
        layout.addWidget(note)

    def show_texts(self, texts: dict[str, str]) -> None:
        for name, editor in self.editors.items():
            set_text_quietly(editor, texts.get(name, ""))

    def set_editable(self, editable: bool) -> None:
        for editor in self.editors.values():
            editor.setReadOnly(not editable)

    def clear(self) -> None:
        self.show_texts({})

    def _on_editor_text_changed(self, name: str) -> None:
        self.text_edited.emit(name, self.editors[name].toPlainText())

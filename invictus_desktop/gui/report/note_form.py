"""The parts of the Notes screen: a note per focus area and a general note,
my visits to link, and my submitted versions with what each one changed."""

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.report.section_editor import set_text_quietly, text_editor
from invictus_desktop.gui.widgets import (
    buddy_label,
    fill,
    scroll_area,
)
from invictus_desktop.services.note_desk import FocusBrief, OwnVisit
from invictus_desktop.services.notes import SubmittedNote

log = logging.getLogger(__name__)

GENERAL = "general"  # the key of the general note among the focus area ids
EDITOR_HEIGHT = 120


class NoteForm(QWidget):
    """One editor per focus area, then the general note, in a scrolling column.

    Signals:
        section_edited(object, str): a focus area id (None: the general note)
            and its new text.

    Attributes:
        editors: the editor for each focus area id, and `GENERAL`.
    """

    section_edited = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: dict[str, QPlainTextEdit] = {}
        self._column = QVBoxLayout()
        self._column.setSpacing(6)
        inner = QWidget()
        inner.setObjectName("noteColumn")
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 8, 0)
        inner_layout.addLayout(self._column)
        inner_layout.addStretch(1)
        fill(self, scroll_area(inner))

    def show_note(
        self, focus_areas: list[FocusBrief], texts: dict[str, str], general: str
    ) -> None:
        """Build an editor per focus area and fill them (nothing counts as an edit)."""
        self.clear()
        for number, focus in enumerate(focus_areas, start=1):
            editor = self._add_editor(focus.id, f"&{number}. {focus.title}",
                                      "Your summary of the evidence for this focus area")
            if focus.priorities:
                priorities = QLabel(focus.priorities)
                priorities.setObjectName("caption")
                priorities.setTextFormat(Qt.TextFormat.PlainText)
                priorities.setWordWrap(True)
                self._column.insertWidget(self._column.count() - 1, priorities)
            set_text_quietly(editor, texts.get(focus.id, ""))
        general_editor = self._add_editor(GENERAL, "Ge&neral note",
                                          "Anything that does not belong to one focus area")
        set_text_quietly(general_editor, general)

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.editors.values():
            editor.setReadOnly(read_only)

    def clear(self) -> None:
        while self._column.count():
            widget = self._column.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.editors = {}

    def _add_editor(self, key: str, caption: str, hint: str) -> QPlainTextEdit:
        editor = text_editor(hint, EDITOR_HEIGHT)
        editor.textChanged.connect(lambda key=key: self._on_editor_text_changed(key))
        label = buddy_label(caption, editor)
        label.setObjectName("fieldHeading")
        label.setWordWrap(True)
        self._column.addSpacing(6)
        self._column.addWidget(label)
        self._column.addWidget(editor)
        self.editors[key] = editor
        return editor

    def _on_editor_text_changed(self, key: str) -> None:
        focus_id = None if key == GENERAL else key
        self.section_edited.emit(focus_id, self.editors[key].toPlainText())


class VisitLinks(QListWidget):
    """My own visits in this QUAD, ticked when linked to the note.

    Signals:
        links_changed(list): the ids of the ticked visits.

    Attributes:
        empty_label: says so when I recorded no visits (placed by the page).
    """

    links_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitLinks")
        self.itemChanged.connect(self._on_item_changed)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("caption")
        self.empty_label.setWordWrap(True)

    def show_visits(self, visits: list[OwnVisit], linked: list[str]) -> None:
        self.blockSignals(True)
        self.clear()
        for visit in visits:
            when = f"{visit.time_in.astimezone():%a %d %b %H:%M}  " if visit.time_in else ""
            item = QListWidgetItem(when + visit.description)
            item.setData(Qt.ItemDataRole.UserRole, visit.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            state = Qt.CheckState.Checked if visit.id in linked else Qt.CheckState.Unchecked
            item.setCheckState(state)
            self.addItem(item)
        self.blockSignals(False)
        self.empty_label.setText(
            "" if visits else "You have recorded no visits in this QUAD to link."
        )
        self.empty_label.setVisible(not visits)
        self.setVisible(bool(visits))

    def clear_visits(self) -> None:
        self.clear()
        self.empty_label.clear()
        self.empty_label.hide()

    def linked_ids(self) -> list[str]:
        return [
            self.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.count())
            if self.item(row).checkState() is Qt.CheckState.Checked
        ]

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self.links_changed.emit(self.linked_ids())


class VersionHistory(QWidget):
    """My submitted versions, newest first, and what the chosen one changed.

    Attributes:
        tree: version, submitted, signature and whether it is the current one.
        changes_view: the chosen version's changes from the one before.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._versions: list[SubmittedNote] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Version", "Submitted", "Signature"])
        self.tree.setRootIsDecorated(False)
        self.tree.currentItemChanged.connect(self._on_tree_current_changed)
        self.changes_view = QPlainTextEdit()
        self.changes_view.setObjectName("diffView")
        self.changes_view.setReadOnly(True)
        self.changes_view.setPlaceholderText("Choose a version to see what it changed.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(QLabel("Changes from the version before"))
        layout.addWidget(self.changes_view, 1)

    def show_versions(self, versions: list[SubmittedNote]) -> None:
        self._versions = list(versions)
        self.tree.clear()
        self.changes_view.clear()
        for note in versions:
            version = f"{note.version}" + (" (current)" if note.is_current else "")
            when = f"{note.submitted_at.astimezone():%d %b %Y %H:%M}"
            signature = "Verified" if note.verified else "Does NOT verify"
            QTreeWidgetItem(self.tree, [version, when, signature])
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        if versions:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def clear(self) -> None:
        self._versions = []
        self.tree.clear()
        self.changes_view.clear()

    def _on_tree_current_changed(self, item: QTreeWidgetItem | None, _old: object) -> None:
        if item is None:
            self.changes_view.clear()
            return
        note = self._versions[self.tree.indexOfTopLevelItem(item)]
        self.changes_view.setPlainText(
            note.changes_from_previous or f"Version {note.version} is the first version."
        )

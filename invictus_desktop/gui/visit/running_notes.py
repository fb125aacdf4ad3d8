"""Running notes: a timeline of short lines, each stamped with the time it was begun.

A line wraps at the width of the timeline and grows as it is typed. It is
stored when it is first typed into, with the time it was begun;
an untouched new line is only a place to type (pressing Ctrl+Enter again
re-stamps it rather than leaving empty lines behind). Enter on the last line
begins the next one; Up and Down move between lines. Ctrl+M (or the context
menu) moves a line into a focus area's evidence.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFocusEvent,
    QKeyEvent,
    QResizeEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.visit.words import clock
from invictus_desktop.gui.widgets import scroll_area
from invictus_desktop.services.visits import NoteLine

log = logging.getLogger(__name__)

MOVED_TITLE_CHARS = 22


@dataclass(eq=False)
class NoteRow:
    """One line as the form knows it; `note_id` is set once the store has it."""

    stamped_at: datetime | None
    note_id: str | None = None
    moved_to: str = ""


class NoteLineEdit(QPlainTextEdit):
    """A line of the timeline: one paragraph that wraps and grows as it is
    typed, with keys to move along the timeline and to move it out.

    A note is one line to the store, so Enter begins the next note and pasted
    line breaks become spaces; a long line wraps at the width of the timeline
    instead of scrolling out of sight. Up and Down leave the note from its
    first and last visual line.

    Signals:
        textEdited(str): the user changed the text (not `setText`).
        next_requested(): Enter was pressed.
        step_requested(int): Up (-1) on the first visual line or Down (+1) on
            the last was pressed.
        move_menu_requested(QPoint, bool): show the "move into a focus area"
            menu at this global point (True: a context menu with the edit actions).
    """

    textEdited = Signal(str)
    next_requested = Signal()
    step_requested = Signal(int)
    move_menu_requested = Signal(QPoint, bool)

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteLine")
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._quiet = False
        self.setText(text)
        self.textChanged.connect(self._on_text_changed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self._quiet = True
        try:
            self.setPlainText(_one_line(text))
        finally:
            self._quiet = False

    def clear(self) -> None:
        self.setText("")

    def _on_text_changed(self) -> None:
        if not self._quiet:
            self.textEdited.emit(self.toPlainText())

    def _fit_height(self, *_args: object) -> None:
        """As tall as its wrapped lines: the timeline scrolls, not the note."""
        lines = max(1, self.document().lineCount(), self._visual_lines())
        margins = self.contentsMargins()
        height = (
            lines * self.fontMetrics().lineSpacing()
            + 2 * int(self.document().documentMargin())
            + margins.top() + margins.bottom()
        )
        if height != self.height():
            self.setFixedHeight(height)

    def _visual_lines(self) -> int:
        block = self.document().firstBlock()
        count = 0
        while block.isValid():
            count += max(1, block.layout().lineCount())
            block = block.next()
        return count

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()  # a narrower timeline wraps into more lines

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            self.insertPlainText(_one_line(source.text()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        plain = modifiers in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            plain or modifiers == Qt.KeyboardModifier.ShiftModifier
        ):
            self.next_requested.emit()
        elif plain and key == Qt.Key.Key_Up and self._on_edge_line(first=True):
            self.step_requested.emit(-1)
        elif plain and key == Qt.Key.Key_Down and self._on_edge_line(first=False):
            self.step_requested.emit(1)
        elif key == Qt.Key.Key_M and modifiers == Qt.KeyboardModifier.ControlModifier:
            below = self.mapToGlobal(QPoint(0, self.height()))
            self.move_menu_requested.emit(below, False)
        else:
            super().keyPressEvent(event)

    def _on_edge_line(self, *, first: bool) -> bool:
        cursor = self.textCursor()
        layout = cursor.block().layout()
        line = layout.lineForTextPosition(cursor.positionInBlock()).lineNumber()
        return line <= 0 if first else line >= layout.lineCount() - 1

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.move_menu_requested.emit(event.globalPos(), True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.moveCursor(QTextCursor.MoveOperation.Start)


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


class RunningNotes(QWidget):
    """The timeline of running notes.

    Signals:
        line_edited(NoteRow): a line's text changed (the first edit of a new
            line stamps it, if it was not stamped yet).
        move_requested(NoteRow, str): move this line into the pane of that
            focus area id.

    Attributes:
        rows: the lines, top to bottom, with their edits and time labels.
        add_button: "Add line".
    """

    line_edited = Signal(object)
    move_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[NoteRow, NoteLineEdit, QLabel, QLabel]] = []
        self._focus_areas: list[tuple[str, str]] = []
        self._build()

    def _build(self) -> None:
        self._lines = QWidget()
        self._lines.setObjectName("timeline")
        self._grid = QGridLayout(self._lines)
        self._grid.setContentsMargins(0, 4, 4, 4)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(1, 1)
        self._grid.setRowStretch(0, 1)

        self.scroll = scroll_area(self._lines)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll, 1)
        # A label's mnemonic needs a focusable buddy; the focus proxy (the newest
        # line) takes it. Click focus keeps the timeline itself out of the Tab chain.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    # Filling ---------------------------------------------------------------

    def set_lines(self, notes: list[NoteLine], focus_areas: list[tuple[str, str]]) -> None:
        """Show a visit's stored lines, then a fresh line to type into."""
        self.clear()
        self._focus_areas = focus_areas
        for note in notes:
            row = NoteRow(note.stamped_at, note.id, "moved" if note.moved else "")
            self._append(row, note.text)
            if note.moved:
                self._show_moved(self.rows[-1], "")
        self._append(NoteRow(None), "")

    def clear(self) -> None:
        for _row, edit, stamp, marker in self.rows:
            edit.clear()
            for widget in (edit, stamp, marker):
                self._grid.removeWidget(widget)
                widget.setParent(None)
                widget.deleteLater()
        self.rows.clear()
        self._focus_areas = []
        self.setFocusProxy(None)

    def _append(self, row: NoteRow, text: str) -> None:
        stamp = QLabel(clock(row.stamped_at) or "--:--")
        stamp.setObjectName("noteTime")
        edit = NoteLineEdit(text)
        edit.setPlaceholderText("Type a note; Enter for the next line")
        edit.setAccessibleName("Running note line")
        marker = QLabel()
        marker.setObjectName("noteMoved")
        marker.hide()
        entry = (row, edit, stamp, marker)
        self.rows.append(entry)

        grid_row = len(self.rows)
        self._grid.setRowStretch(grid_row - 1, 0)
        self._grid.addWidget(stamp, grid_row, 0, Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(edit, grid_row, 1)
        self._grid.addWidget(marker, grid_row, 2)
        self._grid.setRowStretch(grid_row + 1, 1)
        stamp.show()
        edit.show()  # at once, not at the next event loop pass: it takes the cursor now
        if len(self.rows) > 1:
            QWidget.setTabOrder(self.rows[-2][1], edit)
        self.setFocusProxy(edit)  # the "Running notes" mnemonic lands on the newest line

        edit.textEdited.connect(lambda _text, entry=entry: self._on_line_text_edited(entry))
        edit.next_requested.connect(lambda entry=entry: self._on_line_next_requested(entry))
        edit.step_requested.connect(
            lambda step, entry=entry: self._on_line_step_requested(entry, step)
        )
        edit.move_menu_requested.connect(
            lambda point, full, entry=entry: self._on_line_move_menu_requested(
                entry, point, full
            )
        )

    # Adding ----------------------------------------------------------------

    def add_line(self, now: datetime) -> NoteLineEdit:
        """Begin a line stamped `now` and put the cursor in it.

        An untouched last line is re-stamped instead of adding another.
        """
        last = self.rows[-1] if self.rows else None
        if last is not None and last[0].note_id is None and not last[1].text():
            last[0].stamped_at = now
            last[2].setText(clock(now))
            edit = last[1]
        else:
            self._append(NoteRow(now), "")
            edit = self.rows[-1][1]

        edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scroll.ensureWidgetVisible(edit)
        return edit

    def first_edit(self) -> NoteLineEdit | None:
        return self.rows[0][1] if self.rows else None

    def last_edit(self) -> NoteLineEdit | None:
        return self.rows[-1][1] if self.rows else None

    def text_of(self, row: NoteRow) -> str:
        return next(edit.text() for r, edit, _s, _m in self.rows if r is row)

    # Reacting --------------------------------------------------------------

    def _on_line_text_edited(self, entry: tuple) -> None:
        row, _edit, stamp, _marker = entry
        if row.stamped_at is None:
            row.stamped_at = datetime.now().astimezone()
            stamp.setText(clock(row.stamped_at))
        self.line_edited.emit(row)

    def _on_line_next_requested(self, entry: tuple) -> None:
        index = self.rows.index(entry)
        if index == len(self.rows) - 1:
            self.add_line(datetime.now().astimezone())
        else:
            self.rows[index + 1][1].setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_line_step_requested(self, entry: tuple, step: int) -> None:
        index = self.rows.index(entry) + step
        if 0 <= index < len(self.rows):
            edit = self.rows[index][1]
            edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(edit)

    def _on_line_move_menu_requested(self, entry: tuple, point: QPoint, full: bool) -> None:
        row, edit, _stamp, _marker = entry
        menu = edit.createStandardContextMenu() if full else QMenu(edit)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if full:
            menu.addSeparator()
            target = menu.addMenu("&Move into focus area")
        else:
            target = menu
            menu.addSection("Move into focus area")
        can_move = bool(edit.text().strip()) and not row.moved_to
        for number, (focus_id, title) in enumerate(self._focus_areas, start=1):
            escaped = title.replace("&", "&&")
            action = QAction(f"&{number}  {escaped}" if number <= 9 else escaped, target)
            action.setEnabled(can_move)
            action.triggered.connect(
                lambda _checked=False, focus_id=focus_id: self.move_requested.emit(
                    row, focus_id
                )
            )
            target.addAction(action)
        menu.popup(point)

    def mark_moved(self, row: NoteRow, focus_title: str) -> None:
        entry = next(e for e in self.rows if e[0] is row)
        row.moved_to = focus_title
        self._show_moved(entry, focus_title)

    def _show_moved(self, entry: tuple, focus_title: str) -> None:
        _row, edit, _stamp, marker = entry
        short = focus_title
        if len(short) > MOVED_TITLE_CHARS:
            short = short[: MOVED_TITLE_CHARS - 1] + "…"
        marker.setText(f"→ {short}" if short else "→ evidence")
        marker.setToolTip(f"Moved into the evidence for {focus_title}" if focus_title
                          else "Moved into a focus area's evidence")
        marker.show()
        edit.setProperty("moved", True)
        edit.style().unpolish(edit)
        edit.style().polish(edit)

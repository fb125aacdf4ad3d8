"""What the screens' dialogs share: a form saved by a worker, and confirmations.

Dialogs are opened with `open()`, never `exec()`: a nested event loop would
outlive the main window if the app locks while the dialog is up.
"""

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.tasks import Task
from invictus_desktop.gui.widgets import BusyIndicator, InlineMessage

log = logging.getLogger(__name__)

DIALOG_MIN_WIDTH = 460
LABEL_ALIGNMENT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class FormProblem(ValueError):
    """A form value the dialog refuses before anything is saved.

    Attributes:
        field: the widget to fix (it gets the focus).
    """

    def __init__(self, text: str, field: QWidget | None = None) -> None:
        super().__init__(text)
        self.field = field


class FormDialog(QDialog):
    """A form that a screen saves in a worker; it closes only once saved.

    The dialog checks what it can by itself (`values`, raising `FormProblem`),
    then emits `submitted` with the values. The screen saves them and calls
    `saved()`, or `show_error(text)` to keep the form open with the reason.
    Enter presses the default button; in a multi-line field Ctrl+Enter does.

    Signals:
        submitted(object): the checked values, for the screen to save.

    Attributes:
        form_widget: the widget holding the form (disabled while saving).
        body: the layout around the form, for widgets that are not form rows
            (a word-wrapped text sizes itself better here than in a form).
        form: the form layout to add fields to.
        message: the error shown under the form.
        busy: the save's progress, once it takes a while.
        ok_button: the default button.
        saving: whether a save is under way (the form is disabled meanwhile).
    """

    submitted = Signal(object)

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(DIALOG_MIN_WIDTH)
        self.saving = False

        self.form_widget = QWidget()
        self.body = QVBoxLayout(self.form_widget)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(12)
        self.form = QFormLayout()
        self.body.addLayout(self.form)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(LABEL_ALIGNMENT)
        self.form.setVerticalSpacing(10)
        self.form.setHorizontalSpacing(14)
        self.message = InlineMessage()
        self.busy = BusyIndicator()

        self.buttons = QDialogButtonBox()
        self.ok_button = QPushButton(ok_text)
        self.ok_button.setObjectName("primary")
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(self.form_widget)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        submit = QShortcut(QKeySequence("Ctrl+Return"), self)
        submit.activated.connect(self._on_buttons_accepted)

    def event(self, event: QEvent) -> bool:
        """Grow when the content needs more height (an error appears, a
        wrapped line gets longer): a window does not grow by itself."""
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            self._grow_to_fit()
        return handled

    def _grow_to_fit(self) -> None:
        layout = self.layout()
        if layout.hasHeightForWidth():
            needed = layout.totalHeightForWidth(self.width())
        else:
            needed = layout.totalSizeHint().height()
        if needed > self.height():
            self.resize(self.width(), needed)

    def add_row(self, text: str, field: QWidget) -> QLabel:
        """A labelled row; the label's mnemonic (&) moves the focus to `field`."""
        label = QLabel(text)
        label.setBuddy(field)
        self.form.addRow(label, field)
        return label

    def values(self) -> object:
        """The form's values, checked; raise `FormProblem` to refuse them."""
        raise NotImplementedError

    def saved(self) -> None:
        """The screen saved the values: close."""
        self.saving = False
        self.accept()

    def show_error(self, text: str) -> None:
        """The save failed: say why and let the user correct the form."""
        self._set_saving(False)
        self.message.show_error(text)

    def track(self, task: Task | None) -> None:
        if task is not None and task.running:
            self.busy.track(task)

    def reject(self) -> None:
        if self.saving:
            return
        super().reject()

    def _on_buttons_accepted(self) -> None:
        if self.saving or not self.ok_button.isEnabled():
            return
        try:
            values = self.values()
        except FormProblem as problem:
            self.message.show_error(str(problem))
            if problem.field is not None:
                problem.field.setFocus()
            return

        self.message.clear_message()
        self._set_saving(True)  # before emitting: a synchronous save ends inside it
        self.submitted.emit(values)

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        for widget in (self.form_widget, self.ok_button, self.cancel_button):
            widget.setEnabled(not saving)


def required_text(edit: QLineEdit, what: str) -> str:
    """The trimmed text of `edit`, or a `FormProblem` naming `what` is needed."""
    text = edit.text().strip()
    if not text:
        raise FormProblem(f"Please enter {what}.", edit)
    return text


def plain_text_edit(placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
    """A multi-line field `lines` high; Tab moves on rather than typing a tab."""
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    height = edit.fontMetrics().lineSpacing() * lines + 14
    edit.setFixedHeight(height)
    return edit


def confirm(
    parent: QWidget, title: str, text: str, yes_text: str, on_yes: Callable[[], None]
) -> QMessageBox:
    """Ask before something is removed; `on_yes` runs only if the user agrees.

    Cancel is the default button: Enter alone never removes anything. Keep the
    box in the screen's `OpenDialogs`, which deletes it once answered.
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    yes_button = box.addButton(yes_text, QMessageBox.ButtonRole.DestructiveRole)
    cancel_button = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel_button)
    box.setEscapeButton(cancel_button)

    def on_clicked(button: object) -> None:
        if button is yes_button:
            on_yes()

    box.buttonClicked.connect(on_clicked)
    box.open()
    return box


class OpenDialogs:
    """The dialogs a screen has open, so that locking can close them at once.

    A dialog leaves the list (and is deleted) when it finishes.
    """

    def __init__(self) -> None:
        self._dialogs: list[QDialog] = []

    def add(self, dialog: QDialog) -> QDialog:
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: self._forget(d))
        return dialog

    @property
    def latest(self) -> QDialog | None:
        """The dialog opened last and still open, or None."""
        return self._dialogs[-1] if self._dialogs else None

    def close_all(self) -> None:
        """Close every dialog now, even one that is saving (the profile is going)."""
        for dialog in list(self._dialogs):
            dialog.done(QDialog.DialogCode.Rejected)

    def _forget(self, dialog: QDialog) -> None:
        if dialog in self._dialogs:
            self._dialogs.remove(dialog)
            dialog.deleteLater()

"""The dialog that shows a new recovery key, once, until the user confirms.

Its form is the Designer file `ui/recovery_key_form.ui`, loaded at run time
with `QUiLoader` (imported here, not at start-up: only first run needs it).
The key is set into the form in code and cleared when the dialog closes.
"""

import logging

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.resources import ui_dir

log = logging.getLogger(__name__)

FORM_FILE = "recovery_key_form.ui"
DIALOG_WIDTH = 600


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree described by `ui/<name>`."""
    from PySide6.QtUiTools import QUiLoader

    path = ui_dir() / name
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError(f"cannot open the form {path}: {file.errorString()}")
    try:
        widget = QUiLoader().load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"the form {path} could not be built")
    return widget


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key; Continue is enabled once "written down" is ticked.

    Signals (inherited): accepted() when the user confirms. It cannot be
    dismissed with Escape or the close button before that: the key is not
    shown again.

    Attributes:
        confirm_check: the "I have written it down" box.
        continue_button: the button that closes the dialog.
        key_label: where the key is shown.
    """

    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Invictus QUAD Desktop: recovery key")
        self.setModal(True)

        form = load_form(FORM_FILE, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(form)

        self.key_label = form.findChild(QLabel, "keyLabel")
        self.confirm_check = form.findChild(QCheckBox, "confirmCheck")
        button_box = form.findChild(QDialogButtonBox, "buttonBox")
        self.continue_button: QPushButton = button_box.button(
            QDialogButtonBox.StandardButton.Ok
        )
        self.continue_button.setText("&Continue")
        self.continue_button.setEnabled(False)

        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(QFont.Weight.DemiBold)
        self.key_label.setFont(font)
        self.key_label.setText(recovery_key)

        self.confirm_check.toggled.connect(self._on_confirm_check_toggled)
        button_box.accepted.connect(self.accept)
        self.finished.connect(self._on_finished)
        self.confirm_check.setFocus()
        # Word-wrapped labels need a known width before the height can be right.
        self.setFixedWidth(DIALOG_WIDTH)
        self.adjustSize()

    def reject(self) -> None:
        """Escape and the close button do nothing until the key is confirmed."""
        if self.confirm_check.isChecked():
            self.accept()

    def _on_confirm_check_toggled(self, checked: bool) -> None:
        self.continue_button.setEnabled(checked)

    def _on_finished(self, _result: int) -> None:
        self.key_label.clear()
        log.info("recovery key dialog closed")

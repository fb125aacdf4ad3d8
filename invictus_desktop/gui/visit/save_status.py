"""What the record page says about saving: a quiet indicator and a loud banner."""

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from invictus_desktop.gui.widgets import set_literal_text


class SavedIndicator(QLabel):
    """"Saving…" while edits wait, "Saved 14:32:05" once the store has them all."""

    SAVING = "Saving…"
    NOT_SAVED = "Not saved yet"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("savedIndicator")
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def show_saving(self) -> None:
        self.setText(self.SAVING)

    def show_saved(self, at: datetime) -> None:
        self.setText(f"Saved {at:%H:%M:%S}")

    def show_not_saved(self) -> None:
        self.setText(self.NOT_SAVED)


class SaveProblemBanner(QWidget):
    """A warning across the page while edits cannot be saved.

    A storage problem (disk full, read-only folder) keeps it up until a retry
    succeeds; another failure can be dismissed.

    Attributes:
        message_label: what happened and what to do.
        dismiss_button: shown only for failures that are not retried.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.message_label = QLabel()
        self.message_label.setObjectName("saveBannerText")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.clicked.connect(self.hide)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.message_label, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    @property
    def text(self) -> str:
        return self.message_label.text()

    def show_storage_problem(self, reason: str) -> None:
        set_literal_text(
            self.message_label,
            f"Not saved: {reason} Everything you type stays in this window; the app "
            "keeps trying every few seconds and whenever you type, and this warning "
            "goes once your notes are safely stored.",
        )
        self.dismiss_button.hide()
        self.show()

    def show_failure(self, reason: str) -> None:
        set_literal_text(
            self.message_label,
            f"A change could not be saved: {reason} Your text is still in the form; "
            "edit it again to retry.",
        )
        self.dismiss_button.show()
        self.show()

    def clear_problem(self) -> None:
        self.message_label.clear()
        self.hide()

"""The PDF preview: the report as the school or the Board will read it.

The PDF arrives as bytes from a worker and is shown by a `PdfPane`, from
memory: nothing of the report is written to disk in plain text.
"""

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.pdf_pane import PdfPane
from invictus_desktop.gui.widgets import InlineMessage
from invictus_desktop.reporting.audience import Variant

PREVIEW_SIZE = (980, 720)


class PreviewDialog(QDialog):
    """Shows one copy of the report, page by page, rendered in a worker.

    Signals:
        variant_requested(object): the user chose the school or Board copy;
            whoever opened the dialog renders it and calls `show_pdf`.

    Attributes:
        pane: the PDF and its page controls; `document`, `view`, the page
            buttons and `page_label` are the pane's, named here too.
        variant: the copy shown or being rendered.
        school_button, board_button: choose the copy.
        status_label: what is shown ("Draft, not finalised") or being rendered.
    """

    variant_requested = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Preview: {title}")
        self.setObjectName("previewDialog")
        self.variant = Variant.SCHOOL

        self.pane = PdfPane(self)
        self.pane.unreadable.connect(self._on_pane_unreadable)
        self.document, self.view = self.pane.document, self.pane.view
        self.previous_button, self.next_button = self.pane.previous_button, self.pane.next_button
        self.page_label, self.fit_width_button = self.pane.page_label, self.pane.fit_width_button

        self.school_button = QPushButton("&School copy")
        self.board_button = QPushButton("&Board copy (names withheld)")
        self._variant_group = QButtonGroup(self)
        for position, (button, variant) in enumerate(
            ((self.school_button, Variant.SCHOOL), (self.board_button, Variant.BOARD))
        ):
            button.setCheckable(True)
            button.setObjectName("segment")
            self._variant_group.addButton(button)
            chosen = partial(self._on_variant_button_clicked, variant)
            button.clicked.connect(lambda _=False, chosen=chosen: chosen())
            self.pane.controls.insertWidget(position, button)
        self.school_button.setChecked(True)
        close_button = QPushButton("&Close")
        close_button.clicked.connect(self.close)
        self.pane.controls.addSpacing(12)
        self.pane.controls.addWidget(close_button)

        self.status_label = QLabel()
        self.status_label.setObjectName("caption")
        self.message = InlineMessage()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.status_label)
        layout.addWidget(self.message)
        layout.addWidget(self.pane, 1)
        self.resize(*PREVIEW_SIZE)

    # Showing -----------------------------------------------------------------

    def show_rendering(self, variant: Variant) -> None:
        """A copy was asked for: say so until it arrives."""
        self.variant = variant
        self._check(variant)
        self.message.clear_message()
        self.status_label.setText(f"Rendering the {variant.label.lower()}…")
        self.school_button.setEnabled(False)
        self.board_button.setEnabled(False)

    def show_pdf(self, pdf: bytes, variant: Variant, description: str) -> None:
        """Load `pdf` (from memory) and show its first page."""
        self.variant = variant
        self._check(variant)
        self.pane.load(pdf)
        self.status_label.setText(f"{variant.label}: {description}")
        self.school_button.setEnabled(True)
        self.board_button.setEnabled(True)

    def show_error(self, text: str) -> None:
        self.status_label.clear()
        self.message.show_error(text)
        self.school_button.setEnabled(True)
        self.board_button.setEnabled(True)

    def current_page(self) -> int:
        return self.pane.current_page()

    def go_to_page(self, page: int) -> None:
        self.pane.go_to_page(page)

    def clear(self) -> None:
        """Forget the PDF: nothing of the report stays in memory on lock."""
        self.pane.clear()
        self.status_label.clear()
        self.message.clear_message()

    def _check(self, variant: Variant) -> None:
        button = self.school_button if variant is Variant.SCHOOL else self.board_button
        button.setChecked(True)

    # Reacting ----------------------------------------------------------------

    def _on_variant_button_clicked(self, variant: Variant) -> None:
        if variant is self.variant and self.document.pageCount():
            return
        self.show_rendering(variant)
        self.variant_requested.emit(variant)

    def _on_pane_unreadable(self) -> None:
        self.show_error("The preview could not be shown (a bug, not your doing).")

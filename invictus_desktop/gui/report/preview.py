"""The PDF preview: the report as the school or the Board will read it.

The PDF arrives as bytes from a worker and is read by QtPdf from memory (a
`QBuffer`): it is never written to a temporary file, so nothing of the report
is on disk in plain text.
"""

import logging
from functools import partial

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.widgets import InlineMessage
from invictus_desktop.reporting.audience import Variant

log = logging.getLogger(__name__)

PREVIEW_SIZE = (980, 720)


class PreviewDialog(QDialog):
    """Shows one copy of the report, page by page, rendered in a worker.

    Signals:
        variant_requested(object): the user chose the school or Board copy;
            whoever opened the dialog renders it and calls `show_pdf`.

    Attributes:
        document: the loaded PDF (empty until one arrives, and after `clear`).
        view: the page view (all pages, scrolling, a whole page in view).
        fit_width_button: fit the page's width instead (for reading).
        variant: the copy shown or being rendered.
        school_button, board_button: choose the copy.
        previous_button, next_button, page_label: page navigation.
        status_label: what is shown ("Draft, not finalised") or being rendered.
    """

    variant_requested = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Preview: {title}")
        self.setObjectName("previewDialog")
        self.variant = Variant.SCHOOL
        self._bytes = QByteArray()
        self._buffer: QBuffer | None = None

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setDocument(self.document)
        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(self._on_navigator_current_page_changed)
        self.document.statusChanged.connect(self._on_document_status_changed)

        self.school_button = QPushButton("&School copy")
        self.board_button = QPushButton("&Board copy (names withheld)")
        self._variant_group = QButtonGroup(self)
        for button, variant in ((self.school_button, Variant.SCHOOL),
                                (self.board_button, Variant.BOARD)):
            button.setCheckable(True)
            button.setObjectName("segment")
            self._variant_group.addButton(button)
            chosen = partial(self._on_variant_button_clicked, variant)
            button.clicked.connect(lambda _=False, chosen=chosen: chosen())
        self.school_button.setChecked(True)

        self.previous_button = QPushButton("&Previous page")
        self.previous_button.setShortcut(Qt.Key.Key_PageUp)
        self.previous_button.clicked.connect(self._on_previous_button_clicked)
        self.next_button = QPushButton("&Next page")
        self.next_button.setShortcut(Qt.Key.Key_PageDown)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.fit_width_button = QPushButton("Fit &width")
        self.fit_width_button.setCheckable(True)
        self.fit_width_button.setToolTip("Fit the page's width (else the whole page)")
        self.fit_width_button.toggled.connect(self._on_fit_width_toggled)
        self.page_label = QLabel()
        self.page_label.setMinimumWidth(90)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        close_button = QPushButton("&Close")
        close_button.clicked.connect(self.close)

        toolbar = QHBoxLayout()
        toolbar.addWidget(self.school_button)
        toolbar.addWidget(self.board_button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.fit_width_button)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.previous_button)
        toolbar.addWidget(self.page_label)
        toolbar.addWidget(self.next_button)
        toolbar.addSpacing(12)
        toolbar.addWidget(close_button)

        self.status_label = QLabel()
        self.status_label.setObjectName("caption")
        self.message = InlineMessage()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(toolbar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        self.resize(*PREVIEW_SIZE)
        self._update_navigation()

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
        self._unload()
        self.variant = variant
        self._check(variant)
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.status_label.setText(f"{variant.label}: {description}")
        self.school_button.setEnabled(True)
        self.board_button.setEnabled(True)
        self._update_navigation()

    def show_error(self, text: str) -> None:
        self.status_label.clear()
        self.message.show_error(text)
        self.school_button.setEnabled(True)
        self.board_button.setEnabled(True)

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        count = self.document.pageCount()
        if count == 0:
            return
        page = max(0, min(page, count - 1))
        self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())
        self._update_navigation()

    def clear(self) -> None:
        """Forget the PDF: nothing of the report stays in memory on lock."""
        self._unload()
        self.status_label.clear()
        self.message.clear_message()
        self._update_navigation()

    def _unload(self) -> None:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self._bytes = QByteArray()

    def _check(self, variant: Variant) -> None:
        button = self.school_button if variant is Variant.SCHOOL else self.board_button
        button.setChecked(True)

    def _update_navigation(self) -> None:
        count = self.document.pageCount()
        page = self.current_page()
        self.page_label.setText(f"Page {page + 1} of {count}" if count else "")
        self.previous_button.setEnabled(count > 0 and page > 0)
        self.next_button.setEnabled(count > 0 and page < count - 1)

    # Reacting ----------------------------------------------------------------

    def _on_variant_button_clicked(self, variant: Variant) -> None:
        if variant is self.variant and self.document.pageCount():
            return
        self.show_rendering(variant)
        self.variant_requested.emit(variant)

    def _on_fit_width_toggled(self, checked: bool) -> None:
        mode = QPdfView.ZoomMode.FitToWidth if checked else QPdfView.ZoomMode.FitInView
        self.view.setZoomMode(mode)

    def _on_previous_button_clicked(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def _on_next_button_clicked(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def _on_navigator_current_page_changed(self, _page: int) -> None:
        self._update_navigation()

    def _on_document_status_changed(self, status: QPdfDocument.Status) -> None:
        if status is QPdfDocument.Status.Error:
            log.error("the PDF preview could not be read: %s", self.document.error())
            self.show_error("The preview could not be shown (a bug, not your doing).")
        self._update_navigation()

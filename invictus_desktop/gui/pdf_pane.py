"""A PDF read from memory, page by page, with its page controls.

The bytes are handed to QtPdf through a `QBuffer`: a report is never written
to a temporary file, so nothing of it is on disk in plain text.
"""

import logging

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

log = logging.getLogger(__name__)


class PdfPane(QWidget):
    """The page view and the page controls; a caller may add its own buttons
    to `controls` (a row above the view).

    Signals:
        unreadable(): the bytes loaded are not a PDF QtPdf can read.

    Attributes:
        document: the loaded PDF (empty until `load`, and after `clear`).
        view: the page view (all pages, scrolling, a whole page in view).
        controls: the row of buttons above the view.
        fit_width_button: fit the page's width instead (for reading).
        previous_button, next_button, page_label: page navigation.
    """

    unreadable = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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

        self.previous_button = QPushButton("P&revious page")  # Alt+P is the Profile menu
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

        self.controls = QHBoxLayout()
        self.controls.addStretch(1)
        self.controls.addWidget(self.fit_width_button)
        self.controls.addSpacing(12)
        self.controls.addWidget(self.previous_button)
        self.controls.addWidget(self.page_label)
        self.controls.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.controls)
        layout.addWidget(self.view, 1)
        self._update_navigation()

    def load(self, pdf: bytes) -> None:
        """Show `pdf` (read from memory) from its first page."""
        self.clear()
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self._update_navigation()

    def clear(self) -> None:
        """Forget the PDF, so nothing of it stays in memory."""
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self._bytes = QByteArray()
        self._update_navigation()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        count = self.document.pageCount()
        if count == 0:
            return
        page = max(0, min(page, count - 1))
        self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())
        self._update_navigation()

    def _update_navigation(self) -> None:
        count = self.document.pageCount()
        page = self.current_page()
        self.page_label.setText(f"Page {page + 1} of {count}" if count else "")
        self.previous_button.setEnabled(count > 0 and page > 0)
        self.next_button.setEnabled(count > 0 and page < count - 1)

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
            log.error("a PDF could not be read: %s", self.document.error())
            self.unreadable.emit()
        self._update_navigation()

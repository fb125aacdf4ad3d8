"""The reader of published reports (the Board's copies, and a Headteacher's
own school's): by school and term, each opened from this laptop's encrypted
library and checked against its signer's key."""

import html
import logging
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.pdf_pane import PdfPane
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import InlineMessage, caption, heading
from invictus_desktop.reporting.audience import Variant
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.publishing import (
    PublishedEntry,
    open_published,
    published_reports,
)
from invictus_desktop.services.report_finalise import Verification
from invictus_desktop.store.models import Role

log = logging.getLogger(__name__)

READER_ROLES = {
    Role.BOARD_MEMBER.label, Role.CONSULTANT.label, Role.EXECUTIVE_HEAD.label,
    Role.HEADTEACHER.label,  # their own school's copies
}
FOLDER_ROLE = Qt.ItemDataRole.UserRole
TITLE_ROLE = Qt.ItemDataRole.UserRole + 1
LIST_WIDTH = 370


class PublishedPage(Page):
    """Published reports: a list by school, then term, then version (newest
    first), and the chosen copy with its verification.

    Signals:
        sync_requested(): the reader asked to fetch newly published reports.

    Attributes:
        tree: schools, their terms, and the versions published in each.
        fetch_button: runs a sync round (newly published versions arrive).
        verdict: whether the open version is exactly what its signer signed.
        pane: the open copy.
        empty_label: shown instead of the tree while nothing is published.
    """

    key = "published"
    title = "Published reports"

    sync_requested = Signal()

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self._open_folder: str | None = None
        self._build()

    @classmethod
    def shown_for(cls, role_labels: list[str]) -> bool:
        return bool(READER_ROLES & set(role_labels))

    def _build(self) -> None:
        title = heading("Published reports")
        intro = caption(
            "Final reports the consultant has published (to the Board, and to each "
            "school's Headteacher), kept on this laptop so they open offline. Each is "
            "checked against its signer's enrolled key whenever it is opened."
        )

        self.tree = QTreeWidget()
        self.tree.setObjectName("publishedTree")
        self.tree.setHeaderLabels(["Report", "Signed"])
        self.tree.setColumnWidth(0, 250)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self.empty_label = QLabel(
            "No published reports yet. Reports arrive when the consultant publishes "
            "them and this laptop syncs."
        )
        self.empty_label.setWordWrap(True)
        self.fetch_button = QPushButton("&Fetch new reports")
        self.fetch_button.setToolTip("Sync with the trust's repository now (Ctrl+Shift+S)")
        self.fetch_button.clicked.connect(self.sync_requested)

        list_side = QWidget()
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.tree, 1)
        list_layout.addWidget(self.empty_label)
        list_layout.addWidget(self.fetch_button)
        list_side.setMinimumWidth(LIST_WIDTH)

        self.title_label = QLabel()
        self.title_label.setObjectName("subheading")
        # School and term come from a manifest not yet verified: never rich text.
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict = InlineMessage()
        self.pane = PdfPane()
        reader_side = QWidget()
        reader_layout = QVBoxLayout(reader_side)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.addWidget(self.title_label)
        reader_layout.addWidget(self.verdict)
        reader_layout.addWidget(self.pane, 1)

        splitter = QSplitter()
        splitter.addWidget(list_side)
        splitter.addWidget(reader_side)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([LIST_WIDTH, 900])

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)  # as the other screens
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)

    # Loading ---------------------------------------------------------------

    def page_shown(self) -> None:
        self.run(published_reports, on_success=self._show_entries,
                 description="Reading the published reports")

    def _show_entries(self, entries: list[PublishedEntry]) -> None:
        wanted = self._open_folder
        self.tree.clear()
        schools: dict[str, QTreeWidgetItem] = {}
        terms: dict[tuple[str, str], QTreeWidgetItem] = {}
        chosen = None
        for entry in entries:
            school = schools.get(entry.school_name)
            if school is None:
                school = schools[entry.school_name] = QTreeWidgetItem(
                    self.tree, [entry.school_name]
                )
            term = terms.get((entry.school_name, entry.term))
            if term is None:
                term = terms[entry.school_name, entry.term] = QTreeWidgetItem(
                    school, [entry.term]
                )
            school_copy = " school copy" if entry.variant is Variant.SCHOOL else ""
            newest = " · newest" if entry.newest else ""
            label = f"{entry.reference} v{entry.number}{school_copy}{newest}"
            item = QTreeWidgetItem(term, [label, _day(entry.finalised_at)])
            item.setData(0, FOLDER_ROLE, entry.folder)
            item.setData(0, TITLE_ROLE, f"{entry.school_name} · {entry.term} · {entry.title}"
                         f" · {entry.copy_label}")
            # Escaped: tooltips render markup, and the name is the manifest's own
            # claim until the copy is opened and verified.
            item.setToolTip(0, "<p>" + html.escape(
                f"{entry.title}, signed (its manifest says) by {entry.signer_name}"
            ) + "</p>")
            if entry.folder == wanted or (chosen is None and entry.newest):
                chosen = item
        self.tree.expandAll()
        self.tree.setVisible(bool(entries))
        self.empty_label.setVisible(not entries)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)

    def _open(self, folder: str, title: str) -> None:
        self._open_folder = folder
        self.title_label.setText(title)
        self.verdict.show_info("Checking the signature…")
        self.run(open_published, folder,
                 on_success=lambda opened: self._show_report(folder, opened),
                 on_failure=lambda error: self._on_open_failed(folder, error),
                 description="Opening the report")

    def _show_report(self, folder: str, opened: tuple[bytes, Verification]) -> None:
        # Opens run side by side: one chosen earlier may end later, and its
        # verdict must not stand under the title of the copy chosen since.
        if folder != self._open_folder:
            return
        pdf, verification = opened
        if verification.ok:
            self.verdict.show_success(
                f"Verified: signed by {verification.signer_name} on "
                f"{_day(verification.finalised_at)}; this is exactly the report they signed."
            )
        else:
            self.verdict.show_error(
                "Do not rely on this copy: " + "; ".join(verification.problems) + "."
            )
        self.pane.load(pdf)

    def _on_open_failed(self, folder: str, error: BaseException) -> None:
        if folder == self._open_folder:
            self.verdict.show_error(self.failure_text(error))

    # Reacting --------------------------------------------------------------

    def _on_tree_current_item_changed(self, item: QTreeWidgetItem | None, _previous) -> None:
        folder = item.data(0, FOLDER_ROLE) if item is not None else None
        if folder and folder != self._open_folder:
            self._open(folder, item.data(0, TITLE_ROLE))

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        folder = item.data(0, FOLDER_ROLE)
        if folder:
            self._open(folder, item.data(0, TITLE_ROLE))

    def clear_data(self) -> None:
        self.tree.clear()
        self.pane.clear()
        self.verdict.clear_message()
        self.title_label.clear()
        self._open_folder = None
        super().clear_data()


def _day(timestamp: str) -> str:
    """"3 Dec 2026" from the manifest's ISO time (as given, if it is not one)."""
    try:
        when = datetime.fromisoformat(timestamp)
    except ValueError:
        return timestamp[:10]
    return f"{when.day} {when:%b %Y}"  # not %-d: Windows' strftime has no such code

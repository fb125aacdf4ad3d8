"""The main window of an unlocked profile: a list of screens on the left, the
chosen screen on the right, the Profile and Help menus, and a status bar.

Each screen is a `Page` in `gui/pages/`. On lock, `clear_data` empties every
page before the window closes, so no record stays in memory behind the unlock
window. This module is imported only once a profile is open.
"""

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from invictus_desktop import __version__
from invictus_desktop.gui import jobs
from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.pages.notes import NotesPage
from invictus_desktop.gui.pages.overview import OverviewPage, changes
from invictus_desktop.gui.pages.published import PublishedPage
from invictus_desktop.gui.pages.quads import QuadsPage
from invictus_desktop.gui.pages.record import RecordPage
from invictus_desktop.gui.pages.report import ReportPage
from invictus_desktop.gui.pages.repository import RepositoryPage
from invictus_desktop.gui.pages.schools import SchoolsPage
from invictus_desktop.gui.pages.visits import VisitsPage
from invictus_desktop.gui.sync_indicator import SyncIndicator
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.services.overview import Overview

log = logging.getLogger(__name__)

STATUS_TIMEOUT_MS = 8000
NAVIGATION_WIDTH = 190

# The screens after the overview, in the order of the navigation list.
PAGE_CLASSES: list[type[Page]] = [
    SchoolsPage, QuadsPage, VisitsPage, RecordPage, NotesPage, ReportPage, PublishedPage,
    RepositoryPage,
]


class MainWindow(QMainWindow):
    """The home of an unlocked profile.

    Signals:
        lock_requested(): the user chose Lock now (Ctrl+L).
        idle_lock_minutes_changed(int): a new idle lock delay was saved.

    Attributes:
        home: the overview page (always first).
        pages: every page by key, in navigation order.
        lock_action, refresh_action, quit_action: the Profile menu's actions.
    """

    lock_requested = Signal()
    idle_lock_minutes_changed = Signal(int)

    def __init__(
        self, opened: jobs.OpenProfile, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Invictus QUAD Desktop")
        self._profile = opened.profile
        self._runner = runner

        self.home = OverviewPage(opened.profile, runner)
        self.pages: dict[str, Page] = {self.home.key: self.home}
        for page_class in PAGE_CLASSES:
            if not page_class.shown_for(opened.overview.roles):
                continue  # a screen for other roles (the services refuse it anyway)
            page = page_class(opened.profile, runner)
            self.pages[page.key] = page

        self.sync = SyncIndicator(opened.profile, runner, self)
        self._build_menus()
        self._build_central()
        self._build_status_bar()
        self._connect_pages()

        self.home.show_overview(opened.overview)
        self.home.set_idle_minutes_quietly(opened.idle_lock_minutes)
        self.statusBar().showMessage(
            f"Unlocked. The app locks after {opened.idle_lock_minutes} minutes without "
            "input, or now with Ctrl+L.",
            STATUS_TIMEOUT_MS,
        )

    @property
    def overview(self) -> Overview | None:
        return self.home.overview

    # Building --------------------------------------------------------------

    def _build_menus(self) -> None:
        self.refresh_action = QAction("&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self._on_refresh_action_triggered)
        self.lock_action = QAction("&Lock now", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setStatusTip("Close your records and ask for the passphrase")
        self.lock_action.triggered.connect(self.lock_requested)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self._on_quit_action_triggered)
        about_action = QAction("&About Invictus QUAD Desktop", self)
        about_action.triggered.connect(self._on_about_action_triggered)

        profile_menu = self.menuBar().addMenu("&Profile")
        profile_menu.addAction(self.refresh_action)
        profile_menu.addAction(self.sync.sync_action)
        profile_menu.addAction(self.sync.conflicts_action)
        self.sync.conflicts_action.triggered.connect(self._on_conflicts_action_triggered)
        profile_menu.addAction(self.lock_action)
        profile_menu.addSeparator()
        profile_menu.addAction(self.quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        for number, page in enumerate(self.pages.values(), start=1):
            action = QAction(page.title, self)
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, key=page.key: self.show_page(key))
            go_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(about_action)

    def _build_central(self) -> None:
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(NAVIGATION_WIDTH)
        self.stack = QStackedWidget()
        for number, page in enumerate(self.pages.values(), start=1):
            item = QListWidgetItem(page.title)
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            item.setToolTip(f"{page.title} (Ctrl+{number})" if number <= 9 else page.title)
            self.navigation.addItem(item)
            self.stack.addWidget(page)
        self.navigation.setCurrentRow(0)
        self.navigation.currentRowChanged.connect(self._on_navigation_row_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.pending_status = QLabel()
        self.pending_status.setObjectName("pendingStatus")
        self.statusBar().addPermanentWidget(self.sync.progress)
        self.statusBar().addPermanentWidget(self.sync.label)
        self.statusBar().addPermanentWidget(self.sync.conflicts_button)
        self.statusBar().addPermanentWidget(self.pending_status)

    def _connect_pages(self) -> None:
        for page in self.pages.values():
            page.status_message.connect(self._on_page_status_message)
            page.navigate_requested.connect(self._on_page_navigate_requested)
            page.data_changed.connect(self.sync.schedule_after_change)
        self.home.idle_lock_minutes_changed.connect(self.idle_lock_minutes_changed)
        for key in (PublishedPage.key, RepositoryPage.key):
            if (page := self.pages.get(key)) is not None:
                page.sync_requested.connect(self.sync.request_round)
        self.sync.round_finished.connect(self._on_sync_round_finished)
        self.home.overview_shown.connect(self._on_home_overview_shown)

    # Navigating ------------------------------------------------------------

    def show_page(self, key: str, item: object = None) -> Page:
        page = self.pages[key]
        row = list(self.pages).index(key)
        self.navigation.blockSignals(True)
        self.navigation.setCurrentRow(row)
        self.navigation.blockSignals(False)
        self.stack.setCurrentWidget(page)
        if item is None:
            page.page_shown()
        else:
            page.open_item(item)
        return page

    def current_page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def _on_navigation_row_changed(self, row: int) -> None:
        if row >= 0:
            self.show_page(list(self.pages)[row])

    def _on_page_navigate_requested(self, key: str, item: object) -> None:
        if key not in self.pages:
            log.warning("no page %r to navigate to", key)
            self.statusBar().showMessage(
                "That screen is not part of this version of the app yet.", STATUS_TIMEOUT_MS
            )
            return
        self.show_page(key, item)

    # Reacting --------------------------------------------------------------

    def _on_home_overview_shown(self, overview: Overview) -> None:
        self.setWindowTitle(f"Invictus QUAD Desktop: {overview.person_name}")
        self.pending_status.setText(f"{changes(overview.pending_changes)} waiting to sync")

    def _on_sync_round_finished(self, succeeded: bool) -> None:
        # The overview counts what still waits to be sent (the status bar shows it).
        if self.current_page() is not self.home:
            self.home.page_shown()
        # Newly arrived records, published reports or a new connection show at once.
        if succeeded and self.current_page().key in (
            self.home.key, PublishedPage.key, RepositoryPage.key
        ):
            self.current_page().page_shown()

    def _on_page_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    def _on_refresh_action_triggered(self) -> None:
        self.current_page().page_shown()

    def flush_pending(self) -> bool:
        """Have every page write what it still holds unsaved; False if some could
        not be written (the page says why), and the window then stays open."""
        flushed = [page.flush_pending() for page in self.pages.values()]
        if all(flushed):
            return True

        self.statusBar().showMessage(
            "Some of your typing is not saved yet (see the warning on the page), so "
            "the profile stays open. Fix the problem shown, then try again.",
            STATUS_TIMEOUT_MS,
        )
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._profile is not None and not self.flush_pending():
            event.ignore()
            return
        super().closeEvent(event)

    def _on_quit_action_triggered(self) -> None:
        if self.flush_pending():
            QApplication.quit()

    def hold_unsaved(self) -> dict[str, list]:
        """Take the edits the store refused out of every page, by page key."""
        held = {key: page.hold_unsaved() for key, page in self.pages.items()}
        return {key: units for key, units in held.items() if units}

    def resume_unsaved(self, held: dict[str, list]) -> None:
        """Queue edits held across a lock again, on the pages they came from."""
        for key, units in held.items():
            if key in self.pages:
                self.pages[key].resume_unsaved(units)

    def clear_data(self) -> None:
        """Empty every page and drop the profile: called before the window closes."""
        self._profile = None
        self.sync.stop()
        for page in self.pages.values():
            page.clear_data()
        self.setWindowTitle("Invictus QUAD Desktop")
        self.pending_status.clear()
        self.statusBar().clearMessage()

    def _on_conflicts_action_triggered(self) -> None:
        from invictus_desktop.gui.dialogs.conflicts import ConflictsDialog

        dialog = ConflictsDialog(self._profile, self._runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.settled.connect(self.sync.recount_conflicts)
        dialog.settled.connect(self.sync.schedule_after_change)
        dialog.open()

    def _on_about_action_triggered(self) -> None:
        # Not exec(): a nested event loop would outlive this window if it locks.
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "About Invictus QUAD Desktop",
            f"Invictus QUAD Desktop {__version__}\n\n"
            "Offline, encrypted Quality Assurance Day inspections.",
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

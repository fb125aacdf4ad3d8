"""The main window: who is signed in and what the encrypted store holds.

Everything shown comes from `services.overview.load_overview`, read in a
worker. The window holds the open profile only to refresh and to save the
idle lock setting; `clear_data` empties every widget before the window is
closed on lock, so no record stays in memory behind the unlock window.

This module is imported only once a profile is open (the services are loaded
by then), never at start-up.
"""

import logging
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop import __version__
from invictus_desktop.gui import jobs
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import describe_failure
from invictus_desktop.services.overview import Overview
from invictus_desktop.services.settings import MAX_IDLE_LOCK_MINUTES, MIN_IDLE_LOCK_MINUTES

log = logging.getLogger(__name__)

STATUS_TIMEOUT_MS = 8000
CONTENT_MAX_WIDTH = 1280  # wider, and the eye loses the line on a large screen


class MainWindow(QMainWindow):
    """The home screen of an unlocked profile.

    Signals:
        lock_requested(): the user chose Lock now (Ctrl+L).
        idle_lock_minutes_changed(int): a new idle lock delay was saved.

    Attributes:
        overview: the data on screen, or None once cleared.
        lock_action, refresh_action, quit_action: the Profile menu's actions.
    """

    lock_requested = Signal()
    idle_lock_minutes_changed = Signal(int)

    def __init__(
        self, opened: jobs.OpenProfile, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Invictus QUAD Desktop")
        self.overview: Overview | None = None
        self._profile = opened.profile
        self._runner = runner

        self._build_menus()
        self._build_central()
        self._build_status_bar()
        self.show_overview(opened.overview)
        self._set_idle_minutes_quietly(opened.idle_lock_minutes)
        self.statusBar().showMessage(
            f"Unlocked. The app locks after {opened.idle_lock_minutes} minutes without "
            "input, or now with Ctrl+L.",
            STATUS_TIMEOUT_MS,
        )

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
        self.quit_action.triggered.connect(QApplication.quit)
        about_action = QAction("&About Invictus QUAD Desktop", self)
        about_action.triggered.connect(self._on_about_action_triggered)

        profile_menu = self.menuBar().addMenu("&Profile")
        profile_menu.addAction(self.refresh_action)
        profile_menu.addAction(self.lock_action)
        profile_menu.addSeparator()
        profile_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(about_action)

    def _build_central(self) -> None:
        self.name_label = QLabel()
        self.name_label.setObjectName("heading")
        self.roles_label = QLabel()
        self.roles_label.setObjectName("intro")

        self.tiles = QHBoxLayout()
        self.tiles.setSpacing(12)
        self._tile_values: dict[str, QLabel] = {}

        column_widget = QWidget()
        column_widget.setMaximumWidth(CONTENT_MAX_WIDTH)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(32, 24, 32, 24)
        column.setSpacing(16)
        header = QVBoxLayout()
        header.setSpacing(2)
        header.addWidget(self.name_label)
        header.addWidget(self.roles_label)
        column.addLayout(header)
        column.addLayout(self.tiles)

        lower = QHBoxLayout()
        lower.setSpacing(16)
        lower.addWidget(self._build_activity_box(), 3)
        side = QVBoxLayout()
        side.setSpacing(16)
        side.addWidget(self._build_sync_box())
        side.addWidget(self._build_laptop_box())
        side.addStretch(1)
        lower.addLayout(side, 2)
        column.addLayout(lower)
        column.addStretch(1)

        content = QWidget()
        content.setObjectName("content")
        centred = QHBoxLayout(content)
        centred.setContentsMargins(0, 0, 0, 0)
        centred.addWidget(column_widget)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.setCentralWidget(scroll)

    def _build_activity_box(self) -> QGroupBox:
        box = QGroupBox("Recent activity on this laptop")
        self.audit_tree = QTreeWidget()
        self.audit_tree.setHeaderLabels(["When", "What"])
        self.audit_tree.setRootIsDecorated(False)
        self.audit_tree.setAlternatingRowColors(True)
        self.audit_tree.header().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        layout = QVBoxLayout(box)
        layout.addWidget(self.audit_tree)
        return box

    def _build_sync_box(self) -> QGroupBox:
        box = QGroupBox("Sync")
        self.pending_label = QLabel()
        self.pending_label.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addWidget(self.pending_label)
        return box

    def _build_laptop_box(self) -> QGroupBox:
        box = QGroupBox("This laptop")
        self.store_label = _value_label()
        self.revision_label = _value_label()
        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(MIN_IDLE_LOCK_MINUTES, MAX_IDLE_LOCK_MINUTES)
        self.idle_spin.setSuffix(" minutes")
        self.idle_spin.setKeyboardTracking(False)
        self.idle_spin.lineEdit().setTextMargins(4, 0, 0, 0)  # the stylesheet's padding
        self.idle_spin.valueChanged.connect(self._on_idle_spin_value_changed)

        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(8)
        rows = [
            ("Encrypted store", self.store_label),
            ("Schema revision", self.revision_label),
        ]
        for row, (caption, widget) in enumerate(rows):
            grid.addWidget(_caption_label(caption), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, row, 1)
        idle_caption = _caption_label("Lock when idle for")
        idle_caption.setText("Lock when &idle for")
        idle_caption.setBuddy(self.idle_spin)
        grid.addWidget(idle_caption, len(rows), 0)
        grid.addWidget(self.idle_spin, len(rows), 1, Qt.AlignmentFlag.AlignLeft)
        return box

    def _build_status_bar(self) -> None:
        self.pending_status = QLabel()
        self.statusBar().addPermanentWidget(self.pending_status)

    # Showing ---------------------------------------------------------------

    def show_overview(self, overview: Overview) -> None:
        self.overview = overview
        self.setWindowTitle(f"Invictus QUAD Desktop: {overview.person_name}")
        self.name_label.setText(overview.person_name)
        roles = ", ".join(overview.roles) or "No role yet"
        self.roles_label.setText(f"{roles}  ·  {overview.trust_name}")
        self._show_counts(overview.counts)

        pending = _changes(overview.pending_changes)
        self.pending_label.setText(
            f"{pending} waiting to be sent. They stay encrypted on this laptop "
            "until they are synced with the trust's repository."
        )
        self.pending_status.setText(f"{pending} waiting to sync")
        self.store_label.setText(overview.store_path)
        self.revision_label.setText(overview.schema_revision)

        self.audit_tree.clear()
        for line in overview.recent_audit:
            QTreeWidgetItem(self.audit_tree, [line.at, _describe_action(line.action)])

    def clear_data(self) -> None:
        """Empty every widget and drop the profile: called before the window closes."""
        self.overview = None
        self._profile = None
        self.setWindowTitle("Invictus QUAD Desktop")
        for label in (
            self.name_label,
            self.roles_label,
            self.pending_label,
            self.pending_status,
            self.store_label,
            self.revision_label,
            *self._tile_values.values(),
        ):
            label.clear()
        self.audit_tree.clear()
        self.statusBar().clearMessage()

    def _show_counts(self, counts: dict[str, int]) -> None:
        for caption, value in counts.items():
            label = self._tile_values.get(caption)
            if label is None:
                label = self._add_tile(caption)
            label.setText(f"{value:,}")

    def _add_tile(self, caption: str) -> QLabel:
        tile = QFrame()
        tile.setObjectName("tile")
        value = QLabel()
        value.setObjectName("tileValue")
        value.setAccessibleName(caption)
        layout = QVBoxLayout(tile)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(value)
        layout.addWidget(_caption_label(caption))
        self.tiles.addWidget(tile, 1)
        self._tile_values[caption] = value
        return value

    def tile_value(self, caption: str) -> str:
        """The number shown on the tile named `caption` ("" once cleared)."""
        return self._tile_values[caption].text()

    # Reacting --------------------------------------------------------------

    def _on_refresh_action_triggered(self) -> None:
        if self._profile is None:
            return
        self._runner.submit(
            partial(jobs.reload_overview, self._profile),
            on_success=self._on_overview_reloaded,
            on_failure=self._on_job_failed,
            description="Refreshing…",
        )

    def _on_overview_reloaded(self, overview: Overview) -> None:
        if self._profile is None:
            return
        self.show_overview(overview)
        self.statusBar().showMessage("Refreshed.", STATUS_TIMEOUT_MS)

    def _on_idle_spin_value_changed(self, minutes: int) -> None:
        if self._profile is None:
            return
        self._runner.submit(
            partial(jobs.save_idle_lock_minutes, self._profile, minutes),
            on_success=self._on_idle_minutes_saved,
            on_failure=self._on_job_failed,
            description="Saving the idle lock setting…",
        )

    def _on_idle_minutes_saved(self, minutes: int) -> None:
        if self._profile is None:  # locked meanwhile: this window is gone
            return
        saved = f"Saved: the app locks after {minutes} minutes without input."
        self.statusBar().showMessage(saved, STATUS_TIMEOUT_MS)
        self.idle_lock_minutes_changed.emit(minutes)

    def _on_job_failed(self, error: BaseException) -> None:
        if self._profile is None:  # locked meanwhile: this window is gone
            return
        hint = f"Details are in the log in {self._profile.paths.logs}."
        self.statusBar().showMessage(describe_failure(error, hint))

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

    def _set_idle_minutes_quietly(self, minutes: int) -> None:
        self.idle_spin.blockSignals(True)
        self.idle_spin.setValue(minutes)
        self.idle_spin.blockSignals(False)


def _caption_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("caption")
    return label


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _changes(count: int) -> str:
    return "1 change" if count == 1 else f"{count:,} changes"


def _describe_action(action: str) -> str:
    """`profile.created` -> `Profile created`: audit actions in plain words."""
    words = action.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]

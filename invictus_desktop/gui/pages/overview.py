"""The home screen: who is signed in and what the encrypted store holds.

Everything shown comes from `services.overview.load_overview`, read in a
worker (the first time, by the unlock job itself).
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import fill, scroll_area
from invictus_desktop.services.overview import Overview, load_overview
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.settings import (
    MAX_IDLE_LOCK_MINUTES,
    MIN_IDLE_LOCK_MINUTES,
    set_idle_lock_minutes,
)

CONTENT_MAX_WIDTH = 1280  # wider, and the eye loses the line on a large screen


class OverviewPage(Page):
    """Counts, recent activity, sync backlog and this laptop's settings.

    Signals:
        idle_lock_minutes_changed(int): a new idle lock delay was saved.
        overview_shown(Overview): fresh data is on screen (the window title
            and status bar follow it).

    Attributes:
        overview: the data on screen, or None once cleared.
    """

    key = "overview"
    title = "Overview"

    idle_lock_minutes_changed = Signal(int)
    overview_shown = Signal(object)

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self.overview: Overview | None = None
        self._tile_values: dict[str, QLabel] = {}
        self._build()

    # Building --------------------------------------------------------------

    def _build(self) -> None:
        self.name_label = QLabel()
        self.name_label.setObjectName("heading")
        self.roles_label = QLabel()
        self.roles_label.setObjectName("intro")
        self.tiles = QHBoxLayout()
        self.tiles.setSpacing(12)

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
        fill(self, scroll_area(content))

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
        rows = [("Encrypted store", self.store_label), ("Schema revision", self.revision_label)]
        for row, (caption, widget) in enumerate(rows):
            grid.addWidget(caption_label(caption), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, row, 1)
        idle_caption = caption_label("Lock when &idle for")
        idle_caption.setBuddy(self.idle_spin)
        grid.addWidget(idle_caption, len(rows), 0)
        grid.addWidget(self.idle_spin, len(rows), 1, Qt.AlignmentFlag.AlignLeft)
        return box

    # Showing ---------------------------------------------------------------

    def page_shown(self) -> None:
        self.run(load_overview, on_success=self.show_overview, description="Refreshing…")

    def show_overview(self, overview: Overview) -> None:
        self.overview = overview
        self.name_label.setText(overview.person_name)
        roles = ", ".join(overview.roles) or "No role yet"
        self.roles_label.setText(f"{roles}  ·  {overview.trust_name}")
        for caption, value in overview.counts.items():
            label = self._tile_values.get(caption) or self._add_tile(caption)
            label.setText(f"{value:,}")

        where = (
            f"synced with the trust's repository ({overview.repository})."
            if overview.repository
            else "synced. This profile is not connected yet: join the trust on the "
            "Repository screen."
        )
        self.pending_label.setText(
            f"{changes(overview.pending_changes)} waiting to be sent. They stay encrypted "
            f"on this laptop until they are {where}"
        )
        self.store_label.setText(overview.store_path)
        self.revision_label.setText(overview.schema_revision)
        self.audit_tree.clear()
        for line in overview.recent_audit:
            QTreeWidgetItem(self.audit_tree, [line.at, describe_action(line.action)])
        self.overview_shown.emit(overview)

    def set_idle_minutes_quietly(self, minutes: int) -> None:
        self.idle_spin.blockSignals(True)
        self.idle_spin.setValue(minutes)
        self.idle_spin.blockSignals(False)

    def clear_data(self) -> None:
        super().clear_data()
        self.overview = None
        for label in (self.name_label, self.roles_label, self.pending_label,
                      self.store_label, self.revision_label, *self._tile_values.values()):
            label.clear()
        self.audit_tree.clear()

    def _add_tile(self, caption: str) -> QLabel:
        tile = QFrame()
        tile.setObjectName("tile")
        value = QLabel()
        value.setObjectName("tileValue")
        value.setAccessibleName(caption)
        layout = QVBoxLayout(tile)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(value)
        layout.addWidget(caption_label(caption))
        self.tiles.addWidget(tile, 1)
        self._tile_values[caption] = value
        return value

    def tile_value(self, caption: str) -> str:
        """The number shown on the tile named `caption` ("" once cleared)."""
        return self._tile_values[caption].text()

    # Reacting --------------------------------------------------------------

    def _on_idle_spin_value_changed(self, minutes: int) -> None:
        self.run(_save_idle_minutes, minutes, on_success=self._on_idle_minutes_saved,
                 description="Saving the idle lock setting…")

    def _on_idle_minutes_saved(self, minutes: int) -> None:
        self.status_message.emit(f"Saved: the app locks after {minutes} minutes without input.")
        self.idle_lock_minutes_changed.emit(minutes)


def _save_idle_minutes(profile: UnlockedProfile, minutes: int) -> int:
    set_idle_lock_minutes(profile, minutes)
    return minutes


def caption_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("caption")
    return label


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def changes(count: int) -> str:
    return "1 change" if count == 1 else f"{count:,} changes"


def describe_action(action: str) -> str:
    """`profile.created` -> `Profile created`: audit actions in plain words."""
    words = action.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]

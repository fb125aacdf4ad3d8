"""The Schools screen: the trust's schools; for the chosen one, its details,
its improvement plan (priorities, RAG ratings and their history) and staff."""

import logging
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.dialogs.base import OpenDialogs
from invictus_desktop.gui.dialogs.school_dialog import NewSchoolDialog
from invictus_desktop.gui.pages.allowed import READ_ONLY_PLANNING, READ_ONLY_SCHOOL, allow
from invictus_desktop.gui.pages.base import LazyPage
from invictus_desktop.gui.pages.school_details import SchoolDetailsPanel
from invictus_desktop.gui.pages.sip_panel import SipPanel
from invictus_desktop.gui.pages.staff_panel import StaffPanel
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.services.access import Permissions, describe_permissions
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.schools import (
    SchoolDetails,
    SchoolView,
    create_school,
    list_schools,
)

log = logging.getLogger(__name__)

SCHOOL_LIST_WIDTH = 230
NEW_SCHOOL_SHORTCUT = "Ctrl+N"


class SchoolsScreen(NamedTuple):
    permissions: Permissions
    schools: list[SchoolView]


def load_schools_screen(profile: UnlockedProfile) -> SchoolsScreen:
    return SchoolsScreen(describe_permissions(profile), list_schools(profile))


class SchoolsPage(LazyPage):
    """The trust's schools and, for the chosen one, three tabs: Details,
    Improvement plan and Staff. The widgets are made when first shown.

    Attributes:
        permissions: what the signed-in person may change (None until loaded).
        schools: the schools listed.
        school_list: the list to choose a school from.
        new_school_button: adds a school (Ctrl+N; trust leads only).
        heading, subheading, read_only_label: about the chosen school.
        tabs: the chosen school's Details, Improvement plan and Staff tabs.
        details, sip, staff: the three tabs' panels.
        dialogs: the dialogs open from the screen itself.
    """

    key = "schools"
    title = "Schools"

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self.permissions: Permissions | None = None
        self.schools: list[SchoolView] = []
        self.dialogs = OpenDialogs()
        self._wanted_school: str | None = None

    # Building --------------------------------------------------------------

    def build(self) -> None:
        self.school_list = QListWidget()
        self.school_list.setObjectName("schoolList")
        self.school_list.setAccessibleName("Schools")
        self.new_school_button = QPushButton("&New school…")
        self.new_school_button.setToolTip(f"Add a school ({NEW_SCHOOL_SHORTCUT})")
        left = QVBoxLayout()
        left.setSpacing(8)
        caption = QLabel("Schools")
        caption.setObjectName("sectionHeading")
        left.addWidget(caption)
        left.addWidget(self.school_list, 1)
        left.addWidget(self.new_school_button)
        left_widget = QWidget()
        left_widget.setFixedWidth(SCHOOL_LIST_WIDTH)
        left_widget.setLayout(left)
        left.setContentsMargins(16, 16, 8, 16)

        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.subheading = QLabel()
        self.subheading.setObjectName("intro")
        self.read_only_label = QLabel()
        self.read_only_label.setObjectName("caption")
        self.read_only_label.setWordWrap(True)
        self.read_only_label.hide()

        self.details = SchoolDetailsPanel(self)
        self.sip = SipPanel(self)
        self.staff = StaffPanel(self)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.sip, "Impr&ovement plan")
        self.tabs.addTab(self.staff, "Sta&ff")
        self.tabs.addTab(self.details, "&Details")

        right = QVBoxLayout()
        right.setContentsMargins(8, 14, 16, 8)
        right.setSpacing(2)
        right.addWidget(self.heading)
        right.addWidget(self.subheading)
        right.addWidget(self.read_only_label)
        right.addSpacing(8)
        right.addWidget(self.tabs, 1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(left_widget)
        layout.addLayout(right, 1)

        new_school = QShortcut(QKeySequence(NEW_SCHOOL_SHORTCUT), self)
        new_school.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_school.activated.connect(self._on_new_school_button_clicked)
        self.school_list.currentRowChanged.connect(self._on_school_list_row_changed)
        self.new_school_button.clicked.connect(self._on_new_school_button_clicked)
        self.details.saved.connect(self._on_details_saved)
        self.staff.staff_changed.connect(self._on_staff_staff_changed)

    # Showing ---------------------------------------------------------------

    def page_shown(self) -> None:
        self.ensure_built()
        self.run(load_schools_screen, on_success=self._show_screen,
                 description="Loading the schools…")

    def open_item(self, item: object) -> None:
        """Show the school with id `item`."""
        self._wanted_school = str(item)
        self.page_shown()

    def _show_screen(self, screen: SchoolsScreen) -> None:
        wanted = self._wanted_school or self.current_school_id()
        self._wanted_school = None
        self.permissions = screen.permissions
        self.schools = screen.schools
        allow(self.new_school_button, screen.permissions.may_plan, READ_ONLY_PLANNING)

        self.school_list.blockSignals(True)
        self.school_list.clear()
        for school in screen.schools:
            item = QListWidgetItem(school.name)
            item.setData(Qt.ItemDataRole.UserRole, school.id)
            self.school_list.addItem(item)
        ids = [school.id for school in screen.schools]
        row = ids.index(wanted) if wanted in ids else (0 if ids else -1)
        self.school_list.setCurrentRow(row)
        self.school_list.blockSignals(False)
        self._show_school(row)

    def current_school_id(self) -> str | None:
        item = self.school_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _show_school(self, row: int) -> None:
        if row < 0 or row >= len(self.schools) or self.permissions is None:
            self._clear_school()
            if not self.schools:
                self.heading.setText("No schools yet")
                self.subheading.setText(
                    "Add the trust's schools with New school…"
                    if self.permissions and self.permissions.may_plan
                    else "Schools appear here once the trust's data is synced."
                )
            return

        school = self.schools[row]
        editable = self.permissions.may_edit_school(school.id)
        self.heading.setText(school.name)
        self.subheading.setText(_describe(school))
        self.read_only_label.setText(READ_ONLY_SCHOOL + " You can read everything here.")
        self.read_only_label.setVisible(not editable)
        self.tabs.setEnabled(True)
        self.details.show_school(school, editable)
        self.sip.show_school(school.id, editable)
        self.staff.show_school(school.id, editable)

    def _clear_school(self) -> None:
        self.heading.clear()
        self.subheading.clear()
        self.read_only_label.hide()
        self.tabs.setEnabled(False)
        self.details.clear()
        self.sip.clear()
        self.staff.clear()

    def clear_data(self) -> None:
        super().clear_data()
        self.dialogs.close_all()
        self.permissions = None
        self.schools = []
        if not self.built:
            return
        self.school_list.blockSignals(True)
        self.school_list.clear()
        self.school_list.blockSignals(False)
        self._clear_school()

    # Reacting --------------------------------------------------------------

    def _on_school_list_row_changed(self, row: int) -> None:
        self._show_school(row)

    def _on_details_saved(self, school_id: str) -> None:
        self._wanted_school = school_id
        self.page_shown()

    def _on_staff_staff_changed(self) -> None:
        self.run(load_schools_screen, on_success=self._refresh_quietly,
                 description="Loading the schools…")

    def _refresh_quietly(self, screen: SchoolsScreen) -> None:
        """Update the staff counts without reloading the chosen school's tabs."""
        self.schools = screen.schools
        school_id = self.current_school_id()
        school = next((s for s in screen.schools if s.id == school_id), None)
        if school is not None:
            self.subheading.setText(_describe(school))

    def _on_new_school_button_clicked(self) -> None:
        if self.permissions is None or not self.permissions.may_plan:
            return
        dialog = NewSchoolDialog(self)
        self.dialogs.add(dialog)
        dialog.submitted.connect(lambda details: self._on_school_dialog_submitted(
            dialog, details))
        dialog.open()

    def _on_school_dialog_submitted(self, dialog: NewSchoolDialog,
                                    details: SchoolDetails) -> None:
        task = self.run(
            create_school,
            details,
            on_success=lambda school_id: self._on_school_created(dialog, school_id),
            on_failure=lambda error: dialog.show_error(self.failure_text(error)),
            description="Adding the school…",
        )
        dialog.track(task)

    def _on_school_created(self, dialog: NewSchoolDialog, school_id: str) -> None:
        dialog.saved()
        self.status_message.emit("Added the school.")
        self.data_changed.emit()
        self.open_item(school_id)


def _describe(school: SchoolView) -> str:
    parts = [f"URN {school.urn}" if school.urn else "No URN yet", school.phase.capitalize()]
    parts.append("1 member of staff" if school.staff_count == 1
                 else f"{school.staff_count} members of staff")
    if school.headteacher_name:
        parts.append(f"Headteacher: {school.headteacher_name}")
    return "  ·  ".join(parts)

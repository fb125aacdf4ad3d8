"""The trust's repository: connect this profile, join with an invitation, or
invite a colleague. Network work runs in a worker; files are chosen with
non-blocking file dialogs."""

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.pages.allowed import allow
from invictus_desktop.gui.pages.base import Page
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import (
    InlineMessage,
    buddy_label,
    caption,
    fill,
    heading,
    scroll_area,
)
from invictus_desktop.services import trust_repository
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.syncing import SyncStatus, sync_status
from invictus_desktop.services.trust_repository import (
    INVITING_REFUSED,
    JoinRequest,
    RepositoryConnection,
)

log = logging.getLogger(__name__)

JSON_FILTER = "Invictus files (*.json);;All files (*)"
FORM_WIDTH = 720


class ConnectionFields(QWidget):
    """User name, password and (optionally) a certificate to trust, in `form`
    (a caller may add rows of its own)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText("as the trust's administrator gave it")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.certificate_edit = QLineEdit()
        self.certificate_edit.setPlaceholderText(
            "only for the trust's own server with a self-signed certificate"
        )
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(buddy_label("&User name", self.user_edit), self.user_edit)
        self.form.addRow(buddy_label("Pass&word", self.password_edit), self.password_edit)
        self.form.addRow(
            buddy_label("Trusted &certificate", self.certificate_edit), self.certificate_edit
        )

    def connection(self, url: str) -> RepositoryConnection:
        user = self.user_edit.text().strip() or None
        certificate = self.certificate_edit.text().strip()
        return RepositoryConnection(
            url=url,
            username=user,
            password=self.password_edit.text() if user else None,
            trusted_certificate=Path(certificate) if certificate else None,
        )

    def clear(self) -> None:
        for edit in (self.user_edit, self.password_edit, self.certificate_edit):
            edit.clear()


class RepositoryPage(Page):
    """Connect, join or invite.

    Signals:
        sync_requested(): the user asked for a sync round now.

    Attributes:
        status_label: connected to which address, or not connected.
        sync_button: runs a sync round (enabled once connected).
        not_connected: the tabs for joining (by invitation or by address).
        key_code_label: this person's key code, to read to whoever enrols them.
        invitation_edit, invitation_code_edit, join_fields, join_button:
            joining with an invitation and its code.
        address_edit, address_fields, join_address_button, create_button:
            connecting by address (the founder, or an administrator).
        invite_box: inviting a colleague (once connected).
        sign_in_box, sign_in_fields, sign_in_button: signing in to the
            repository again, with a changed user name, password or
            certificate (once connected).
        request_label, code_edit, enrol_button, save_invitation_button,
            open_request_button: greyed out, with the reason, for people who
            may not invite (`may_invite`).
        message: what happened, or what went wrong.
    """

    key = "repository"
    title = "Repository"

    sync_requested = Signal()

    def __init__(self, profile: UnlockedProfile, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(profile, runner, parent)
        self.request: JoinRequest | None = None
        self._repository_url = ""
        self.may_invite = False
        self._file_dialog: QFileDialog | None = None
        self._build()

    # Building --------------------------------------------------------------

    def _build(self) -> None:
        title = heading("The trust's repository")
        intro = caption(
            "Changes travel between laptops, and final reports reach the Board, "
            "through the trust's WebDAV repository (its Nextcloud, or the app's own "
            "server). Nothing is sent until this profile is connected."
        )
        self.status_label = QLabel()
        self.status_label.setObjectName("subheading")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # an address from a file
        self.status_label.setWordWrap(True)  # a long address breaks at its slashes
        self.sync_button = QPushButton("&Sync now")
        self.sync_button.clicked.connect(self.sync_requested)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.sync_button)
        self.message = InlineMessage()

        self.not_connected = QTabWidget()
        self.not_connected.addTab(self._build_join_tab(), "&Join with an invitation")
        self.not_connected.addTab(self._build_address_tab(), "Connect by &address")
        self.invite_box = self._build_invite_box()
        self.sign_in_box = self._build_sign_in_box()

        content = QWidget()
        content.setMaximumWidth(FORM_WIDTH)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 16, 24, 16)  # as the other screens
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(status_row)
        layout.addWidget(self.message)
        layout.addWidget(self.not_connected)
        layout.addWidget(self.invite_box)
        layout.addWidget(self.sign_in_box)
        layout.addStretch(1)
        fill(self, scroll_area(content))
        self._show_status(None)

    def _build_join_tab(self) -> QWidget:
        step_one = QLabel(
            "<b>1.</b> Give your join request to the colleague who enrols you (the "
            "consultant), then read them this key code, by phone or in person: it "
            "proves the request is yours."
        )
        step_one.setWordWrap(True)
        self.key_code_label = QLabel()
        self.key_code_label.setObjectName("keyCode")
        self.key_code_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        save_request_button = QPushButton("Save join &request…")
        save_request_button.clicked.connect(self._on_save_request_button_clicked)
        code_row = QHBoxLayout()
        code_row.addWidget(self.key_code_label, 1)
        code_row.addWidget(save_request_button)

        step_two = QLabel(
            "<b>2.</b> Open the invitation they send back, type the invitation code "
            "they tell you (by phone or text, not with the file), and sign in to the "
            "repository with the account the trust gave you."
        )
        step_two.setWordWrap(True)
        self.invitation_edit = QLineEdit()
        self.invitation_edit.setReadOnly(True)
        self.invitation_edit.setPlaceholderText("no invitation chosen")
        choose_button = QPushButton("Choose &invitation…")
        choose_button.clicked.connect(self._on_choose_invitation_button_clicked)
        invitation_row = QHBoxLayout()
        invitation_row.addWidget(self.invitation_edit, 1)
        invitation_row.addWidget(choose_button)
        self.invitation_code_edit = QLineEdit()
        self.invitation_code_edit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        self.join_fields = ConnectionFields()
        self.join_fields.form.insertRow(
            0, buddy_label("Invitation c&ode", self.invitation_code_edit),
            self.invitation_code_edit,
        )
        self.join_button = QPushButton("Join the &trust")  # Alt+J is the tab's
        self.join_button.setDefault(True)
        self.join_button.clicked.connect(self._on_join_button_clicked)

        tab = QWidget()
        layout = QVBoxLayout(tab)
        for part in (step_one, code_row, step_two, invitation_row, self.join_fields):
            if isinstance(part, QWidget):
                layout.addWidget(part)
            else:
                layout.addLayout(part)
        layout.addWidget(self.join_button, 0, Qt.AlignmentFlag.AlignRight)
        return tab

    def _build_address_tab(self) -> QWidget:
        explanation = QLabel(
            "For whoever sets up the trust's repository, or joins one by its address "
            "(everyone else joins with an invitation)."
        )
        explanation.setWordWrap(True)
        self.address_edit = QLineEdit()
        self.address_edit.setPlaceholderText("https://cloud.example.org/remote.php/dav/files/quad/")
        self.address_fields = ConnectionFields()
        address_form = QFormLayout()
        address_form.addRow(buddy_label("A&ddress", self.address_edit), self.address_edit)
        self.join_address_button = QPushButton("Connect to the &repository there")
        self.join_address_button.clicked.connect(self._on_join_address_button_clicked)
        self.create_button = QPushButton("Start a &new repository there")
        self.create_button.clicked.connect(self._on_create_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.join_address_button)

        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(explanation)
        layout.addLayout(address_form)
        layout.addWidget(self.address_fields)
        layout.addLayout(buttons)
        return tab

    def _build_invite_box(self) -> QGroupBox:
        box = QGroupBox("Invite a colleague")
        steps = QLabel(
            "Open the join request the newcomer gave you, type the key code they read "
            "to you, and enrol them. Then save the invitation and send it to them."
        )
        steps.setWordWrap(True)
        self.open_request_button = QPushButton("&Open join request…")
        self.open_request_button.clicked.connect(self._on_open_request_button_clicked)
        self.request_label = QLabel("No join request open.")
        # The name is whatever the request file says: shown as text, never markup.
        self.request_label.setTextFormat(Qt.TextFormat.PlainText)
        # Wrapped: the roles asked for come last, and the enroller must see them.
        self.request_label.setWordWrap(True)
        request_row = QHBoxLayout()
        request_row.addWidget(self.request_label, 1)
        request_row.addWidget(self.open_request_button)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        self.enrol_button = QPushButton("&Enrol")
        self.enrol_button.clicked.connect(self._on_enrol_button_clicked)
        code_row = QHBoxLayout()
        code_row.addWidget(buddy_label("&Key code they read to you", self.code_edit))
        code_row.addWidget(self.code_edit, 1)
        code_row.addWidget(self.enrol_button)
        self.save_invitation_button = QPushButton("Save in&vitation…")
        self.save_invitation_button.clicked.connect(
            self._on_save_invitation_button_clicked
        )

        layout = QVBoxLayout(box)
        layout.addWidget(steps)
        layout.addLayout(request_row)
        layout.addLayout(code_row)
        layout.addWidget(self.save_invitation_button, 0, Qt.AlignmentFlag.AlignRight)
        self._update_invite_buttons()
        return box

    def _build_sign_in_box(self) -> QGroupBox:
        box = QGroupBox("Your sign-in to the repository")
        explanation = QLabel(
            "If the repository stops accepting your user name or password (they were "
            "changed, say), type the new ones here. They replace the old ones only "
            "once the repository accepts them."
        )
        explanation.setWordWrap(True)
        self.sign_in_fields = ConnectionFields()
        self.sign_in_button = QPushButton("Sign &in again")
        self.sign_in_button.clicked.connect(self._on_sign_in_button_clicked)

        layout = QVBoxLayout(box)
        layout.addWidget(explanation)
        layout.addWidget(self.sign_in_fields)
        layout.addWidget(self.sign_in_button, 0, Qt.AlignmentFlag.AlignRight)
        return box

    # Loading ---------------------------------------------------------------

    def page_shown(self) -> None:
        self.run(_load_state, on_success=self._show_state)

    def _show_state(self, state: tuple[SyncStatus, str, bool]) -> None:
        status, key_code, may_invite = state
        self.key_code_label.setText(key_code)
        self.may_invite = may_invite
        self._show_status(status)
        self._update_invite_buttons()

    def _show_status(self, status: SyncStatus | None) -> None:
        connected = status is not None and status.connected
        self._repository_url = status.repository if connected else ""
        if status is None:
            self.status_label.setText("")
        elif connected:
            self.status_label.setText(f"Connected to {status.repository}")
        else:
            self.status_label.setText("Not connected to a repository yet.")
        self.sync_button.setEnabled(connected)
        self.not_connected.setVisible(status is not None and not connected)
        self.invite_box.setVisible(connected)
        self.sign_in_box.setVisible(connected)

    # Joining and connecting ------------------------------------------------

    def save_join_request(self, path: Path) -> None:
        self._start(trust_repository.write_join_request, path,
                    done=lambda code: f"Join request saved to {path.name}. "
                    f"Read your key code {code} to whoever enrols you.")

    def join_with_invitation(self, path: Path) -> None:
        fields = self.join_fields.connection("")
        self._start(
            trust_repository.accept, path, self.invitation_code_edit.text(),
            username=fields.username,
            password=fields.password, trusted_certificate=fields.trusted_certificate,
            done=lambda url: f"Joined the trust's repository at {url}. The first sync "
            "brings the trust's records.",
            then=self._after_connecting,
        )

    def connect_by_address(self, *, create: bool) -> None:
        url = self.address_edit.text().strip()
        if not url:
            self.message.show_error("Type the repository's address first.")
            self.address_edit.setFocus()
            return
        what = "Started a new repository" if create else "Connected to the repository"
        self._start(
            trust_repository.connect, self.address_fields.connection(url), create=create,
            done=lambda _id: f"{what} at {url}.",
            then=self._after_connecting,
        )

    def sign_in_again(self) -> None:
        """Connect to the same repository with the sign-in typed: the way out
        when its password changed (the sync error sends the user here)."""
        url = self._repository_url
        self._start(
            trust_repository.connect, self.sign_in_fields.connection(url), create=False,
            done=lambda _id: f"Signed in to the repository at {url}.",
            then=self._after_connecting,
        )

    def _after_connecting(self) -> None:
        self.join_fields.clear()
        self.address_fields.clear()
        self.sign_in_fields.clear()
        self.page_shown()
        self.sync_requested.emit()

    # Inviting ----------------------------------------------------------------

    def open_join_request(self, path: Path) -> None:
        self.run(lambda _profile: trust_repository.read_join_request(path),
                 on_success=self._show_request, on_failure=self._show_failure)

    def _show_request(self, request: JoinRequest) -> None:
        self.request = request
        self.request_label.setText(f"Join request from {request.described}.")
        self.code_edit.clear()
        self.code_edit.setFocus()
        self.message.clear_message()
        self._update_invite_buttons()

    def enrol_request(self) -> None:
        if self.request is None:
            return
        name = self.request.name
        self._start(trust_repository.enrol, self.request, self.code_edit.text(),
                    done=lambda _none: f"{name} is enrolled. Save the invitation and "
                    "send it to them; the next sync tells everyone else.",
                    then=self.sync_requested.emit)

    def save_invitation(self, path: Path) -> None:
        self._start(trust_repository.write_invitation, path,
                    done=lambda code: f"Invitation saved to {path.name}. Send it, and "
                    f"tell them its code by phone or text (not with the file): {code}")

    def _update_invite_buttons(self) -> None:
        for button in (self.open_request_button, self.save_invitation_button):
            allow(button, self.may_invite, INVITING_REFUSED)
        allow(self.enrol_button, self.may_invite and self.request is not None,
              INVITING_REFUSED if not self.may_invite else "Open a join request first.")

    # Running -----------------------------------------------------------------

    def _start(self, work: Callable, *args, done: Callable[[object], str],
               then: Callable[[], None] | None = None, **kwargs) -> None:
        self.message.show_info("Working…")
        self._set_working(True)

        def succeeded(result: object) -> None:
            self._set_working(False)
            self.message.show_success(done(result))
            if then is not None:
                then()

        def failed(error: BaseException) -> None:
            self._set_working(False)
            self._show_failure(error)

        self.run(lambda profile: work(profile, *args, **kwargs),
                 on_success=succeeded, on_failure=failed)

    def _set_working(self, working: bool) -> None:
        """While a step runs, the buttons that start one wait: a second click ran
        it twice (and a second "Start a new repository" failed on the first's)."""
        for button in (self.join_button, self.join_address_button, self.create_button,
                       self.sign_in_button, self.enrol_button):
            button.setEnabled(not working)
        if not working:
            self._update_invite_buttons()

    def _show_failure(self, error: BaseException) -> None:
        self.message.show_error(self.failure_text(error))

    def _choose_file(self, title: str, on_chosen: Callable[[Path], None], *,
                     saving: bool, suggested: str = "") -> None:
        dialog = QFileDialog(self, title, suggested, JSON_FILTER)
        if saving:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("json")
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: path and on_chosen(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        self._file_dialog = dialog
        dialog.open()

    # Reacting ----------------------------------------------------------------

    def _on_save_request_button_clicked(self) -> None:
        self._choose_file("Save your join request", self.save_join_request,
                          saving=True, suggested="join-request.json")

    def _on_choose_invitation_button_clicked(self) -> None:
        self._choose_file("Open your invitation", self._on_invitation_chosen, saving=False)

    def _on_invitation_chosen(self, path: Path) -> None:
        self.invitation_edit.setText(str(path))

    def _on_join_button_clicked(self) -> None:
        if not self.invitation_edit.text():
            self.message.show_error("Choose the invitation file first.")
            return
        if not self.invitation_code_edit.text().strip():
            self.message.show_error("Type the invitation code you were told.")
            self.invitation_code_edit.setFocus()
            return
        self.join_with_invitation(Path(self.invitation_edit.text()))

    def _on_join_address_button_clicked(self) -> None:
        self.connect_by_address(create=False)

    def _on_create_button_clicked(self) -> None:
        self.connect_by_address(create=True)

    def _on_sign_in_button_clicked(self) -> None:
        self.sign_in_again()

    def _on_open_request_button_clicked(self) -> None:
        self._choose_file("Open a join request", self.open_join_request, saving=False)

    def _on_enrol_button_clicked(self) -> None:
        self.enrol_request()

    def _on_save_invitation_button_clicked(self) -> None:
        self._choose_file("Save the invitation", self.save_invitation,
                          saving=True, suggested="invitation.json")

    def clear_data(self) -> None:
        self.request = None
        self.request_label.setText("No join request open.")
        for edit in (self.code_edit, self.invitation_edit, self.invitation_code_edit,
                     self.address_edit):
            edit.clear()
        self.join_fields.clear()
        self.address_fields.clear()
        self.sign_in_fields.clear()
        self.key_code_label.clear()
        self.message.clear_message()
        self._update_invite_buttons()
        super().clear_data()


def _load_state(profile: UnlockedProfile) -> tuple[SyncStatus, str, bool]:
    return (
        sync_status(profile),
        trust_repository.join_request_code_of(profile),
        trust_repository.may_invite(profile),
    )

"""The first-run window: make this laptop's encrypted profile.

The person gives their name, role and a passphrase (with live strength
feedback and a confirmation), and may ask for a recovery key. Creating runs
in a worker: the KDF calibration and the first migration take a second or two.

A newcomer may instead explore the demo trust: a profile of its own, built
(with progress) in a worker once they have chosen its passphrase.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui import jobs
from invictus_desktop.gui.passphrase_strength import NewPassphraseFields
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.gui.widgets import (
    BusyIndicator,
    CardPage,
    InlineMessage,
    describe_failure,
    footnote,
    labelled,
)
from invictus_desktop.paths import ProfilePaths

if TYPE_CHECKING:
    from collections.abc import Callable

    from invictus_desktop.crypto.kdf import KdfParams
    from invictus_desktop.gui.dialogs.demo_dialog import DemoDialog

log = logging.getLogger(__name__)


class FirstRunWindow(QWidget):
    """Collects a new profile's details and creates it in the background.

    Signals:
        profile_created(OpenProfile, str | None): the profile exists and is open;
            the second value is the recovery key, to be shown once, or None.

    Attributes:
        policy: the roles and minimum length, once loaded (None until then).
        demo_dialog: the demo's passphrase dialog while it is up, else None.
    """

    profile_created = Signal(object, object)

    def __init__(
        self,
        paths: ProfilePaths,
        runner: TaskRunner,
        kdf_params: KdfParams | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Invictus QUAD Desktop: set up this laptop")
        self.policy: jobs.FormPolicy | None = None
        self.demo_dialog: DemoDialog | None = None
        self._paths = paths
        self._runner = runner
        self._kdf_params = kdf_params

        self._build(paths)
        self._connect()
        self.role_combo.setEnabled(False)
        self.create_button.setEnabled(False)
        self.demo_button.setEnabled(False)

    def load_policy(self) -> None:
        """Load the services in the background; the form completes when they arrive."""
        self._runner.submit(
            jobs.load_form_policy,
            on_success=self._on_policy_loaded,
            on_failure=self._on_job_failed,
            description="Loading",
        )

    # Building --------------------------------------------------------------

    def _build(self, paths: ProfilePaths) -> None:
        page = CardPage(
            "Welcome to Invictus QUAD",
            "Set up your profile on this laptop. Everything you record is kept "
            "encrypted here and opens only with your passphrase.",
        )

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Dana Whitfield")
        self.role_combo = QComboBox()
        self.role_combo.addItem("Loading…")
        self.passphrase_fields = NewPassphraseFields()
        self.recovery_check = QCheckBox("Make a &recovery key (recommended)")
        self.recovery_check.setChecked(True)
        self.recovery_check.setToolTip(
            "A printable key that opens your profile if you forget the passphrase."
        )

        self.message = InlineMessage()
        self.busy = BusyIndicator()
        self.create_button = QPushButton("Cr&eate profile")
        self.create_button.setObjectName("primary")
        self.demo_button = QPushButton("Explore the &demo trust…")
        self.demo_button.setToolTip(
            "A separate profile holding a fictional trust's data, to try the app"
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)

        page.body.addLayout(labelled("Your &name", self.name_edit))
        page.body.addLayout(labelled("Your r&ole in the trust", self.role_combo))
        page.body.addWidget(self.passphrase_fields)
        page.body.addWidget(self.recovery_check)
        page.body.addWidget(self.message)
        page.body.addWidget(self.busy)
        page.body.addLayout(buttons)
        page.body.addWidget(footnote(f"Profile folder: {paths.root}"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page)

        fields = self.passphrase_fields
        QWidget.setTabOrder(self.name_edit, self.role_combo)
        QWidget.setTabOrder(self.role_combo, fields.passphrase_edit)
        QWidget.setTabOrder(fields.passphrase_edit, fields.confirm_edit)
        QWidget.setTabOrder(fields.confirm_edit, self.recovery_check)
        QWidget.setTabOrder(self.recovery_check, self.create_button)
        QWidget.setTabOrder(self.create_button, self.demo_button)
        self.name_edit.setFocus()

    def _connect(self) -> None:
        self.name_edit.textChanged.connect(self._on_name_edit_text_changed)
        self.create_button.clicked.connect(self._on_create_button_clicked)
        self.demo_button.clicked.connect(self._on_demo_button_clicked)
        for edit in (
            self.name_edit,
            self.passphrase_fields.passphrase_edit,
            self.passphrase_fields.confirm_edit,
        ):
            edit.returnPressed.connect(self._on_create_button_clicked)

    # Reacting --------------------------------------------------------------

    def _on_policy_loaded(self, policy: jobs.FormPolicy) -> None:
        self.policy = policy
        self.role_combo.clear()
        for choice in policy.roles:
            self.role_combo.addItem(choice.label, choice.value)

        self.passphrase_fields.set_min_length(policy.min_passphrase_length)
        self.role_combo.setEnabled(True)
        self.create_button.setEnabled(True)
        self.demo_button.setEnabled(True)

    def _on_name_edit_text_changed(self, name: str) -> None:
        self.passphrase_fields.set_user_inputs([name])

    def _on_create_button_clicked(self) -> None:
        if self.policy is None or not self.create_button.isEnabled():
            return
        problem, field = self._form_problem()
        if problem:
            self.message.show_error(problem)
            if field is not None:
                field.setFocus()
            return

        form = jobs.NewProfileForm(
            name=self.name_edit.text().strip(),
            role_value=self.role_combo.currentData(),
            passphrase=self.passphrase_fields.passphrase,
            with_recovery_key=self.recovery_check.isChecked(),
        )
        self.message.clear_message()
        self._set_inputs_enabled(False)
        task = self._runner.submit(
            partial(jobs.create_and_open, self._paths, form, self._kdf_params),
            on_success=self._on_profile_created,
            on_failure=self._on_job_failed,
            description="Creating your encrypted profile…",
        )
        self.busy.track(task)

    def _on_demo_button_clicked(self) -> None:
        if self.policy is None or self.demo_dialog is not None:
            return
        from invictus_desktop.gui.dialogs.demo_dialog import DemoDialog

        dialog = DemoDialog(self.policy.min_passphrase_length, self)
        dialog.submitted.connect(self._on_demo_dialog_submitted)
        dialog.finished.connect(self._on_demo_dialog_finished)
        self.demo_dialog = dialog
        dialog.open()

    def _on_demo_dialog_submitted(self, passphrase: str) -> None:
        dialog = self.demo_dialog
        assert dialog is not None
        self.message.clear_message()
        self._set_inputs_enabled(False)
        task = self._runner.submit(
            partial(jobs.build_demo_and_open, self._paths, passphrase, self._kdf_params),
            on_success=self._on_demo_built,
            on_failure=self._on_demo_failed,
            description="Building the demo trust…",
        )
        dialog.track(task)  # a synchronous runner has already closed it: no harm

    def _on_demo_built(self, opened: jobs.OpenProfile) -> None:
        log.info("demo trust built")
        if self.demo_dialog is not None:
            self.demo_dialog.saved()
        self.profile_created.emit(opened, None)

    def _on_demo_failed(self, error: BaseException) -> None:
        dialog = self.demo_dialog
        self._on_job_failed(error, dialog.show_error if dialog is not None else None)

    def _on_demo_dialog_finished(self) -> None:
        dialog, self.demo_dialog = self.demo_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _on_profile_created(self, result: tuple[jobs.OpenProfile, str | None]) -> None:
        opened, recovery_key = result
        self.passphrase_fields.clear()
        log.info("first run finished")
        self.profile_created.emit(opened, recovery_key)

    def _on_job_failed(
        self, error: BaseException, show: Callable[[str], None] | None = None
    ) -> None:
        self._set_inputs_enabled(True)
        self.role_combo.setEnabled(self.policy is not None)
        self.create_button.setEnabled(self.policy is not None)
        self.demo_button.setEnabled(self.policy is not None)
        text = describe_failure(error, f"Details are in the log in {self._paths.logs}.")
        (show or self.message.show_error)(text)

    # Helpers ---------------------------------------------------------------

    def _form_problem(self) -> tuple[str, QWidget | None]:
        if not self.name_edit.text().strip():
            return "Please enter your name.", self.name_edit
        return self.passphrase_fields.problem()

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for widget in (
            self.name_edit,
            self.role_combo,
            self.passphrase_fields,
            self.recovery_check,
            self.create_button,
            self.demo_button,
        ):
            widget.setEnabled(enabled)

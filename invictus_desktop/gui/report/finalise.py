"""Finalising: the confirmation (listing staff names bound for the Board), and
the banner that says which version is final, who signed it, and verifies it."""

import logging
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.widgets import InlineMessage, set_literal_text
from invictus_desktop.services.report_desk import ReportState
from invictus_desktop.services.report_finalise import Verification

log = logging.getLogger(__name__)


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return f"{moment.astimezone():%d %b %Y at %H:%M}"


def describe_verification(check: Verification) -> str:
    if check.ok:
        when = check.finalised_at
        try:
            when = local_time(datetime.fromisoformat(check.finalised_at))
        except ValueError:
            log.warning("a manifest holds a time that is not ISO 8601")
        return (
            f"Verified: signed by {check.signer_name} on {when}. The school and Board "
            "PDFs are exactly the ones that were signed."
        )
    problems = "; ".join(check.problems)
    return f"Does NOT verify: {problems}. Do not publish this version; tell the trust."


class FinaliseDialog(QDialog):
    """Asks before finalising; lists staff names found in text bound for the Board.

    Attributes:
        names_list: the names found (hidden when there are none).
        finalise_button: confirms (with the names accepted, if any).
        back_button: goes back to the report to rephrase.
    """

    def __init__(
        self, number: int, names: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Finalise version {number}")
        self.names = list(names)

        intro = QLabel(
            f"Version {number} becomes an immutable, signed report: the school and "
            f"Board PDFs are made and signed with your key. Any later change starts "
            f"version {number + 1}."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)

        self.names_list = QListWidget()
        self.names_list.setObjectName("nameWarnings")
        self.names_list.addItems(self.names)
        self.names_list.setMaximumHeight(120)
        warning = QLabel(
            "Text bound for the Board names these members of staff. The Board copy "
            "withholds them, but you may prefer to rephrase:"
        )
        warning.setObjectName("warningText")
        warning.setWordWrap(True)
        if self.names:
            layout.addWidget(warning)
            layout.addWidget(self.names_list)

        buttons = QDialogButtonBox()
        label = "&Finalise anyway" if self.names else f"&Finalise version {number}"
        accept = QDialogButtonBox.ButtonRole.AcceptRole
        self.finalise_button = buttons.addButton(label, accept)
        self.finalise_button.setObjectName("primary")
        self.back_button = buttons.addButton(
            "&Go back and rephrase" if self.names else "&Go back",
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        self.back_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


class FinalBanner(QFrame):
    """Says which version is final, by whom and when, and what editing does.

    Signals:
        start_next_requested(): open draft N+1 for editing.
        verify_requested(): check the signature and the stored PDFs.

    Attributes:
        text_label: "Version 1 is final. Signed by ... Editing starts version 2."
        start_button, verify_button: the banner's actions.
        result: the verification's outcome.
    """

    start_next_requested = Signal()
    verify_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("finalBanner")
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.verify_button = QPushButton("&Verify")
        self.verify_button.setToolTip(
            "Check the signature and that the stored PDFs are the ones that were signed"
        )
        self.verify_button.clicked.connect(self.verify_requested)
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self.start_next_requested)
        self.result = InlineMessage()

        row = QHBoxLayout()
        row.addWidget(self.text_label, 1)
        row.addWidget(self.verify_button)
        row.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(row)
        layout.addWidget(self.result)
        self.hide()

    def show_state(self, state: ReportState) -> None:
        """Shown once a version is final; says whether a draft is open already."""
        if state.final_number is None:
            self.clear()
            return

        text = (
            f"Version {state.final_number} is final. Signed by {state.signer_name} on "
            f"{local_time(state.finalised_at)}."
        )
        if state.published_at is not None:
            text += f" Published to the Board and the school on {local_time(state.published_at)}."
        else:
            text += " It goes to the Board and the school at the next sync."
        if state.draft_number is None:
            text += f" Editing starts version {state.next_number}."
        else:
            text += f" You are editing version {state.draft_number}."
        set_literal_text(self.text_label, text)
        self.start_button.setText(f"&Edit: start version {state.next_number}")
        self.start_button.setVisible(state.draft_number is None)
        self.show()

    def show_verification(self, check: Verification) -> None:
        if check.ok:
            self.result.show_info(describe_verification(check))
        else:
            self.result.show_error(describe_verification(check))

    def clear(self) -> None:
        self.text_label.clear()
        self.result.clear_message()
        self.hide()

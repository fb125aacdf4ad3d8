"""Explore the demo trust: a passphrase for the demo's own encrypted profile."""

import logging

from PySide6.QtWidgets import QLabel, QWidget

from invictus_desktop.gui.dialogs.base import FormDialog, FormProblem
from invictus_desktop.gui.passphrase_strength import NewPassphraseFields

log = logging.getLogger(__name__)

DEMO_PERSON = ["Morgan", "Hale"]  # the demo's consultant: not a passphrase to lean on


class DemoDialog(FormDialog):
    """Asks for a passphrase (the same rules as a real profile) for the demo.

    The demo is a real profile on this laptop, signed in as its fictional
    consultant, so it is encrypted like any other.

    Attributes:
        passphrase_fields: the passphrase, its strength, and its confirmation.
    """

    def __init__(self, min_length: int, parent: QWidget | None = None) -> None:
        super().__init__("Explore the demo trust", "&Build the demo", parent)
        intro = QLabel(
            "The demo trust has four schools with their improvement plans, staff and "
            "a year of QUADs; all its people are fictional. You explore it as its "
            "consultant. Like any profile it is encrypted: choose a passphrase for it."
        )
        intro.setObjectName("intro")
        intro.setWordWrap(True)
        self.passphrase_fields = NewPassphraseFields()
        self.passphrase_fields.set_min_length(min_length)
        self.passphrase_fields.set_user_inputs(DEMO_PERSON)
        self.body.insertWidget(0, intro)
        self.body.addWidget(self.passphrase_fields)
        self.passphrase_fields.passphrase_edit.setFocus()

    def values(self) -> str:
        problem, field = self.passphrase_fields.problem()
        if problem:
            raise FormProblem(problem, field)
        return self.passphrase_fields.passphrase

    def done(self, result: int) -> None:
        self.passphrase_fields.clear()
        super().done(result)

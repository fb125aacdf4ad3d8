"""Choose a QUAD's team: each person's part, or none."""

import logging

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from invictus_desktop.gui.dialogs.base import FormDialog
from invictus_desktop.gui.labels import TEAM_ROLE_WORDS
from invictus_desktop.gui.widgets import scroll_area
from invictus_desktop.services.planning import PersonView, TeamView
from invictus_desktop.store.vocabulary import TeamRole

log = logging.getLogger(__name__)

NOT_IN_TEAM = "Not in the team"
MAX_VISIBLE_PEOPLE = 8


class TeamDialog(FormDialog):
    """One row per person who uses the app, with their part in this QUAD.

    Attributes:
        role_combos: person id -> the combo choosing their part (or none).
    """

    def __init__(
        self, people: list[PersonView], team: list[TeamView], parent: QWidget | None = None
    ) -> None:
        super().__init__("QUAD team", "&Save team", parent)
        current = {member.person_id: member.role for member in team}
        intro = QLabel(
            "A QUAD's team is the consultant, the Executive Headteacher and a visiting "
            "Headteacher; the host Headteacher co-plans its focus."
        )
        intro.setWordWrap(True)
        intro.setObjectName("intro")
        self.form.addRow(intro)

        rows = QWidget()
        rows_layout = QVBoxLayout(rows)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        people_form = QFormLayout()
        people_form.setVerticalSpacing(8)
        rows_layout.addLayout(people_form)
        self.role_combos: dict[str, QComboBox] = {}
        for person in people:
            combo = QComboBox()
            combo.setAccessibleName(f"{person.name}'s part")
            combo.addItem(NOT_IN_TEAM, None)
            for role, word in TEAM_ROLE_WORDS.items():
                combo.addItem(word, role)
            combo.setCurrentIndex(max(0, combo.findData(current.get(person.id))))
            label = QLabel(person.name)
            label.setBuddy(combo)
            label.setToolTip(", ".join(person.roles))
            people_form.addRow(label, combo)
            self.role_combos[person.id] = combo

        scroll = scroll_area(rows, plain=True)
        row_height = 36
        scroll.setMinimumHeight(min(len(people), MAX_VISIBLE_PEOPLE) * row_height)
        self.form.addRow(scroll)
        if self.role_combos:
            next(iter(self.role_combos.values())).setFocus()

    def values(self) -> list[tuple[str, TeamRole]]:
        return [
            (person_id, combo.currentData())
            for person_id, combo in self.role_combos.items()
            if combo.currentData() is not None
        ]

"""Who a copy of the report is for, and what that copy may show."""

import enum

from invictus_desktop.reporting.redaction import NameShield
from invictus_desktop.reporting.snapshot import ReportSnapshot


class Variant(enum.Enum):
    """The school's copy shows everything; the Board's withholds names and
    safeguarding, which go to the school's safeguarding lead only."""

    SCHOOL = "school"
    BOARD = "board"

    @property
    def label(self) -> str:
        return "School copy" if self is Variant.SCHOOL else "Board copy"


class Audience:
    """Applies a variant's rules to the text of one snapshot."""

    def __init__(self, snapshot: ReportSnapshot, variant: Variant) -> None:
        self.variant = variant
        self._shield = None
        if variant is Variant.BOARD:
            self._shield = NameShield(
                staff=snapshot.staff_names,
                teachers_in_log_order=[visit.teacher for visit in snapshot.visits],
                pupils=snapshot.pupil_names,
                exempt=snapshot.office_holders,
            )

    @property
    def shows_safeguarding(self) -> bool:
        return self.variant is Variant.SCHOOL

    @property
    def withholds_names(self) -> bool:
        return self._shield is not None

    def text(self, text: str) -> str:
        """Free text as this copy prints it."""
        return self._shield.redact(text) if self._shield else text

    def teacher(self, name: str) -> str:
        """A teacher's name as this copy's evidence log prints it."""
        return self._shield.teacher_label(name) if self._shield else name

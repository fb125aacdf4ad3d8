"""Add one lesson (or other slot) to a QUAD's visit schedule by hand."""

import logging
import re
from datetime import date, time, timedelta

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from invictus_desktop.gui.dialogs.base import FormDialog, FormProblem
from invictus_desktop.gui.labels import day_label
from invictus_desktop.services.planning import Slot
from invictus_desktop.services.schools import StaffView

log = logging.getLogger(__name__)

TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def quad_days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class SlotDialog(FormDialog):
    """Day, period or times, room, teacher (from the staff list, or typed),
    subject, year group and class.

    Attributes:
        day_combo, period_edit, starts_edit, ends_edit, room_edit, teacher_combo,
            subject_edit, year_edit, class_edit: the fields, in tab order.
    """

    def __init__(
        self, first: date, last: date, staff: list[StaffView], parent: QWidget | None = None
    ) -> None:
        super().__init__("Add a lesson to the schedule", "&Add lesson", parent)
        self._staff = {member.id: member for member in staff}

        self.day_combo = QComboBox()
        for day in quad_days(first, last):
            self.day_combo.addItem(f"{day_label(day)} {day.year}", day)
        self.period_edit = QLineEdit()
        self.period_edit.setPlaceholderText("e.g. P1")
        self.starts_edit = QLineEdit()
        self.starts_edit.setPlaceholderText("08:50")
        self.ends_edit = QLineEdit()
        self.ends_edit.setPlaceholderText("09:40")
        self.room_edit = QLineEdit()
        self.teacher_combo = QComboBox()
        self.teacher_combo.setEditable(True)
        self.teacher_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.teacher_combo.addItem("", None)
        for member in staff:
            self.teacher_combo.addItem(member.display_name, member.id)
        self.subject_edit = QLineEdit()
        self.year_edit = QLineEdit()
        self.year_edit.setPlaceholderText("e.g. Year 9")
        self.class_edit = QLineEdit()
        self.class_edit.setPlaceholderText("e.g. 9X/Ma")

        self.add_row("&Day", self.day_combo)
        self.add_row("&Period", self.period_edit)
        self.add_row("&Starts at", self.starts_edit)
        self.add_row("&Ends at", self.ends_edit)
        self.add_row("&Room", self.room_edit)
        self.add_row("&Teacher", self.teacher_combo)
        self.add_row("Su&bject", self.subject_edit)
        self.add_row("&Year group", self.year_edit)
        self.add_row("&Class", self.class_edit)

        self.teacher_combo.activated.connect(self._on_teacher_combo_activated)
        self.day_combo.setFocus()

    def values(self) -> Slot:
        period = self.period_edit.text().strip()
        starts = _time(self.starts_edit)
        ends = _time(self.ends_edit)
        if not period and starts is None:
            raise FormProblem("Give a period or a start time.", self.period_edit)
        if starts is not None and ends is not None and ends <= starts:
            raise FormProblem("The lesson ends before it starts.", self.ends_edit)
        teacher = self.teacher_combo.currentText().strip()
        if not teacher:
            raise FormProblem("Please choose or type the teacher.", self.teacher_combo)

        index = self.teacher_combo.findText(teacher)
        staff_id = self.teacher_combo.itemData(index) if index >= 0 else None
        return Slot(
            day=self.day_combo.currentData(),
            period=period,
            starts_at=starts,
            ends_at=ends,
            room=self.room_edit.text().strip(),
            teacher_name=teacher,
            staff_member_id=staff_id,
            subject=self.subject_edit.text().strip(),
            year_group=self.year_edit.text().strip(),
            class_name=self.class_edit.text().strip(),
        )

    def _on_teacher_combo_activated(self, index: int) -> None:
        member = self._staff.get(self.teacher_combo.itemData(index))
        if member is not None and not self.subject_edit.text().strip():
            self.subject_edit.setText(member.subjects)


def _time(edit: QLineEdit) -> time | None:
    text = edit.text().strip()
    if not text:
        return None
    match = TIME.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise FormProblem(f"{text} is not a time; type it like 09:15.", edit)
    return time(int(match[1]), int(match[2]))

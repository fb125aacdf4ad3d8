"""A day of a QUAD's schedule: the lessons to visit, one action to start each."""

from PySide6.QtWidgets import QWidget

from invictus_desktop.gui.visit.record_tree import RecordTree
from invictus_desktop.services.planning import SlotView

COLUMNS = ["Period", "Time", "Teacher", "Subject", "Class", "Room"]


class ScheduleList(RecordTree):
    """The lessons of one day; Enter (or a double click) on one announces its
    slot's id (`record_activated`), to start a visit from it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(COLUMNS, "Lessons on the chosen day", stretch_column=2,
                         parent=parent)

    def show_slots(self, slots: list[SlotView]) -> None:
        self.clear()
        ordered = sorted(slots, key=lambda s: (s.starts_at is None, s.starts_at, s.period))
        for slot in ordered:
            times = ""
            if slot.starts_at is not None:
                times = f"{slot.starts_at:%H:%M}"
                if slot.ends_at is not None:
                    times += f"–{slot.ends_at:%H:%M}"
            self.add_record([slot.period, times, slot.teacher_name, slot.subject,
                             slot.class_name, slot.room], slot.id)
        if self.topLevelItemCount():
            self.setCurrentItem(self.topLevelItem(0))

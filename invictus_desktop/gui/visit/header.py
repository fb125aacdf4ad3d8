"""The head of a visit record: the lesson, the times, who was in the room."""

from datetime import date, datetime, time

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from invictus_desktop.gui.widgets import labelled

LINE_FIELDS = [
    ("teacher_name", "&Teacher"),
    ("subject", "Su&bject"),
    ("class_name", "&Class"),
    ("year_group", "&Year group"),
    ("room", "&Room"),
]
NO_VALUE = "—"
MAX_PUPILS = 500


class VisitHeader(QGroupBox):
    """Lesson details, time in and out, pupils and adults present, observers.

    Signals:
        field_edited(str): the user changed the field of that service name
            (`teacher_name`, `time_in`, `joint_visit`...).

    Attributes:
        edits: the line edits by service field name.
        time_in_edit, time_out_edit: times (time out shows "—" until set).
        pupils_spin: pupils present ("—" when not counted).
        adults_edit: adults other than the teacher.
        joint_check: whether the visit was made jointly.
        observers_label: who observed.
    """

    field_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Lesson", parent)
        self._day = date.today()
        self._filling = False
        self.edits: dict[str, QLineEdit] = {}
        self._build()

    def _build(self) -> None:
        for name, _caption in LINE_FIELDS:
            edit = QLineEdit()
            edit.textEdited.connect(lambda _text, name=name: self._edited(name))
            self.edits[name] = edit
        self.time_in_edit = _time_edit(allow_none=False)
        self.time_out_edit = _time_edit(allow_none=True)
        self.pupils_spin = QSpinBox()
        self.pupils_spin.setRange(-1, MAX_PUPILS)
        self.pupils_spin.setSpecialValueText(NO_VALUE)
        self.adults_edit = QLineEdit()
        self.adults_edit.setPlaceholderText("For example: a teaching assistant")
        self.joint_check = QCheckBox("&Joint visit")
        self.observers_label = QLabel()
        self.observers_label.setWordWrap(True)

        self.time_in_edit.timeChanged.connect(lambda _t: self._edited("time_in"))
        self.time_out_edit.timeChanged.connect(lambda _t: self._edited("time_out"))
        self.pupils_spin.valueChanged.connect(lambda _v: self._edited("pupils_present"))
        self.adults_edit.textEdited.connect(lambda _t: self._edited("other_adults"))
        self.joint_check.toggled.connect(lambda _on: self._edited("joint_visit"))

        captions = dict(LINE_FIELDS)
        cells = [
            labelled(captions["teacher_name"], self.edits["teacher_name"]),
            labelled(captions["subject"], self.edits["subject"]),
            labelled(captions["class_name"], self.edits["class_name"]),
            labelled(captions["year_group"], self.edits["year_group"]),
            labelled(captions["room"], self.edits["room"]),
            labelled("P&upils present", self.pupils_spin),
            labelled("Time &in", self.time_in_edit),
            labelled("Time &out", self.time_out_edit),
            labelled("A&dults other than the teacher", self.adults_edit),
        ]
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        for index, cell in enumerate(cells):
            grid.addLayout(cell, index // 3, index % 3)
        observers_caption = QLabel("Observers")
        observers_caption.setObjectName("caption")
        grid.addWidget(observers_caption, 3, 0)
        grid.addWidget(self.observers_label, 4, 0, 1, 2)
        grid.addWidget(self.joint_check, 4, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)

    def focus_chain(self) -> list[QWidget]:
        """The fields in form order (row by row), for the page's tab order."""
        edits = self.edits
        return [
            edits["teacher_name"], edits["subject"], edits["class_name"],
            edits["year_group"], edits["room"], self.pupils_spin,
            self.time_in_edit, self.time_out_edit, self.adults_edit,
            self.joint_check,
        ]

    # Values ----------------------------------------------------------------

    def fill(self, fields: dict[str, object], observers: list[str]) -> None:
        """Show stored values without reporting them as edits."""
        self._filling = True
        try:
            for name, edit in self.edits.items():
                edit.setText(str(fields.get(name) or ""))
            self.adults_edit.setText(str(fields.get("other_adults") or ""))
            time_in = fields.get("time_in")
            self._day = time_in.astimezone().date() if time_in else date.today()
            self._set_time(self.time_in_edit, time_in)
            self._set_time(self.time_out_edit, fields.get("time_out"))
            pupils = fields.get("pupils_present")
            self.pupils_spin.setValue(-1 if pupils is None else int(pupils))
            self.joint_check.setChecked(bool(fields.get("joint_visit")))
            self.observers_label.setText(", ".join(observers))
        finally:
            self._filling = False

    def set_time_out(self, moment: datetime) -> None:
        self._filling = True
        try:
            self._set_time(self.time_out_edit, moment)
        finally:
            self._filling = False

    def clear(self) -> None:
        self.fill({}, [])

    def value(self, name: str) -> object:
        """The field's value as the visit service takes it."""
        if name in self.edits:
            return self.edits[name].text()
        if name == "other_adults":
            return self.adults_edit.text()
        if name == "pupils_present":
            count = self.pupils_spin.value()
            return None if count < 0 else count
        if name == "joint_visit":
            return self.joint_check.isChecked()
        if name == "time_in":
            return self._moment(self.time_in_edit)
        if name == "time_out":
            return self._moment(self.time_out_edit)
        raise KeyError(name)

    def time_out_missing(self) -> bool:
        return self._moment(self.time_out_edit) is None

    def _set_time(self, edit: QTimeEdit, moment: object) -> None:
        if isinstance(moment, datetime):
            local = moment.astimezone()
            edit.setTime(QTime(local.hour, local.minute))
        else:
            edit.setTime(edit.minimumTime())

    def _moment(self, edit: QTimeEdit) -> datetime | None:
        if edit.specialValueText() and edit.time() == edit.minimumTime():
            return None
        chosen = edit.time()
        moment = datetime.combine(self._day, time(chosen.hour(), chosen.minute()))
        return moment.astimezone()

    def _edited(self, name: str) -> None:
        if not self._filling:
            self.field_edited.emit(name)


class TimeEdit(QTimeEdit):
    """A time field that Tab leaves (QTimeEdit's own Tab steps from hours to
    minutes; typing four digits, or Left and Right, does that here)."""

    def focusNextPrevChild(self, next_child: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next_child)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            event.ignore()  # to the window, which moves focus on
            return
        super().keyPressEvent(event)


def _time_edit(*, allow_none: bool) -> QTimeEdit:
    edit = TimeEdit()
    edit.setDisplayFormat("HH:mm")
    if allow_none:
        edit.setSpecialValueText(NO_VALUE)
    return edit

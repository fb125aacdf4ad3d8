"""Keeping a SIP and planning a QUAD, as a consultant would, on a real store.

A school is added; its improvement plan gets three priorities; one is
re-rated with a reason (the timeline shows it); a staff list with two bad
rows is imported; a QUAD is planned with a team, two focus areas linked to
priorities and a timetable imported into its schedule; a lesson is removed
with Delete. Locking then leaves nothing on screen.
"""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from invictus_desktop.gui.dialogs.focus_area_dialog import FocusAreaDialog
from invictus_desktop.gui.dialogs.import_preview import ImportPreviewDialog
from invictus_desktop.gui.dialogs.new_quad import NewQuadDialog
from invictus_desktop.gui.dialogs.priority_dialog import PriorityDialog
from invictus_desktop.gui.dialogs.rag_dialog import RagDialog
from invictus_desktop.gui.dialogs.school_dialog import NewSchoolDialog
from invictus_desktop.gui.dialogs.team_dialog import TeamDialog
from invictus_desktop.gui.pages.quads import QuadsPage
from invictus_desktop.gui.pages.schools import SchoolsPage
from invictus_desktop.gui.unlock import UnlockWindow
from invictus_desktop.services import planning, schools
from invictus_desktop.services.sips import academic_year_of
from invictus_desktop.store.vocabulary import Rag, TeamRole
from tests.gui.conftest import visible_texts
from tests.services.spreadsheets import STAFF_HEADER, STAFF_ROWS, write_csv

SCHOOL = "Kinver High School"
PRIORITIES = [
    ("Maths: clarity of concepts", "Head of Maths", Rag.RED),
    ("Reading across the curriculum", "Deputy Head (Curriculum)", Rag.AMBER),
    ("Attendance of disadvantaged pupils", "Assistant Head (Pastoral)", Rag.GREEN),
]
REASON = "Worked examples were consistent in five of six lessons"


def first_tuesday_of_december(academic_year: str) -> date:
    day = date(int(academic_year[:4]), 12, 1)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def activate(window, qtbot) -> None:
    """Offscreen, nothing gives the focus back to a window when a dialog closes."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


@pytest.fixture
def consultant(signed_in, qtbot):
    controller, window = signed_in
    activate(window, qtbot)
    return controller, window


def test_keep_a_sip_and_plan_a_quad(qtbot, consultant, tmp_path):
    controller, window = consultant
    year = academic_year_of(date.today())

    # The Schools screen, by its Go menu shortcut.
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    assert isinstance(page, SchoolsPage)
    assert page.heading.text() == "No schools yet"

    # A new school: type into the dialog, Enter saves it.
    qtbot.mouseClick(page.new_school_button, Qt.MouseButton.LeftButton)
    dialog = page.dialogs.latest
    assert isinstance(dialog, NewSchoolDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.school_fields.name_edit, SCHOOL)
    qtbot.keyClicks(dialog.school_fields.urn_edit, "137382")
    qtbot.keyClicks(dialog.school_fields.head_edit, "Owen Castell")
    qtbot.keyClick(dialog.school_fields.head_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert [page.school_list.item(0).text()] == [SCHOOL]
    assert page.heading.text() == SCHOOL
    assert "URN 137382" in page.subheading.text()

    # No plan for this year yet: start one, then add three priorities.
    sip = page.sip
    assert sip.year_combo.currentText() == year
    assert sip.stack.currentIndex() == 1 and not sip.add_button.isEnabled()
    qtbot.mouseClick(sip.create_button, Qt.MouseButton.LeftButton)
    assert sip.stack.currentIndex() == 0 and sip.add_button.isEnabled()

    for number, (title, owner, rag) in enumerate(PRIORITIES, start=1):
        qtbot.mouseClick(sip.add_button, Qt.MouseButton.LeftButton)
        dialog = sip.dialogs.latest
        assert isinstance(dialog, PriorityDialog)
        qtbot.waitUntil(dialog.isActiveWindow)  # for its Ctrl+Enter shortcut
        assert dialog.code_edit.text() == f"P{number}"
        qtbot.keyClicks(dialog.title_edit, title)
        qtbot.keyClicks(dialog.owner_edit, owner)
        qtbot.keyClicks(dialog.criteria_edit, "Pupils can explain their reasoning.")
        dialog.rag_combo.setCurrentIndex(dialog.rag_combo.findData(rag))
        qtbot.keyClick(dialog.criteria_edit, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
        assert not dialog.isVisible()

    assert [row[:4] for row in sip.model.texts()] == [
        ["P1", "Maths: clarity of concepts", "Head of Maths", "Red"],
        ["P2", "Reading across the curriculum", "Deputy Head (Curriculum)", "Amber"],
        ["P3", "Attendance of disadvantaged pupils", "Assistant Head (Pastoral)", "Green"],
    ]

    # Re-rate P1: a reason is required; then the timeline shows the change.
    sip.table.selectRow(0)
    assert sip.timeline.summaries()[0].endswith("Red, by Dana Whitfield: Initial rating")
    qtbot.mouseClick(sip.rag_button, Qt.MouseButton.LeftButton)
    dialog = sip.dialogs.latest
    assert isinstance(dialog, RagDialog)
    assert dialog.current_badge.text() == "Red"
    assert not dialog.rag_buttons[Rag.RED].isEnabled()
    assert dialog.chosen() is Rag.AMBER
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and "say why" in dialog.message.text()
    qtbot.keyClicks(dialog.reason_edit, REASON)
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    assert sip.model.texts()[0][3] == "Amber"
    assert sip.selected_priority().code == "P1"
    newest = sip.timeline.entries[0]
    assert newest.summary.endswith(f"Red → Amber, by Dana Whitfield: {REASON}")
    assert len(sip.timeline.entries) == 2
    assert "Rated Amber" in window.statusBar().currentMessage()

    # Import a staff list with two bad rows: both are named, the rest imported.
    page.tabs.setCurrentWidget(page.staff)
    staff_csv = write_csv(tmp_path / "staff.csv", [
        STAFF_HEADER,
        *STAFF_ROWS,
        ["DDA", "Mr", "", "Dalton", "d.dalton@kinver.example.sch.uk", "Teacher", "PE"],
        ["EEL", "Dr", "Eleanor", "Ellison", "not-an-email", "Teacher", "Art"],
    ])
    qtbot.mouseClick(page.staff.import_button, Qt.MouseButton.LeftButton)
    dialog = page.staff.dialogs.latest
    assert isinstance(dialog, ImportPreviewDialog) and dialog.isVisible()
    assert not dialog.import_button.isEnabled()
    dialog.load_file(staff_csv)

    assert [dialog.refused_list.item(n).text() for n in range(2)] == [
        "Row 5: needs a first name and a last name",
        "Row 6: 'not-an-email' is not an email address",
    ]
    assert dialog.refused_list.count() == 2
    assert [row[4] for row in dialog.preview_model.texts()] == ["Ashby", "Barrow", "Carver"]
    assert dialog.counts_label.text() == (
        "3 rows will be imported. 2 rows refused and left out."
    )
    assert dialog.mapping_combos["first_name"].currentText() == "Forename"
    assert schools.list_staff(controller.profile, page.current_school_id()) == []
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert [row[1] for row in page.staff.model.texts()] == [
        "Mrs Amelia Ashby", "Mr Ben Barrow", "Ms Chloë Carver",
    ]
    assert "3 added" in window.statusBar().currentMessage()
    assert "3 members of staff" in page.subheading.text()

    # The QUADs screen: Ctrl+N plans a new QUAD.
    quads = window.show_page("quads")
    assert isinstance(quads, QuadsPage)
    assert quads.model.texts() == []
    activate(window, qtbot)  # shortcuts need the window active, as a user's would be
    quads.table.setFocus()
    qtbot.keyClick(quads.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = quads.dialogs.latest
    assert isinstance(dialog, NewQuadDialog) and dialog.isVisible()
    first_day = first_tuesday_of_december(year)
    dialog.year_combo.setCurrentText(year)
    dialog.starts_edit.setDate(QDate(first_day))
    dialog.ends_edit.setDate(QDate(first_day + timedelta(days=1)))
    assert dialog.school_combo.currentText() == SCHOOL
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    planner = quads.planner
    assert quads.stack.currentWidget() is planner
    reference = f"KHS-{year[:4]}-AUT"
    assert planner.heading.text() == reference
    assert SCHOOL in planner.subheading.text()

    # The team.
    qtbot.mouseClick(planner.team_button, Qt.MouseButton.LeftButton)
    dialog = planner.dialogs.latest
    assert isinstance(dialog, TeamDialog)
    dana = dialog.role_combos[controller.profile.person_id]
    dana.setCurrentIndex(dana.findData(TeamRole.CONSULTANT))
    qtbot.keyClick(dana, Qt.Key.Key_Return)
    assert planner.team_model.texts() == [["Dana Whitfield", "Consultant (lead inspector)"]]

    # Two focus areas, linked to the SIP's priorities.
    for title, codes in [("Maths", ["P1"]), ("Reading and attendance", ["P2", "P3"])]:
        qtbot.mouseClick(planner.add_focus_button, Qt.MouseButton.LeftButton)
        dialog = planner.dialogs.latest
        assert isinstance(dialog, FocusAreaDialog)
        assert dialog.priority_list.count() == 3
        qtbot.keyClicks(dialog.title_edit, title)
        for row in range(dialog.priority_list.count()):
            if dialog.priority_list.item(row).text().split()[0] in codes:
                dialog.priority_list.setCurrentRow(row)
                qtbot.keyClick(dialog.priority_list, Qt.Key.Key_Space)
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
        assert not dialog.isVisible()

    assert planner.focus_model.texts() == [
        ["Maths", "P1 Maths: clarity of concepts"],
        ["Reading and attendance",
         "P2 Reading across the curriculum; P3 Attendance of disadvantaged pupils"],
    ]

    # Import the timetable into the schedule.
    second_day = first_day + timedelta(days=1)
    timetable_csv = write_csv(tmp_path / "timetable.csv", [
        ["Day", "Period", "Start", "End", "Room", "Teacher", "Subject", "Year", "Class"],
        ["Tuesday", "P1", "08:50", "09:40", "M4", "ASH", "Maths", "Year 9", "9X/Ma"],
        ["Tuesday", "P2", "09:50", "10:40", "E2", "BBA", "English", "Year 7", "7Y/En"],
        ["Wednesday", "P1", "08:50", "09:40", "S1", "CCA", "Science", "Year 11", "11Z/Sc"],
    ])
    qtbot.mouseClick(planner.schedule.import_button, Qt.MouseButton.LeftButton)
    dialog = planner.schedule.dialogs.latest
    assert isinstance(dialog, ImportPreviewDialog)
    dialog.load_file(timetable_csv)
    assert dialog.refused_list.count() == 0
    assert [row[6:8] for row in dialog.preview_model.texts()] == [
        ["ASH", "Yes"], ["BBA", "Yes"], ["CCA", "Yes"]]
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    schedule = planner.schedule
    assert [row[:4] for row in schedule.model.texts()] == [
        [f"Tue {first_day.day} Dec", "P1 · 08:50–09:40", "M4", "Mrs Amelia Ashby"],
        [f"Tue {first_day.day} Dec", "P2 · 09:50–10:40", "E2", "Mr Ben Barrow"],
        [f"Wed {second_day.day} Dec", "P1 · 08:50–09:40", "S1", "Ms Chloë Carver"],
    ]
    assert schedule.count_label.text() == "3 lessons"

    # Delete removes the selected lesson, after a confirmation.
    schedule.table.selectRow(1)
    activate(window, qtbot)
    schedule.table.setFocus()
    qtbot.keyClick(schedule.table, Qt.Key.Key_Delete)
    box = schedule.dialogs.latest
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "Mr Ben Barrow" in box.text()
    remove = next(b for b in box.buttons() if b.text() == "&Remove")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert [row[3] for row in schedule.model.texts()] == [
        "Mrs Amelia Ashby", "Ms Chloë Carver"]
    plan = planning.load_plan(controller.profile, planner.quad_id)
    assert [slot.teacher_name for slot in plan.schedule] == ["ASH", "CCA"]

    # Locking empties every screen.
    controller.lock()
    assert isinstance(controller.window, UnlockWindow)
    assert page.school_list.count() == 0 and sip.model.texts() == []
    assert page.staff.model.texts() == [] and sip.timeline.entries == []
    assert quads.model.texts() == [] and schedule.model.texts() == []
    assert planner.focus_model.texts() == [] and planner.heading.text() == ""
    QApplication.processEvents()
    texts = " ".join(visible_texts())
    assert SCHOOL not in texts and "Ashby" not in texts and reference not in texts

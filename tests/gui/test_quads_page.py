"""The QUADs screen: filtering, a specialist visit, and the Visits… button."""

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from invictus_desktop.gui.dialogs.new_quad import NewQuadDialog
from invictus_desktop.services import planning, schools
from invictus_desktop.store.vocabulary import Term
from tests.services.factories import plan_quad


@pytest.fixture
def two_schools_planned(new_profile):
    planned = plan_quad(new_profile)
    other = schools.create_school(new_profile, schools.SchoolDetails("Crestwood School"))
    planning.create_quad(new_profile, planning.QuadDetails(
        other, "2026-27", Term.AUTUMN, date(2026, 12, 1), date(2026, 12, 2)))
    return planned, other


@pytest.fixture
def quads(two_schools_planned, signed_in):
    _controller, window = signed_in
    return window, window.show_page("quads")


def test_the_list_filters_by_school(qtbot, quads, two_schools_planned):
    _window, page = quads
    assert [row[:2] for row in page.model.texts()] == [
        ["KHS-2026-AUT", "Kinver High School"], ["CS-2026-AUT", "Crestwood School"]]
    assert page.model.texts()[0][2:] == [
        "Autumn 2026-27", "Tue 8 – Wed 9 Dec 2026", "Planned", "QUAD"]

    page.school_filter.setCurrentIndex(page.school_filter.findText("Crestwood School"))
    page.school_filter.activated.emit(page.school_filter.currentIndex())

    assert [row[0] for row in page.model.texts()] == ["CS-2026-AUT"]


def test_a_specialist_visit_needs_its_subject(qtbot, quads, new_profile):
    _window, page = quads
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialogs.latest
    assert isinstance(dialog, NewQuadDialog)
    assert not dialog.subject_edit.isEnabled()

    dialog.kind_combo.setCurrentIndex(1)
    dialog.starts_edit.setDate(QDate(2027, 3, 2))
    dialog.ends_edit.setDate(QDate(2027, 3, 2))
    dialog.term_combo.setCurrentIndex(dialog.term_combo.findText("Spring"))
    assert dialog.subject_edit.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.message.text() == "A specialist visit needs its subject."

    qtbot.keyClicks(dialog.subject_edit, "Maths")
    qtbot.keyClick(dialog.subject_edit, Qt.Key.Key_Return)

    assert not dialog.isVisible()
    assert page.planner.heading.text() == "CS-2026-SPR-MATHS"
    assert "Specialist visit: Maths" in page.planner.subheading.text()


def test_the_first_day_moves_the_last_day_along(qtbot, quads):
    _window, page = quads
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialogs.latest

    dialog.starts_edit.setDate(dialog.ends_edit.date().addDays(10))

    assert dialog.ends_edit.date() == dialog.starts_edit.date().addDays(1)


def test_visits_asks_for_the_visits_of_this_quad(qtbot, quads, two_schools_planned):
    _window, page = quads
    planned, _other = two_schools_planned
    page.open_item(planned.quad_id)

    with qtbot.waitSignal(page.navigate_requested) as asked:
        qtbot.mouseClick(page.planner.visits_button, Qt.MouseButton.LeftButton)

    assert asked.args == ["visits", planned.quad_id]


def test_asking_for_a_screen_the_window_lacks_only_says_so(quads):
    window, page = quads

    page.navigate_requested.emit("no-such-screen", "an id")

    assert window.current_page() is page
    assert "not part of this version" in window.statusBar().currentMessage()


def test_back_returns_to_the_list(qtbot, quads, two_schools_planned):
    _window, page = quads
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.planner
    assert page.planner.heading.text() == "KHS-2026-AUT"

    qtbot.mouseClick(page.planner.back_button, Qt.MouseButton.LeftButton)

    assert page.stack.currentIndex() == 0
    assert len(page.model.texts()) == 2

"""The Visits page: choose a QUAD, start a visit in one action, find visits."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from invictus_desktop.gui.pages.visits import _quad_of_the_day
from invictus_desktop.services import planning, visits
from invictus_desktop.store.models import ActivityKind, Judgement, ReviewStatus
from tests.gui.conftest import mnemonics

FILTER_WAIT_MS = 2000


@pytest.fixture
def visits_page(qtbot, demo_profile, runner):
    from invictus_desktop.gui.pages.visits import VisitsPage

    page = VisitsPage(demo_profile, runner)
    qtbot.addWidget(page)
    page.resize(1176, 700)
    page.show()
    qtbot.waitExposed(page)
    page.page_shown()
    yield page
    page.clear_data()


def past_quad(profile) -> planning.QuadSummary:
    return next(q for q in planning.list_quads(profile)
                if q.status is ReviewStatus.PUBLISHED)


def test_the_quad_under_way_or_next_is_chosen(visits_page, demo_profile, planned_quad):
    quads = planning.list_quads(demo_profile)
    expected = _quad_of_the_day(quads, planned_quad.summary.starts_on)

    assert visits_page.quad_combo.count() == len(quads)
    assert visits_page.quad_combo.currentData() == _quad_of_the_day(quads, date.today())
    visits_page.open_item(expected)
    assert visits_page.quad_combo.currentData() == expected
    day = visits_page.day_combo.currentData()
    plan = planning.load_plan(demo_profile, expected)
    lessons = [s for s in plan.schedule if s.day == day]
    assert visits_page.schedule.topLevelItemCount() == len(lessons) == 5


def test_enter_on_a_lesson_starts_its_visit(qtbot, visits_page, demo_profile,
                                            planned_quad):
    visits_page.open_item(planned_quad.summary.id)
    schedule = visits_page.schedule
    schedule.setFocus()
    qtbot.keyClick(schedule, Qt.Key.Key_Down)
    slot_id = schedule.current_record_id()

    with qtbot.waitSignal(visits_page.navigate_requested) as navigated:
        qtbot.keyClick(schedule, Qt.Key.Key_Return)

    key, visit_id = navigated.args
    assert key == "record"
    slot = next(s for s in planned_quad.schedule if s.id == slot_id)
    record = visits.load_visit(demo_profile, visit_id)
    assert record.kind is ActivityKind.LESSON_VISIT
    assert (record.fields["teacher_name"], record.fields["room"],
            record.fields["subject"], record.fields["class_name"]) == (
        slot.teacher_name, slot.room, slot.subject, slot.class_name)


def test_ad_hoc_starts_a_learning_walk(qtbot, visits_page, demo_profile, planned_quad):
    visits_page.open_item(planned_quad.summary.id)
    walk = next(a for a in visits_page.ad_hoc_button.menu().actions()
                if a.text() == "Learning walk")

    with qtbot.waitSignal(visits_page.navigate_requested) as navigated:
        walk.trigger()

    record = visits.load_visit(demo_profile, navigated.args[1])
    assert record.kind is ActivityKind.LEARNING_WALK
    assert record.fields["teacher_name"] == ""


def test_filters_narrow_the_list_as_the_store_does(qtbot, visits_page, demo_profile):
    quad = past_quad(demo_profile)
    visits_page.open_item(quad.id)
    every = visits.list_visits(demo_profile, quad.id)
    assert visits_page.visit_list.record_ids() == [v.id for v in every]
    assert visits_page.found_label.text() == f"{len(every)} visits in this QUAD"

    teacher = every[0].teacher_name.split()[-1]
    qtbot.keyClicks(visits_page.filters.teacher_edit, teacher)
    wanted = [v.id for v in visits.list_visits(
        demo_profile, quad.id, visits.VisitFilter(teacher=teacher))]
    qtbot.waitUntil(lambda: visits_page.visit_list.record_ids() == wanted,
                    timeout=FILTER_WAIT_MS)
    assert 0 < len(wanted) < len(every)

    visits_page.filters.teacher_edit.clear()
    combo = visits_page.filters.judgement_combo
    combo.setCurrentIndex(combo.findData(Judgement.CONTRADICTS))
    wanted = [v.id for v in visits.list_visits(
        demo_profile, quad.id, visits.VisitFilter(judgement=Judgement.CONTRADICTS))]
    qtbot.waitUntil(lambda: visits_page.visit_list.record_ids() == wanted,
                    timeout=FILTER_WAIT_MS)
    assert all("Contradicts" in visits_page.visit_list.topLevelItem(row).text(6)
               for row in range(len(wanted)))

    qtbot.mouseClick(visits_page.filters.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(visits_page.visit_list.record_ids()) == len(every),
                    timeout=FILTER_WAIT_MS)


def test_search_finds_words_in_every_quad_when_asked(qtbot, visits_page, demo_profile,
                                                     planned_quad):
    visit_id = visits.start_visit(demo_profile, planned_quad.summary.id)
    visits.add_note_line(demo_profile, visit_id, "Manipulatives used with confidence")
    visits_page.open_item(past_quad(demo_profile).id)
    visits_page.activateWindow()
    qtbot.waitUntil(visits_page.isActiveWindow)

    qtbot.keyClick(visits_page.quad_combo, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is visits_page.filters.search_edit
    qtbot.keyClicks(visits_page.filters.search_edit, "manipulat")
    qtbot.waitUntil(lambda: "0 visits" in visits_page.found_label.text(),
                    timeout=FILTER_WAIT_MS)
    qtbot.keyClick(visits_page, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: visits_page.visit_list.record_ids() == [visit_id],
                    timeout=FILTER_WAIT_MS)
    assert visits_page.found_label.text() == "1 visit in every QUAD"

    visits_page.visit_list.setFocus()
    visits_page.visit_list.setCurrentItem(visits_page.visit_list.topLevelItem(0))
    with qtbot.waitSignal(visits_page.navigate_requested) as navigated:
        qtbot.keyClick(visits_page.visit_list, Qt.Key.Key_Return)
    assert navigated.args == ["record", visit_id]


def test_mnemonics_are_unique_and_clear_data_empties_the_page(qtbot, visits_page,
                                                              demo_profile):
    visits_page.open_item(past_quad(demo_profile).id)
    letters = mnemonics(visits_page)
    assert len(letters) == len(set(letters)), letters
    assert not {"p", "g", "h"} & set(letters)

    visits_page.clear_data()

    assert visits_page.quad_combo.count() == 0
    assert visits_page.schedule.topLevelItemCount() == 0
    assert visits_page.visit_list.topLevelItemCount() == 0
    assert visits_page.filters.observer_combo.count() == 1

"""Keyboard use: every Alt+letter on a screen or dialog is unique, and Tab
follows the form."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTabWidget

from invictus_desktop.gui.dialogs.focus_area_dialog import FocusAreaDialog
from invictus_desktop.gui.dialogs.import_kinds import timetable_import
from invictus_desktop.gui.dialogs.import_preview import ImportPreviewDialog
from invictus_desktop.gui.dialogs.new_quad import NewQuadDialog
from invictus_desktop.gui.dialogs.priority_dialog import PriorityDialog
from invictus_desktop.gui.dialogs.rag_dialog import RagDialog
from invictus_desktop.gui.dialogs.school_dialog import NewSchoolDialog
from invictus_desktop.gui.dialogs.slot_dialog import SlotDialog
from invictus_desktop.gui.dialogs.staff_dialog import StaffDialog
from invictus_desktop.services import sips, visits
from tests.gui.conftest import mnemonics
from tests.services.factories import plan_quad


def all_mnemonics(widget) -> list[str]:
    """The labels' and buttons' letters, and the visible tab bars' letters."""
    letters = mnemonics(widget)
    for tabs in widget.findChildren(QTabWidget):
        if tabs.isVisibleTo(widget):
            for index in range(tabs.count()):
                text = tabs.tabText(index)
                if "&" in text:
                    letters.append(text[text.index("&") + 1].lower())
    return letters


def assert_unique(widget, at_least: int) -> None:
    letters = all_mnemonics(widget)
    assert len(letters) >= at_least, letters
    assert len(letters) == len(set(letters)), letters


@pytest.fixture
def screens(new_profile, signed_in):
    planned = plan_quad(new_profile)
    _controller, window = signed_in
    window.resize(1366, 768)
    return window, planned


def test_each_screen_has_unique_mnemonics(screens):
    window, planned = screens
    page = window.show_page("schools")
    for tab in (page.sip, page.staff, page.details):
        page.tabs.setCurrentWidget(tab)
        assert_unique(page, at_least=7)

    quads = window.show_page("quads")
    assert_unique(quads, at_least=3)
    quads.open_item(planned.quad_id)
    assert_unique(quads, at_least=9)


def test_each_dialog_has_unique_mnemonics(qtbot, screens, new_profile):
    window, planned = screens
    quads = window.show_page("quads")
    quads.open_item(planned.quad_id)
    sip = sips.load_sip(new_profile, planned.school_id, "2026-27")
    data = quads.planner.data
    dialogs = [
        NewSchoolDialog(),
        PriorityDialog(None, "P4"),
        PriorityDialog(sip.priorities[0]),
        RagDialog(sip.priorities[0]),
        StaffDialog(),
        NewQuadDialog([], today=date(2026, 12, 3)),
        FocusAreaDialog(data.priorities, "2026-27"),
        SlotDialog(date(2026, 12, 8), date(2026, 12, 9), data.staff),
        ImportPreviewDialog(timetable_import(planned.quad_id), quads),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        assert_unique(dialog, at_least=2)


def tab_sequence(start, count: int) -> list:
    """The next `count` widgets Tab reaches from `start` (an editable combo's
    line edit counts as the combo)."""
    reached = []
    widget = start
    while len(reached) < count:
        widget = widget.nextInFocusChain()
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or not widget.isEnabled():
            continue
        parent = widget.parentWidget()
        owner = parent if isinstance(parent, QComboBox) else widget
        if not reached or reached[-1] is not owner:
            reached.append(owner)
    return reached


def test_tab_follows_the_slot_form(qtbot):
    dialog = SlotDialog(date(2026, 12, 8), date(2026, 12, 9), [])
    qtbot.addWidget(dialog)
    expected = [dialog.period_edit, dialog.starts_edit, dialog.ends_edit, dialog.room_edit,
                dialog.teacher_combo, dialog.subject_edit, dialog.year_edit,
                dialog.class_edit, dialog.ok_button]

    assert tab_sequence(dialog.day_combo, len(expected)) == expected


def test_ctrl_n_adds_a_school_and_alt_left_leaves_the_planner(qtbot, screens):
    window, planned = screens
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.show_page("schools")
    page.school_list.setFocus()

    qtbot.keyClick(page.school_list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    assert isinstance(page.dialogs.latest, NewSchoolDialog)
    page.dialogs.latest.reject()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    quads = window.show_page("quads")
    quads.open_item(planned.quad_id)
    quads.planner.focus_table.setFocus()
    qtbot.keyClick(quads.planner.focus_table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert quads.stack.currentIndex() == 0


def test_the_repository_screen_has_unique_mnemonics_on_each_tab(screens):
    window, _planned = screens
    page = window.show_page("repository")
    assert not page.not_connected.isHidden()

    for index in range(page.not_connected.count()):
        page.not_connected.setCurrentIndex(index)
        assert_unique(page, at_least=8)


def each_tab(page):
    """Shows each tab of the page's own tab widget in turn (once, without one)."""
    tabs = getattr(page, "tabs", None)
    if tabs is None or not tabs.isVisibleTo(page):
        yield "-"
        return
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        yield tabs.tabText(index)


def test_every_screen_keeps_its_alt_keys_unique_and_clear_of_the_menu_bar(
    screens, new_profile
):
    window, planned = screens
    menu_letters = {
        action.text()[action.text().index("&") + 1].lower()
        for action in window.menuBar().actions()
    }

    visit_id = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    opened = {"quads": planned.quad_id, "report": planned.quad_id, "record": visit_id}

    problems = {}
    for key in window.pages:
        page = window.show_page(key)
        if key in opened:
            page.open_item(opened[key])
        for tab in each_tab(page):
            letters = all_mnemonics(page)
            twice = {letter for letter in letters if letters.count(letter) > 1}
            taken = menu_letters & set(letters)
            if twice or taken:
                problems[f"{key} / {tab}"] = (sorted(twice), sorted(taken))

    assert problems == {}  # screen / tab: (letters used twice, menu bar letters)

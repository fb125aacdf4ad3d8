"""Who may change what, mirrored on screen: disabled controls say why."""

import pytest
from PySide6.QtCore import Qt

from invictus_desktop.gui.pages.allowed import READ_ONLY_PLANNING, READ_ONLY_SCHOOL
from invictus_desktop.services import schools
from invictus_desktop.store.models import Person, Role, RoleAssignment
from tests.services.factories import plan_quad


def become(profile, role: Role, school_id: str | None = None) -> None:
    with profile.store.session() as session:
        me = session.get(Person, profile.person_id)
        me.roles.clear()
        session.flush()
        me.roles.append(RoleAssignment(role=role, school_id=school_id))


@pytest.fixture
def planned(new_profile):
    """Kinver High School with a SIP and a planned QUAD, made by the consultant."""
    return plan_quad(new_profile)


def test_a_board_member_reads_but_every_change_is_disabled_with_the_reason(
    qtbot, new_profile, planned, signed_in_as_board_member
):
    _controller, window = signed_in_as_board_member

    page = window.show_page("schools")
    assert page.heading.text() == "Kinver High School"
    assert page.read_only_label.isVisible()
    assert_disabled_because(page.new_school_button, READ_ONLY_PLANNING)
    assert_disabled_because(page.details.save_button, READ_ONLY_SCHOOL)
    assert page.details.fields.name_edit.isReadOnly()
    assert not page.details.fields.phase_combo.isEnabled()

    sip = page.sip
    assert [row[0] for row in sip.model.texts()] == ["P1", "P2", "P3"]
    assert sip.selected_priority() is not None, "a reader still sees the history"
    assert sip.timeline.summaries()
    for button in (sip.add_button, sip.edit_button, sip.rag_button):
        assert_disabled_because(button, READ_ONLY_SCHOOL)
    sip.table.activated.emit(sip.table.currentIndex())  # Enter on a row
    assert sip.dialogs.latest is None

    staff = page.staff
    assert [row[1] for row in staff.model.texts()] == ["Mrs Amelia Ashby"]
    staff.table.selectRow(0)
    for button in (staff.add_button, staff.edit_button, staff.import_button):
        assert_disabled_because(button, READ_ONLY_SCHOOL)

    quads = window.show_page("quads")
    assert [row[0] for row in quads.model.texts()] == ["KHS-2026-AUT"]
    assert_disabled_because(quads.new_button, READ_ONLY_PLANNING)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    quads.table.setFocus()
    qtbot.keyClick(quads.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert quads.dialogs.latest is None

    quads.table.selectRow(0)
    qtbot.mouseClick(quads.open_button, Qt.MouseButton.LeftButton)
    planner = quads.planner
    assert planner.focus_model.texts()[0][0] == "Maths"
    assert len(planner.schedule.model.texts()) == 1
    planner.focus_table.selectRow(0)
    planner.schedule.table.selectRow(0)
    for button in (planner.team_button, planner.add_focus_button,
                   planner.edit_focus_button, planner.remove_focus_button,
                   planner.schedule.add_button, planner.schedule.remove_button,
                   planner.schedule.import_button):
        assert_disabled_because(button, READ_ONLY_PLANNING)
    planner.schedule.table.setFocus()
    qtbot.keyClick(planner.schedule.table, Qt.Key.Key_Delete)
    assert planner.schedule.dialogs.latest is None
    assert planner.visits_button.isEnabled()


def test_a_headteacher_edits_their_own_school_only(qtbot, new_profile, planned,
                                                   make_controller):
    other = schools.create_school(new_profile, schools.SchoolDetails("Crestwood School"))
    become(new_profile, Role.HEADTEACHER, planned.school_id)
    new_profile.lock()
    from tests.gui.conftest import sign_in

    window = sign_in(make_controller(), qtbot)
    page = window.show_page("schools")
    assert_disabled_because(page.new_school_button, READ_ONLY_PLANNING)

    page.open_item(planned.school_id)
    assert page.heading.text() == "Kinver High School"
    assert not page.read_only_label.isVisible()
    assert page.details.save_button.isEnabled()
    assert page.sip.add_button.isEnabled() and page.staff.import_button.isEnabled()

    page.open_item(other)
    assert page.heading.text() == "Crestwood School"
    assert page.read_only_label.isVisible()
    assert_disabled_because(page.details.save_button, READ_ONLY_SCHOOL)
    assert_disabled_because(page.staff.add_button, READ_ONLY_SCHOOL)


@pytest.fixture
def signed_in_as_board_member(new_profile, planned, qtbot, make_controller):
    from tests.gui.conftest import sign_in

    become(new_profile, Role.BOARD_MEMBER)
    new_profile.lock()
    controller = make_controller()
    return controller, sign_in(controller, qtbot)


def assert_disabled_because(widget, reason: str) -> None:
    assert not widget.isEnabled(), widget.text()
    assert widget.toolTip() == reason
    assert "Only" in reason

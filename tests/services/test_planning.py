"""Schools, SIPs with RAG history, QUAD planning and who may change what."""

from datetime import date, time

import pytest
from sqlalchemy import select

from invictus_desktop.errors import PermissionDenied, UserFacingError
from invictus_desktop.services import planning, schools, sips
from invictus_desktop.services.imports.staff import StaffRow
from invictus_desktop.store.models import (
    AuditEntry,
    Person,
    Rag,
    ReviewKind,
    Role,
    RoleAssignment,
    TeamRole,
    Term,
)
from tests.services.spreadsheets import write_csv


@pytest.fixture
def school_id(new_profile):
    details = schools.SchoolDetails("Kinver High School", urn="137382",
                                    headteacher_name="Owen Castell")
    return schools.create_school(new_profile, details)


@pytest.fixture
def sip_id(new_profile, school_id):
    sip = sips.create_sip(new_profile, school_id, "2026-27")
    for code, title, rag in [("P1", "Maths: clarity of concepts", Rag.RED),
                             ("P2", "Reading across the curriculum", Rag.AMBER),
                             ("P3", "Attendance", Rag.GREEN)]:
        sips.add_priority(new_profile, sip, sips.PriorityDetails(code, title), rag)
    return sip


def test_rag_change_keeps_who_when_and_why(new_profile, school_id, sip_id):
    view = sips.load_sip(new_profile, school_id, "2026-27")
    maths = view.priorities[0]

    sips.change_rag(new_profile, maths.id, Rag.AMBER, "Consistent worked examples seen")

    maths = sips.load_sip(new_profile, school_id, "2026-27").priorities[0]
    assert maths.rag is Rag.AMBER
    assert [(e.old, e.new, e.reason) for e in maths.history] == [
        (None, Rag.RED, "Initial rating"),
        (Rag.RED, Rag.AMBER, "Consistent worked examples seen"),
    ]
    assert maths.history[1].by == "Dana Whitfield"
    with new_profile.store.session() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert "sip.rag_changed" in actions


def test_rag_change_needs_a_reason(new_profile, school_id, sip_id):
    maths = sips.load_sip(new_profile, school_id, "2026-27").priorities[0]
    with pytest.raises(UserFacingError, match="say why"):
        sips.change_rag(new_profile, maths.id, Rag.GREEN, "   ")


def test_duplicate_priority_code_and_urn_are_refused(new_profile, school_id, sip_id):
    with pytest.raises(UserFacingError, match="P1 already exists"):
        sips.add_priority(new_profile, sip_id, sips.PriorityDetails("P1", "Again"), Rag.RED)
    with pytest.raises(UserFacingError, match="already has URN 137382"):
        schools.create_school(new_profile, schools.SchoolDetails("Other", urn="137382"))


def test_plan_a_quad_with_team_focus_areas_and_schedule(new_profile, school_id, sip_id):
    quad_id = planning.create_quad(new_profile, planning.QuadDetails(
        school_id, "2026-27", Term.AUTUMN, date(2026, 12, 8), date(2026, 12, 9)))
    priorities = sips.load_sip(new_profile, school_id, "2026-27").priorities

    planning.set_team(new_profile, quad_id, [(new_profile.person_id, TeamRole.CONSULTANT)])
    planning.save_focus_area(new_profile, quad_id, "Maths", "Clarity of concepts",
                             [priorities[0].id])
    planning.save_focus_area(new_profile, quad_id, "Reading and attendance", "",
                             [priorities[1].id, priorities[2].id])
    planning.add_slot(new_profile, quad_id, planning.Slot(
        date(2026, 12, 8), "P1", time(8, 50), room="M4", teacher_name="Mrs Ashby",
        subject="Maths", year_group="Year 9", class_name="9X/Ma"))

    plan = planning.load_plan(new_profile, quad_id)
    assert plan.summary.reference == "KHS-2026-AUT"
    assert [(t.name, t.role) for t in plan.team] == [("Dana Whitfield", TeamRole.CONSULTANT)]
    assert [[code for _id, code, _t in f.priorities] for f in plan.focus_areas] == [
        ["P1"], ["P2", "P3"]]
    assert [(s.period, s.room, s.class_name) for s in plan.schedule] == [("P1", "M4", "9X/Ma")]


def test_specialist_visit_reference_names_its_subject(new_profile, school_id):
    quad_id = planning.create_quad(new_profile, planning.QuadDetails(
        school_id, "2026-27", Term.SPRING, date(2027, 2, 2), date(2027, 2, 2),
        kind=ReviewKind.SPECIALIST_VISIT, subject="Maths"))
    assert planning.load_plan(new_profile, quad_id).summary.reference == "KHS-2026-SPR-MATHS"


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [(date(2026, 12, 9), date(2026, 12, 8), "ends before it starts"),
     (date(2026, 12, 1), date(2026, 12, 31), "at most two weeks")],
)
def test_bad_quad_dates_are_refused(new_profile, school_id, starts, ends, message):
    with pytest.raises(UserFacingError, match=message):
        planning.create_quad(new_profile, planning.QuadDetails(
            school_id, "2026-27", Term.AUTUMN, starts, ends))


def test_timetable_import_matches_staff_and_refuses_bad_rows(new_profile, school_id, tmp_path):
    schools.save_staff_member(new_profile, school_id,
                              StaffRow("ASH", "Mrs", "Amelia", "Ashby", "", "", "Maths"))
    quad_id = planning.create_quad(new_profile, planning.QuadDetails(
        school_id, "2026-27", Term.AUTUMN, date(2026, 12, 8), date(2026, 12, 9)))
    path = write_csv(tmp_path / "timetable.csv", [
        ["Day", "Period", "Start", "End", "Room", "Teacher", "Subject", "Year", "Class"],
        ["Tue", "P1", "08:50", "09:40", "M4", "ASH", "Maths", "9", "9X/Ma"],
        ["Wednesday", "P3", "11:10", "12:00", "E2", "Mr Barrow", "English", "10", "10Y/En"],
        ["Friday", "P1", "08:50", "09:40", "M4", "ASH", "Maths", "9", "9X/Ma"],
        ["Tue", "", "", "", "S1", "ASH", "Science", "8", "8Z/Sc"],
        ["Tue", "P1", "08:50", "09:40", "M4", "ASH", "Maths", "9", "9X/Ma"],
    ])

    preview = planning.preview_timetable(new_profile, quad_id, path)
    added = planning.import_timetable(new_profile, quad_id, preview)

    assert added == 2
    assert [str(e) for e in preview.errors] == [
        "Row 4: the QUAD has no Friday (Tue 08 Dec to Wed 09 Dec 2026)",
        "Row 5: needs a period or a start time",
    ]
    assert "Row 6 repeats row 2; skipped." in preview.notes
    schedule = planning.load_plan(new_profile, quad_id).schedule
    assert [(s.day, s.teacher_name, s.staff_member_id is not None) for s in schedule] == [
        (date(2026, 12, 8), "ASH", True), (date(2026, 12, 9), "Mr Barrow", False)]


def test_a_headteacher_edits_their_own_school_only_and_cannot_plan(new_profile, school_id,
                                                                    sip_id):
    other_school = schools.create_school(new_profile, schools.SchoolDetails("Crestwood School"))
    with new_profile.store.session() as session:
        me = session.get(Person, new_profile.person_id)
        me.roles.clear()
        session.flush()
        me.roles.append(RoleAssignment(role=Role.HEADTEACHER, school_id=school_id))

    maths = sips.load_sip(new_profile, school_id, "2026-27").priorities[0]
    sips.change_rag(new_profile, maths.id, Rag.AMBER, "Own school: allowed")
    with pytest.raises(PermissionDenied):
        sips.create_sip(new_profile, other_school, "2026-27")
    with pytest.raises(PermissionDenied, match="consultant or the Executive Headteacher"):
        planning.create_quad(new_profile, planning.QuadDetails(
            school_id, "2026-27", Term.AUTUMN, date(2026, 12, 8), date(2026, 12, 9)))


def test_a_board_member_reads_but_cannot_change(new_profile, school_id, sip_id):
    with new_profile.store.session() as session:
        me = session.get(Person, new_profile.person_id)
        me.roles[0].role = Role.BOARD_MEMBER

    assert [s.name for s in schools.list_schools(new_profile)] == ["Kinver High School"]
    with pytest.raises(PermissionDenied):
        schools.update_school(new_profile, school_id, schools.SchoolDetails("Renamed"))

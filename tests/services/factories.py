"""Small, real set-ups built through the services, for tests that need a plan."""

from dataclasses import dataclass
from datetime import date, time

from invictus_desktop.services import planning, schools, sips
from invictus_desktop.services.imports.staff import StaffRow
from invictus_desktop.store.models import Rag, TeamRole, Term


@dataclass(frozen=True)
class PlannedQuad:
    school_id: str
    quad_id: str
    focus_ids: list[str]
    slot_id: str
    priority_ids: list[str]


def plan_quad(profile) -> PlannedQuad:
    """Kinver High School, a SIP of three priorities, a QUAD with two focus areas."""
    school_id = schools.create_school(profile, schools.SchoolDetails(
        "Kinver High School", urn="137382", safeguarding_lead_name="Rhys Radcliffe"))
    staff_id = schools.save_staff_member(
        profile, school_id, StaffRow("ASH", "Mrs", "Amelia", "Ashby", "", "", "Maths"))

    sip_id = sips.create_sip(profile, school_id, "2026-27")
    priority_ids = [
        sips.add_priority(profile, sip_id, sips.PriorityDetails(code, title), rag)
        for code, title, rag in [("P1", "Maths: clarity of concepts", Rag.RED),
                                 ("P2", "Reading across the curriculum", Rag.AMBER),
                                 ("P3", "Attendance", Rag.GREEN)]
    ]

    quad_id = planning.create_quad(profile, planning.QuadDetails(
        school_id, "2026-27", Term.AUTUMN, date(2026, 12, 8), date(2026, 12, 9)))
    planning.set_team(profile, quad_id, [(profile.person_id, TeamRole.CONSULTANT)])
    focus_ids = [
        planning.save_focus_area(profile, quad_id, "Maths", "", [priority_ids[0]]),
        planning.save_focus_area(profile, quad_id, "Reading", "", priority_ids[1:]),
    ]
    slot_id = planning.add_slot(profile, quad_id, planning.Slot(
        date(2026, 12, 8), "P1", time(8, 50), time(9, 40), room="M4",
        teacher_name="Mrs Amelia Ashby", staff_member_id=staff_id, subject="Maths",
        year_group="Year 9", class_name="9X/Ma"))
    return PlannedQuad(school_id, quad_id, focus_ids, slot_id, priority_ids)

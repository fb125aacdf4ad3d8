"""A QUAD team of three sharing one real encrypted store, and their screens.

The consultant is the profile's owner; the Executive Headteacher and the
visiting Headteacher are colleagues with their own signing keys. Each has an
observed lesson with evidence for the maths focus area.
"""

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from invictus_desktop.gui.pages.notes import NotesPage
from invictus_desktop.gui.pages.report import ReportPage
from invictus_desktop.services import visits
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.models import Judgement, Role, TeamRole
from tests.services.factories import PlannedQuad, add_colleague, plan_quad

EXEC_EVIDENCE = "Concepts were introduced in a jumbled order; pupils lost the thread."
CONSULTANT_EVIDENCE = "The worked example was clear and pupils practised with success."


@dataclass
class Team:
    planned: PlannedQuad
    consultant: UnlockedProfile
    exec_head: UnlockedProfile
    visiting: UnlockedProfile
    exec_visit_id: str


@pytest.fixture
def team(new_profile) -> Team:
    planned = plan_quad(new_profile)
    exec_head = add_colleague(new_profile, "Priya Raman", Role.EXECUTIVE_HEAD,
                              TeamRole.EXECUTIVE_HEAD, planned.quad_id)
    visiting = add_colleague(new_profile, "Owen Castell", Role.HEADTEACHER,
                             TeamRole.VISITING_HEAD, planned.quad_id)
    maths = planned.focus_ids[0]
    exec_visit = visits.start_visit(exec_head, planned.quad_id, planned.slot_id)
    visits.save_evidence(exec_head, exec_visit, maths, EXEC_EVIDENCE, Judgement.CONTRADICTS)
    own_visit = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    visits.save_evidence(new_profile, own_visit, maths, CONSULTANT_EVIDENCE,
                         Judgement.SUPPORTS)
    return Team(planned, new_profile, exec_head, visiting, exec_visit)


@pytest.fixture
def make_page(qtbot, runner):
    """Build a page for one person's profile; emptied (as on lock) afterwards."""
    made = []

    def make(page_class: type, profile: UnlockedProfile) -> NotesPage | ReportPage:
        page = page_class(profile, runner)
        qtbot.addWidget(page)
        page.resize(1280, 760)
        page.show()
        made.append(page)
        return page

    yield make
    for page in made:
        if page.profile is not None:
            page.clear_data()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

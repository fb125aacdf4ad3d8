"""Visit fixtures: the demo trust in a real encrypted profile, made once per
session and copied for each test, and pages built on it."""

import shutil
from datetime import date

import pytest

from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services import planning, visits
from invictus_desktop.services.demo import fill_demo
from invictus_desktop.services.profile import NewProfile, create_profile, unlock
from invictus_desktop.store.models import ReviewStatus, Role
from tests.conftest import FAST_KDF, PASSPHRASE

CONSULTANT = "Dr Morgan Hale"


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> ProfilePaths:
    paths = ProfilePaths(tmp_path_factory.mktemp("demo") / "profile")
    spec = NewProfile(CONSULTANT, Role.CONSULTANT, PASSPHRASE)
    profile, _ = create_profile(paths, spec, kdf_params=FAST_KDF)
    try:
        fill_demo(profile, date.today(), lambda done, total, message: None)
    finally:
        profile.lock()
    return paths


@pytest.fixture
def demo_paths(_demo_template, profile_paths) -> ProfilePaths:
    """A locked copy of the demo profile, this test's own."""
    shutil.copytree(_demo_template.root, profile_paths.root)
    return profile_paths


@pytest.fixture
def demo_profile(demo_paths):
    profile = unlock(demo_paths, PASSPHRASE)
    yield profile
    profile.lock()


@pytest.fixture
def planned_quad(demo_profile) -> planning.QuadPlan:
    """This term's QUAD of the first school: planned, with a schedule, not visited."""
    quad = next(q for q in planning.list_quads(demo_profile)
                if q.status is ReviewStatus.PLANNED)
    return planning.load_plan(demo_profile, quad.id)


@pytest.fixture
def visit_id(demo_profile, planned_quad) -> str:
    """A lesson visit started from the first lesson of the planned QUAD."""
    return visits.start_visit(demo_profile, planned_quad.summary.id,
                              planned_quad.schedule[0].id)


@pytest.fixture
def record_page(qtbot, demo_profile, runner, visit_id):
    """The record page, shown, with the started visit open."""
    from invictus_desktop.gui.pages.record import RecordPage

    page = RecordPage(demo_profile, runner)
    qtbot.addWidget(page)
    page.resize(1176, 700)
    page.show()
    qtbot.waitExposed(page)
    page.open_item(visit_id)
    yield page
    page.clear_data()

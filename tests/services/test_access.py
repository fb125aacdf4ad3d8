"""The signed-in person's permissions as plain data, agreeing with the checks."""

import pytest

from invictus_desktop.errors import PermissionDenied
from invictus_desktop.services import schools
from invictus_desktop.services.access import (
    PLANNING_REFUSED,
    SCHOOL_EDIT_REFUSED,
    describe_permissions,
)
from invictus_desktop.store.models import Person, Role, RoleAssignment


@pytest.fixture
def two_schools(new_profile) -> tuple[str, str]:
    return (
        schools.create_school(new_profile, schools.SchoolDetails("Kinver High School")),
        schools.create_school(new_profile, schools.SchoolDetails("Crestwood School")),
    )


def _become(profile, role: Role, school_id: str | None = None) -> None:
    with profile.store.session() as session:
        me = session.get(Person, profile.person_id)
        me.roles.clear()
        session.flush()
        me.roles.append(RoleAssignment(role=role, school_id=school_id))


def test_a_consultant_plans_and_edits_every_school(new_profile, two_schools):
    permissions = describe_permissions(new_profile)

    assert permissions.may_plan
    assert all(permissions.may_edit_school(school_id) for school_id in two_schools)
    assert permissions.may_edit_school("a school added later")


def test_a_headteacher_edits_only_their_own_school(new_profile, two_schools):
    own, other = two_schools
    _become(new_profile, Role.HEADTEACHER, own)

    permissions = describe_permissions(new_profile)

    assert not permissions.may_plan
    assert permissions.may_edit_school(own)
    assert not permissions.may_edit_school(other)
    schools.update_school(new_profile, own, schools.SchoolDetails("Kinver High"))
    with pytest.raises(PermissionDenied, match=SCHOOL_EDIT_REFUSED):
        schools.update_school(new_profile, other, schools.SchoolDetails("Crestwood"))


def test_a_board_member_changes_nothing(new_profile, two_schools):
    _become(new_profile, Role.BOARD_MEMBER)

    permissions = describe_permissions(new_profile)

    assert not permissions.may_plan
    assert not any(permissions.may_edit_school(school_id) for school_id in two_schools)
    with pytest.raises(PermissionDenied, match=PLANNING_REFUSED):
        schools.create_school(new_profile, schools.SchoolDetails("Kinver Primary"))

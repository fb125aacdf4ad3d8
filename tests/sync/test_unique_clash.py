"""A change that breaks a unique rule here (the same URN typed for two schools
on two laptops offline) is kept for a person, not refused: the log goes on."""

import pytest
from sqlalchemy import select

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services import conflicts
from invictus_desktop.store.models import School
from tests.sync.replicas import (
    add_school,
    engines_in_one_repository,
    introduced_laptops,
    school_names,
    sync_twice,
)

URN = "124426"


@pytest.fixture
def laptops(tmp_path):
    with introduced_laptops(tmp_path, "Ann Example", "Ben Example") as made:
        yield made


@pytest.fixture
def engines(laptops, repository):
    with engines_in_one_repository(laptops, repository.url) as made:
        yield made


def urns(laptop) -> dict[str, str | None]:
    with laptop.store.session() as session:
        return {s.id: s.urn for s in session.scalars(select(School))}


def rename(laptop, school_id: str, name: str) -> None:
    with laptop.store.session() as session:
        session.get(School, school_id).name = name


def test_the_same_urn_typed_on_two_laptops_is_kept_and_later_changes_arrive(
    laptops, engines
):
    ann, ben = laptops
    first = add_school(ann, "Kinver High School", urn=URN)
    second = add_school(ben, "Kinver High", urn=URN)  # the same school, typed twice

    sync_twice(engines)

    # Both laptops agree: the URN typed first stays, the other school's is cleared.
    assert urns(ann) == urns(ben)
    assert urns(ann)[first] == URN and urns(ann)[second] is None
    for laptop in laptops:
        [clash] = conflicts.list_conflicts(laptop)
        assert (clash.record, clash.field_label) == ("Kinver High", "URN")
        assert [v.text for v in clash.values] == ["(empty)", URN]
        assert clash.values[1].author == "Ben Example"

    # The log was not stopped: later changes from both laptops still arrive.
    rename(ben, second, "Kinver High (typed twice)")
    rename(ann, first, "Kinver High School, Stourbridge")
    third = add_school(ben, "Crestwood School", urn="103999")
    sync_twice(engines)
    for laptop in laptops:
        names = school_names(laptop)
        assert names[second] == "Kinver High (typed twice)"
        assert names[first] == "Kinver High School, Stourbridge"
        assert urns(laptop)[third] == "103999"


def test_the_kept_urn_cannot_be_chosen_while_another_school_holds_it(laptops, engines):
    ann, ben = laptops
    first = add_school(ann, "Kinver High School", urn=URN)
    second = add_school(ben, "Kinver High", urn=URN)
    sync_twice(engines)
    [clash] = conflicts.list_conflicts(ben)

    with pytest.raises(UserFacingError, match=f"already has URN {URN}"):
        conflicts.choose_number(ben, clash.id, 2)

    # Ann gives her school its right URN; then Ben's choice goes through everywhere.
    with ann.store.session() as session:
        session.get(School, first).urn = "137382"
    sync_twice(engines)
    conflicts.choose_number(ben, clash.id, 2)
    sync_twice(engines)
    for laptop in laptops:
        assert urns(laptop) == {first: "137382", second: URN}
        assert conflicts.list_conflicts(laptop) == []

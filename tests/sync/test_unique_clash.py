"""A change that breaks a unique rule here (the same URN typed for two schools
on two laptops offline) is kept for a person, not refused: the log goes on."""

import pytest
from sqlalchemy import select

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services import conflicts
from invictus_desktop.store.models import School
from tests.sync.replicas import add_school, engine_for, introduce, make_laptop, school_names

URN = "124426"


@pytest.fixture
def laptops(tmp_path):
    made = [make_laptop(tmp_path, name) for name in ("Ann Example", "Ben Example")]
    introduce(*made)
    yield made
    for laptop in made:
        laptop.lock()


@pytest.fixture
def engines(laptops, repository):
    made = [engine_for(laptop, repository.url) for laptop in laptops]
    made[0].create_repository()
    made[1].join_repository()
    yield made
    for engine in made:
        engine.client.close()


def sync(engines) -> None:
    for engine in engines + engines:
        report = engine.sync()
        assert report.refused == [] and report.waiting == []


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

    sync(engines)

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
    sync(engines)
    for laptop in laptops:
        names = school_names(laptop)
        assert names[second] == "Kinver High (typed twice)"
        assert names[first] == "Kinver High School, Stourbridge"
        assert urns(laptop)[third] == "103999"


def test_the_kept_urn_cannot_be_chosen_while_another_school_holds_it(laptops, engines):
    ann, ben = laptops
    first = add_school(ann, "Kinver High School", urn=URN)
    second = add_school(ben, "Kinver High", urn=URN)
    sync(engines)
    [clash] = conflicts.list_conflicts(ben)

    with pytest.raises(UserFacingError, match=f"already has URN {URN}"):
        conflicts.choose_number(ben, clash.id, 2)

    # Ann gives her school its right URN; then Ben's choice goes through everywhere.
    with ann.store.session() as session:
        session.get(School, first).urn = "137382"
    sync(engines)
    conflicts.choose_number(ben, clash.id, 2)
    sync(engines)
    for laptop in laptops:
        assert urns(laptop) == {first: "137382", second: URN}
        assert conflicts.list_conflicts(laptop) == []

"""Concurrent edits kept by sync, listed for a person and settled everywhere:
real encrypted laptops, the real WsgiDAV server, the conflicts service."""

import pytest
from sqlalchemy import func, select

from invictus_desktop.errors import PermissionDenied
from invictus_desktop.services import conflicts, visits
from invictus_desktop.store.models import Activity, KeptConflict, School
from tests.services.factories import plan_quad
from tests.sync.replicas import (
    add_school,
    consultants_and_board_member,
    engines_in_one_repository,
    locked_at_end,
    sync_twice,
)


@pytest.fixture
def laptops(tmp_path):
    with locked_at_end(consultants_and_board_member(tmp_path)) as made:
        yield made


@pytest.fixture
def engines(laptops, repository):
    with engines_in_one_repository(laptops, repository.url) as made:
        yield made


def set_headteacher(laptop, school_id: str, name: str) -> None:
    with laptop.store.session() as session:
        session.get(School, school_id).headteacher_name = name


def headteacher(laptop, school_id: str) -> str:
    with laptop.store.session() as session:
        return session.get(School, school_id).headteacher_name


def kept_count(laptop) -> int:
    """Kept values of schools (enrolling Cal also left identical copies of his
    name, which the list leaves out as no choice)."""
    with laptop.store.session() as session:
        return session.scalar(
            select(func.count())
            .select_from(KeptConflict)
            .where(KeptConflict.entity == "school")
        )


def make_conflict(laptops, engines) -> str:
    ann, ben, _ = laptops
    school_id = add_school(ann, "Kinver High School")
    sync_twice(engines[:2])
    set_headteacher(ann, school_id, "Mrs Ann Head")
    set_headteacher(ben, school_id, "Mr Ben Head")
    sync_twice(engines[:2])
    return school_id


def test_both_values_are_listed_with_who_wrote_them(laptops, engines):
    ann, ben, _ = laptops
    school_id = make_conflict(laptops, engines)

    listed = conflicts.list_conflicts(ann)

    assert conflicts.count_conflicts(ann) == 1
    [conflict] = listed
    assert (conflict.record, conflict.field_label) == ("Kinver High School", "Headteacher")
    assert conflict.entity_id == school_id and conflict.may_resolve
    assert {(v.text, v.author) for v in conflict.values} == {
        ("Mrs Ann Head", "Ann Example"),
        ("Mr Ben Head", "Ben Example"),
    }
    assert conflict.values[0].current
    assert conflict.values[0].text == headteacher(ann, school_id)
    assert all(v.written_at is not None for v in conflict.values)
    assert [c.values for c in conflicts.list_conflicts(ben)] == [conflict.values]


def test_a_choice_reaches_everyone_and_every_laptop_drops_the_conflict(laptops, engines):
    ben = laptops[1]
    school_id = make_conflict(laptops, engines)
    [conflict] = conflicts.list_conflicts(ben)
    loser = next(v for v in conflict.values if not v.current)

    conflicts.choose(ben, conflict.id, loser.value)
    assert conflicts.list_conflicts(ben) == []
    sync_twice(engines)  # Cal sees the edits and the choice for the first time

    for laptop in laptops:
        assert headteacher(laptop, school_id) == loser.text
        assert kept_count(laptop) == 0
        assert conflicts.list_conflicts(laptop) == []


def test_keeping_the_current_value_settles_it_everywhere(laptops, engines):
    ann = laptops[0]
    school_id = make_conflict(laptops, engines)
    [conflict] = conflicts.list_conflicts(ann)

    conflicts.keep_current(ann, (conflict.entity, conflict.entity_id, conflict.field))
    sync_twice(engines)

    for laptop in laptops:
        assert headteacher(laptop, school_id) == conflict.values[0].text
        assert kept_count(laptop) == 0


def test_only_people_who_may_edit_the_record_may_choose(laptops, engines):
    cal = laptops[2]
    make_conflict(laptops, engines)
    sync_twice(engines)

    [conflict] = conflicts.list_conflicts(cal)
    assert conflicts.count_conflicts(cal) == 1  # Cal's own name, saved twice, is no choice

    assert not conflict.may_resolve and "may not change" in conflict.refusal
    with pytest.raises(PermissionDenied):
        conflicts.choose_number(cal, conflict.id, 2)
    assert kept_count(cal) == 1


def test_a_visit_is_named_by_its_lesson_and_only_its_observers_choose(laptops, engines):
    ann, ben, _ = laptops
    planned = plan_quad(ann)
    activity_id = visits.start_visit(ann, planned.quad_id, planned.slot_id)
    sync_twice(engines[:2])
    visits.save_fields(ann, activity_id, {"strengths": "Clear modelling of ratio"})
    with ben.store.session() as session:
        session.get(Activity, activity_id).strengths = "Brisk starter"
    sync_twice(engines[:2])

    [on_ann] = conflicts.list_conflicts(ann)
    [on_ben] = conflicts.list_conflicts(ben)

    assert on_ann.record == "Visit to Year 9 maths, M4"
    assert on_ann.field_label == "Strengths" and on_ann.may_resolve
    assert not on_ben.may_resolve and "observers" in on_ben.refusal
    conflicts.choose_number(ann, on_ann.id, 2)
    sync_twice(engines[:2])
    assert conflicts.list_conflicts(ben) == []

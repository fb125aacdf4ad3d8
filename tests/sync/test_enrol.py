"""Invitations: a newcomer's keys are enrolled by a colleague who checks a short
code, and the invitation file connects the newcomer's profile."""

import base64
import copy

import pytest

from invictus_desktop.sync.enrol import (
    EnrolmentRefused,
    RosterRejected,
    accept_invitation,
    enrol_person,
    join_request_code,
    key_code,
    make_invitation,
    make_join_request,
)
from tests.sync.replicas import add_school, engine_for, make_laptop, school_names


@pytest.fixture
def founder_and_newcomer(tmp_path, repository):
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    founder = engine_for(ann, repository.url)
    founder.create_repository()
    yield ann, ben, founder
    founder.client.close()
    ann.lock()
    ben.lock()


def test_an_invited_colleague_joins_and_both_see_each_others_work(
    founder_and_newcomer, repository
):
    ann, ben, founder = founder_and_newcomer
    ann_school = add_school(ann, "Kinver High School")
    request = make_join_request(ben.store)
    code_on_bens_screen = join_request_code(request)

    enrol_person(ann.store, request, code_on_bens_screen.lower())
    founder.sync()
    url = accept_invitation(ben.store, make_invitation(ann.store, repository.url))
    newcomer = engine_for(ben, url)
    newcomer.join_repository()
    ben_school = add_school(ben, "Crestwood School")
    newcomer.sync()
    founder.sync()

    assert school_names(ben)[ann_school] == "Kinver High School"
    assert school_names(ann)[ben_school] == "Crestwood School"
    newcomer.client.close()


def test_a_code_that_does_not_match_enrols_nothing(founder_and_newcomer):
    ann, ben, _ = founder_and_newcomer
    request = make_join_request(ben.store)
    altered = dict(request, signing_public=base64.b64encode(bytes(range(32))).decode())

    with pytest.raises(EnrolmentRefused, match="does not match"):
        enrol_person(ann.store, altered, join_request_code(request))
    with pytest.raises(EnrolmentRefused, match="does not match"):
        enrol_person(ann.store, request, "AAAA-BBBB-CCCC-DDDD")


def test_an_invitation_with_an_altered_roster_is_refused(founder_and_newcomer, repository):
    ann, ben, _ = founder_and_newcomer
    invitation = make_invitation(ann.store, repository.url)
    forged = copy.deepcopy(invitation)
    forged["roster"][0]["signing_public"] = base64.b64encode(b"\x01" * 32).decode()

    with pytest.raises(RosterRejected):
        accept_invitation(ben.store, forged)


def test_key_codes_are_short_speakable_and_depend_on_every_key_byte():
    code = key_code(b"\x01" * 32, b"\x02" * 32)

    assert len(code) == 19 and code.count("-") == 3
    assert code != key_code(b"\x01" * 32, b"\x02" * 31 + b"\x03")

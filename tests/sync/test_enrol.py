"""Invitations: a newcomer's keys are enrolled by a colleague who checks a short
code, and the invitation file connects the newcomer's profile."""

import base64
import copy

import pytest
from sqlalchemy import select

from invictus_desktop.crypto.identity_keys import sign
from invictus_desktop.errors import UserFacingError
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services.profile import NewProfile, create_profile
from invictus_desktop.services.trust_repository import read_join_request
from invictus_desktop.store.models import LocalIdentity, Person, PersonKey, Role, Setting
from invictus_desktop.sync import trust
from invictus_desktop.sync.engine import REPOSITORY_ID
from invictus_desktop.sync.enrol import (
    EnrolmentRefused,
    RosterRejected,
    accept_invitation,
    enrol_person,
    export_roster,
    import_roster,
    join_request_code,
    key_code,
    make_invitation,
    make_join_request,
)
from invictus_desktop.sync.server import make_server
from tests.conftest import FAST_KDF, PASSPHRASE
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


def test_enrolling_the_same_request_again_adds_no_second_key(founder_and_newcomer):
    ann, ben, _ = founder_and_newcomer
    request = make_join_request(ben.store)
    code = join_request_code(request)

    first = enrol_person(ann.store, request, code)
    again = enrol_person(ann.store, request, code)

    assert again == first
    with ann.store.session() as session:
        keys = session.scalars(
            select(PersonKey.id).where(PersonKey.person_id == request["person_id"])
        ).all()
    assert keys == [first]


def test_an_invitation_with_an_altered_roster_is_refused(founder_and_newcomer, repository):
    ann, ben, _ = founder_and_newcomer
    invitation = make_invitation(ann.store, repository.url)
    forged = copy.deepcopy(invitation)
    forged["roster"][0]["signing_public"] = base64.b64encode(b"\x01" * 32).decode()

    with pytest.raises(RosterRejected):
        accept_invitation(ben.store, forged)


def _everything_trusted(laptop):
    with laptop.store.session() as session:
        return (
            sorted(p.id for p in session.scalars(select(Person))),
            sorted(k.id for k in session.scalars(select(PersonKey))),
            sorted(trust.roots(session)),
            session.get(Setting, REPOSITORY_ID).value,
        )


def test_an_invitation_to_another_repository_changes_nothing(
    founder_and_newcomer, repository, tmp_path
):
    ann, ben, _ = founder_and_newcomer
    request = make_join_request(ben.store)
    enrol_person(ann.store, request, join_request_code(request))
    accept_invitation(ben.store, make_invitation(ann.store, repository.url))
    other_server = make_server(tmp_path / "other-repository")
    other_server.start()
    carol = make_laptop(tmp_path, "carol")
    try:
        other = engine_for(carol, other_server.url)
        other.create_repository()
        other.client.close()
        foreign = make_invitation(carol.store, other_server.url)
        before = _everything_trusted(ben)

        with pytest.raises(EnrolmentRefused, match="another repository"):
            accept_invitation(ben.store, foreign)

        assert _everything_trusted(ben) == before
        assert carol.person_id not in before[0]
    finally:
        carol.lock()
        other_server.stop()


def test_key_codes_are_short_speakable_and_depend_on_every_key_byte():
    code = key_code(b"\x01" * 32, b"\x02" * 32)

    assert len(code) == 19 and code.count("-") == 3
    assert code != key_code(b"\x01" * 32, b"\x02" * 31 + b"\x03")


@pytest.fixture
def board_member(tmp_path):
    spec = NewProfile(name="dee", role=Role.BOARD_MEMBER, passphrase=PASSPHRASE)
    profile, _ = create_profile(ProfilePaths(tmp_path / "dee"), spec, kdf_params=FAST_KDF)
    yield profile
    profile.lock()


def test_only_the_consultant_or_executive_head_may_enrol_or_invite(
    founder_and_newcomer, board_member, repository
):
    _, ben, _ = founder_and_newcomer
    request = make_join_request(ben.store)

    with pytest.raises(EnrolmentRefused, match="Only the consultant or the Executive"):
        enrol_person(board_member.store, request, join_request_code(request))
    # Told so whatever code they typed, rather than to check it with the newcomer.
    with pytest.raises(EnrolmentRefused, match="Only the consultant or the Executive"):
        enrol_person(board_member.store, request, "AAAA-BBBB-CCCC-DDDD")
    with pytest.raises(EnrolmentRefused, match="Only the consultant or the Executive"):
        make_invitation(board_member.store, repository.url)
    with board_member.store.session() as session:
        assert session.get(Person, ben.person_id) is None


def test_a_roster_entry_enrolled_by_someone_who_may_not_invite_is_left_out(
    founder_and_newcomer, board_member
):
    ann, ben, _ = founder_and_newcomer
    request = make_join_request(board_member.store)
    enrol_person(ann.store, request, join_request_code(request))  # Ann enrols Dee: fine
    roster = export_roster(ann.store) + export_roster(board_member.store)
    # Dee signs a key for Ben herself, as a hand-edited roster could.
    with board_member.store.session() as session:
        dee_private = session.scalars(select(LocalIdentity)).one().signing_private
    with ben.store.session() as session:
        ben_key = session.scalars(select(PersonKey)).one()
        ben_signing, ben_exchange = ben_key.signing_public, ben_key.exchange_public
    roster.append({
        "person_id": "f" * 32, "name": "Someone Dee invited", "email": "",
        "key_id": "e" * 32,
        "signing_public": base64.b64encode(ben_signing).decode(),
        "exchange_public": base64.b64encode(ben_exchange).decode(),
        "enrolled_by": board_member.person_id,
        "enrolment_signature": base64.b64encode(
            sign(dee_private, ben_signing + ben_exchange)).decode(),
        "roles": ["consultant"],
    })

    refused: list[str] = []
    added = import_roster(ben.store, roster, refused)

    # Dee's own self-signed key and the key she signed are left out; Ann's
    # keys and the key Ann signed for Dee are enrolled.
    assert sorted(refused) == ["Someone Dee invited", "dee"]
    assert added == 2
    with ben.store.session() as session:
        enrolled_by = {k.enrolled_by_id for k in session.scalars(select(PersonKey))}
        assert session.get(PersonKey, "e" * 32) is None
    assert board_member.person_id not in enrolled_by


def test_a_missing_request_file_is_named_in_words(tmp_path):
    with pytest.raises(UserFacingError, match=r"join request missing\.json: no such file"):
        read_join_request(tmp_path / "missing.json")

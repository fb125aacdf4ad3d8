"""An invitation travels as a file; its code travels by another channel, so a
file altered or swapped on its way is refused and nothing changes."""

import json

import pytest

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services import trust_repository
from invictus_desktop.services.overview import load_overview
from invictus_desktop.store.models import Role
from invictus_desktop.sync.enrol import EnrolmentRefused
from tests.sync.publishing_setup import connect
from tests.sync.replicas import make_laptop


@pytest.fixture
def invited(tmp_path, repository):
    ann = make_laptop(tmp_path, "ann")
    connect(ann, repository.url, create=True)
    ben = make_laptop(tmp_path, "ben", role=Role.HEADTEACHER)
    request = trust_repository.read_join_request(
        _written(trust_repository.write_join_request, ben, tmp_path / "request.json")
    )
    trust_repository.enrol(ann, request, request.code)
    invitation = tmp_path / "invitation.json"
    code = trust_repository.write_invitation(ann, invitation)
    yield ben, invitation, code
    ann.lock()
    ben.lock()


def _written(write, profile, path):
    write(profile, path)
    return path


def test_the_right_code_joins(invited, repository):
    ben, invitation, code = invited

    url = trust_repository.accept(ben, invitation, code.lower().replace("-", " "))

    assert url == repository.url
    assert load_overview(ben).repository == repository.url


def test_an_altered_invitation_is_refused_and_nothing_changes(invited, tmp_path):
    ben, invitation, code = invited
    document = json.loads(invitation.read_text())
    document["repository_url"] = "https://attacker.example/"
    invitation.write_text(json.dumps(document))

    with pytest.raises(EnrolmentRefused, match="code does not match"):
        trust_repository.accept(ben, invitation, code)

    assert load_overview(ben).repository == ""


def test_a_join_request_given_as_the_invitation_is_named_as_such(invited, tmp_path):
    ben, _, code = invited
    request = tmp_path / "request.json"  # Ben's own, written by the fixture

    with pytest.raises(UserFacingError, match="is a join request, not an invitation"):
        trust_repository.accept(ben, request, code)

    assert load_overview(ben).repository == ""

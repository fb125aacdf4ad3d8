"""Edits held across a lock: sealed under the profile's key, readable only
after the same profile is unlocked again."""

import pytest

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services.held_edits import open_edits, seal_edits
from invictus_desktop.services.profile import unlock
from tests.conftest import PASSPHRASE

TEXT = "Pupils reasoned aloud in pairs"


def test_sealed_edits_reopen_only_after_the_same_profile_unlocks(locked_profile):
    profile = unlock(locked_profile, PASSPHRASE)
    sealed = seal_edits(profile, [{"strengths": TEXT}, ("evidence", None)])
    profile.lock()

    assert TEXT.encode() not in sealed.sealed
    assert profile.hold_key is None, "the lock drops the key that could open them"
    again = unlock(locked_profile, PASSPHRASE)
    try:
        assert open_edits(again, sealed) == [{"strengths": TEXT}, ("evidence", None)]
    finally:
        again.lock()


def test_edits_sealed_for_one_profile_are_refused_by_another(locked_profile, tmp_path):
    import shutil

    from invictus_desktop.paths import ProfilePaths

    copy = ProfilePaths(tmp_path / "copy")
    shutil.copytree(locked_profile.root, copy.root)
    profile = unlock(locked_profile, PASSPHRASE)
    sealed = seal_edits(profile, [TEXT])
    profile.lock()

    other = unlock(copy, PASSPHRASE)
    try:
        with pytest.raises(UserFacingError):
            open_edits(other, sealed)
    finally:
        other.lock()

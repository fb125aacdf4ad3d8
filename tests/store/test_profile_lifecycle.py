"""Create, lock, unlock (passphrase and recovery key), change passphrase."""

import pytest
from sqlalchemy import select

from invictus_desktop.errors import WrongPassphrase
from invictus_desktop.services.profile import (
    NewProfile,
    change_passphrase,
    create_profile,
    reset_passphrase_with_recovery_key,
    unlock,
    unlock_with_recovery_key,
)
from invictus_desktop.store.models import LocalIdentity, Person, PersonKey, Role
from tests.conftest import FAST_KDF, PASSPHRASE


def test_created_profile_holds_person_role_and_key_pairs(new_profile):
    with new_profile.store.session() as session:
        person = session.get(Person, new_profile.person_id)
        identity = session.scalar(select(LocalIdentity))
        key = session.scalar(select(PersonKey))
        assert person.name == "Dana Whitfield"
        assert [r.role for r in person.roles] == [Role.CONSULTANT]
        assert len(identity.signing_private) == 32 and len(identity.exchange_private) == 32
        assert key.signing_public != key.exchange_public


def test_unlock_after_lock_sees_the_same_data(new_profile, profile_paths):
    new_profile.lock()
    again = unlock(profile_paths, PASSPHRASE)
    try:
        assert again.person_id == new_profile.person_id
    finally:
        again.lock()


def test_wrong_passphrase_is_refused(new_profile, profile_paths):
    new_profile.lock()
    with pytest.raises(WrongPassphrase):
        unlock(profile_paths, PASSPHRASE + "x")


def test_recovery_key_unlocks_and_resets_the_passphrase(profile_paths):
    spec = NewProfile("Sam Okafor", Role.EXECUTIVE_HEAD, PASSPHRASE, with_recovery_key=True)
    profile, recovery_key = create_profile(profile_paths, spec, kdf_params=FAST_KDF)
    profile.lock()
    assert recovery_key is not None

    typed_sloppily = recovery_key.lower().replace("-", " ")
    unlock_with_recovery_key(profile_paths, typed_sloppily).lock()

    reset_passphrase_with_recovery_key(profile_paths, recovery_key, "a brand new passphrase",
                                       FAST_KDF)
    unlock(profile_paths, "a brand new passphrase").lock()
    with pytest.raises(WrongPassphrase):
        unlock(profile_paths, PASSPHRASE)


def test_changing_the_passphrase_rewraps_without_touching_the_store(new_profile, profile_paths):
    new_profile.lock()
    store_bytes = profile_paths.database.read_bytes()

    change_passphrase(profile_paths, PASSPHRASE, "another long passphrase", FAST_KDF)

    assert profile_paths.database.read_bytes() == store_bytes
    unlock(profile_paths, "another long passphrase").lock()
    with pytest.raises(WrongPassphrase):
        unlock(profile_paths, PASSPHRASE)

"""A read-only folder and a full disk, on real file systems: clear errors, no debris.

As root, permission bits do not stop writes, so read-only means a read-only
bind mount; a full disk is a small tmpfs filled up (see tests.helpers).
"""

import pytest
from sqlalchemy import select

from invictus_desktop.errors import StorageUnavailable
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services.doctor import run_checks
from invictus_desktop.services.profile import NewProfile, create_profile, unlock
from invictus_desktop.store.models import Role, School, Trust
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import (
    assert_explained,
    assert_unchanged,
    fill_disk,
    read_only_folder,
    small_disk,
    snapshot,
)

SPEC = NewProfile("Dana Whitfield", Role.CONSULTANT, PASSPHRASE)
DISK_KIB = 2048  # enough for a new profile and its backups, not much more


def test_creating_in_a_read_only_folder_fails_cleanly(tmp_path):
    parent = tmp_path / "shared-drive"
    parent.mkdir()
    paths = ProfilePaths(parent / "profile")

    with read_only_folder(parent), pytest.raises(StorageUnavailable) as caught:
        create_profile(paths, SPEC, kdf_params=FAST_KDF)

    assert_explained(caught.value, str(paths.root), "cannot be written", "--profile")
    assert list(parent.iterdir()) == []


def test_unlocking_a_profile_whose_folder_became_read_only(locked_profile):
    before = snapshot(locked_profile.root)

    with read_only_folder(locked_profile.root), pytest.raises(StorageUnavailable) as caught:
        unlock(locked_profile, PASSPHRASE)

    assert_explained(caught.value, str(locked_profile.root), "read-only", "writable")
    assert_unchanged(locked_profile.root, before)


def test_creating_on_a_full_disk_fails_cleanly(tmp_path):
    with small_disk(tmp_path / "disk", DISK_KIB) as disk:
        fill_disk(disk, leave_bytes=100 * 1024)
        paths = ProfilePaths(disk / "profile")

        with pytest.raises(StorageUnavailable) as caught:
            create_profile(paths, SPEC, kdf_params=FAST_KDF)

        assert_explained(caught.value, "full", "free some space")
        assert list(paths.root.rglob("*")) == []


def test_a_change_on_a_full_disk_is_refused_and_the_rest_survives(tmp_path):
    with small_disk(tmp_path / "disk", DISK_KIB) as disk:
        paths = ProfilePaths(disk / "profile")
        profile, _ = create_profile(paths, SPEC, kdf_params=FAST_KDF)
        try:
            _add_schools(profile, ["Kinver High School"])
            filler = fill_disk(disk)

            with pytest.raises(StorageUnavailable) as caught:
                _add_schools(profile, [f"Academy {n} " + "x" * 150 for n in range(300)])

            assert_explained(caught.value, "full", "not saved")
            filler.unlink()
            assert _school_names(profile) == ["Kinver High School"]
            assert all(check.ok for check in run_checks(profile))
        finally:
            profile.lock()


def _add_schools(profile, names: list[str]) -> None:
    with profile.store.session() as session:
        trust_id = session.scalar(select(Trust.id))
        session.add_all(School(trust_id=trust_id, name=name) for name in names)


def _school_names(profile) -> list[str]:
    with profile.store.session() as session:
        return list(session.scalars(select(School.name)))

"""A damaged store.db or write-ahead log: a clear error, and nothing changed.

What the user sees, case by case:
- page 1 damaged (salt or encrypted header), another program's file, a store
  cut short or emptied: StoreDamaged at unlock, pointing at the backups folder;
- a plain SQLite file: StoreNotOurs;
- a damaged middle page: unlock succeeds (SQLCipher checks a page's HMAC only
  when it is read); reading it raises StoreDamaged and `doctor` names the page;
- a log from another store: StoreDamaged naming store.db-wal, found before a
  checkpoint could copy it over good pages;
- a dropped log: undetectable by design; the store opens as at its last
  checkpoint, sound.
"""

import shutil
import sqlite3

import pytest
from sqlalchemy import select

from invictus_desktop.errors import StoreDamaged, StoreNotOurs
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services.doctor import run_checks
from invictus_desktop.services.profile import NewProfile, create_profile, unlock
from invictus_desktop.store.engine import PAGE_SIZE, create_store_engine
from invictus_desktop.store.models import Person, ReportAction, Role, Setting
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import (
    assert_explained,
    assert_unchanged,
    crash_leaving_wal,
    data_key,
    flip_bit,
    page_offset,
    root_page,
    snapshot,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _refused(paths: ProfilePaths, error_type: type = StoreDamaged) -> BaseException:
    """Unlocking fails with `error_type`, and every file stays as it was."""
    before = snapshot(paths.root)

    with pytest.raises(error_type) as caught:
        unlock(paths, PASSPHRASE)

    assert_unchanged(paths.root, before)
    return caught.value


@pytest.mark.parametrize("offset", [5, 20], ids=["salt", "encrypted-header"])
def test_flipped_byte_in_the_first_page_is_refused(locked_profile, offset):
    flip_bit(locked_profile.database, offset)

    error = _refused(locked_profile)

    assert_explained(error, "damaged", "backups folder")


def test_store_cut_short_is_refused(locked_profile):
    database = locked_profile.database
    database.write_bytes(database.read_bytes()[: -PAGE_SIZE // 2])

    error = _refused(locked_profile)

    assert_explained(error, "cut short", "backups folder")


def test_emptied_store_is_refused_not_rebuilt(locked_profile):
    locked_profile.database.write_bytes(b"")

    error = _refused(locked_profile)

    assert_explained(error, "empty", "backups folder")


@pytest.mark.parametrize(
    "content",
    [bytes(range(256)) * 64, PNG_SIGNATURE + bytes(range(256)) * 9],
    ids=["random-looking-pages", "png"],
)
def test_another_programs_file_is_refused(locked_profile, content):
    locked_profile.database.write_bytes(content)

    error = _refused(locked_profile)

    assert_explained(error, "Invictus", "backups folder")


def test_plain_sqlite_file_is_refused(locked_profile):
    locked_profile.database.unlink()
    plain = sqlite3.connect(locked_profile.database)
    plain.execute("CREATE TABLE visit (teacher TEXT)")
    plain.commit()
    plain.close()

    error = _refused(locked_profile, StoreNotOurs)

    assert_explained(error, "unencrypted SQLite", "move it out")


def test_store_from_another_profile_fails_at_the_first_read(locked_profile, tmp_path):
    other = _another_profile(tmp_path / "other")
    shutil.copyfile(other.database, locked_profile.database)

    # SQLCipher takes any key; a wrong one shows only when a page is read.
    engine = create_store_engine(locked_profile.database, data_key(locked_profile))
    with pytest.raises(StoreDamaged):
        engine.connect()
    engine.dispose()

    error = _refused(locked_profile)
    assert_explained(error, "damaged", "backups folder")


def test_damaged_middle_page_is_found_when_read_and_by_doctor(locked_profile):
    page = root_page(locked_profile, "report_action")
    assert 1 < page < locked_profile.database.stat().st_size // PAGE_SIZE
    flip_bit(locked_profile.database, page_offset(page))
    before = snapshot(locked_profile.root)

    profile = unlock(locked_profile, PASSPHRASE)
    try:
        with pytest.raises(StoreDamaged) as caught, profile.store.session() as session:
            session.scalars(select(ReportAction)).all()
        checks = {check.name: check for check in run_checks(profile)}
    finally:
        profile.lock()

    assert_explained(caught.value, "damaged", "backups folder")
    assert not checks["cipher integrity"].ok
    assert f"page {page}" in checks["cipher integrity"].detail
    assert not checks["database integrity"].ok
    assert checks["schema revision"].ok
    assert_unchanged(locked_profile.root, before)


def test_log_left_by_a_crash_is_recovered(locked_profile):
    # The baseline for the two cases below: the commit lives only in the log.
    crash_leaving_wal(locked_profile, "saved-before-the-crash")

    assert _setting_keys(locked_profile) == ["saved-before-the-crash"]


def test_dropped_log_opens_as_at_the_last_checkpoint(locked_profile):
    crash_leaving_wal(locked_profile, "saved-before-the-crash")
    (locked_profile.root / "store.db-wal").unlink()
    (locked_profile.root / "store.db-shm").unlink()

    # SQLite cannot know a log existed: the commit in it is gone, the rest is sound.
    assert _setting_keys(locked_profile) == []
    profile = unlock(locked_profile, PASSPHRASE)
    try:
        with profile.store.session() as session:
            assert session.scalar(select(Person.name)) == "Dana Whitfield"
        assert all(check.ok for check in run_checks(profile))
    finally:
        profile.lock()


def test_log_from_another_store_is_refused_before_it_is_checkpointed(
    locked_profile, tmp_path
):
    other = _another_profile(tmp_path / "other")
    foreign_log = crash_leaving_wal(other, "from-another-store")["store.db-wal"]
    crash_leaving_wal(locked_profile, "saved-before-the-crash")
    (locked_profile.root / "store.db-wal").write_bytes(foreign_log)

    error = _refused(locked_profile)

    assert_explained(error, "store.db-wal", "another store", "backups folder")
    # As the message says: without the foreign log, the store opens, sound.
    (locked_profile.root / "store.db-wal").unlink()
    assert _setting_keys(locked_profile) == []


def _another_profile(folder) -> ProfilePaths:
    paths = ProfilePaths(folder)
    spec = NewProfile("Sam Okafor", Role.EXECUTIVE_HEAD, PASSPHRASE)
    profile, _ = create_profile(paths, spec, kdf_params=FAST_KDF)
    profile.lock()
    return paths


def _setting_keys(paths: ProfilePaths) -> list[str]:
    profile = unlock(paths, PASSPHRASE)
    try:
        with profile.store.session() as session:
            keys = list(session.scalars(select(Setting.key)))
        checks = run_checks(profile)
    finally:
        profile.lock()
    assert all(check.ok for check in checks), checks
    return keys

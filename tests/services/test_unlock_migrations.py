"""Unlocking a store made by an earlier version: encrypted backup first, then
migrate, with every record intact; a store from a newer version is refused."""

import os

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from invictus_desktop.crypto import keywrap
from invictus_desktop.errors import StorageUnavailable, StoreNotOurs
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services.doctor import run_checks
from invictus_desktop.services.profile import unlock
from invictus_desktop.store.engine import (
    SQLITE_HEADER,
    create_store_engine,
    open_raw_connection,
)
from invictus_desktop.store.migrate import alembic_config, head_revision, upgrade
from invictus_desktop.store.models import Activity, RunningNoteLine, School, StaffMember
from invictus_desktop.store.vault import Vault, write_vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import (
    assert_explained,
    assert_unchanged,
    data_key,
    fill_disk,
    small_disk,
    snapshot,
)

NOTE = "Year 10 explained photosynthesis with confidence"
TEACHER = "Ms Imogen Fairweather"
STAMP = "2026-11-17 09:15:00.000000"  # how SQLAlchemy stores a DateTime in SQLite


def _seed_0001(connection) -> None:
    """A consultant's profile as version 0001 wrote it: raw SQL, no models."""
    rows = [
        ("trust", {"id": "t1", "name": "Invictus Education Trust"}),
        ("person", {"id": "p1", "name": "Dana Whitfield", "email": ""}),
        (
            "local_identity",
            {"id": "l1", "person_id": "p1", "device_id": "d1",
             "signing_private": os.urandom(32), "exchange_private": os.urandom(32)},
        ),
        (
            "school",
            {"id": "s1", "trust_id": "t1", "name": "Kinver High School", "urn": "124426",
             "phase": "secondary", "headteacher_name": "Mr Ellis",
             "safeguarding_lead_name": "", "safeguarding_lead_email": ""},
        ),
        (
            "staff_member",
            {"id": "m1", "school_id": "s1", "staff_code": "IFA", "title": "Ms",
             "first_name": "Imogen", "last_name": "Fairweather", "email": "",
             "job_title": "Teacher of Science", "subjects": "Biology", "active": 1},
        ),
        (
            "quad",
            {"id": "q1", "reference": "Q-2026-KHS-1", "kind": "quad", "school_id": "s1",
             "academic_year": "2026/27", "term": "autumn", "starts_on": "2026-11-17",
             "ends_on": "2026-11-18", "status": "in_progress", "subject": ""},
        ),
        (
            "activity",
            {"id": "a1", "quad_id": "q1", "kind": "lesson_visit", "author_id": "p1",
             "status": "draft", "staff_member_id": "m1", "teacher_name": TEACHER,
             "room": "S4", "subject": "Science", "year_group": "10", "class_name": "10B",
             "joint_visit": 0, "other_adults": "", "strengths": "Clear modelling",
             "development_points": "", "follow_up_questions": "",
             "safeguarding_concern": 0, "safeguarding_text": ""},
        ),
        (
            "running_note_line",
            {"id": "n1", "quad_id": "q1", "activity_id": "a1", "stamped_at": STAMP,
             "text": NOTE, "position": 0},
        ),
    ]
    for table, values in rows:
        values = {**values, "created_at": STAMP, "updated_at": STAMP}
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        insert = text(f"INSERT INTO {table} ({columns}) VALUES ({marks})")
        connection.execute(insert, values)


# Raw SQL that fills a store at each earlier revision. A new revision makes the
# one before it "earlier": add its seeder here (reuse one if the tables did not change).
SEEDERS = {
    "0001_initial": _seed_0001,
    "0002_visit_search": _seed_0001,  # added only the search index, filled by triggers
    "0003_report_files": _seed_0001,  # added only a table for final PDFs
    "0004_sync_state": _seed_0001,  # added only this laptop's sync bookkeeping
    "0005_published_reports": _seed_0001,  # added only the library of published reports
    "0006_conflict_settlements": _seed_0001,  # added only the table of settled conflicts
}


def _earlier_revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [rev.revision for rev in script.walk_revisions()]
    return [revision for revision in revisions if revision != head_revision()]


def _profile_at(paths: ProfilePaths, revision: str) -> None:
    """A complete profile whose store stopped at `revision`, with a visit in it."""
    paths.root.mkdir(mode=0o700)
    key = keywrap.new_data_key()
    vault = Vault()
    vault.wrap_with_passphrase(key, PASSPHRASE, FAST_KDF)
    write_vault(paths, vault)

    engine = create_store_engine(paths.database, key)
    try:
        upgrade(engine, target=revision)
        with engine.begin() as connection:
            SEEDERS[revision](connection)
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", _earlier_revisions())
def test_store_from_an_earlier_version_is_backed_up_then_migrated(profile_paths, revision):
    assert revision in SEEDERS, f"add a seeder for {revision} to SEEDERS"
    _profile_at(profile_paths, revision)

    profile = unlock(profile_paths, PASSPHRASE)
    try:
        assert profile.migrated
        _assert_visit_intact(profile)
        _assert_search_kept_current(profile)
        assert all(check.ok for check in run_checks(profile))
    finally:
        profile.lock()

    [backup] = profile_paths.backups.iterdir()
    assert backup.name.endswith(f"-before-{head_revision()}.db")
    _assert_backup_is_encrypted_at(backup, data_key(profile_paths), revision)


def _assert_visit_intact(profile) -> None:
    with profile.store.session() as session:
        assert session.scalar(select(School.name)) == "Kinver High School"
        assert session.scalar(select(StaffMember.last_name)) == "Fairweather"
        activity = session.scalar(select(Activity))
        assert activity.teacher_name == TEACHER
        assert [line.text for line in activity.running_notes] == [NOTE]
        assert session.scalar(select(RunningNoteLine.stamped_at)).tzinfo is not None

        found = session.execute(
            text("SELECT activity_id FROM visit_search WHERE visit_search MATCH :q"),
            {"q": "photosynthesis fairweather"},
        ).scalars().all()
        assert found == [activity.id]


def _assert_search_kept_current(profile) -> None:
    """The migrated store's triggers still rebuild a visit's one document."""
    with profile.store.session() as session:
        session.execute(text("UPDATE activity SET strengths = 'Pupils explained osmosis'"))
        found = session.execute(
            text("SELECT activity_id FROM visit_search WHERE visit_search MATCH :q"),
            {"q": "osmosis photosynthesis"},
        ).scalars().all()
        assert found == ["a1"]
        assert session.scalar(text("SELECT count(*) FROM visit_search")) == 1


def _assert_backup_is_encrypted_at(backup, key: bytes, revision: str) -> None:
    raw = backup.read_bytes()
    assert not raw.startswith(SQLITE_HEADER)
    assert NOTE.encode() not in raw and b"Fairweather" not in raw

    connection = open_raw_connection(backup, key)
    try:
        # Taken before migrating: it is still at the old revision, data and all.
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (revision,)
        ]
        assert connection.execute("SELECT text FROM running_note_line").fetchall() == [
            (NOTE,)
        ]
    finally:
        connection.close()


def test_store_from_a_newer_version_is_refused_unchanged(locked_profile):
    connection = open_raw_connection(locked_profile.database, data_key(locked_profile))
    connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    connection.close()
    before = snapshot(locked_profile.root)

    with pytest.raises(StoreNotOurs) as caught:
        unlock(locked_profile, PASSPHRASE)

    assert_explained(caught.value, "newer version", "install the latest")
    assert_unchanged(locked_profile.root, before)
    assert not locked_profile.backups.exists()


def test_no_room_for_the_backup_stops_the_migration_cleanly(tmp_path):
    with small_disk(tmp_path / "disk", 1200) as disk:
        paths = ProfilePaths(disk / "profile")
        _profile_at(paths, _earlier_revisions()[-1])
        filler = fill_disk(disk, leave_bytes=120 * 1024)
        before = snapshot(paths.root)

        with pytest.raises(StorageUnavailable) as caught:
            unlock(paths, PASSPHRASE)

        assert_explained(caught.value, "full", "free some space")
        assert_unchanged(paths.root, before)
        assert list(paths.backups.iterdir()) == []

        # With room again, the same store migrates.
        filler.unlink()
        unlock(paths, PASSPHRASE).lock()

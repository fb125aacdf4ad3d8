"""Nothing readable on disk: the store, its log, backups and logs hold no plain
text of records, and the vault holds no key in clear."""

import base64
import logging
import os
import re
import sys
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import select

from invictus_desktop.logs import configure_logging
from invictus_desktop.services.profile import unlock
from invictus_desktop.store.engine import raw_key_pragma
from invictus_desktop.store.migrate import backup_copy
from invictus_desktop.store.models import (
    Activity,
    LocalIdentity,
    Quad,
    RunningNoteLine,
    School,
    StaffMember,
    Term,
    Trust,
)
from tests.conftest import PASSPHRASE
from tests.helpers import data_key

TEACHER = ("Siân", "Quarrington-Obuya")
SCHOOL = "Zephyrine Academy"
NOTE = "Pupils in 9X2 unsure of photosynthesis; Siân re-explained chlorophyll"


@pytest.fixture
def logging_to_profile(locked_profile):
    configure_logging(locked_profile.logs, level=logging.DEBUG)
    yield locked_profile.logs
    configure_logging(None)


def _record_a_visit(profile) -> None:
    with profile.store.session() as session:
        trust_id = session.scalar(select(Trust.id))
        school = School(trust_id=trust_id, name=SCHOOL, headteacher_name="Mr Ellery Vance")
        staff = StaffMember(school=school, first_name=TEACHER[0], last_name=TEACHER[1])
        quad = Quad(
            reference="Q-2026-ZA-1",
            school=school,
            academic_year="2026/27",
            term=Term.AUTUMN,
            starts_on=date(2026, 11, 17),
            ends_on=date(2026, 11, 18),
        )
        session.add_all([school, staff, quad])
        session.flush()
        activity = Activity(
            quad_id=quad.id,
            author_id=profile.person_id,
            staff_member_id=staff.id,
            teacher_name=" ".join(TEACHER),
            strengths="Warm, purposeful questioning by Siân",
        )
        activity.running_notes.append(
            RunningNoteLine(quad_id=quad.id, stamped_at=datetime.now(UTC), text=NOTE)
        )
        session.add(activity)


def _forms_of(text: str) -> set[bytes]:
    """The ways `text` could sit on disk: as typed, as the full-text index keeps
    it (lower case, accents dropped), in UTF-8 and UTF-16."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    forms = set()
    for variant in {text, text.lower(), folded}:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            forms.add(variant.encode(encoding))
    return forms


def _secrets_in(files: list[Path], secrets: list[str]) -> list[str]:
    # Words of four letters or more: shorter ones turn up in any bytes by chance.
    words = {word for secret in secrets for word in re.findall(r"\w{4,}", secret)}
    found = []
    for path in files:
        data = path.read_bytes()
        found += [
            f"{word!r} in {path.name}"
            for word in sorted(words)
            if any(form in data for form in _forms_of(word))
        ]
    return found


def test_records_leave_no_plain_text_in_store_log_backups_or_logs(
    locked_profile, logging_to_profile
):
    secrets = [*TEACHER, SCHOOL, NOTE, "Ellery Vance", PASSPHRASE]
    profile = unlock(locked_profile, PASSPHRASE)
    try:
        _record_a_visit(profile)
        with profile.store.session() as session:
            assert session.scalar(select(RunningNoteLine.text)) == NOTE
            identity_key = session.scalar(select(LocalIdentity.signing_private))
        backup_copy(locked_profile.database, data_key(locked_profile),
                    locked_profile.backups, label="test")

        # While open, the latest commits live in the write-ahead log.
        log_file = locked_profile.root / "store.db-wal"
        assert log_file.stat().st_size > 0
        open_files = [p for p in locked_profile.root.rglob("*") if p.is_file()]
        assert _secrets_in(open_files, secrets) == []
        assert not any(identity_key in p.read_bytes() for p in open_files)
    finally:
        profile.lock()

    files = [p for p in locked_profile.root.rglob("*") if p.is_file()]
    assert {p.parent.name for p in files} >= {"profile", "backups", "logs"}
    assert (logging_to_profile / "invictus.log").stat().st_size > 0
    assert _secrets_in(files, secrets) == []
    assert not any(identity_key in p.read_bytes() for p in files)


def test_vault_holds_no_key_in_clear(locked_profile):
    key = data_key(locked_profile)
    vault = locked_profile.vault.read_bytes()

    for form in (
        key,
        key.hex().encode(),
        key.hex().upper().encode(),
        base64.b64encode(key),
        base64.urlsafe_b64encode(key),
        base64.b32encode(key),
        PASSPHRASE.encode(),
    ):
        assert form not in vault


def _temp_files_open() -> list[str]:
    """Files this process holds open in SQLite's temp folder (named etilqs_*,
    unlinked at once, so only /proc still shows them)."""
    targets = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            targets.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return [target for target in targets if "etilqs_" in target]


def _spill_a_temp_table(connection) -> None:
    # A tiny temp cache forces SQLite to page a temp table out to its temp store.
    connection.execute("PRAGMA temp.cache_size = 2")
    connection.execute("CREATE TEMP TABLE scratch (note TEXT)")
    connection.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
        "INSERT INTO scratch SELECT ? || hex(randomblob(100)) FROM n",
        (NOTE,),
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_temporary_data_stays_in_memory(new_profile, tmp_path):
    # The detector works: a connection told to use files opens one.
    control = sqlcipher3.connect(tmp_path / "control.db", isolation_level=None)
    control.execute(raw_key_pragma(bytes(32)))
    control.execute("PRAGMA temp_store = FILE")
    _spill_a_temp_table(control)
    assert _temp_files_open()
    control.close()
    assert not _temp_files_open()

    with new_profile.store.engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver.execute("PRAGMA temp_store").fetchone() == (2,)  # MEMORY
        _spill_a_temp_table(driver)
        assert _temp_files_open() == []
        driver.execute("DROP TABLE temp.scratch")

"""Failure mode 3: the app is killed between download, apply and cursor update.

A child process syncs and SIGKILLs itself at each dangerous point; the parent
reopens the store and syncs again. Every change must then be there exactly
once, the cursor must match what was applied, and nothing applied may have
been queued to be sent back.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from invictus_desktop.services.profile import open_with_key
from invictus_desktop.store.models import (
    AppliedSegment,
    OutboxEntry,
    OutgoingSegment,
    SyncCursor,
)
from invictus_desktop.store.vault import read_vault
from tests.conftest import PASSPHRASE
from tests.sync.replicas import add_school, engine_for, introduce, make_laptop, school_names

REPO = Path(__file__).resolve().parents[2]


def run_child_until_killed(profile_root: Path, url: str, point: str, key: bytes) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "tests.sync.sync_child", str(profile_root), url, point],
        input=key.hex() + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    assert completed.returncode == -signal.SIGKILL, completed.stdout + completed.stderr


@pytest.mark.parametrize("point", ["downloaded", "applied", "cursor"])
def test_03_killed_mid_pull_then_synced_again_applies_everything_once(
    tmp_path, repository, point
):
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    introduce(ann, ben)
    writer, reader = engine_for(ann, repository.url), engine_for(ben, repository.url)
    writer.create_repository()
    reader.join_repository()
    reader.sync()  # ben's own segments go first, so the child only pulls
    schools = []
    for number in range(3):
        schools.append(add_school(ann, f"School {number}"))
        writer.sync()
    with ann.store.session() as session:
        written = session.scalar(select(func.count()).select_from(OutgoingSegment))
    key = read_vault(ben.paths).unwrap_with_passphrase(PASSPHRASE)
    with ben.store.session() as session:
        queued_before = session.scalar(select(func.count()).select_from(OutboxEntry))
    reader.client.close()
    ben.lock()

    run_child_until_killed(ben.paths.root, repository.url, point, key)

    ben = open_with_key(ben.paths, key)
    with ben.store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA quick_check")).scalar() == "ok"
    with ben.store.session() as session:
        cursor = session.get(SyncCursor, ("trust", ann.store.device_id))
        applied = session.scalar(select(func.count()).select_from(AppliedSegment))
    assert (cursor.applied_seq if cursor else 0) == applied  # never ahead, never behind

    engine_for(ben, repository.url).sync()

    assert set(schools) <= set(school_names(ben))
    with ben.store.session() as session:
        assert (
            session.get(SyncCursor, ("trust", ann.store.device_id)).applied_seq == written
        )
        assert session.scalar(select(func.count()).select_from(AppliedSegment)) == written
        assert (
            session.scalar(select(func.count()).select_from(OutboxEntry)) == queued_before
        )
    writer.client.close()
    ann.lock()
    ben.lock()


def test_03_14_killed_after_upload_before_marking_sent_sends_the_same_file_again(
    tmp_path, repository
):
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    introduce(ann, ben)
    writer, reader = engine_for(ann, repository.url), engine_for(ben, repository.url)
    writer.create_repository()
    reader.join_repository()
    school_id = add_school(ann, "Kinver High School")
    key = read_vault(ann.paths).unwrap_with_passphrase(PASSPHRASE)
    writer.client.close()
    ann.lock()

    run_child_until_killed(ann.paths.root, repository.url, "uploaded", key)

    ann = open_with_key(ann.paths, key)
    report = engine_for(ann, repository.url).sync()
    reader.sync()

    assert report.sent == 1
    log_folder = repository.root / "partitions" / "trust" / ann.store.device_id / "00000"
    assert len([p for p in log_folder.iterdir() if p.name.endswith(".seg")]) == 1
    assert school_names(ben)[school_id] == "Kinver High School"
    ann.lock()
    ben.lock()

"""SIGKILL a process mid-edit, many times: no acknowledged edit may be lost.

Like SQLite's own crash tests: a child edits a visit continuously and reports
each edit once saved; the parent kills it at a random moment, reopens the
store, checks its integrity and looks for every acknowledged edit.
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from invictus_desktop.services import visits
from invictus_desktop.services.profile import open_with_key
from invictus_desktop.store.vault import read_vault
from tests.conftest import PASSPHRASE
from tests.services.factories import plan_quad

QUICK_TRIALS = 12
FULL_TRIALS = 200
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def visit_being_edited(new_profile):
    planned = plan_quad(new_profile)
    activity_id = visits.start_visit(new_profile, planned.quad_id, planned.slot_id)
    key = read_vault(new_profile.paths).unwrap_with_passphrase(PASSPHRASE)
    new_profile.lock()
    return new_profile.paths, activity_id, key


def _run_one_trial(paths, activity_id: str, key: bytes, rng: random.Random) -> int:
    """Start the child, let it edit for a random while, SIGKILL it; return last ACK."""
    with subprocess.Popen(
        [sys.executable, "-m", "tests.crash.editor_child", str(paths.root), activity_id],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    ) as child:
        child.stdin.write(key.hex() + "\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "READY"

        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait()
        # What the child printed before it died is still in the pipe.
        acks = [int(line.split()[1]) for line in child.stdout.read().splitlines()
                if line.startswith("ACK ")]
    return max(acks, default=0)


def _check_survivors(paths, activity_id: str, key: bytes, acknowledged: int,
                     earlier_lines: int) -> int:
    """Integrity holds and every acknowledged edit is there; returns lines present."""
    profile = open_with_key(paths, key)
    try:
        with profile.store.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert connection.execute(text("PRAGMA cipher_integrity_check")).all() == []
        record = visits.load_visit(profile, activity_id)
    finally:
        profile.lock()

    trial_lines = [n.text for n in record.notes][earlier_lines:]
    expected = [f"line {n}" for n in range(1, acknowledged + 1)]
    assert trial_lines[:acknowledged] == expected, "an acknowledged note line was lost"
    # The edit after the last ACK may have committed before the kill; no later one can.
    assert len(trial_lines) <= acknowledged + 1
    if acknowledged:
        saved_edit = int(str(record.fields["strengths"]).split()[1])
        assert saved_edit in (acknowledged, acknowledged + 1)
    return earlier_lines + len(trial_lines)


def _run_trials(visit_being_edited, trials: int) -> None:
    paths, activity_id, key = visit_being_edited
    rng = random.Random(20261203)
    lines_so_far = 0
    total_acknowledged = 0
    for _ in range(trials):
        acknowledged = _run_one_trial(paths, activity_id, key, rng)
        total_acknowledged += acknowledged
        lines_so_far = _check_survivors(paths, activity_id, key, acknowledged, lines_so_far)
    assert total_acknowledged > trials, "the child hardly edited; the test proved nothing"
    print(f"{trials} kills, {total_acknowledged} acknowledged edits, 0 lost")


def test_no_acknowledged_edit_is_lost_quick(visit_being_edited):
    _run_trials(visit_being_edited, QUICK_TRIALS)


@pytest.mark.slow
def test_no_acknowledged_edit_is_lost_in_200_kills(visit_being_edited):
    _run_trials(visit_being_edited, FULL_TRIALS)

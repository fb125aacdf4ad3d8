"""The store: open time after the KDF, and commit latency against raw sqlcipher3.

Baselines:
- open: a raw sqlcipher3 connection keyed with the same raw key, first read.
- commit: one raw sqlcipher3 insert+commit (and update+commit) of the same row
  with the same pragmas (WAL, synchronous=FULL), on the same disk.
- autosave in a large store (18,000 visits with their notes and evidence,
  bench/large_store.py): the same autosave in the small store, sampled
  alternately; the ratio is what a large trust's size adds to each keystroke.
"""

import tempfile
from pathlib import Path

from bench.common import Figure, paired_medians
from bench.large_store import large_store
from invictus_desktop.crypto.kdf import KdfParams
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services import visits
from invictus_desktop.services.profile import NewProfile, create_profile, open_with_key
from invictus_desktop.store.engine import open_raw_connection
from invictus_desktop.store.models import Role
from invictus_desktop.store.vault import read_vault

PASSPHRASE = "benchmark passphrase"
REPEATS = 60


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        paths = ProfilePaths(Path(folder) / "profile")
        profile, _ = create_profile(paths, NewProfile("Bench", Role.CONSULTANT, PASSPHRASE),
                                    kdf_params=KdfParams())
        key = read_vault(paths).unwrap_with_passphrase(PASSPHRASE)
        quad_id, activity_id = _a_visit(profile)
        profile.lock()
        return [
            _open_figure(paths, key),
            _insert_figure(paths, key, quad_id),
            _autosave_figure(paths, key, activity_id),
            _large_store_autosave_figure(paths, key, activity_id),
        ]


def _a_visit(profile) -> tuple[str, str]:
    from tests.services.factories import plan_quad

    planned = plan_quad(profile)
    return planned.quad_id, visits.start_visit(profile, planned.quad_id, planned.slot_id)


def _open_figure(paths: ProfilePaths, key: bytes) -> Figure:
    def open_store() -> None:
        open_with_key(paths, key).lock()

    def open_raw() -> None:
        connection = open_raw_connection(paths.database, key)
        connection.execute("SELECT person_id FROM local_identity").fetchone()
        connection.close()

    app, raw = paired_medians(open_store, open_raw, REPEATS)
    return Figure("store open after the KDF (unlock minus Argon2id)", app,
                  "raw sqlcipher3 keyed open + read", raw, "under 20 ms")


def _insert_figure(paths: ProfilePaths, key: bytes, quad_id: str) -> Figure:
    """A single-row commit through the app (ORM, outbox row, clock) vs raw SQL."""
    profile = open_with_key(paths, key)
    activity_id = visits.start_visit(profile, quad_id)
    raw = open_raw_connection(paths.database, key)
    counter = iter(range(10**9))

    def app_commit() -> None:
        visits.add_note_line(profile, activity_id, f"line {next(counter)}")

    def raw_commit() -> None:
        raw.execute("BEGIN")
        raw.execute(
            "INSERT INTO running_note_line (id, quad_id, activity_id, stamped_at, text, "
            "position, created_at, updated_at) VALUES (lower(hex(randomblob(16))), ?, ?, "
            "datetime('now'), ?, 0, datetime('now'), datetime('now'))",
            (quad_id, activity_id, f"raw {next(counter)}"),
        )
        raw.execute("COMMIT")

    try:
        app, baseline = paired_medians(app_commit, raw_commit, REPEATS)
        return Figure("single-row commit (new note line)", app,
                      "raw sqlcipher3 insert+commit", baseline, "within 2x")
    finally:
        raw.close()
        profile.lock()


def _autosave_figure(paths: ProfilePaths, key: bytes, activity_id: str) -> Figure:
    """The autosave of a typed field vs a raw update+commit of the same row."""
    profile = open_with_key(paths, key)
    raw = open_raw_connection(paths.database, key)
    counter = iter(range(10**9))

    def autosave() -> None:
        visits.save_fields(profile, activity_id, {"strengths": f"typed {next(counter)}"})

    def raw_update() -> None:
        raw.execute("BEGIN")
        raw.execute("UPDATE activity SET strengths = ?, updated_at = datetime('now') "
                    "WHERE id = ?", (f"raw {next(counter)}", activity_id))
        raw.execute("COMMIT")

    try:
        app, baseline = paired_medians(autosave, raw_update, REPEATS)
        return Figure("autosave commit (visit field)", app,
                      "raw sqlcipher3 update+commit", baseline, "within 2x")
    finally:
        raw.close()
        profile.lock()


def _large_store_autosave_figure(paths: ProfilePaths, key: bytes, activity_id: str) -> Figure:
    """The same autosave in a large trust's store vs in the small store."""
    with large_store() as large:
        small_profile = open_with_key(paths, key)
        large_profile = open_with_key(large.paths, large.key)
        counter = iter(range(10**9))

        def autosave_large() -> None:
            visits.save_fields(large_profile, large.activity_id,
                               {"strengths": f"typed {next(counter)}"})

        def autosave_small() -> None:
            visits.save_fields(small_profile, activity_id,
                               {"strengths": f"typed {next(counter)}"})

        try:
            app, baseline = paired_medians(autosave_large, autosave_small, REPEATS)
            return Figure(f"autosave commit in a large store ({large.visits:,} visits, "
                          f"{large.note_lines:,} note lines)", app,
                          "the same autosave, small store", baseline, "within 1.5x")
        finally:
            large_profile.lock()
            small_profile.lock()

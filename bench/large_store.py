"""A large trust's store, built quickly for the autosave figure.

40 schools, 5 years, a QUAD each term, 30 visits each: 600 QUADs and 18,000
visits, each with running notes and evidence, about a quarter of a million
rows. It is built in a temporary profile through the real encrypted store
(nothing is cached on disk in plain text): a few rows through the services
(the visit that is then autosaved, and one template of each kind), then raw
inserts in one transaction that clone the templates with new ids and text.
The search triggers are set aside while the rows go in and every document is
indexed once at the end, as a migration indexes records written before it;
otherwise each inserted line would rebuild its visit's document.
"""

import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from invictus_desktop.crypto.kdf import KdfParams
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services import visits
from invictus_desktop.services.profile import NewProfile, create_profile
from invictus_desktop.store.engine import open_raw_connection
from invictus_desktop.store.models import Role
from invictus_desktop.store.vault import read_vault

PASSPHRASE = "benchmark passphrase"
QUADS = 600
VISITS_PER_QUAD = 30
NOTE_LINES_PER_VISIT = 12
WORDS_PER_LINE = 10


@dataclass(frozen=True)
class LargeStore:
    paths: ProfilePaths
    key: bytes
    activity_id: str  # made through the services, in a QUAD whose team holds the signer
    visits: int
    note_lines: int
    evidence_entries: int


@contextmanager
def large_store(quads: int = QUADS) -> Iterator[LargeStore]:
    with tempfile.TemporaryDirectory() as folder:
        paths = ProfilePaths(Path(folder) / "profile")
        profile, _ = create_profile(paths, NewProfile("Bench", Role.CONSULTANT, PASSPHRASE),
                                    kdf_params=KdfParams())
        key = read_vault(paths).unwrap_with_passphrase(PASSPHRASE)
        try:
            templates = _templates(profile)
        finally:
            profile.lock()
        counts = _fill(paths, key, templates, quads)
        yield LargeStore(paths, key, templates.activity_id, *counts)


@dataclass(frozen=True)
class _Templates:
    quad_id: str
    activity_id: str
    template_activity_id: str
    note_id: str
    evidence_ids: list[str]
    focus_ids: list[str]


def _templates(profile) -> _Templates:
    from tests.services.factories import plan_quad

    planned = plan_quad(profile)
    activity_id = visits.start_visit(profile, planned.quad_id, planned.slot_id)
    template = visits.start_visit(profile, planned.quad_id, planned.slot_id)
    note_id = visits.add_note_line(profile, template, "template line")
    evidence_ids = [visits.save_evidence(profile, template, focus_id, "template", None)
                    for focus_id in planned.focus_ids]
    return _Templates(planned.quad_id, activity_id, template, note_id, evidence_ids,
                      planned.focus_ids)


def _clone_sql(raw, table: str, overrides: dict[str, str]) -> str:
    """INSERT ... SELECT copying the template row with some columns replaced,
    so the rows satisfy every NOT NULL column whatever the schema adds."""
    columns = [row[1] for row in raw.execute(f"PRAGMA table_info({table})")]
    chosen = [overrides.get(column, column) for column in columns]
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(chosen)} FROM {table} WHERE id = :template")


def _fill(paths: ProfilePaths, key: bytes, templates: _Templates, quads: int):
    rng = random.Random(20261208)
    words = _vocabulary(rng)
    raw = open_raw_connection(paths.database, key)
    try:
        raw.execute("BEGIN")
        triggers = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'visit_search%'"
        ).fetchall()
        for name, _ in triggers:
            raw.execute(f"DROP TRIGGER {name}")

        quad_sql = _clone_sql(raw, "quad", {"id": ":id", "reference": ":reference"})
        activity_sql = _clone_sql(raw, "activity", {
            "id": ":id", "quad_id": ":quad_id", "scheduled_visit_id": "NULL",
            "teacher_name": ":teacher", "strengths": ":strengths",
            "development_points": ":development"})
        note_sql = _clone_sql(raw, "running_note_line", {
            "id": ":id", "quad_id": ":quad_id", "activity_id": ":activity_id",
            "text": ":text", "position": ":position"})
        evidence_sql = _clone_sql(raw, "evidence_entry", {
            "id": ":id", "quad_id": ":quad_id", "activity_id": ":activity_id",
            "text": ":text"})

        def sentence(count: int = WORDS_PER_LINE) -> str:
            return " ".join(rng.choices(words, k=count))

        documents: list[tuple[str, str]] = []
        note_count = evidence_count = 0
        for q in range(quads):
            quad_id = f"bench{q:027d}"
            raw.execute(quad_sql, {"id": quad_id, "reference": f"Q-BENCH-{q:05d}",
                                   "template": templates.quad_id})
            activity_rows, note_rows, evidence_rows = [], [], []
            for v in range(VISITS_PER_QUAD):
                activity_id = f"bv{q:05d}{v:03d}".ljust(32, "0")
                teacher = f"{rng.choice(words).title()} {rng.choice(words).title()}"
                strengths, development = sentence(20), sentence(15)
                activity_rows.append({"id": activity_id, "quad_id": quad_id,
                                      "teacher": teacher, "strengths": strengths,
                                      "development": development,
                                      "template": templates.template_activity_id})
                notes = [sentence() for _ in range(NOTE_LINES_PER_VISIT)]
                note_rows += [{"id": f"bn{q:05d}{v:03d}{n:03d}".ljust(32, "0"),
                               "quad_id": quad_id, "activity_id": activity_id,
                               "text": line, "position": n, "template": templates.note_id}
                              for n, line in enumerate(notes)]
                evidence = [sentence(25) for _ in templates.evidence_ids]
                evidence_rows += [{"id": f"be{q:05d}{v:03d}{e:03d}".ljust(32, "0"),
                                   "quad_id": quad_id, "activity_id": activity_id,
                                   "text": text, "template": template}
                                  for e, (text, template)
                                  in enumerate(zip(evidence, templates.evidence_ids,
                                                   strict=True))]
                documents.append((activity_id, " ".join(
                    [teacher, "Maths", "9X/Ma", "M4", strengths, development, "", "",
                     " ".join(evidence), " ".join(notes)])))
            raw.executemany(activity_sql, activity_rows)
            raw.executemany(note_sql, note_rows)
            raw.executemany(evidence_sql, evidence_rows)
            note_count += len(note_rows)
            evidence_count += len(evidence_rows)

        _index(raw, documents)
        for _, sql in triggers:
            raw.execute(sql)
        raw.execute("COMMIT")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return len(documents), note_count, evidence_count
    finally:
        raw.close()


def _index(raw, documents: list[tuple[str, str]]) -> None:
    """The search documents of the cloned visits, as revision 0007 fills them:
    a row number per visit in visit_search_doc, the document under that rowid."""
    raw.executemany("INSERT INTO visit_search_doc (activity_id) VALUES (?)",
                    [(activity_id,) for activity_id, _ in documents])
    raw.executemany(
        "INSERT INTO visit_search (rowid, activity_id, body) "
        "SELECT doc, activity_id, ? FROM visit_search_doc WHERE activity_id = ?",
        [(body, activity_id) for activity_id, body in documents])


def _vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """Made-up words of two to four syllables: enough distinct terms that the
    index is not one giant posting list."""
    syllables = ["ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe",
                 "qui", "ro", "su", "ta", "ve", "wi", "xo", "ya", "ze", "bra", "cle",
                 "dri", "fla", "gro", "pla", "sti", "tro", "ment", "tion", "ness"]
    found: set[str] = set()
    while len(found) < size:
        found.add("".join(rng.choices(syllables, k=rng.randint(2, 4))))
    return sorted(found)

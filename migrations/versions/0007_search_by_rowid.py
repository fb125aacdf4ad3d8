"""visit search replaced by rowid; indexes on the activity_id foreign keys

Every autosave of a visit rebuilds its search document (the triggers of
0002). Before this revision that cost grew with the whole store: building the
document scanned every running-note line and evidence entry (no index on
their activity_id), and `DELETE FROM visit_search WHERE activity_id = ?`
scanned the whole FTS5 table (an UNINDEXED column cannot be searched by
value). At a large trust's size (18,000 visits) one autosave took some 300 ms.

Now:

- `running_note_line.activity_id` and `evidence_entry.activity_id` are
  indexed (the triggers and the app's own loads of a visit's lines and
  evidence select by them).
- `visit_search_doc` maps each activity to the rowid of its current FTS5 row
  (`doc INTEGER PRIMARY KEY`, `activity_id` UNIQUE), so replacing a visit's
  document is two B-tree lookups and a delete by rowid, whatever the size.

Why a mapping table rather than the alternatives:

- the implicit rowid of `activity` (its key is a text id) is not stable:
  VACUUM may renumber it, and a batch migration that copies the table does;
  the index would silently point at other visits;
- an integer column on `activity` would be a synced field that means nothing
  on another laptop, and an external-content table needs such a column too;
- a contentless table would drop the copy of the text FTS5 keeps (disk, not
  time, and encrypted like the rest), but it returns `activity_id`, which
  every MATCH query here selects, only with `contentless_unindexed` (SQLite
  3.47 or later), and it still needs the rowid from somewhere: this table.

The FTS5 table keeps its columns (`activity_id UNINDEXED, body`) and its
tokenizer, so queries and ranks are unchanged. A rebuilt document takes a new
rowid (a new mapping row: the highest plus one), as it did before when it was
deleted and inserted again; FTS5 returns equal ranks in rowid order, so
results come in the same order as before, ties included. Existing documents
keep their relative order: they are numbered in the old table's rowid order.

Revision ID: 0007_search_by_rowid
Revises: 0006_conflict_settlements
Create Date: 2026-12-04
"""

from alembic import op

revision = "0007_search_by_rowid"
down_revision = "0006_conflict_settlements"
branch_labels = None
depends_on = None

# The document of 0002, unchanged (a revision never imports another).
DOCUMENT = """
    coalesce(a.teacher_name, '') || ' ' || coalesce(a.subject, '') || ' ' ||
    coalesce(a.class_name, '') || ' ' || coalesce(a.room, '') || ' ' ||
    coalesce(a.strengths, '') || ' ' || coalesce(a.development_points, '') || ' ' ||
    coalesce(a.follow_up_questions, '') || ' ' || coalesce(a.other_adults, '') || ' ' ||
    coalesce((SELECT group_concat(e.text, ' ') FROM evidence_entry e
              WHERE e.activity_id = a.id), '') || ' ' ||
    coalesce((SELECT group_concat(n.text, ' ') FROM running_note_line n
              WHERE n.activity_id = a.id), '')
"""

CREATE_FTS = (
    "CREATE VIRTUAL TABLE visit_search USING fts5("
    "activity_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"
)

TRIGGER_NAMES = [
    f"visit_search_{table}_{event}"
    for table in ("activity", "evidence", "note")
    for event in ("insert", "update", "delete")
]


def _unindex(activity_id_sql: str) -> str:
    return f"""
        DELETE FROM visit_search WHERE rowid =
            (SELECT doc FROM visit_search_doc WHERE activity_id = {activity_id_sql});
        DELETE FROM visit_search_doc WHERE activity_id = {activity_id_sql};
    """


def _reindex(activity_id_sql: str) -> str:
    return _unindex(activity_id_sql) + f"""
        INSERT INTO visit_search_doc (activity_id)
            SELECT a.id FROM activity a WHERE a.id = {activity_id_sql};
        INSERT INTO visit_search (rowid, activity_id, body)
            SELECT d.doc, a.id, {DOCUMENT}
            FROM activity a JOIN visit_search_doc d ON d.activity_id = a.id
            WHERE a.id = {activity_id_sql};
    """


TRIGGERS = {
    "visit_search_activity_insert": ("AFTER INSERT ON activity", _reindex("NEW.id")),
    "visit_search_activity_update": ("AFTER UPDATE ON activity", _reindex("NEW.id")),
    "visit_search_activity_delete": ("AFTER DELETE ON activity", _unindex("OLD.id")),
    "visit_search_evidence_insert": ("AFTER INSERT ON evidence_entry", _reindex("NEW.activity_id")),
    "visit_search_evidence_update": ("AFTER UPDATE ON evidence_entry", _reindex("NEW.activity_id")),
    "visit_search_evidence_delete": ("AFTER DELETE ON evidence_entry", _reindex("OLD.activity_id")),
    "visit_search_note_insert": ("AFTER INSERT ON running_note_line", _reindex("NEW.activity_id")),
    "visit_search_note_update": ("AFTER UPDATE ON running_note_line", _reindex("NEW.activity_id")),
    "visit_search_note_delete": ("AFTER DELETE ON running_note_line", _reindex("OLD.activity_id")),
}
assert sorted(TRIGGERS) == sorted(TRIGGER_NAMES)

# 0002's triggers, for downgrade.
OLD_DELETE = "DELETE FROM visit_search WHERE activity_id = {id};"
OLD_INSERT = (
    "INSERT INTO visit_search (activity_id, body) "
    "SELECT a.id, {document} FROM activity a WHERE a.id = {id};"
)


def _old_reindex(activity_id_sql: str) -> str:
    return (OLD_DELETE.format(id=activity_id_sql)
            + OLD_INSERT.format(id=activity_id_sql, document=DOCUMENT))


OLD_TRIGGERS = {
    "visit_search_activity_insert": ("AFTER INSERT ON activity", _old_reindex("NEW.id")),
    "visit_search_activity_update": ("AFTER UPDATE ON activity", _old_reindex("NEW.id")),
    "visit_search_activity_delete": ("AFTER DELETE ON activity", OLD_DELETE.format(id="OLD.id")),
    "visit_search_evidence_insert": ("AFTER INSERT ON evidence_entry",
                                     _old_reindex("NEW.activity_id")),
    "visit_search_evidence_update": ("AFTER UPDATE ON evidence_entry",
                                     _old_reindex("NEW.activity_id")),
    "visit_search_evidence_delete": ("AFTER DELETE ON evidence_entry",
                                     _old_reindex("OLD.activity_id")),
    "visit_search_note_insert": ("AFTER INSERT ON running_note_line",
                                 _old_reindex("NEW.activity_id")),
    "visit_search_note_update": ("AFTER UPDATE ON running_note_line",
                                 _old_reindex("NEW.activity_id")),
    "visit_search_note_delete": ("AFTER DELETE ON running_note_line",
                                 _old_reindex("OLD.activity_id")),
}


def upgrade() -> None:
    with op.batch_alter_table("running_note_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_running_note_line_activity_id"), ["activity_id"], unique=False
        )
    with op.batch_alter_table("evidence_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_entry_activity_id"), ["activity_id"], unique=False
        )

    # Number the documents in the old table's rowid order (then any visit it
    # missed), so that equal ranks keep coming out in the same order.
    op.execute(
        "CREATE TABLE visit_search_doc ("
        "doc INTEGER PRIMARY KEY, activity_id VARCHAR(32) NOT NULL UNIQUE)"
    )
    op.execute(
        "INSERT OR IGNORE INTO visit_search_doc (activity_id) "
        "SELECT s.activity_id FROM visit_search s "
        "WHERE s.activity_id IN (SELECT id FROM activity) ORDER BY s.rowid"
    )
    op.execute(
        "INSERT OR IGNORE INTO visit_search_doc (activity_id) SELECT id FROM activity ORDER BY id"
    )

    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE visit_search")
    op.execute(CREATE_FTS)
    # Rebuilt from the records (with the new indexes, one pass), as the triggers would.
    op.execute(
        f"INSERT INTO visit_search (rowid, activity_id, body) "
        f"SELECT d.doc, a.id, {DOCUMENT} "
        f"FROM visit_search_doc d JOIN activity a ON a.id = d.activity_id ORDER BY d.doc"
    )
    for name, (when, body) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def downgrade() -> None:
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE visit_search")
    op.execute(CREATE_FTS)
    op.execute(
        f"INSERT INTO visit_search (activity_id, body) "
        f"SELECT a.id, {DOCUMENT} "
        f"FROM visit_search_doc d JOIN activity a ON a.id = d.activity_id ORDER BY d.doc"
    )
    op.execute("DROP TABLE visit_search_doc")
    for name, (when, body) in OLD_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")

    with op.batch_alter_table("evidence_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_entry_activity_id"))
    with op.batch_alter_table("running_note_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_running_note_line_activity_id"))

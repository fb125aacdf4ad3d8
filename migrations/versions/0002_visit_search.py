"""full-text search over visit records (FTS5, inside the encrypted store)

One document per activity: its own text fields, its evidence and its running
notes. Triggers keep the index current, so every write path is covered
without the services having to remember it.

Revision ID: 0002_visit_search
Revises: 0001_initial
Create Date: 2026-12-03
"""

from alembic import op

revision = "0002_visit_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

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


def _reindex(activity_id_sql: str) -> str:
    return f"""
        DELETE FROM visit_search WHERE activity_id = {activity_id_sql};
        INSERT INTO visit_search (activity_id, body)
            SELECT a.id, {DOCUMENT} FROM activity a WHERE a.id = {activity_id_sql};
    """


TRIGGERS = {
    "visit_search_activity_insert": ("AFTER INSERT ON activity", _reindex("NEW.id")),
    "visit_search_activity_update": ("AFTER UPDATE ON activity", _reindex("NEW.id")),
    "visit_search_activity_delete": (
        "AFTER DELETE ON activity",
        "DELETE FROM visit_search WHERE activity_id = OLD.id;",
    ),
    "visit_search_evidence_insert": ("AFTER INSERT ON evidence_entry", _reindex("NEW.activity_id")),
    "visit_search_evidence_update": ("AFTER UPDATE ON evidence_entry", _reindex("NEW.activity_id")),
    "visit_search_evidence_delete": ("AFTER DELETE ON evidence_entry", _reindex("OLD.activity_id")),
    "visit_search_note_insert": ("AFTER INSERT ON running_note_line", _reindex("NEW.activity_id")),
    "visit_search_note_update": ("AFTER UPDATE ON running_note_line", _reindex("NEW.activity_id")),
    "visit_search_note_delete": ("AFTER DELETE ON running_note_line", _reindex("OLD.activity_id")),
}


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE visit_search USING fts5("
        "activity_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    for name, (when, body) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")

    # Index what earlier versions recorded.
    op.execute(f"INSERT INTO visit_search (activity_id, body) SELECT a.id, {DOCUMENT} FROM activity a")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS visit_search")

"""Keeping the visit search index current while many changes arrive at once.

Every insert or update of a visit, its evidence or its running notes rebuilds
that visit's search document (the triggers of migrations 0002 and 0007). For
one autosave that is right. A first sync applies hundreds of such changes in
one transaction, often dozens to the same visit, and rebuilt each visit's
document once per change: most of the time a QUAD's first pull took.

`deferred_search_index` takes the insert and update triggers out for the
length of one transaction, notes in a temporary table which visits were
touched, and at the end puts the triggers back from their own stored SQL and
touches each of those visits once, in the order they were last touched, so
every document is rebuilt by the very triggers that would have rebuilt it,
and the documents take their rowids in the same order as before (equal ranks
come out in rowid order). The delete triggers stay: deletions are rare, and
they must see the row that goes.

SQLite's DDL is transactional: if the process dies before the commit, the
triggers were never gone. Other connections cannot write meanwhile (the
transaction holds the write lock) and read the schema as it was until the
commit, triggers included.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection

# What each deferred trigger's table calls the visit a row belongs to.
_VISIT_OF = {
    "activity": "id",
    "evidence_entry": "activity_id",
    "running_note_line": "activity_id",
}
_TOUCHED = "temp.search_touched"


@contextmanager
def deferred_search_index(connection: Connection) -> Iterator[None]:
    """Within the caller's transaction: defer search documents to the end.

    Must be entered before any savepoint whose rollback could otherwise undo the
    triggers' removal but not their return; the caller commits afterwards."""
    deferred = _deferrable_triggers(connection)
    _note_touched_visits(connection)
    for name, _sql in deferred:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')

    yield  # an exception ends the transaction with a rollback, triggers and all

    for _name, sql in deferred:
        connection.exec_driver_sql(sql)
    _stop_noting(connection)
    touched = connection.exec_driver_sql(
        f"SELECT activity_id FROM {_TOUCHED} ORDER BY touched"
    ).all()
    # A no-op update fires the visit's own update trigger: its document is
    # rebuilt exactly as an edit would rebuild it (a visit deleted meanwhile
    # matches nothing; its delete trigger already removed its document).
    if touched:
        connection.exec_driver_sql(
            "UPDATE activity SET updated_at = updated_at WHERE id = ?",
            [tuple(row) for row in touched],
        )
    connection.exec_driver_sql(f"DELETE FROM {_TOUCHED}")


def _deferrable_triggers(connection: Connection) -> list[tuple[str, str]]:
    rows = connection.exec_driver_sql(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND name LIKE 'visit\\_search\\_%' ESCAPE '\\' ORDER BY name"
    ).all()
    return [
        (name, sql)
        for name, table, sql in rows
        if table in _VISIT_OF and name.endswith(("_insert", "_update"))
    ]


def _note_touched_visits(connection: Connection) -> None:
    # Replacing a row gives it a new `touched`: the order is of last touches.
    connection.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {_TOUCHED} "
        "(touched INTEGER PRIMARY KEY, activity_id TEXT NOT NULL UNIQUE)"
    )
    for table, visit in _VISIT_OF.items():
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW")):
            connection.exec_driver_sql(
                f"CREATE TEMP TRIGGER IF NOT EXISTS search_touched_{table}_{event} "
                f"AFTER {event} ON main.{table} BEGIN "
                f"INSERT OR REPLACE INTO search_touched (activity_id) "
                f"VALUES ({row}.{visit}); END"
            )


def _stop_noting(connection: Connection) -> None:
    for table in _VISIT_OF:
        for event in ("INSERT", "UPDATE"):
            connection.exec_driver_sql(
                f"DROP TRIGGER IF EXISTS temp.search_touched_{table}_{event}"
            )

"""Queue every change to a synced row in the same transaction as the change.

An `after_flush` hook turns each new, changed or deleted `Synced` row into an
outbox entry. It runs inside the flush's transaction, so the entry commits or
rolls back with the change itself: sync can neither miss a change nor send one
that never happened. It runs after the flush's own statements, so a payload
holds what was written: keys filled in through a relationship
(`version.files.append(...)`), column defaults and the row's partition.

Each entry is stamped by `LocalClock`, this laptop's hybrid logical clock.
"""

import base64
import enum
import json
import threading
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from invictus_desktop.store import hlc
from invictus_desktop.store.models import OutboxEntry, Synced

# Set in `session.info` while sync applies other people's changes: those are not
# this laptop's to send again.
APPLYING_REMOTE_CHANGES = "applying_remote_changes"

_OUTBOX = OutboxEntry.__table__


def install_outbox(
    factory: sessionmaker[Session], device_id_of: Any, clock: "LocalClock"
) -> None:
    """Attach the hook; `device_id_of(session)` names this laptop for the clock."""

    @event.listens_for(factory, "after_flush")
    def _queue_changes(session: Session, _context) -> None:
        if session.info.get(APPLYING_REMOTE_CHANGES):
            return
        changes = list(_flushed_changes(session))
        if not changes:
            return

        connection = session.connection()
        stamps = clock.issue(connection, len(changes), device_id_of(session))
        entries = [
            {
                "partition": row.sync_partition(),
                "entity": type(row).__tablename__,
                "entity_id": row.id,
                "operation": operation,
                "payload": json.dumps(payload, sort_keys=True, ensure_ascii=False),
                "hlc": stamp,
            }
            for (operation, row, payload), stamp in zip(changes, stamps, strict=True)
        ]
        # One entry (the usual autosave) is cheaper as a plain execute.
        connection.execute(_OUTBOX.insert(), entries[0] if len(entries) == 1 else entries)


def _flushed_changes(session: Session):
    """The synced rows this flush wrote. In `after_flush` the session's new, dirty
    and deleted sets and each attribute's history still describe the flush."""
    for row in session.new:
        if isinstance(row, Synced):
            yield "upsert", row, _row_payload(row, only_changed=False)

    for row in session.dirty:
        if isinstance(row, Synced):
            payload = _row_payload(row, only_changed=True)
            if payload:  # empty when nothing that travels really changed
                yield "upsert", row, payload

    for row in session.deleted:
        if isinstance(row, Synced):
            yield "delete", row, {}


def _row_payload(row: Synced, *, only_changed: bool) -> dict[str, Any]:
    state = inspect(row)
    values = state.dict
    payload: dict[str, Any] = {}

    mapper = state.mapper
    if only_changed:
        # Only attributes set since the last flush have an original value kept;
        # their history says whether the value really changed.
        touched = [key for key in state.committed_state if key in mapper.attrs]
        columns = [key for key in touched if key in mapper.column_attrs]
        links = [key for key in touched if key in _links_of(mapper)]
    else:
        columns = [attr.key for attr in mapper.column_attrs]
        # A link never set on the new row has nothing in it (and reading it now
        # would query for nothing).
        links = [key for key in _links_of(mapper) if values.get(key)]

    for key in columns:
        if only_changed and not state.attrs[key].history.has_changes():
            continue
        # After the INSERT every column of a new row is in its __dict__
        # (given, defaulted, or filled in from a relationship).
        value = values[key] if key in values else getattr(row, key)
        if value is None and key == "id":
            continue
        payload[key] = to_json_value(value)

    # Many-to-many links travel as the full list of linked ids.
    for key in links:
        if only_changed and not state.attrs[key].history.has_changes():
            continue
        payload[key] = sorted(linked.id for linked in getattr(row, key))

    return payload


def _links_of(mapper: Any) -> frozenset[str]:
    """The many-to-many relationships of a mapped class, by attribute name."""
    links = _LINKS.get(mapper)
    if links is None:
        links = frozenset(rel.key for rel in mapper.relationships if rel.secondary is not None)
        _LINKS[mapper] = links
    return links


_LINKS: dict[Any, frozenset[str]] = {}


def to_json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


class LocalClock:
    """This laptop's hybrid logical clock: held in memory, persisted in `clock_state`.

    Values are issued inside a flush after its own writes, so SQLite's write lock
    is held: no other connection (thread or process) can issue one until this
    transaction ends, and the values of committed outbox entries increase with
    their `seq`.

    The row is written in the same transaction with a compare-and-set against
    the value this clock last wrote, so the usual flush costs one UPDATE and no
    read. When the row is not what the clock expects (the first flush since the
    store was opened, sync moved the clock past a received segment, another
    process wrote, or a transaction of ours rolled back) the clock reads it, and
    the newest outbox entry, and moves past both. A clock stepped back on this
    laptop, before or after a restart, therefore never makes it run backwards.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = hlc.Hlc(0, 0)  # the last value issued (perhaps rolled back)
        self._written: tuple[int, int] | None = None  # what this clock last wrote

    def issue(self, connection: Connection, count: int, device: str) -> list[str]:
        """`count` increasing clock values, the row moved past them in this transaction."""
        with self._lock:
            if self._written is not None:
                stamps = self._ticks(self._last, count, device)
                newest = stamps[-1]
                moved = connection.exec_driver_sql(
                    "UPDATE clock_state SET wall_ms = ?, counter = ? "
                    "WHERE id = 1 AND wall_ms = ? AND counter = ?",
                    (newest.wall_ms, newest.counter, *self._written),
                ).rowcount
                if moved == 1:
                    return self._issued(stamps)
            return self._issue_after_reading(connection, count, device)

    def _issue_after_reading(
        self, connection: Connection, count: int, device: str
    ) -> list[str]:
        row = connection.exec_driver_sql(
            "SELECT wall_ms, counter FROM clock_state WHERE id = 1"
        ).first()
        floor = max(self._last, hlc.Hlc(row[0] or 0, row[1] or 0) if row else hlc.Hlc(0, 0))
        newest_entry = connection.exec_driver_sql(
            "SELECT hlc FROM outbox_entry ORDER BY seq DESC LIMIT 1"
        ).scalar()
        if newest_entry is not None:
            floor = max(floor, _decoded(newest_entry))
        stamps = self._ticks(hlc.Hlc(floor.wall_ms, floor.counter), count, device)
        newest = stamps[-1]
        if row is None:
            connection.exec_driver_sql(
                "INSERT INTO clock_state (id, wall_ms, counter) VALUES (1, ?, ?)",
                (newest.wall_ms, newest.counter),
            )
        else:
            connection.exec_driver_sql(
                "UPDATE clock_state SET wall_ms = ?, counter = ? WHERE id = 1",
                (newest.wall_ms, newest.counter),
            )
        return self._issued(stamps)

    @staticmethod
    def _ticks(last: hlc.Hlc, count: int, device: str) -> list[hlc.Hlc]:
        stamps = []
        for _ in range(count):
            last = hlc.tick(last, device)
            stamps.append(last)
        return stamps

    def _issued(self, stamps: list[hlc.Hlc]) -> list[str]:
        newest = stamps[-1]
        self._last = hlc.Hlc(newest.wall_ms, newest.counter)
        self._written = (newest.wall_ms, newest.counter)
        return [stamp.encode() for stamp in stamps]


def _decoded(text: str) -> hlc.Hlc:
    value = hlc.Hlc.decode(text)
    return hlc.Hlc(value.wall_ms, value.counter)

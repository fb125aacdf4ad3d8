"""Queue every change to a synced row in the same transaction as the change.

A `before_flush` hook turns each new, changed or deleted `Synced` row into an
`OutboxEntry`. Because it runs inside the flush, the entry commits or rolls
back with the change itself: sync can neither miss a change nor send one that
never happened.
"""

import base64
import enum
import json
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from invictus_desktop.store import hlc
from invictus_desktop.store.models import ClockState, OutboxEntry, Synced, new_id

# Set in `session.info` while sync applies other people's changes: those are not
# this laptop's to send again.
APPLYING_REMOTE_CHANGES = "applying_remote_changes"


def install_outbox(factory: sessionmaker[Session], device_id_of: Any) -> None:
    """Attach the hook; `device_id_of(session)` names this laptop for the clock."""

    @event.listens_for(factory, "before_flush")
    def _queue_changes(session: Session, _context, _instances) -> None:
        if session.info.get(APPLYING_REMOTE_CHANGES):
            return
        changes = list(_pending_changes(session))
        if not changes:
            return

        clock = _ClockTicker(session, device_id_of(session))
        for operation, row, payload in changes:
            session.add(
                OutboxEntry(
                    partition=row.sync_partition(),
                    entity=type(row).__tablename__,
                    entity_id=row.id,
                    operation=operation,
                    payload=json.dumps(payload, sort_keys=True, ensure_ascii=False),
                    hlc=clock.next().encode(),
                )
            )
        clock.save()


def _pending_changes(session: Session):
    for row in session.new:
        if isinstance(row, Synced):
            if getattr(row, "id", None) is None:
                row.id = new_id()
            yield "upsert", row, _row_payload(row, only_changed=False)

    for row in session.dirty:
        if isinstance(row, Synced) and session.is_modified(row):
            payload = _row_payload(row, only_changed=True)
            if payload:
                yield "upsert", row, payload

    for row in session.deleted:
        if isinstance(row, Synced):
            yield "delete", row, {}


def _row_payload(row: Synced, *, only_changed: bool) -> dict[str, Any]:
    state = inspect(row)
    payload: dict[str, Any] = {}

    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if only_changed and not history.has_changes():
            continue
        value = getattr(row, attr.key)
        if value is None and attr.key == "id":
            continue
        payload[attr.key] = to_json_value(value)

    # Many-to-many links travel as the full list of linked ids.
    for rel in state.mapper.relationships:
        if rel.secondary is None:
            continue
        history = state.attrs[rel.key].history
        if only_changed and not history.has_changes():
            continue
        if not only_changed and not getattr(row, rel.key):
            continue
        payload[rel.key] = sorted(linked.id for linked in getattr(row, rel.key))

    return payload


def to_json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


class _ClockTicker:
    """Issues clock values for one flush and writes the last one back."""

    def __init__(self, session: Session, device: str) -> None:
        with session.no_autoflush:
            self._state = session.get(ClockState, 1)
        if self._state is None:
            self._state = ClockState(id=1, wall_ms=0, counter=0)
            session.add(self._state)
        self._last = hlc.Hlc(self._state.wall_ms or 0, self._state.counter or 0, device)
        self._device = device

    def next(self) -> hlc.Hlc:
        self._last = hlc.tick(self._last, self._device)
        return self._last

    def save(self) -> None:
        self._state.wall_ms = self._last.wall_ms
        self._state.counter = self._last.counter

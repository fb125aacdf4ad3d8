"""Turning this laptop's outbox into signed segments, kept until confirmed sent.

Preparation happens in one transaction: every outbox entry not yet in a
segment is grouped by partition, cut into segments of bounded size, numbered
with the next sequence number of this laptop's log for that partition, signed
and stored in `OutgoingSegment`. A watermark records how far the outbox has
been taken, so an entry is never put into two segments, and a crash before an
upload simply leaves the stored bytes to be sent next time.
"""

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from invictus_desktop.store.models import (
    FieldClock,
    LocalIdentity,
    OutboxEntry,
    OutgoingSegment,
    Setting,
    utc_now,
)
from invictus_desktop.store.outbox import to_json_value
from invictus_desktop.sync.layout import partition_folder
from invictus_desktop.sync.merge import FieldHistory
from invictus_desktop.sync.segment import Header, Op, build_segment
from invictus_desktop.sync.tables import synced_tables

log = logging.getLogger(__name__)

PREPARED_THROUGH = "sync.outbox_prepared_through"
MAX_OPS_PER_SEGMENT = 500
# Well under the parser's cap, measured in bytes as the segment will carry them.
MAX_PAYLOAD_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Author:
    device_id: str
    person_id: str
    signing_private: bytes

    @property
    def signing_public(self) -> bytes:
        key = Ed25519PrivateKey.from_private_bytes(self.signing_private).public_key()
        return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def load_author(session: Session) -> Author:
    identity = session.scalars(select(LocalIdentity)).one()
    return Author(identity.device_id, identity.person_id, identity.signing_private)


def prepare_segments(
    session: Session, author: Author, repository_id: str, max_entries: int | None = None
) -> int:
    """Seal every unsent outbox entry into segments, or the oldest `max_entries`
    of them (the rest stay for `has_unprepared`); returns how many were made."""
    watermark = _prepared_through(session)
    query = (
        select(OutboxEntry)
        .where(OutboxEntry.seq > watermark, OutboxEntry.sent_in_segment.is_(None))
        .order_by(OutboxEntry.seq)
    )
    if max_entries is not None:
        query = query.limit(max_entries)
    entries = list(session.scalars(query))
    if not entries:
        return 0
    held_rows = _load_rows(session, entries)  # later gets of them are cache hits

    by_partition: dict[str, list[OutboxEntry]] = defaultdict(list)
    for entry in entries:
        partition = _usable_partition(session, entry)
        if partition is None:
            log.warning("outbox entry %d has no partition; it stays local", entry.seq)
            continue
        by_partition[partition].append(entry)

    made = 0
    histories = load_histories(session, entries)
    for partition, partition_entries in by_partition.items():
        last_seq = session.scalar(
            select(func.max(OutgoingSegment.seq)).where(
                OutgoingSegment.partition == partition
            )
        )
        seq = last_seq or 0
        # The new segments need not be written before each history is read.
        with session.no_autoflush:
            for chunk in _chunks(partition_entries):
                ops = [_op_for(session, entry, histories) for entry in chunk]
                seq += 1
                _seal(session, author, repository_id, partition, seq, chunk, ops)
                made += 1

    _set_prepared_through(session, entries[-1].seq)
    session.flush()
    held_rows.clear()
    return made


def has_unprepared(session: Session) -> bool:
    """Whether outbox entries wait to be sealed into segments."""
    watermark = _prepared_through(session)
    found = session.scalar(
        select(OutboxEntry.seq)
        .where(OutboxEntry.seq > watermark, OutboxEntry.sent_in_segment.is_(None))
        .limit(1)
    )
    return found is not None


def unsent_segments(
    session: Session, newer_than: dict[str, int] | None = None
) -> list[OutgoingSegment]:
    """Segments not yet confirmed sent, by partition and sequence; with
    `newer_than`, only those past the given sequence number of their partition."""
    query = select(OutgoingSegment).where(OutgoingSegment.sent_at.is_(None))
    for partition, seq in (newer_than or {}).items():
        query = query.where(
            or_(OutgoingSegment.partition != partition, OutgoingSegment.seq > seq)
        )
    return list(
        session.scalars(query.order_by(OutgoingSegment.partition, OutgoingSegment.seq))
    )


def mark_sent(session: Session, confirmed: list[OutgoingSegment]) -> None:
    """Once the repository is known to hold them whole: these segments and their
    entries are sent. One statement for the segments, one for their entries."""
    if not confirmed:
        return
    session.execute(
        update(OutgoingSegment.__table__)
        .where(
            OutgoingSegment.__table__.c.partition == bindparam("b_partition"),
            OutgoingSegment.__table__.c.seq == bindparam("b_seq"),
        )
        .values(sent_at=bindparam("b_sent_at")),
        [
            {"b_partition": s.partition, "b_seq": s.seq, "b_sent_at": utc_now()}
            for s in confirmed
        ],
    )
    entries = [
        {"b_entry": entry, "b_name": s.name}
        for s in confirmed
        for entry in json.loads(s.outbox_seqs)
    ]
    if entries:
        session.execute(
            update(OutboxEntry.__table__)
            .where(OutboxEntry.__table__.c.seq == bindparam("b_entry"))
            .values(sent_in_segment=bindparam("b_name")),
            entries,
        )


def _seal(
    session: Session,
    author: Author,
    repository_id: str,
    partition: str,
    seq: int,
    entries: list[OutboxEntry],
    ops: list[Op],
) -> None:
    header = Header(
        repository=repository_id,
        partition=partition,
        device=author.device_id,
        author=author.person_id,
        key=author.signing_public.hex(),
        seq=seq,
        created=max(op.hlc for op in ops),
        count=len(ops),
    )
    name, body = build_segment(header, ops, author.signing_private)
    session.add(
        OutgoingSegment(
            partition=partition,
            seq=seq,
            name=name,
            body=body,
            outbox_seqs=json.dumps([entry.seq for entry in entries]),
        )
    )


def load_histories(
    session: Session, entries: list[OutboxEntry]
) -> dict[tuple[str, str], FieldHistory]:
    """`FieldHistory.load` for every row the entries touch, a few queries per
    table rather than two per row; the same histories (tests compare them)."""
    ids: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.operation != "delete":
            ids[entry.entity].add(entry.entity_id)
    histories = {
        (entity, entity_id): FieldHistory()
        for entity, entity_ids in ids.items()
        for entity_id in entity_ids
    }
    for entity, entity_ids in ids.items():
        wanted = sorted(entity_ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            local_rows = session.execute(
                select(OutboxEntry.entity_id, OutboxEntry.hlc, OutboxEntry.payload)
                .where(OutboxEntry.entity == entity, OutboxEntry.entity_id.in_(chunk))
                .where(OutboxEntry.operation == "upsert")
                .order_by(OutboxEntry.hlc)
            )
            for entity_id, clock, payload in local_rows:
                histories[(entity, entity_id)].local.append(
                    (clock, set(json.loads(payload)))
                )
            remote_rows = session.execute(
                select(
                    FieldClock.entity_id,
                    FieldClock.field,
                    FieldClock.hlc,
                    FieldClock.base,
                    FieldClock.seen_at,
                ).where(FieldClock.entity == entity, FieldClock.entity_id.in_(chunk))
            )
            for entity_id, name, clock, base, seen in remote_rows:
                histories[(entity, entity_id)].add_remote(name, clock, base, seen)
    return histories


def _load_rows(session: Session, entries: list[OutboxEntry]) -> list[Any]:
    """The rows `_completed_payload` and `_usable_partition` will ask for, fetched a
    table at a time rather than one by one; they then find them in the session."""
    ids: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.operation == "delete":
            continue
        payload = json.loads(entry.payload)
        incomplete = "id" in payload and None in payload.values()
        if incomplete or not _is_partition(entry.partition):
            ids[entry.entity].add(entry.entity_id)
    tables = synced_tables()
    rows: list[Any] = []
    for entity, entity_ids in ids.items():
        table = tables.get(entity)
        if table is None:
            continue
        wanted = sorted(entity_ids)
        for start in range(0, len(wanted), 500):
            rows.extend(
                session.scalars(
                    select(table.model).where(
                        table.model.id.in_(wanted[start : start + 500])
                    )
                )
            )
    return rows


def _op_for(
    session: Session, entry: OutboxEntry, histories: dict[tuple[str, str], FieldHistory]
) -> Op:
    if entry.operation == "delete":
        return Op(entry.entity, entry.entity_id, "delete", entry.hlc)

    fields = _completed_payload(session, entry)
    key = (entry.entity, entry.entity_id)
    if key not in histories:
        histories[key] = FieldHistory.load(session, entry.entity, entry.entity_id)
    history = histories[key]
    bases = {}
    for name in fields:
        base = history.local_base(name, entry.hlc)
        if base:
            bases[name] = base
    return Op(entry.entity, entry.entity_id, "upsert", entry.hlc, fields, bases)


def _completed_payload(session: Session, entry: OutboxEntry) -> dict[str, Any]:
    """A new row's payload is taken before the flush, so keys set through a
    relationship and column defaults are still empty; fill them from the row."""
    payload = json.loads(entry.payload)
    if "id" not in payload or None not in payload.values():
        return payload
    table = synced_tables().get(entry.entity)
    row = session.get(table.model, entry.entity_id) if table else None
    if row is None:
        return payload
    for name, value in payload.items():
        if value is None and name in table.columns:
            payload[name] = to_json_value(getattr(row, name))
    return payload


def _usable_partition(session: Session, entry: OutboxEntry) -> str | None:
    try:
        partition_folder(entry.partition)
        return entry.partition
    except ValueError:
        pass
    # The partition was read before a relationship filled the key; ask the row.
    table = synced_tables().get(entry.entity)
    row = session.get(table.model, entry.entity_id) if table else None
    if row is None:
        return None
    partition = row.sync_partition()
    try:
        partition_folder(partition)
    except ValueError:
        return None
    return partition


def _is_partition(partition: str | None) -> bool:
    try:
        partition_folder(partition)
    except (ValueError, AttributeError, TypeError):
        return False
    return True


def _chunks(entries: list[OutboxEntry]):
    chunk: list[OutboxEntry] = []
    size = 0
    for entry in entries:
        entry_size = len(entry.payload.encode("utf-8"))
        full = len(chunk) >= MAX_OPS_PER_SEGMENT or size + entry_size > MAX_PAYLOAD_BYTES
        if chunk and full:
            yield chunk
            chunk, size = [], 0
        chunk.append(entry)
        size += entry_size
    if chunk:
        yield chunk


def _prepared_through(session: Session) -> int:
    setting = session.get(Setting, PREPARED_THROUGH)
    return int(setting.value) if setting else 0


def _set_prepared_through(session: Session, seq: int) -> None:
    setting = session.get(Setting, PREPARED_THROUGH)
    if setting is None:
        session.add(Setting(key=PREPARED_THROUGH, value=str(seq)))
    else:
        setting.value = str(seq)

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
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from invictus_desktop.store.models import (
    LocalIdentity,
    OutboxEntry,
    OutgoingSegment,
    Setting,
    utc_now,
)
from invictus_desktop.sync.layout import partition_folder
from invictus_desktop.sync.merge import FieldHistory
from invictus_desktop.sync.segment import Header, Op, build_segment
from invictus_desktop.sync.tables import synced_tables, to_json

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


def prepare_segments(session: Session, author: Author, repository_id: str) -> int:
    """Seal every unsent outbox entry into segments; returns how many were made."""
    watermark = _prepared_through(session)
    entries = list(
        session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.seq > watermark, OutboxEntry.sent_in_segment.is_(None))
            .order_by(OutboxEntry.seq)
        )
    )
    if not entries:
        return 0

    by_partition: dict[str, list[OutboxEntry]] = defaultdict(list)
    for entry in entries:
        partition = _usable_partition(session, entry)
        if partition is None:
            log.warning("outbox entry %d has no partition; it stays local", entry.seq)
            continue
        by_partition[partition].append(entry)

    made = 0
    histories: dict[tuple[str, str], FieldHistory] = {}
    for partition, partition_entries in by_partition.items():
        for chunk in _chunks(partition_entries):
            ops = [_op_for(session, entry, histories) for entry in chunk]
            _seal(session, author, repository_id, partition, chunk, ops)
            made += 1

    _set_prepared_through(session, entries[-1].seq)
    return made


def unsent_segments(session: Session) -> list[OutgoingSegment]:
    return list(
        session.scalars(
            select(OutgoingSegment)
            .where(OutgoingSegment.sent_at.is_(None))
            .order_by(OutgoingSegment.partition, OutgoingSegment.seq)
        )
    )


def mark_sent(session: Session, partition: str, seq: int) -> None:
    """After the repository has been read back: the segment and its entries are sent."""
    segment = session.get(OutgoingSegment, (partition, seq))
    segment.sent_at = utc_now()
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.seq.in_(json.loads(segment.outbox_seqs)))
        .values(sent_in_segment=segment.name)
    )


def _seal(
    session: Session,
    author: Author,
    repository_id: str,
    partition: str,
    entries: list[OutboxEntry],
    ops: list[Op],
) -> None:
    last_seq = session.scalar(
        select(func.max(OutgoingSegment.seq)).where(OutgoingSegment.partition == partition)
    )
    seq = (last_seq or 0) + 1
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
    session.flush()


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
            payload[name] = to_json(getattr(row, name))
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

"""Rows that never leave this laptop: outbox, sync state, audit log, settings."""

from datetime import datetime

from sqlalchemy import Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from invictus_desktop.store.models.base import Base, utc_now


class OutboxEntry(Base):
    """A change waiting to be sent, written in the same transaction as the change."""

    __tablename__ = "outbox_entry"
    # Merging a remote change looks up this laptop's own edits of the same row.
    __table_args__ = (Index("ix_outbox_entry_entity_row", "entity", "entity_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    partition: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(64))
    operation: Mapped[str] = mapped_column(String(10))  # upsert | delete | link | unlink
    payload: Mapped[str] = mapped_column(Text)  # JSON of the changed fields
    hlc: Mapped[str] = mapped_column(String(40))  # hybrid logical clock, sortable text
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    sent_in_segment: Mapped[str | None] = mapped_column(String(120))


class SyncCursor(Base):
    """Per partition and remote device: the highest contiguous segment applied."""

    __tablename__ = "sync_cursor"

    partition: Mapped[str] = mapped_column(String(60), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    applied_seq: Mapped[int] = mapped_column(default=0)


class ClockState(Base):
    """The last hybrid logical clock value issued here, so it never runs backwards.

    Moved in the same transaction as each flush's outbox entries (by
    `store.outbox.LocalClock`, with a compare-and-set) and by sync when a
    segment arrives. On reopening, the clock also moves past the newest outbox
    entry: entries that might hold the newest value must not be deleted unless
    this row is at least as new.
    """

    __tablename__ = "clock_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    wall_ms: Mapped[int] = mapped_column(default=0)
    counter: Mapped[int] = mapped_column(default=0)


class AuditEntry(Base):
    """Who did what, when. Detail holds ids and states, never the text of a note."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utc_now)
    actor_id: Mapped[str | None] = mapped_column(String(32))  # kept if the person goes
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60), default="")
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")


class Setting(Base):
    """A local preference (idle lock minutes, descriptor scale, retention)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OutgoingSegment(Base):
    """A segment of this laptop's changes, kept byte for byte from the moment it is
    built: a retry after a crash re-sends the same bytes under the same name, and a
    repository restored from an old backup can be given it again."""

    __tablename__ = "sync_outgoing_segment"

    partition: Mapped[str] = mapped_column(String(60), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    outbox_seqs: Mapped[str] = mapped_column(Text)  # JSON list of the entries it carries
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    sent_at: Mapped[datetime | None]


class AppliedSegment(Base):
    """A segment from another laptop that has been applied here, with its digest, so
    a different file claiming the same place in that laptop's log is recognised."""

    __tablename__ = "sync_applied_segment"

    partition: Mapped[str] = mapped_column(String(60), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    digest: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[str] = mapped_column(String(32))
    applied_at: Mapped[datetime] = mapped_column(default=utc_now)


class FieldClock(Base):
    """One value of one field received from another laptop: its clock, the clock of
    the value its author replaced (`base`), and when it was seen here. This laptop's
    own values are read from the outbox."""

    __tablename__ = "sync_field_clock"

    entity: Mapped[str] = mapped_column(String(60), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    field: Mapped[str] = mapped_column(String(60), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(80), primary_key=True)
    base: Mapped[str] = mapped_column(String(80), default="")
    seen_at: Mapped[str] = mapped_column(String(80))


class KeptConflict(Base):
    """A value that lost to a concurrent edit of the same field, kept for a person
    to choose. `value` is JSON as it travelled."""

    __tablename__ = "sync_kept_conflict"
    __table_args__ = (UniqueConstraint("entity", "entity_id", "field", "hlc"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(60))
    hlc: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(Text)
    kept_at: Mapped[datetime] = mapped_column(default=utc_now)


class Tombstone(Base):
    """A row deleted by someone: later changes to it, or new rows under it, are
    not brought back."""

    __tablename__ = "sync_tombstone"

    entity: Mapped[str] = mapped_column(String(60), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(80))


class PublishedReport(Base):
    """A report version read from the repository's Board area (or, for its
    Headteacher, a school's area), kept for reading offline. Its files are
    stored as they arrived; they are checked against the signer's enrolled key
    each time they are shown, never trusted from here."""

    __tablename__ = "published_report"

    folder: Mapped[str] = mapped_column(String(120), primary_key=True)
    variant: Mapped[str] = mapped_column(String(16))  # "board" | "school"
    reference: Mapped[str] = mapped_column(String(40))
    number: Mapped[int]
    school_name: Mapped[str] = mapped_column(String(200), default="")
    term: Mapped[str] = mapped_column(String(40), default="")
    manifest: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[bytes] = mapped_column(LargeBinary(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    fetched_at: Mapped[datetime] = mapped_column(default=utc_now)

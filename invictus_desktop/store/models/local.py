"""Rows that never leave this laptop: outbox, sync cursors, audit log, settings."""

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from invictus_desktop.store.models.base import Base, utc_now


class OutboxEntry(Base):
    """A change waiting to be sent, written in the same transaction as the change."""

    __tablename__ = "outbox_entry"

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
    """The last hybrid logical clock value issued here, so it never runs backwards."""

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

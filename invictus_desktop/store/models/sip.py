"""School Improvement Plans, their priorities, and each priority's RAG history."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from invictus_desktop.store.models.base import Base, HasId, Synced, Timestamps, utc_now
from invictus_desktop.store.models.people import Person, School
from invictus_desktop.store.vocabulary import Rag


class Sip(HasId, Timestamps, Synced, Base):
    __tablename__ = "sip"
    __table_args__ = (UniqueConstraint("school_id", "academic_year"),)

    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"))
    academic_year: Mapped[str] = mapped_column(String(9))  # "2026-27"
    title: Mapped[str] = mapped_column(String(200), default="School Improvement Plan")
    approved_on: Mapped[date | None]

    school: Mapped[School] = relationship()
    priorities: Mapped[list["SipPriority"]] = relationship(
        back_populates="sip", order_by="SipPriority.position", cascade="all, delete-orphan"
    )


class SipPriority(HasId, Timestamps, Synced, Base):
    __tablename__ = "sip_priority"
    __table_args__ = (UniqueConstraint("sip_id", "code"),)

    sip_id: Mapped[str] = mapped_column(ForeignKey("sip.id"))
    code: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    success_criteria: Mapped[str] = mapped_column(Text, default="")
    rag: Mapped[Rag]
    position: Mapped[int] = mapped_column(default=0)

    sip: Mapped[Sip] = relationship(back_populates="priorities")
    rag_history: Mapped[list["RagChange"]] = relationship(
        back_populates="priority",
        order_by="RagChange.changed_at",
        cascade="all, delete-orphan",
    )


class RagChange(HasId, Synced, Base):
    """One change of a priority's rating: who, when, why. Never edited."""

    __tablename__ = "rag_change"

    priority_id: Mapped[str] = mapped_column(ForeignKey("sip_priority.id"))
    old_rag: Mapped[Rag | None]
    new_rag: Mapped[Rag]
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utc_now)
    report_version_id: Mapped[str | None] = mapped_column(ForeignKey("report_version.id"))

    priority: Mapped[SipPriority] = relationship(back_populates="rag_history")
    changed_by: Mapped[Person | None] = relationship()

"""What inspectors record on the day: activities, evidence and running notes."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from invictus_desktop.store.models.base import Base, HasId, Synced, Timestamps
from invictus_desktop.store.models.people import Person, StaffMember
from invictus_desktop.store.models.planning import (
    FocusArea,
    Quad,
    QuadChild,
    ScheduledVisit,
)
from invictus_desktop.store.models.sip import SipPriority
from invictus_desktop.store.vocabulary import ActivityKind, ActivityStatus, Judgement

activity_observer = Table(
    "activity_observer",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id"), primary_key=True),
    Column("person_id", ForeignKey("person.id"), primary_key=True),
)


class Activity(HasId, Timestamps, QuadChild, Synced, Base):
    """A lesson visit, learning walk, book look, pupil or staff voice, or meeting."""

    __tablename__ = "activity"

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    scheduled_visit_id: Mapped[str | None] = mapped_column(ForeignKey("scheduled_visit.id"))
    kind: Mapped[ActivityKind] = mapped_column(default=ActivityKind.LESSON_VISIT)
    author_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    status: Mapped[ActivityStatus] = mapped_column(default=ActivityStatus.DRAFT)

    time_in: Mapped[datetime | None]
    time_out: Mapped[datetime | None]
    staff_member_id: Mapped[str | None] = mapped_column(ForeignKey("staff_member.id"))
    teacher_name: Mapped[str] = mapped_column(String(200), default="")
    room: Mapped[str] = mapped_column(String(40), default="")
    subject: Mapped[str] = mapped_column(String(100), default="")
    year_group: Mapped[str] = mapped_column(String(20), default="")
    class_name: Mapped[str] = mapped_column(String(40), default="")
    joint_visit: Mapped[bool] = mapped_column(default=False)
    pupils_present: Mapped[int | None]
    other_adults: Mapped[str] = mapped_column(Text, default="")

    strengths: Mapped[str] = mapped_column(Text, default="")
    development_points: Mapped[str] = mapped_column(Text, default="")
    follow_up_questions: Mapped[str] = mapped_column(Text, default="")
    descriptor: Mapped[str | None] = mapped_column(String(60))

    # Routed to the school's safeguarding lead only; never into a Board report.
    safeguarding_concern: Mapped[bool] = mapped_column(default=False)
    safeguarding_text: Mapped[str] = mapped_column(Text, default="")

    completed_at: Mapped[datetime | None]

    quad: Mapped[Quad] = relationship()
    author: Mapped[Person] = relationship(foreign_keys=[author_id])
    observers: Mapped[list[Person]] = relationship(secondary=activity_observer)
    scheduled_visit: Mapped[ScheduledVisit | None] = relationship()
    staff_member: Mapped[StaffMember | None] = relationship()
    evidence: Mapped[list["EvidenceEntry"]] = relationship(
        back_populates="activity", cascade="all, delete-orphan"
    )
    running_notes: Mapped[list["RunningNoteLine"]] = relationship(
        back_populates="activity",
        order_by="RunningNoteLine.position",
        cascade="all, delete-orphan",
    )


class EvidenceEntry(HasId, Timestamps, QuadChild, Synced, Base):
    """Evidence for one focus area (and optionally one of its priorities)."""

    __tablename__ = "evidence_entry"

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    activity_id: Mapped[str] = mapped_column(ForeignKey("activity.id"), index=True)
    focus_area_id: Mapped[str] = mapped_column(ForeignKey("focus_area.id"))
    priority_id: Mapped[str | None] = mapped_column(ForeignKey("sip_priority.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    judgement: Mapped[Judgement | None]

    activity: Mapped[Activity] = relationship(back_populates="evidence")
    focus_area: Mapped[FocusArea] = relationship()
    priority: Mapped[SipPriority | None] = relationship()


class RunningNoteLine(HasId, Timestamps, QuadChild, Synced, Base):
    """One time-stamped line of a visit's running notes."""

    __tablename__ = "running_note_line"

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    activity_id: Mapped[str] = mapped_column(ForeignKey("activity.id"), index=True)
    stamped_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    moved_to_evidence_id: Mapped[str | None] = mapped_column(
        ForeignKey("evidence_entry.id")
    )

    activity: Mapped[Activity] = relationship(back_populates="running_notes")

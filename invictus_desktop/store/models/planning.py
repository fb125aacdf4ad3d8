"""QUADs and specialist visits: team, focus areas and the visit schedule."""

from datetime import date, time

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from invictus_desktop.store.models.base import Base, HasId, Synced, Timestamps
from invictus_desktop.store.models.people import Person, School, StaffMember
from invictus_desktop.store.models.sip import SipPriority
from invictus_desktop.store.vocabulary import ReviewKind, ReviewStatus, TeamRole, Term

focus_area_priority = Table(
    "focus_area_priority",
    Base.metadata,
    Column("focus_area_id", ForeignKey("focus_area.id"), primary_key=True),
    Column("priority_id", ForeignKey("sip_priority.id"), primary_key=True),
)


class Quad(HasId, Timestamps, Synced, Base):
    """A Quality Assurance Day, or (kind = specialist visit) an expert's subject review."""

    __tablename__ = "quad"

    reference: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[ReviewKind] = mapped_column(default=ReviewKind.QUAD)
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"))
    academic_year: Mapped[str] = mapped_column(String(9))
    term: Mapped[Term]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[ReviewStatus] = mapped_column(default=ReviewStatus.PLANNED)
    subject: Mapped[str] = mapped_column(String(100), default="")

    school: Mapped[School] = relationship()
    team: Mapped[list["TeamMember"]] = relationship(
        back_populates="quad", cascade="all, delete-orphan"
    )
    focus_areas: Mapped[list["FocusArea"]] = relationship(
        back_populates="quad", order_by="FocusArea.position", cascade="all, delete-orphan"
    )
    schedule: Mapped[list["ScheduledVisit"]] = relationship(
        back_populates="quad", cascade="all, delete-orphan"
    )

    def sync_partition(self) -> str:
        return f"quad:{self.id}"


class QuadChild:
    """Rows that belong to one QUAD travel in that QUAD's partition."""

    quad_id: Mapped[str]

    def sync_partition(self) -> str:
        return f"quad:{self.quad_id}"


class TeamMember(HasId, Timestamps, QuadChild, Synced, Base):
    __tablename__ = "team_member"

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    role: Mapped[TeamRole]

    quad: Mapped[Quad] = relationship(back_populates="team")
    person: Mapped[Person] = relationship()


class FocusArea(HasId, Timestamps, QuadChild, Synced, Base):
    """What the QUAD looks at; linked to SIP priorities, or free-standing."""

    __tablename__ = "focus_area"

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    quad: Mapped[Quad] = relationship(back_populates="focus_areas")
    priorities: Mapped[list[SipPriority]] = relationship(
        secondary=focus_area_priority, order_by=SipPriority.position
    )


class ScheduledVisit(HasId, Timestamps, QuadChild, Synced, Base):
    """One slot of the visit schedule: which lesson, where, when."""

    __tablename__ = "scheduled_visit"

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    day: Mapped[date]
    period: Mapped[str] = mapped_column(String(20), default="")
    starts_at: Mapped[time | None]
    ends_at: Mapped[time | None]
    room: Mapped[str] = mapped_column(String(40), default="")
    staff_member_id: Mapped[str | None] = mapped_column(ForeignKey("staff_member.id"))
    teacher_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(100), default="")
    year_group: Mapped[str] = mapped_column(String(20), default="")
    class_name: Mapped[str] = mapped_column(String(40), default="")
    observer_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))

    quad: Mapped[Quad] = relationship(back_populates="schedule")
    staff_member: Mapped[StaffMember | None] = relationship()
    observer: Mapped[Person | None] = relationship()

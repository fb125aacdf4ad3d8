"""The trust, its schools, its people and their keys, and school staff."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from invictus_desktop.store.models.base import Base, HasId, Synced, Timestamps
from invictus_desktop.store.vocabulary import Role


class Trust(HasId, Timestamps, Synced, Base):
    __tablename__ = "trust"

    name: Mapped[str] = mapped_column(String(200))

    schools: Mapped[list["School"]] = relationship(back_populates="trust")


class School(HasId, Timestamps, Synced, Base):
    __tablename__ = "school"

    trust_id: Mapped[str] = mapped_column(ForeignKey("trust.id"))
    name: Mapped[str] = mapped_column(String(200))
    urn: Mapped[str | None] = mapped_column(String(16), unique=True)
    phase: Mapped[str] = mapped_column(String(40), default="secondary")
    headteacher_name: Mapped[str] = mapped_column(String(200), default="")
    safeguarding_lead_name: Mapped[str] = mapped_column(String(200), default="")
    safeguarding_lead_email: Mapped[str] = mapped_column(String(200), default="")

    trust: Mapped[Trust] = relationship(back_populates="schools")
    staff: Mapped[list["StaffMember"]] = relationship(back_populates="school")


class Person(HasId, Timestamps, Synced, Base):
    """Someone who uses the app: inspectors, Headteachers, Board members."""

    __tablename__ = "person"

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200), default="")

    roles: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )
    public_keys: Mapped[list["PersonKey"]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        foreign_keys="PersonKey.person_id",
    )


class RoleAssignment(HasId, Timestamps, Synced, Base):
    """A role held by a person, for one school or (school_id empty) the whole trust."""

    __tablename__ = "role_assignment"

    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    role: Mapped[Role]
    school_id: Mapped[str | None] = mapped_column(ForeignKey("school.id"))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]

    person: Mapped[Person] = relationship(back_populates="roles")
    school: Mapped[School | None] = relationship()


class PersonKey(HasId, Timestamps, Synced, Base):
    """A person's public keys, enrolled by whoever invited them (who signs the entry)."""

    __tablename__ = "person_key"

    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    signing_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    exchange_public: Mapped[bytes] = mapped_column(LargeBinary(32))
    enrolled_by_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    enrolment_signature: Mapped[bytes | None] = mapped_column(LargeBinary(64))
    revoked_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship(
        back_populates="public_keys", foreign_keys=[person_id]
    )


class LocalIdentity(HasId, Timestamps, Base):
    """The person using this profile, this laptop's device id, and the private
    halves of their keys. Never synced: it lives only in this encrypted store."""

    __tablename__ = "local_identity"

    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), unique=True)
    device_id: Mapped[str] = mapped_column(String(32), unique=True)
    signing_private: Mapped[bytes] = mapped_column(LargeBinary(32))
    exchange_private: Mapped[bytes] = mapped_column(LargeBinary(32))

    person: Mapped[Person] = relationship()


class StaffMember(HasId, Timestamps, Synced, Base):
    """A member of a school's staff: the teachers whose lessons are visited."""

    __tablename__ = "staff_member"
    __table_args__ = (UniqueConstraint("school_id", "staff_code"),)

    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"))
    staff_code: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(20), default="")
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), default="")
    job_title: Mapped[str] = mapped_column(String(120), default="")
    subjects: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    school: Mapped[School] = relationship(back_populates="staff")

    @property
    def display_name(self) -> str:
        return " ".join(
            part for part in (self.title, self.first_name, self.last_name) if part
        )

"""Notes the Executive Headteacher and visiting Headteacher submit to the consultant.

A submission is an immutable, signed version; a correction is a new version
that names the one it supersedes.
"""

from datetime import datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from invictus_desktop.store.models.base import Base, HasId, Synced, Timestamps
from invictus_desktop.store.models.people import Person
from invictus_desktop.store.models.planning import FocusArea, QuadChild
from invictus_desktop.store.models.visits import Activity

submission_activity = Table(
    "submission_activity",
    Base.metadata,
    Column("submission_id", ForeignKey("note_submission.id"), primary_key=True),
    Column("activity_id", ForeignKey("activity.id"), primary_key=True),
)


class NoteSubmission(HasId, Timestamps, QuadChild, Synced, Base):
    __tablename__ = "note_submission"
    __table_args__ = (UniqueConstraint("quad_id", "author_id", "version"),)

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    author_id: Mapped[str] = mapped_column(ForeignKey("person.id"))
    version: Mapped[int]
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("note_submission.id"))
    general_note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]  # empty while still a draft
    content_hash: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[bytes | None] = mapped_column(LargeBinary(64))

    author: Mapped[Person] = relationship()
    activities: Mapped[list[Activity]] = relationship(secondary=submission_activity)
    sections: Mapped[list["NoteSection"]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )


class NoteSection(HasId, Timestamps, QuadChild, Synced, Base):
    """A submission's note on one focus area."""

    __tablename__ = "note_section"

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    submission_id: Mapped[str] = mapped_column(ForeignKey("note_submission.id"))
    focus_area_id: Mapped[str] = mapped_column(ForeignKey("focus_area.id"))
    text: Mapped[str] = mapped_column(Text, default="")

    submission: Mapped[NoteSubmission] = relationship(back_populates="sections")
    focus_area: Mapped[FocusArea] = relationship()

"""The consultant's report: versions, sections, provenance links and actions."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from invictus_desktop.store.models.base import Base, HasId, Synced, Timestamps
from invictus_desktop.store.models.people import Person
from invictus_desktop.store.models.planning import FocusArea, QuadChild
from invictus_desktop.store.models.sip import SipPriority
from invictus_desktop.store.vocabulary import ActionStatus, Rag, ReportStatus, SourceKind


class ReportVersion(HasId, Timestamps, QuadChild, Synced, Base):
    """Version N of a QUAD's report. Once final it never changes; edits start N+1."""

    __tablename__ = "report_version"
    __table_args__ = (UniqueConstraint("quad_id", "number"),)

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    number: Mapped[int]
    status: Mapped[ReportStatus] = mapped_column(default=ReportStatus.DRAFT)
    executive_summary: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    host_response: Mapped[str] = mapped_column(Text, default="")
    protective_marking: Mapped[str] = mapped_column(
        String(40), default="OFFICIAL-SENSITIVE"
    )

    signed_off_by_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    finalised_at: Mapped[datetime | None]
    content_hash: Mapped[str | None] = mapped_column(String(64))
    pdf_hash: Mapped[str | None] = mapped_column(String(64))
    manifest: Mapped[str | None] = mapped_column(Text)  # canonical JSON that is signed
    signature: Mapped[bytes | None] = mapped_column(LargeBinary(64))

    signed_off_by: Mapped[Person | None] = relationship()
    sections: Mapped[list["ReportSection"]] = relationship(
        back_populates="version",
        order_by="ReportSection.position",
        cascade="all, delete-orphan",
    )
    files: Mapped[list["ReportFile"]] = relationship(
        back_populates="version", cascade="all, delete-orphan"
    )
    actions: Mapped[list["ReportAction"]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        foreign_keys="ReportAction.version_id",
    )


class ReportSection(HasId, Timestamps, QuadChild, Synced, Base):
    """A section of the report: per SIP priority in focus, or per focus area."""

    __tablename__ = "report_section"

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    version_id: Mapped[str] = mapped_column(ForeignKey("report_version.id"))
    focus_area_id: Mapped[str | None] = mapped_column(ForeignKey("focus_area.id"))
    priority_id: Mapped[str | None] = mapped_column(ForeignKey("sip_priority.id"))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    school_rag: Mapped[Rag | None]
    recommended_rag: Mapped[Rag | None]
    rag_rationale: Mapped[str] = mapped_column(Text, default="")
    progress_since_last: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    version: Mapped[ReportVersion] = relationship(back_populates="sections")
    focus_area: Mapped[FocusArea | None] = relationship()
    priority: Mapped[SipPriority | None] = relationship()
    provenance: Mapped[list["ProvenanceLink"]] = relationship(
        back_populates="section", cascade="all, delete-orphan"
    )


class ProvenanceLink(HasId, Timestamps, QuadChild, Synced, Base):
    """A paragraph of a section quotes or cites a source record."""

    __tablename__ = "provenance_link"

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    section_id: Mapped[str] = mapped_column(ForeignKey("report_section.id"))
    paragraph_index: Mapped[int] = mapped_column(default=0)
    source_kind: Mapped[SourceKind]
    source_id: Mapped[str] = mapped_column(String(32))
    quote: Mapped[str] = mapped_column(Text, default="")

    section: Mapped[ReportSection] = relationship(back_populates="provenance")


class ReportAction(HasId, Timestamps, QuadChild, Synced, Base):
    """An action the report sets, and later its follow-up status."""

    __tablename__ = "report_action"

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    version_id: Mapped[str] = mapped_column(ForeignKey("report_version.id"))
    section_id: Mapped[str | None] = mapped_column(ForeignKey("report_section.id"))
    priority_id: Mapped[str | None] = mapped_column(ForeignKey("sip_priority.id"))
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(default=ActionStatus.OPEN)
    follow_up_of_id: Mapped[str | None] = mapped_column(ForeignKey("report_action.id"))
    follow_up_note: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[ReportVersion] = relationship(
        back_populates="actions", foreign_keys=[version_id]
    )
    priority: Mapped[SipPriority | None] = relationship()


class ReportFile(HasId, Timestamps, QuadChild, Synced, Base):
    """The PDF of a final version, one per variant (the school's, the Board's).

    Kept inside the encrypted store, so a finalised report is on disk only
    where everything else is, and is written in the same transaction as the
    signed manifest that names its hash.
    """

    __tablename__ = "report_file"
    __table_args__ = (UniqueConstraint("version_id", "variant"),)

    quad_id: Mapped[str] = mapped_column(ForeignKey("quad.id"))
    version_id: Mapped[str] = mapped_column(ForeignKey("report_version.id"))
    variant: Mapped[str] = mapped_column(String(16))  # "school" | "board"
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)

    version: Mapped[ReportVersion] = relationship(back_populates="files")

"""Typed SQLAlchemy models for everything the app keeps. Import from here."""

from invictus_desktop.store.models.base import Base, Synced, new_id, utc_now
from invictus_desktop.store.models.local import (
    AuditEntry,
    ClockState,
    OutboxEntry,
    Setting,
    SyncCursor,
)
from invictus_desktop.store.models.notes import NoteSection, NoteSubmission
from invictus_desktop.store.models.people import (
    LocalIdentity,
    Person,
    PersonKey,
    RoleAssignment,
    School,
    StaffMember,
    Trust,
)
from invictus_desktop.store.models.planning import (
    FocusArea,
    Quad,
    ScheduledVisit,
    TeamMember,
)
from invictus_desktop.store.models.reports import (
    ProvenanceLink,
    ReportAction,
    ReportFile,
    ReportSection,
    ReportVersion,
)
from invictus_desktop.store.models.sip import RagChange, Sip, SipPriority
from invictus_desktop.store.models.visits import Activity, EvidenceEntry, RunningNoteLine
from invictus_desktop.store.vocabulary import (
    ActionStatus,
    ActivityKind,
    ActivityStatus,
    Judgement,
    Rag,
    ReportStatus,
    ReviewKind,
    ReviewStatus,
    Role,
    SourceKind,
    TeamRole,
    Term,
)

__all__ = [
    "ActionStatus",
    "Activity",
    "ActivityKind",
    "ActivityStatus",
    "AuditEntry",
    "Base",
    "ClockState",
    "EvidenceEntry",
    "FocusArea",
    "Judgement",
    "LocalIdentity",
    "NoteSection",
    "NoteSubmission",
    "OutboxEntry",
    "Person",
    "PersonKey",
    "ProvenanceLink",
    "Quad",
    "Rag",
    "RagChange",
    "ReportAction",
    "ReportFile",
    "ReportSection",
    "ReportStatus",
    "ReportVersion",
    "ReviewKind",
    "ReviewStatus",
    "Role",
    "RoleAssignment",
    "RunningNoteLine",
    "ScheduledVisit",
    "School",
    "Setting",
    "Sip",
    "SipPriority",
    "SourceKind",
    "StaffMember",
    "SyncCursor",
    "Synced",
    "TeamMember",
    "TeamRole",
    "Term",
    "Trust",
    "new_id",
    "utc_now",
]

"""What the main window shows: who is signed in and what the store holds."""

from dataclasses import dataclass

from sqlalchemy import func, select

from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.migrate import current_revision
from invictus_desktop.store.models import (
    Activity,
    AuditEntry,
    OutboxEntry,
    OutgoingSegment,
    Person,
    Quad,
    RoleAssignment,
    School,
    Setting,
    StaffMember,
    Trust,
)
from invictus_desktop.sync.connection import URL


@dataclass(frozen=True)
class AuditLine:
    at: str
    action: str


@dataclass(frozen=True)
class Overview:
    person_name: str
    roles: list[str]
    trust_name: str
    counts: dict[str, int]
    pending_changes: int
    schema_revision: str
    store_path: str
    recent_audit: list[AuditLine]
    repository: str = ""  # empty: not connected to the trust's repository


def load_overview(profile: UnlockedProfile) -> Overview:
    with profile.store.session() as session:
        person = session.get(Person, profile.person_id)
        assert person is not None
        roles = session.scalars(
            select(RoleAssignment).where(RoleAssignment.person_id == person.id)
        ).all()
        trust_name = session.scalar(select(Trust.name).order_by(Trust.created_at)) or ""

        def count(model: type) -> int:
            return session.scalar(select(func.count()).select_from(model)) or 0

        counts = {
            "Schools": count(School),
            "Staff": count(StaffMember),
            "People": count(Person),
            "QUADs": count(Quad),
            "Visit records": count(Activity),
        }
        # Waiting: not yet sealed into a segment, or sealed but not yet confirmed
        # by the repository.
        unconfirmed = select(OutgoingSegment.name).where(OutgoingSegment.sent_at.is_(None))
        pending = (
            session.scalar(
                select(func.count()).where(
                    OutboxEntry.sent_in_segment.is_(None)
                    | OutboxEntry.sent_in_segment.in_(unconfirmed)
                )
            )
            or 0
        )
        audit = session.scalars(
            select(AuditEntry).order_by(AuditEntry.id.desc()).limit(8)
        ).all()

        return Overview(
            person_name=person.name,
            roles=[assignment.role.label for assignment in roles],
            trust_name=trust_name,
            counts=counts,
            pending_changes=pending,
            schema_revision=current_revision(profile.store.engine) or "none",
            store_path=str(profile.paths.database),
            repository=address.value if (address := session.get(Setting, URL)) else "",
            recent_audit=[
                AuditLine(entry.at.strftime("%d %b %Y %H:%M"), entry.action)
                for entry in audit
            ],
        )

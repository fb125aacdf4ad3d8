"""Who may change what, checked in the services (the GUI only mirrors it).

- The consultant and the Executive Headteacher lead for the trust: they plan
  any QUAD and may correct any school's record, SIP and staff list.
- A Headteacher edits their own school's SIP and staff list.
- Everyone else (visiting Headteachers, specialists, Board members) reads.
"""

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from invictus_desktop.errors import PermissionDenied
from invictus_desktop.store.models import AuditEntry, Person, Role, RoleAssignment

if TYPE_CHECKING:
    from invictus_desktop.services.profile import UnlockedProfile

TRUST_LEADS = frozenset({Role.CONSULTANT, Role.EXECUTIVE_HEAD})

PLANNING_REFUSED = "Only the consultant or the Executive Headteacher can plan QUADs."
SCHOOL_EDIT_REFUSED = (
    "Only this school's Headteacher, the consultant or the Executive "
    "Headteacher can change its plan and staff list."
)


@dataclass(frozen=True)
class Actor:
    person_id: str
    name: str
    roles: frozenset[Role]
    head_of: frozenset[str]  # school ids where this person is the Headteacher

    @property
    def is_trust_lead(self) -> bool:
        return bool(self.roles & TRUST_LEADS)

    def may_plan(self) -> bool:
        return self.is_trust_lead

    def may_edit_school(self, school_id: str) -> bool:
        return self.is_trust_lead or school_id in self.head_of


def load_actor(session: Session, person_id: str) -> Actor:
    person = session.get(Person, person_id)
    if person is None:
        raise PermissionDenied("The signed-in person is not in this store.")
    assignments = session.scalars(
        select(RoleAssignment).where(RoleAssignment.person_id == person_id)
    ).all()
    return Actor(
        person_id=person_id,
        name=person.name,
        roles=frozenset(a.role for a in assignments),
        head_of=frozenset(
            a.school_id for a in assignments if a.role is Role.HEADTEACHER and a.school_id
        ),
    )


@dataclass(frozen=True)
class Permissions:
    """What the signed-in person may change, as plain data for a front end to
    mirror (greying out what they may not do). The services still check.

    Attributes:
        may_plan: may create and plan QUADs and add schools.
        edits_every_school: may edit every school's record, SIP and staff.
        head_of: the schools whose record, SIP and staff this person edits as
            their Headteacher.
    """

    may_plan: bool
    edits_every_school: bool
    head_of: frozenset[str]

    def may_edit_school(self, school_id: str) -> bool:
        return self.edits_every_school or school_id in self.head_of


def describe_permissions(profile: "UnlockedProfile") -> Permissions:
    with profile.store.session() as session:
        actor = load_actor(session, profile.person_id)
    return Permissions(
        may_plan=actor.may_plan(),
        edits_every_school=actor.is_trust_lead,
        head_of=actor.head_of,
    )


def require_planner(actor: Actor) -> None:
    if not actor.may_plan():
        raise PermissionDenied(
            PLANNING_REFUSED,
            next_step="Ask one of them to make this change.",
        )


def require_school_editor(actor: Actor, school_id: str) -> None:
    if not actor.may_edit_school(school_id):
        raise PermissionDenied(
            SCHOOL_EDIT_REFUSED,
            next_step="You can read it; ask one of them to make the change.",
        )


def record_audit(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str,
    **detail: object,
) -> None:
    """Ids and states only: never the text of a note."""
    session.add(
        AuditEntry(
            actor_id=actor.person_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=json.dumps(detail, sort_keys=True, default=str),
        )
    )

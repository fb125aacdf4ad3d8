"""Who may enrol keys and assign roles, as this laptop knows the trust.

Only the trust's leads (the consultant and the Executive Headteacher) enrol
people and assign roles. The chain starts at the roots this laptop was given
first-hand: the founder, who created the repository on this laptop, or the
leads an invitation names (the invitation is checked by its code, told by
another channel). From there it follows only what arrives signed:

- a `RoleAssignment` or `PersonKey` row arriving by sync, or a `Person`'s
  deletion (which takes their keys and roles with it), is applied only when
  the segment's author is a lead here (merge.py); anyone else's are not
  applied, so the roles and keys in this store were all written by leads;
- a signing key is trusted only when its row's enrolment signature verifies
  against a trusted key of its enroller, and the enroller is a lead here (a
  root's own self-enrolled key ends the chain).

A lead is a root, or someone holding the consultant or the Executive
Headteacher role in this store.
"""

import json
import logging
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from invictus_desktop.crypto.identity_keys import verify
from invictus_desktop.store.models import PersonKey, Role, RoleAssignment, Setting

log = logging.getLogger(__name__)

LEAD_ROLES = frozenset({Role.CONSULTANT, Role.EXECUTIVE_HEAD})
# The people this laptop trusts as leads first-hand (JSON list of person ids).
ROOTS = "sync.trust_roots"
# Rows only a lead may write: who is enrolled, and who holds which role.
GUARDED_TABLES = frozenset({RoleAssignment.__tablename__, PersonKey.__tablename__})


def roots(session: Session) -> set[str]:
    setting = session.get(Setting, ROOTS)
    if setting is None:
        return set()
    try:
        found = json.loads(setting.value)
    except ValueError:
        return set()
    return {item for item in found if isinstance(item, str)} if isinstance(found, list) else set()


def add_roots(session: Session, person_ids: Iterable[str]) -> None:
    known = roots(session)
    wanted = known | {p for p in person_ids if p}
    if wanted == known:
        return
    value = json.dumps(sorted(wanted))
    setting = session.get(Setting, ROOTS)
    if setting is None:
        session.add(Setting(key=ROOTS, value=value))
    else:
        setting.value = value
    session.flush()


def is_lead(session: Session, person_id: str | None) -> bool:
    if not person_id:
        return False
    if person_id in roots(session):
        return True
    found = session.scalar(
        select(RoleAssignment.id).where(
            RoleAssignment.person_id == person_id,
            RoleAssignment.role.in_(LEAD_ROLES),
        )
    )
    return found is not None


def key_is_trusted(session: Session, person_id: str, signing_public: bytes) -> bool:
    """Whether `signing_public` is an unrevoked key of the person, enrolled by a
    lead through a chain of trusted keys."""
    return _trusted(session, person_id, signing_public, set())


def _trusted(
    session: Session, person_id: str, signing: bytes, visiting: set[tuple[str, bytes]]
) -> bool:
    if (person_id, signing) in visiting:
        return False
    visiting = visiting | {(person_id, signing)}
    rows = session.scalars(
        select(PersonKey).where(
            PersonKey.person_id == person_id,
            PersonKey.signing_public == signing,
            PersonKey.revoked_at.is_(None),
        )
    ).all()
    for row in rows:
        if _enrolment_holds(session, row, visiting):
            return True
    if rows:
        log.warning(
            "the key of %s was enrolled by someone who is not a lead here (or its "
            "enrolment signature does not verify): not trusted",
            person_id,
        )
    return False


def _enrolment_holds(
    session: Session, row: PersonKey, visiting: set[tuple[str, bytes]]
) -> bool:
    enroller = row.enrolled_by_id
    if not row.enrolment_signature or not is_lead(session, enroller):
        return False
    message = row.signing_public + row.exchange_public
    if enroller == row.person_id and enroller in roots(session):
        # A root's own key, signed by itself: where the chain starts.
        return verify(row.signing_public, message, row.enrolment_signature)
    enroller_keys = session.scalars(
        select(PersonKey.signing_public).where(
            PersonKey.person_id == enroller, PersonKey.revoked_at.is_(None)
        )
    ).all()
    return any(
        verify(key, message, row.enrolment_signature)
        and _trusted(session, enroller, key, visiting)
        for key in set(enroller_keys)
    )

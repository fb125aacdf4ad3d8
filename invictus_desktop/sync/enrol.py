"""The trust's roster of people and their public keys, passed between laptops.

A laptop accepts a segment only if its author's signing key is enrolled here.
The first keys arrive with the roster when a laptop joins; later ones travel
in the trust partition like any other row. Every key in a roster must carry a
valid enrolment signature by a key, in the same roster, of the person who
enrolled it (a founder enrols themselves).
"""

import base64
import logging
from typing import Any

from sqlalchemy import select

from invictus_desktop.crypto.identity_keys import verify
from invictus_desktop.errors import UserFacingError
from invictus_desktop.store.database import Store
from invictus_desktop.store.models import Person, PersonKey
from invictus_desktop.store.outbox import APPLYING_REMOTE_CHANGES

log = logging.getLogger(__name__)


class RosterRejected(UserFacingError):
    pass


def export_roster(store: Store) -> list[dict[str, Any]]:
    """Everyone with an unrevoked key, as plain JSON-ready data."""
    with store.session() as session:
        rows = session.execute(
            select(Person, PersonKey)
            .join(PersonKey, PersonKey.person_id == Person.id)
            .where(PersonKey.revoked_at.is_(None))
            .order_by(Person.id, PersonKey.id)
        ).all()
        return [
            {
                "person_id": person.id,
                "name": person.name,
                "email": person.email,
                "key_id": key.id,
                "signing_public": _b64(key.signing_public),
                "exchange_public": _b64(key.exchange_public),
                "enrolled_by": key.enrolled_by_id,
                "enrolment_signature": _b64(key.enrolment_signature or b""),
            }
            for person, key in rows
        ]


def import_roster(store: Store, roster: list[dict[str, Any]]) -> int:
    """Add the people and keys this store lacks; returns how many keys were added.

    The rows are the enrolling laptops' own rows (same ids), added as if they had
    arrived by sync, so they are not sent again from here.
    """
    keys = _checked_keys(roster)
    added = 0
    with store.session() as session:
        session.info[APPLYING_REMOTE_CHANGES] = True
        for entry in roster:
            if session.get(Person, entry["person_id"]) is None:
                session.add(
                    Person(id=entry["person_id"], name=entry["name"], email=entry["email"])
                )
        session.flush()
        for entry in roster:
            if session.get(PersonKey, entry["key_id"]) is not None:
                continue
            session.add(
                PersonKey(
                    id=entry["key_id"],
                    person_id=entry["person_id"],
                    signing_public=keys[entry["key_id"]],
                    exchange_public=base64.b64decode(entry["exchange_public"]),
                    enrolled_by_id=entry["enrolled_by"],
                    enrolment_signature=base64.b64decode(entry["enrolment_signature"]),
                )
            )
            added += 1
    log.info("roster imported: %d new keys", added)
    return added


def _checked_keys(roster: list[dict[str, Any]]) -> dict[str, bytes]:
    """Each key's enrolment signature verified against its enroller's key."""
    signing = {
        entry["key_id"]: base64.b64decode(entry["signing_public"]) for entry in roster
    }
    by_person: dict[str, list[bytes]] = {}
    for entry in roster:
        by_person.setdefault(entry["person_id"], []).append(signing[entry["key_id"]])

    for entry in roster:
        message = signing[entry["key_id"]] + base64.b64decode(entry["exchange_public"])
        signature = base64.b64decode(entry["enrolment_signature"])
        enrollers = by_person.get(entry["enrolled_by"] or "", [])
        if not any(verify(key, message, signature) for key in enrollers):
            raise RosterRejected(
                f"The roster's key for {entry['name']} is not signed by whoever enrolled it.",
                next_step="Ask for a fresh invitation; nothing was imported.",
            )
    return signing


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")

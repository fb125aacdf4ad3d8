"""The trust's roster of people and their public keys, passed between laptops.

A laptop accepts a segment only if its author's signing key is enrolled here.
The first keys arrive with the roster when a laptop joins; later ones travel
in the trust partition like any other row. Every key in a roster must carry a
valid enrolment signature by a key, in the same roster, of the person who
enrolled it (a founder enrols themselves).

Only the consultant and the Executive Headteacher invite people: enrolling and
writing an invitation are refused to anyone else, and a roster entry whose
enroller holds neither role is left out on import. The enroller's roles are
those this store knows, or, for someone it does not know yet (a newcomer's
first roster), those the roster states.

Keys and roles that arrive later by sync are held to the same rule where they
are applied (see `sync.trust`): only a lead's rows count. So enrolling also
assigns the roles the newcomer asked for in their join request (covered by
its key code): the newcomer's own statement of their role, sent from their
laptop, is not applied anywhere else unless they are a lead already.
"""

import base64
import hashlib
import json
import logging
from typing import Any

from sqlalchemy import select

from invictus_desktop.crypto.identity_keys import sign, verify
from invictus_desktop.errors import UserFacingError
from invictus_desktop.store.database import Store
from invictus_desktop.store.models import (
    LocalIdentity,
    Person,
    PersonKey,
    Role,
    RoleAssignment,
    Setting,
)
from invictus_desktop.store.outbox import APPLYING_REMOTE_CHANGES
from invictus_desktop.sync import trust
from invictus_desktop.sync.engine import REPOSITORY_ID as REPOSITORY_ID_SETTING

log = logging.getLogger(__name__)


INVITER_ROLES = frozenset({Role.CONSULTANT.value, Role.EXECUTIVE_HEAD.value})
INVITING_REFUSED = (
    "Only the consultant or the Executive Headteacher can invite people to the trust."
)


class RosterRejected(UserFacingError):
    pass


def roles_of(session, person_id: str | None) -> set[str]:
    if not person_id:
        return set()
    return {
        role.value
        for role in session.scalars(
            select(RoleAssignment.role).where(RoleAssignment.person_id == person_id)
        )
    }


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
                "roles": sorted(roles_of(session, person.id)),
            }
            for person, key in rows
        ]


def import_roster(
    store: Store, roster: list[dict[str, Any]], refused: list[str] | None = None
) -> int:
    """Add the people and keys this store lacks; returns how many keys were added.
    Entries enrolled by someone who may not invite are left out, their names
    appended to `refused`.

    The rows are the enrolling laptops' own rows (same ids), added as if they had
    arrived by sync, so they are not sent again from here.
    """
    keys = _checked_keys(roster)
    with store.session() as session:
        added = _add_roster(session, roster, keys, refused)
    log.info("roster imported: %d new keys", added)
    return added


def _add_roster(
    session,
    roster: list[dict[str, Any]],
    keys: dict[str, bytes],
    refused: list[str] | None,
) -> int:
    """`import_roster`'s writes, in the caller's transaction (marked as applying
    remote changes, so none of them is queued to be sent)."""
    session.info[APPLYING_REMOTE_CHANGES] = True
    roster = _enrolled_by_inviters(session, roster, refused)
    # The leads the roster names are where this laptop's chain of trust
    # starts (see `sync.trust`): they are trusted as far as the file is.
    trust.add_roots(
        session,
        (
            entry["person_id"]
            for entry in roster
            if set(entry.get("roles") or []) & INVITER_ROLES
        ),
    )
    for entry in roster:
        if session.get(Person, entry["person_id"]) is None:
            session.add(
                Person(id=entry["person_id"], name=entry["name"], email=entry["email"])
            )
    session.flush()
    added = 0
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
    session.flush()
    return added


def _enrolled_by_inviters(
    session, roster: list[dict[str, Any]], refused: list[str] | None
) -> list[dict[str, Any]]:
    stated: dict[str, set[str]] = {}
    for entry in roster:
        roles = entry.get("roles") or []
        stated.setdefault(entry["person_id"], set()).update(
            role for role in roles if isinstance(role, str)
        )

    kept = []
    for entry in roster:
        enroller = entry["enrolled_by"]
        roles = roles_of(session, enroller) or stated.get(enroller or "", set())
        if roles & INVITER_ROLES:
            kept.append(entry)
            continue
        log.warning("roster: left out a key enrolled by someone who may not invite")
        if refused is not None:
            refused.append(str(entry["name"]))
    return kept


def _require_inviter(session) -> LocalIdentity:
    identity = session.scalars(select(LocalIdentity)).one()
    if not roles_of(session, identity.person_id) & INVITER_ROLES:
        raise EnrolmentRefused(
            INVITING_REFUSED, next_step="Ask one of them to enrol the newcomer."
        )
    return identity


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
                f"The roster's key for {entry['name']} is not signed by whoever "
                "enrolled it.",
                next_step="Ask for a fresh invitation; nothing was imported.",
            )
    return signing


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# -- invitations ---------------------------------------------------------------
#
# 1. The newcomer's laptop makes a join request (a small file: who they are and
#    their public keys) and shows its key code, e.g. "K3QX-7PBD-M2WA-Z9TE".
# 2. Whoever invites them reads the code back over the phone or in person, and
#    enrols the request only if the codes match: their laptop signs the
#    newcomer's keys, and that enrolment reaches everyone through sync.
# 3. The inviter gives the newcomer an invitation file (the repository's address
#    and identity, and the roster); accepting it connects the new profile.

INVITATION_FORMAT = 1


class EnrolmentRefused(UserFacingError):
    pass


def key_code(
    signing_public: bytes, exchange_public: bytes, roles: list[str] | None = None
) -> str:
    """A short, speakable fingerprint of a person's public keys (80 bits), and of
    the roles they ask for, if any."""
    digest = hashlib.sha256(b"invictus-key-code/1" + signing_public + exchange_public)
    if roles:
        digest.update(b"roles:" + ",".join(sorted(roles)).encode("ascii"))
    text = base64.b32encode(digest.digest()[:10]).decode("ascii")
    return "-".join(text[start : start + 4] for start in range(0, 16, 4))


def make_join_request(store: Store) -> dict[str, Any]:
    with store.session() as session:
        identity = session.scalars(select(LocalIdentity)).one()
        person = session.get(Person, identity.person_id)
        key = session.scalars(
            select(PersonKey).where(
                PersonKey.person_id == person.id, PersonKey.revoked_at.is_(None)
            )
        ).first()
        return {
            "person_id": person.id,
            "name": person.name,
            "email": person.email,
            "signing_public": _b64(key.signing_public),
            "exchange_public": _b64(key.exchange_public),
            "roles": sorted(roles_of(session, person.id)),
        }


def requested_roles(request: dict[str, Any]) -> list[Role]:
    """The roles a join request asks for; a damaged list is refused."""
    asked = request.get("roles", [])
    if not isinstance(asked, list) or not all(isinstance(r, str) for r in asked):
        raise ValueError("roles")
    return sorted({Role(r) for r in asked}, key=lambda role: role.value)


def join_request_code(request: dict[str, Any]) -> str:
    """The key code, which also covers the roles asked for: a request whose role
    was changed on its way no longer matches what the newcomer's screen shows."""
    return key_code(
        base64.b64decode(request["signing_public"]),
        base64.b64decode(request["exchange_public"]),
        [role.value for role in requested_roles(request)],
    )


def enrol_person(store: Store, request: dict[str, Any], spoken_code: str) -> str:
    """Sign the newcomer's keys with this laptop's key; returns the new key's id."""
    with store.session() as session:
        # First: someone who may not enrol should not be sent to check the code.
        inviter = _require_inviter(session)
        signing, exchange, person_id, name, roles = _checked_request(request, spoken_code)

        if session.get(Person, person_id) is None:
            session.add(
                Person(id=person_id, name=name, email=str(request.get("email", "")))
            )
            session.flush()
        # The roles first: a laptop that trusts the new key has its roles too.
        held = roles_of(session, person_id)
        for role in roles:
            if role.value not in held:
                session.add(RoleAssignment(person_id=person_id, role=role))
        session.flush()
        key = PersonKey(
            person_id=person_id,
            signing_public=signing,
            exchange_public=exchange,
            enrolled_by_id=inviter.person_id,
            enrolment_signature=sign(inviter.signing_private, signing + exchange),
        )
        enrolled = _same_key_enrolled(session, key)
        if enrolled is not None:
            # The same request enrolled again (unsure the first time took): one
            # key row, or every laptop would hold and check a copy of it.
            log.info("the key of person %s was already enrolled", person_id)
            return enrolled
        session.add(key)
        session.flush()
        log.info("enrolled a key for person %s", person_id)
        return key.id


def _same_key_enrolled(session, key: PersonKey) -> str | None:
    """The id of an unrevoked row holding the same keys from the same enroller."""
    return session.scalar(
        select(PersonKey.id).where(
            PersonKey.person_id == key.person_id,
            PersonKey.signing_public == key.signing_public,
            PersonKey.exchange_public == key.exchange_public,
            PersonKey.enrolled_by_id == key.enrolled_by_id,
            PersonKey.revoked_at.is_(None),
        )
    )


def _checked_request(request: dict[str, Any], spoken_code: str):
    """The newcomer's keys, id, name and roles, once the request is whole and the
    code read out matches it."""
    try:
        signing = base64.b64decode(request["signing_public"], validate=True)
        exchange = base64.b64decode(request["exchange_public"], validate=True)
        person_id, name = request["person_id"], str(request["name"]).strip()
        roles = requested_roles(request)
    except (KeyError, TypeError, ValueError):
        raise EnrolmentRefused("That join request is damaged.") from None
    if len(signing) != 32 or len(exchange) != 32 or signing == bytes(32) or not name:
        raise EnrolmentRefused("That join request is damaged.")
    if _normal_code(spoken_code) != _normal_code(join_request_code(request)):
        raise EnrolmentRefused(
            "The key code does not match this join request.",
            next_step="Ask the newcomer to read the code on their screen again; if it "
            "still differs, the request was altered on its way. Nothing was enrolled.",
        )
    return signing, exchange, person_id, name, roles


def make_invitation(store: Store, repository_url: str) -> dict[str, Any]:
    with store.session() as session:
        _require_inviter(session)
        repository = session.get(Setting, REPOSITORY_ID_SETTING)
    if repository is None:
        raise EnrolmentRefused(
            "This profile is not connected to a repository yet.",
            next_step="Create or join the repository before inviting anyone.",
        )
    return {
        "format": INVITATION_FORMAT,
        "repository_url": repository_url,
        "repository_id": repository.value,
        "roster": export_roster(store),
    }


def invitation_code(invitation: dict[str, Any]) -> str:
    """A short fingerprint of the whole invitation (address, repository, roster),
    given to the newcomer by another channel than the file (a call, a text
    message): a file altered or swapped on its way no longer matches."""
    canonical = json.dumps(invitation, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(b"invictus-invitation-code/1" + canonical.encode("utf-8"))
    text = base64.b32encode(digest.digest()[:10]).decode("ascii")
    return "-".join(text[start : start + 4] for start in range(0, 16, 4))


def check_invitation_code(invitation: dict[str, Any], typed_code: str) -> None:
    if _normal_code(typed_code) != _normal_code(invitation_code(invitation)):
        raise EnrolmentRefused(
            "The invitation code does not match this invitation file.",
            next_step="Check the code with whoever invited you; if it still differs, "
            "the file was altered on its way. Nothing was changed.",
        )


def accept_invitation(store: Store, invitation: dict[str, Any]) -> str:
    """Enrol the roster and remember which repository to expect; returns its URL.
    Joining (`SyncEngine.join_repository`) then checks the address holds it.

    Everything is checked before anything is written (the caller has checked
    the invitation's code), and the writes share one transaction: a refused
    invitation leaves no person, key or trust root behind. A roster's leads
    become roots, so an invitation to another repository must not get that far.
    """
    try:
        if invitation["format"] != INVITATION_FORMAT:
            raise ValueError("format")
        url, repository_id = invitation["repository_url"], invitation["repository_id"]
        roster = list(invitation["roster"])
    except (KeyError, TypeError, ValueError):
        raise EnrolmentRefused(
            "That invitation file is damaged or from a newer app."
        ) from None

    keys = _checked_keys(roster)
    with store.session() as session:
        existing = session.get(Setting, REPOSITORY_ID_SETTING)
        if existing is not None and existing.value != repository_id:
            raise EnrolmentRefused(
                "This profile already belongs to another repository.",
                next_step="Nothing was changed.",
            )

        added = _add_roster(session, roster, keys, None)
        if existing is None:
            session.add(Setting(key=REPOSITORY_ID_SETTING, value=repository_id))
    log.info("invitation accepted: %d new keys", added)
    return url


def _normal_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())

"""Canonical content, its hash, and the signed-in person's signature over it."""

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from invictus_desktop.crypto.identity_keys import sign, verify
from invictus_desktop.store.models import LocalIdentity, PersonKey


def canonical_bytes(document: object) -> bytes:
    """One byte string per document: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sign_as_me(session: Session, person_id: str, message: bytes) -> bytes:
    identity = session.scalar(
        select(LocalIdentity).where(LocalIdentity.person_id == person_id)
    )
    if identity is None:
        raise RuntimeError("this profile holds no signing key for the signed-in person")
    return sign(identity.signing_private, message)


def verify_by_person(
    session: Session, person_id: str, message: bytes, signature: bytes
) -> bool:
    """True when any of the person's enrolled, unrevoked keys made the signature."""
    keys = session.scalars(
        select(PersonKey.signing_public).where(
            PersonKey.person_id == person_id, PersonKey.revoked_at.is_(None)
        )
    ).all()
    return any(verify(key, message, signature) for key in keys)

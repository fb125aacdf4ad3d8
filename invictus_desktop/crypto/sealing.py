"""Sealing bytes under a key derived from the database key (AES-256-GCM).

Used for what must outlive a lock in memory but may only be read again by
someone who unlocks the same profile: edits the disk refused before an idle
lock (see `services.held_edits`). The derived key is recomputed from the
database key at every unlock, so while the profile is locked the sealed bytes
are unreadable even to this process.
"""

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from invictus_desktop.crypto.keywrap import KEY_LENGTH, NONCE_LENGTH, UnwrapFailed


def derive_subkey(data_key: bytes, purpose: bytes) -> bytes:
    """A key for one purpose, derived from the database key (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_LENGTH, salt=None, info=purpose)
    return hkdf.derive(data_key)


def seal(key: bytes, plaintext: bytes, context: bytes) -> bytes:
    """Encrypt `plaintext`; `context` is bound as associated data."""
    nonce = os.urandom(NONCE_LENGTH)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def open_sealed(key: bytes, sealed: bytes, context: bytes) -> bytes:
    """The plaintext of `seal(key, plaintext, context)`; UnwrapFailed otherwise."""
    nonce, ciphertext = sealed[:NONCE_LENGTH], sealed[NONCE_LENGTH:]
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, context)
    except (InvalidTag, ValueError) as exc:
        raise UnwrapFailed("sealed bytes failed authentication") from exc

"""AES-256-GCM wrapping of the database key, and the printable recovery key."""

import base64
import os
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_LENGTH = 12
KEY_LENGTH = 32
RECOVERY_KEY_BYTES = 25  # 200 bits: 40 base32 characters, shown as 8 groups of 5


class UnwrapFailed(Exception):
    """The wrapping key is wrong or the wrapped bytes were altered."""


@dataclass(frozen=True)
class WrappedKey:
    nonce: bytes
    ciphertext: bytes


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_LENGTH)


def wrap(wrapping_key: bytes, data_key: bytes, context: bytes) -> WrappedKey:
    """Encrypt `data_key`; `context` is bound as associated data."""
    nonce = os.urandom(NONCE_LENGTH)
    ciphertext = AESGCM(wrapping_key).encrypt(nonce, data_key, context)
    return WrappedKey(nonce, ciphertext)


def unwrap(wrapping_key: bytes, wrapped: WrappedKey, context: bytes) -> bytes:
    # AESGCM accepts nonces of other lengths; a vault that has one was not ours.
    if len(wrapped.nonce) != NONCE_LENGTH:
        raise UnwrapFailed("nonce has the wrong length")
    try:
        data_key = AESGCM(wrapping_key).decrypt(wrapped.nonce, wrapped.ciphertext, context)
    except InvalidTag as exc:
        raise UnwrapFailed("authentication failed") from exc
    if len(data_key) != KEY_LENGTH:
        raise UnwrapFailed("unwrapped key has the wrong length")
    return data_key


def new_recovery_key() -> str:
    raw = secrets.token_bytes(RECOVERY_KEY_BYTES)
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i : i + 5] for i in range(0, len(text), 5))


def recovery_key_bytes(recovery_key: str) -> bytes:
    """Parse a recovery key as typed: case, spaces and dashes do not matter."""
    cleaned = "".join(ch for ch in recovery_key.upper() if ch.isalnum())
    # People confuse these; base32 has neither 0 nor 1.
    cleaned = cleaned.replace("0", "O").replace("1", "I")
    try:
        raw = base64.b32decode(cleaned)
    except ValueError as exc:
        raise UnwrapFailed("not a recovery key") from exc
    if len(raw) != RECOVERY_KEY_BYTES:
        raise UnwrapFailed("recovery key has the wrong length")
    return raw


def recovery_wrapping_key(recovery_key: str, salt: bytes) -> bytes:
    """A recovery key already holds 200 random bits, so HKDF suffices (no stretching)."""
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_LENGTH,
        salt=salt,
        info=b"invictus recovery wrap v1",
    )
    return hkdf.derive(recovery_key_bytes(recovery_key))

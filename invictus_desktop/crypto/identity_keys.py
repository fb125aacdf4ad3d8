"""A person's Ed25519 signing key and X25519 key-agreement key."""

from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

_RAW_PUBLIC = (Encoding.Raw, PublicFormat.Raw)
_RAW_PRIVATE = (Encoding.Raw, PrivateFormat.Raw, NoEncryption())


@dataclass(frozen=True)
class KeyPairs:
    signing_private: bytes
    signing_public: bytes
    exchange_private: bytes
    exchange_public: bytes


def generate_key_pairs() -> KeyPairs:
    signing = Ed25519PrivateKey.generate()
    exchange = X25519PrivateKey.generate()
    return KeyPairs(
        signing_private=signing.private_bytes(*_RAW_PRIVATE),
        signing_public=signing.public_key().public_bytes(*_RAW_PUBLIC),
        exchange_private=exchange.private_bytes(*_RAW_PRIVATE),
        exchange_public=exchange.public_key().public_bytes(*_RAW_PUBLIC),
    )


def sign(signing_private: bytes, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(signing_private).sign(message)


def verify(signing_public: bytes, message: bytes, signature: bytes) -> bool:
    if len(signing_public) != 32 or signing_public == bytes(32):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(signing_public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True

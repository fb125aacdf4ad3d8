"""Passphrase stretching with Argon2id, calibrated to the machine.

The floor follows OWASP's guidance (64 MiB, 3 passes, 4 lanes). Calibration
raises the memory cost until one derivation takes about half a second here;
the chosen parameters are stored beside the wrapped key, so a vault made on a
fast desktop still opens on a slow laptop (just more slowly).
"""

import time
import unicodedata
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

FLOOR_MEMORY_KIB = 64 * 1024
FLOOR_PASSES = 3
LANES = 4
TARGET_SECONDS = 0.5
CEILING_MEMORY_KIB = 2 * 1024 * 1024
KEY_LENGTH = 32


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int = FLOOR_MEMORY_KIB
    passes: int = FLOOR_PASSES
    lanes: int = LANES

    def to_json(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> "KdfParams":
        """Validate parameters read from disk before they reach the KDF."""
        if not isinstance(data, dict):
            raise ValueError("KDF parameters are not an object")
        params = cls(
            memory_kib=_bounded_int(
                data, "memory_kib", FLOOR_MEMORY_KIB, CEILING_MEMORY_KIB
            ),
            passes=_bounded_int(data, "passes", FLOOR_PASSES, 64),
            lanes=_bounded_int(data, "lanes", 1, 64),
        )
        return params


def _bounded_int(data: dict, name: str, low: int, high: int) -> int:
    value = data.get(name)
    if type(value) is not int or not low <= value <= high:
        raise ValueError(f"KDF parameter {name!r} is missing or out of range")
    return value


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC-normalise, so the same passphrase typed on macOS and Windows matches."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=KEY_LENGTH,
        iterations=params.passes,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalise_passphrase(passphrase))


def calibrate(target_seconds: float = TARGET_SECONDS) -> KdfParams:
    """Double the memory cost from the floor until a derivation nears the target."""
    params = KdfParams()
    salt = b"calibration-salt"

    while params.memory_kib < CEILING_MEMORY_KIB:
        started = time.perf_counter()
        derive_key("calibration", salt, params)
        elapsed = time.perf_counter() - started
        if elapsed * 1.5 >= target_seconds:
            break
        params = KdfParams(memory_kib=params.memory_kib * 2, passes=params.passes)

    return params

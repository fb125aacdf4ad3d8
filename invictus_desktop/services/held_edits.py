"""Edits the store refused, kept sealed in memory across a lock.

When the idle lock fires while the disk refuses writes (full, read-only), the
typing that could not be saved must neither be lost nor left readable while
the profile is locked. The GUI hands the waiting payloads to `seal_edits`
before the store closes: they are serialised and encrypted under the
profile's `hold_key` (derived from the database key, which the lock then
drops), and only the ciphertext stays in memory. Nothing is written to disk.
After the same profile is unlocked, `open_edits` gives the payloads back and
the GUI queues them for the store again.

The payloads are the app's own plain data (text, dicts, tuples, enums), and
only bytes that pass AES-GCM authentication under this profile's key are
unpickled, so nothing from outside the process is ever unpickled.
"""

import logging
import pickle
from dataclasses import dataclass
from typing import Any

from invictus_desktop.crypto.keywrap import UnwrapFailed
from invictus_desktop.crypto.sealing import open_sealed, seal
from invictus_desktop.errors import UserFacingError
from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SealedEdits:
    """Payloads sealed for one profile: unreadable until it is unlocked again."""

    sealed: bytes
    count: int
    profile_root: str


def _context(root: str) -> bytes:
    return b"invictus held edits|" + root.encode("utf-8")


def seal_edits(profile: UnlockedProfile, payloads: list[Any]) -> SealedEdits:
    """Seal `payloads` (call while the profile is still open)."""
    if profile.hold_key is None:
        raise RuntimeError("this profile was opened without a key to hold edits with")
    root = str(profile.paths.root)
    plain = pickle.dumps(payloads, protocol=pickle.HIGHEST_PROTOCOL)
    sealed = SealedEdits(seal(profile.hold_key, plain, _context(root)), len(payloads), root)
    log.info("%d unsaved edits sealed in memory across the lock", len(payloads))
    return sealed


def open_edits(profile: UnlockedProfile, held: SealedEdits) -> list[Any]:
    """The payloads sealed by `seal_edits`, once the same profile is open again."""
    if profile.hold_key is None or str(profile.paths.root) != held.profile_root:
        raise UserFacingError("These unsaved edits belong to another profile.")
    try:
        plain = open_sealed(profile.hold_key, held.sealed, _context(held.profile_root))
    except UnwrapFailed:
        raise UserFacingError(
            "The edits kept from before the lock could not be opened with this key."
        ) from None
    payloads = pickle.loads(plain)  # authenticated above: our own bytes
    log.info("%d edits held across the lock reopened", len(payloads))
    return payloads

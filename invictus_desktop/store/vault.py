"""The vault file: the database key, wrapped under the passphrase and optionally
under a recovery key.

Format (JSON, version 1)::

    {"format": "invictus-vault", "version": 1,
     "wraps": {"passphrase": {"kdf": "argon2id", "params": {...}, "salt": b64,
                              "nonce": b64, "ciphertext": b64},
               "recovery":   {"kdf": "hkdf-sha256", "salt": b64, ...}}}

Each wrap's associated data binds the format, the wrap's name and its KDF
parameters, so parameters cannot be swapped without the unwrap failing.
Changing the passphrase rewrites only the passphrase wrap.
"""

import base64
import binascii
import json
import os
from dataclasses import dataclass, field

from invictus_desktop.crypto import keywrap
from invictus_desktop.crypto.kdf import KdfParams, derive_key
from invictus_desktop.errors import (
    ProfileMissing,
    StorageUnavailable,
    VaultDamaged,
    WrongPassphrase,
)
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.store.atomic import write_atomically

FORMAT = "invictus-vault"
VERSION = 1
SALT_LENGTH = 16
MAX_VAULT_BYTES = 64 * 1024


@dataclass
class Wrap:
    kdf: str
    salt: bytes
    wrapped: keywrap.WrappedKey
    params: KdfParams | None = None

    def context(self, name: str) -> bytes:
        params = json.dumps(self.params.to_json() if self.params else None, sort_keys=True)
        return f"{FORMAT}/{VERSION}/{name}/{self.kdf}/{params}".encode()


@dataclass
class Vault:
    wraps: dict[str, Wrap] = field(default_factory=dict)

    @property
    def has_recovery_key(self) -> bool:
        return "recovery" in self.wraps

    # Creating and changing wraps -------------------------------------------

    def wrap_with_passphrase(
        self, data_key: bytes, passphrase: str, params: KdfParams
    ) -> None:
        salt = os.urandom(SALT_LENGTH)
        wrap = Wrap("argon2id", salt, keywrap.WrappedKey(b"", b""), params)
        wrapping_key = derive_key(passphrase, salt, params)
        wrap.wrapped = keywrap.wrap(wrapping_key, data_key, wrap.context("passphrase"))
        self.wraps["passphrase"] = wrap

    def wrap_with_recovery_key(self, data_key: bytes, recovery_key: str) -> None:
        salt = os.urandom(SALT_LENGTH)
        wrap = Wrap("hkdf-sha256", salt, keywrap.WrappedKey(b"", b""))
        wrapping_key = keywrap.recovery_wrapping_key(recovery_key, salt)
        wrap.wrapped = keywrap.wrap(wrapping_key, data_key, wrap.context("recovery"))
        self.wraps["recovery"] = wrap

    # Opening ---------------------------------------------------------------

    def unwrap_with_passphrase(self, passphrase: str) -> bytes:
        wrap = self.wraps["passphrase"]
        assert wrap.params is not None
        wrapping_key = derive_key(passphrase, wrap.salt, wrap.params)
        try:
            return keywrap.unwrap(wrapping_key, wrap.wrapped, wrap.context("passphrase"))
        except keywrap.UnwrapFailed:
            raise WrongPassphrase() from None

    def unwrap_with_recovery_key(self, recovery_key: str) -> bytes:
        wrap = self.wraps.get("recovery")
        if wrap is None:
            raise WrongPassphrase()
        try:
            wrapping_key = keywrap.recovery_wrapping_key(recovery_key, wrap.salt)
            return keywrap.unwrap(wrapping_key, wrap.wrapped, wrap.context("recovery"))
        except keywrap.UnwrapFailed:
            raise WrongPassphrase() from None

    # Serialising -----------------------------------------------------------

    def to_bytes(self) -> bytes:
        wraps = {}
        for name, wrap in self.wraps.items():
            entry = {
                "kdf": wrap.kdf,
                "salt": _b64(wrap.salt),
                "nonce": _b64(wrap.wrapped.nonce),
                "ciphertext": _b64(wrap.wrapped.ciphertext),
            }
            if wrap.params is not None:
                entry["params"] = wrap.params.to_json()
            wraps[name] = entry
        document = {"format": FORMAT, "version": VERSION, "wraps": wraps}
        return json.dumps(document, indent=2, sort_keys=True).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Vault":
        """Parse and validate; any defect becomes `ValueError`."""
        document = json.loads(data.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError("not an Invictus vault")
        # JSON true equals 1 in Python; only the integer is a version.
        version = document.get("version")
        if type(version) is not int or version != VERSION:
            raise ValueError(f"unsupported vault version {version!r}")
        wraps = document.get("wraps")
        if not isinstance(wraps, dict) or "passphrase" not in wraps:
            raise ValueError("vault has no passphrase wrap")

        vault = cls()
        for name, entry in wraps.items():
            vault.wraps[name] = _parse_wrap(name, entry)
        return vault


_EXPECTED_KDF = {"passphrase": "argon2id", "recovery": "hkdf-sha256"}


def _parse_wrap(name: str, entry: object) -> Wrap:
    if name not in _EXPECTED_KDF or not isinstance(entry, dict):
        raise ValueError(f"unexpected wrap {name!r}")
    if entry.get("kdf") != _EXPECTED_KDF[name]:
        raise ValueError(f"wrap {name!r} uses an unexpected KDF")
    params = KdfParams.from_json(entry.get("params")) if name == "passphrase" else None
    salt = _unb64(entry, "salt")
    nonce = _unb64(entry, "nonce")
    ciphertext = _unb64(entry, "ciphertext")
    if len(salt) != SALT_LENGTH or len(nonce) != keywrap.NONCE_LENGTH:
        raise ValueError(f"wrap {name!r} has a salt or nonce of the wrong length")
    if len(ciphertext) != keywrap.KEY_LENGTH + 16:
        raise ValueError(f"wrap {name!r} has a ciphertext of the wrong length")
    return Wrap(entry["kdf"], salt, keywrap.WrappedKey(nonce, ciphertext), params)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(entry: dict, name: str) -> bytes:
    value = entry.get(name)
    if not isinstance(value, str):
        raise ValueError(f"{name} is missing")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"{name} is not base64") from exc


def read_vault(paths: ProfilePaths) -> Vault:
    if not paths.vault.exists():
        if paths.database.exists():
            raise VaultDamaged(
                f"The key file {paths.vault.name} is missing from {paths.root}, "
                "so the encrypted store cannot be opened.",
                next_step="Restore vault.json from your backup; without it the data "
                "cannot be recovered.",
            )
        raise ProfileMissing(
            f"There is no Invictus profile in {paths.root}.",
            next_step="Create one with 'invictus-desktop init' or the first-run window.",
        )

    try:
        if paths.vault.stat().st_size > MAX_VAULT_BYTES:
            raise ValueError("vault file is far too large")
        data = paths.vault.read_bytes()
    except OSError as exc:
        raise StorageUnavailable(
            f"The key file {paths.vault} cannot be read ({exc.strerror}).",
            next_step="Check that it is a file you may read, then try again.",
        ) from None
    except ValueError as exc:
        raise _damaged(paths, exc) from None

    try:
        return Vault.from_bytes(data)
    # Deeply nested JSON exhausts the parser's recursion rather than failing to parse.
    except (ValueError, RecursionError) as exc:
        raise _damaged(paths, exc) from None


def _damaged(paths: ProfilePaths, exc: Exception) -> VaultDamaged:
    reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
    return VaultDamaged(
        f"The key file {paths.vault} is damaged ({reason}).",
        next_step="Restore vault.json from your backup copy; nothing has been changed.",
    )


def write_vault(paths: ProfilePaths, vault: Vault) -> None:
    write_atomically(paths.vault, vault.to_bytes())

"""A damaged or tampered vault gives a clear error, runs no KDF and changes nothing."""

import base64
import json

import pytest

from invictus_desktop.crypto.kdf import CEILING_MEMORY_KIB, FLOOR_MEMORY_KIB
from invictus_desktop.errors import (
    ProfileMissing,
    StorageUnavailable,
    VaultDamaged,
    WrongPassphrase,
)
from invictus_desktop.services.profile import unlock, unlock_with_recovery_key
from invictus_desktop.store import vault as vault_module
from tests.conftest import PASSPHRASE
from tests.helpers import assert_explained, assert_unchanged, snapshot


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _edit(change):
    """A damage that parses the vault, lets `change` alter it, and writes it back."""

    def damage(data: bytes) -> bytes:
        document = json.loads(data)
        change(document)
        return json.dumps(document).encode()

    return damage


def _passphrase_wrap(change):
    return _edit(lambda document: change(document["wraps"]["passphrase"]))


def _params(**values):
    return _passphrase_wrap(lambda wrap: wrap["params"].update(values))


def _swap_names(document):
    wraps = document["wraps"]
    wraps["passphrase"], wraps["recovery"] = wraps["recovery"], wraps["passphrase"]


REFUSED = {
    "empty": lambda data: b"",
    "truncated": lambda data: data[: len(data) // 2],
    "not json": lambda data: b"<html><body>Sign in to continue</body></html>",
    "not utf-8": lambda data: b"\x89PNG\r\n\x1a\n" + data,
    "deeply nested": lambda data: b"[" * 60_000,
    "far too large": lambda data: data + b" " * 70_000,
    "a list": lambda data: b"[]",
    "wrong format": _edit(lambda d: d.update(format="keepass")),
    "version 2": _edit(lambda d: d.update(version=2)),
    "version true": _edit(lambda d: d.update(version=True)),
    "version text": _edit(lambda d: d.update(version="1")),
    "no passphrase wrap": _edit(lambda d: d["wraps"].pop("passphrase")),
    "unknown wrap": _edit(lambda d: d["wraps"].update(backdoor=d["wraps"]["recovery"])),
    "wraps swapped": _edit(_swap_names),
    "kdf relabelled": _passphrase_wrap(lambda w: w.update(kdf="pbkdf2")),
    "bad base64": _passphrase_wrap(lambda w: w.update(nonce="not*base64!")),
    "base64 with junk": _passphrase_wrap(lambda w: w.update(salt=w["salt"] + "\n!")),
    "salt missing": _passphrase_wrap(lambda w: w.pop("salt")),
    "8-byte nonce": _passphrase_wrap(lambda w: w.update(nonce=_b64(bytes(8)))),
    "short salt": _passphrase_wrap(lambda w: w.update(salt=_b64(bytes(4)))),
    "short ciphertext": _passphrase_wrap(lambda w: w.update(ciphertext=_b64(bytes(16)))),
    "memory below floor": _params(memory_kib=FLOOR_MEMORY_KIB // 2),
    "one pass": _params(passes=1),
    "no lanes": _params(lanes=0),
    "memory absurd": _params(memory_kib=2**40),
    "memory above ceiling": _params(memory_kib=CEILING_MEMORY_KIB * 2),
    "passes absurd": _params(passes=10**9),
    "lanes absurd": _params(lanes=10**6),
    "memory as text": _params(memory_kib=str(FLOOR_MEMORY_KIB)),
    "memory as float": _params(memory_kib=float(FLOOR_MEMORY_KIB)),
    "passes as true": _params(passes=True),
    "params missing": _passphrase_wrap(lambda w: w.pop("params")),
}


@pytest.fixture
def kdf_tripwire(monkeypatch):
    """Fail at once if a refused vault reaches the KDF: absurd parameters would
    otherwise ask Argon2id for a terabyte, or hours."""

    def tripped(*_args, **_kwargs):
        raise AssertionError("the KDF ran on parameters that should have been refused")

    monkeypatch.setattr(vault_module, "derive_key", tripped)


@pytest.mark.parametrize("damage", REFUSED.values(), ids=REFUSED.keys())
def test_damaged_vault_is_refused_before_the_kdf(locked_profile, kdf_tripwire, damage):
    vault = locked_profile.vault
    vault.write_bytes(damage(vault.read_bytes()))
    before = snapshot(locked_profile.root)

    with pytest.raises(VaultDamaged) as caught:
        unlock(locked_profile, PASSPHRASE)

    assert_explained(caught.value, "vault.json", "damaged", "backup")
    assert_unchanged(locked_profile.root, before)


def test_missing_vault_beside_a_store_is_explained(locked_profile):
    locked_profile.vault.unlink()
    before = snapshot(locked_profile.root)

    with pytest.raises(VaultDamaged) as caught:
        unlock(locked_profile, PASSPHRASE)

    assert_explained(caught.value, "vault.json", "missing", "restore")
    assert_unchanged(locked_profile.root, before)


def test_folder_without_a_profile_is_explained(profile_paths):
    profile_paths.root.mkdir()

    with pytest.raises(ProfileMissing) as caught:
        unlock(profile_paths, PASSPHRASE)

    assert_explained(caught.value, "no Invictus profile", "create")
    assert list(profile_paths.root.iterdir()) == []


def _flip_in(field: str):
    def flip(wrap):
        raw = bytearray(base64.b64decode(wrap[field]))
        raw[len(raw) // 2] ^= 0x01
        wrap[field] = _b64(bytes(raw))

    return _passphrase_wrap(flip)


def _swap_sealed_parts(document):
    wraps = document["wraps"]
    for field in ("nonce", "ciphertext"):
        wraps["passphrase"][field], wraps["recovery"][field] = (
            wraps["recovery"][field],
            wraps["passphrase"][field],
        )


# Well-formed but altered: only the AEAD can tell, and it cannot say which part.
TAMPERED = {
    "bit flipped in ciphertext": _flip_in("ciphertext"),
    "bit flipped in nonce": _flip_in("nonce"),
    "bit flipped in salt": _flip_in("salt"),
    "params changed within range": _params(passes=4),
    "sealed parts swapped between wraps": _edit(_swap_sealed_parts),
}


@pytest.mark.parametrize("damage", TAMPERED.values(), ids=TAMPERED.keys())
def test_tampered_passphrase_wrap_fails_to_unwrap(locked_profile, damage):
    vault = locked_profile.vault
    vault.write_bytes(damage(vault.read_bytes()))
    before = snapshot(locked_profile.root)

    with pytest.raises(WrongPassphrase) as caught:
        unlock(locked_profile, PASSPHRASE)

    assert_explained(caught.value, "passphrase", "recovery key")
    assert_unchanged(locked_profile.root, before)


def test_recovery_key_still_opens_after_the_passphrase_wrap_is_damaged(
    locked_profile, recovery_key
):
    vault = locked_profile.vault
    vault.write_bytes(_flip_in("ciphertext")(vault.read_bytes()))

    unlock_with_recovery_key(locked_profile, recovery_key).lock()


def test_recovery_key_fails_on_swapped_sealed_parts(locked_profile, recovery_key):
    vault = locked_profile.vault
    vault.write_bytes(_edit(_swap_sealed_parts)(vault.read_bytes()))
    before = snapshot(locked_profile.root)

    with pytest.raises(WrongPassphrase):
        unlock_with_recovery_key(locked_profile, recovery_key)

    assert_unchanged(locked_profile.root, before)


def test_unreadable_vault_is_explained(locked_profile):
    # Something (a sync tool, a slip in a file manager) left a folder in its place.
    locked_profile.vault.unlink()
    locked_profile.vault.mkdir()
    before = snapshot(locked_profile.root)

    with pytest.raises(StorageUnavailable) as caught:
        unlock(locked_profile, PASSPHRASE)

    assert_explained(caught.value, "vault.json", "cannot be read")
    assert_unchanged(locked_profile.root, before)

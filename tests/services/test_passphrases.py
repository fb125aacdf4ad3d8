"""Passphrases are opaque text: quotes, NUL and Unicode in either normal form."""

import unicodedata

import pytest

from invictus_desktop.errors import WrongPassphrase
from invictus_desktop.services.profile import NewProfile, create_profile, unlock
from invictus_desktop.store.models import Role
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import assert_explained, assert_unchanged, snapshot

# Typed on macOS (decomposed, NFD) and on Windows (composed, NFC).
WELSH_AND_FRENCH = "Llanfair Ŵyn — café crème brûlée, naïve Ångström"
NFC = unicodedata.normalize("NFC", WELSH_AND_FRENCH)
NFD = unicodedata.normalize("NFD", WELSH_AND_FRENCH)

ODD_PASSPHRASES = {
    "single quote": "it's o'clock somewhere; '--",
    "double quote": 'say "x\'00" then \\"stop\\"',
    "sql-ish": "x'00'; PRAGMA key = '' --",
    "nul inside": "before\x00after the nul byte",
    "non-latin": "Ελληνικά кириллица 日本語 🦉🔑",
}


def _create(paths, passphrase: str) -> None:
    spec = NewProfile("Dana Whitfield", Role.CONSULTANT, passphrase)
    profile, _ = create_profile(paths, spec, kdf_params=FAST_KDF)
    profile.lock()


@pytest.mark.parametrize("passphrase", ODD_PASSPHRASES.values(), ids=ODD_PASSPHRASES.keys())
def test_odd_passphrases_round_trip(profile_paths, passphrase):
    _create(profile_paths, passphrase)

    unlock(profile_paths, passphrase).lock()


def test_text_after_a_nul_counts(profile_paths):
    # A C-string bug would stop at the NUL and accept the prefix alone.
    _create(profile_paths, "before\x00after the nul byte")

    with pytest.raises(WrongPassphrase):
        unlock(profile_paths, "before")
    with pytest.raises(WrongPassphrase):
        unlock(profile_paths, "before\x00after the nul bytf")


@pytest.mark.parametrize(
    ("made_with", "typed"), [(NFC, NFD), (NFD, NFC)], ids=["nfc-then-nfd", "nfd-then-nfc"]
)
def test_either_unicode_normal_form_unlocks(profile_paths, made_with, typed):
    assert made_with != typed  # the same text, different code points

    _create(profile_paths, made_with)

    unlock(profile_paths, typed).lock()


def test_wrong_passphrase_is_explained_and_changes_nothing(locked_profile):
    before = snapshot(locked_profile.root)

    with pytest.raises(WrongPassphrase) as caught:
        unlock(locked_profile, PASSPHRASE.upper())

    assert_explained(caught.value, "passphrase", "recovery key")
    assert_unchanged(locked_profile.root, before)

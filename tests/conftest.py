"""Shared fixtures: real encrypted profiles in temporary folders.

Qt runs offscreen; tests fail on unexpected warnings (pyproject's
filterwarnings). Profiles use the KDF floor (64 MiB, 3 passes) rather than a
calibrated half second, to keep the suite quick; the floor is what the vault
accepts as a minimum, so nothing weaker is ever exercised.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from invictus_desktop.crypto.kdf import KdfParams
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services.profile import NewProfile, create_profile
from invictus_desktop.store.models import Role

PASSPHRASE = "correct horse battery staple"
FAST_KDF = KdfParams()


@pytest.fixture
def profile_paths(tmp_path) -> ProfilePaths:
    return ProfilePaths(tmp_path / "profile")


@pytest.fixture
def new_profile(profile_paths):
    """A freshly created, unlocked consultant's profile."""
    spec = NewProfile(name="Dana Whitfield", role=Role.CONSULTANT, passphrase=PASSPHRASE)
    profile, _ = create_profile(profile_paths, spec, kdf_params=FAST_KDF)
    yield profile
    profile.lock()

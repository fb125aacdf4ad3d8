"""Shared fixtures: real encrypted profiles in temporary folders.

Qt runs offscreen; tests fail on unexpected warnings (pyproject's
filterwarnings). Profiles use the KDF floor (64 MiB, 3 passes) rather than a
calibrated half second, to keep the suite quick; the floor is what the vault
accepts as a minimum, so nothing weaker is ever exercised.
"""

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from invictus_desktop.crypto.kdf import KdfParams
from invictus_desktop.gui import qt_workarounds
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services.profile import NewProfile, create_profile
from invictus_desktop.store.models import Role

qt_workarounds.apply()  # before any test emits a signal (see the module)

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


@pytest.fixture(scope="session")
def _profile_template(tmp_path_factory) -> tuple[ProfilePaths, str]:
    """One locked profile with a recovery key, made once and copied per test."""
    paths = ProfilePaths(tmp_path_factory.mktemp("template") / "profile")
    spec = NewProfile("Dana Whitfield", Role.CONSULTANT, PASSPHRASE, with_recovery_key=True)
    profile, recovery_key = create_profile(paths, spec, kdf_params=FAST_KDF)
    profile.lock()
    assert recovery_key is not None
    return paths, recovery_key


@pytest.fixture
def locked_profile(_profile_template, profile_paths) -> ProfilePaths:
    """A complete, locked profile of this test's own (vault with a recovery wrap)."""
    shutil.copytree(_profile_template[0].root, profile_paths.root)
    return profile_paths


@pytest.fixture
def recovery_key(_profile_template) -> str:
    return _profile_template[1]


@pytest.fixture
def collected_on_gui_thread(qapp):
    """Cyclic garbage collected on the GUI thread, as in the app, while the test
    runs; the interpreter collects again afterwards (tests without an event loop
    would otherwise never collect)."""
    from invictus_desktop.gui import gui_thread_gc

    gui_thread_gc.install(qapp)
    yield
    gui_thread_gc.uninstall(qapp)


@pytest.fixture
def pool_runner(qapp, collected_on_gui_thread):
    """A real task runner: work in a worker thread, progress after the real delay."""
    from invictus_desktop.gui.tasks import TaskRunner

    runner = TaskRunner()
    yield runner
    runner.wait_for_done()
    runner.deleteLater()

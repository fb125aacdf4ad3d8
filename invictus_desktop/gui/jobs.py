"""The work windows hand to the task runner: plain functions, run in workers.

Each imports the services it needs when it runs, never at module import, so
the unlock window appears without loading the ORM, Alembic or the crypto
stack; `load_form_policy` pulls them in while the user types. Results are
plain data: an `OpenProfile` carries the open profile and what the main window
shows, already read from the store. (The records are NamedTuples: `typing` is
loaded with Qt already, `dataclasses` would cost start-up a few milliseconds.)
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NamedTuple

from invictus_desktop.gui.tasks import TaskControl
from invictus_desktop.paths import ProfilePaths

if TYPE_CHECKING:
    from invictus_desktop.crypto.kdf import KdfParams
    from invictus_desktop.services.overview import Overview
    from invictus_desktop.services.profile import UnlockedProfile

log = logging.getLogger(__name__)


class RoleChoice(NamedTuple):
    value: str
    label: str


class FormPolicy(NamedTuple):
    """What the passphrase forms need from the services, loaded in the background."""

    roles: list[RoleChoice]
    min_passphrase_length: int


class NewProfileForm(NamedTuple):
    """What the first-run form collected. Holds a passphrase: never log it."""

    name: str
    role_value: str
    passphrase: str
    with_recovery_key: bool = False

    def __repr__(self) -> str:
        return f"NewProfileForm(role_value={self.role_value!r}, passphrase=<hidden>)"


class OpenProfile(NamedTuple):
    """An unlocked profile and what the main window needs from it."""

    profile: UnlockedProfile
    overview: Overview
    idle_lock_minutes: int


def load_form_policy(_control: TaskControl) -> FormPolicy:
    """Import the services (the slow part of start-up) and read the form rules."""
    import zxcvbn  # noqa: F401  (warmed here so the first keystroke does not pay)

    from invictus_desktop.services import (  # noqa: F401  (the screens' services)
        access,
        overview,
        planning,
        schools,
        settings,
        sips,
    )
    from invictus_desktop.services.profile import MIN_PASSPHRASE_LENGTH
    from invictus_desktop.store.models import Role

    return FormPolicy(
        roles=[RoleChoice(role.value, role.label) for role in Role],
        min_passphrase_length=MIN_PASSPHRASE_LENGTH,
    )


def create_and_open(
    paths: ProfilePaths,
    form: NewProfileForm,
    kdf_params: KdfParams | None,
    control: TaskControl,
) -> tuple[OpenProfile, str | None]:
    """Create the profile (calibrating the KDF unless given), then read its overview."""
    from invictus_desktop.services.profile import NewProfile, create_profile
    from invictus_desktop.store.models import Role

    spec = NewProfile(
        name=form.name,
        role=Role(form.role_value),
        passphrase=form.passphrase,
        with_recovery_key=form.with_recovery_key,
    )
    control.report(0, 0, "Creating your encrypted profile…")
    profile, recovery_key = create_profile(paths, spec, kdf_params)
    return _read_open_profile(profile), recovery_key


def build_demo_and_open(
    paths: ProfilePaths,
    passphrase: str,
    kdf_params: KdfParams | None,
    control: TaskControl,
) -> OpenProfile:
    """Create a profile holding the demo trust (with progress), then open it."""
    from invictus_desktop.services.demo import build_demo

    control.report(0, 0, "Creating the encrypted profile…")
    profile = build_demo(paths, passphrase, kdf_params, progress=control.report)
    return _read_open_profile(profile)


def unlock_and_open(
    paths: ProfilePaths, passphrase: str, control: TaskControl
) -> OpenProfile:
    from invictus_desktop.services.profile import unlock

    control.report(0, 0, "Unlocking…")
    return _read_open_profile(unlock(paths, passphrase))


def verify_recovery_key(
    paths: ProfilePaths, recovery_key: str, _control: TaskControl
) -> None:
    """Check the recovery key opens the store, and close it again at once."""
    from invictus_desktop.services.profile import unlock_with_recovery_key

    unlock_with_recovery_key(paths, recovery_key).lock()


def reset_and_open(
    paths: ProfilePaths,
    recovery_key: str,
    new_passphrase: str,
    kdf_params: KdfParams | None,
    control: TaskControl,
) -> OpenProfile:
    """Wrap the key under a new passphrase, then open the profile with it."""
    from invictus_desktop.services.profile import reset_passphrase_with_recovery_key, unlock

    control.report(0, 0, "Setting your new passphrase…")
    reset_passphrase_with_recovery_key(paths, recovery_key, new_passphrase, kdf_params)

    control.report(0, 0, "Unlocking…")
    return _read_open_profile(unlock(paths, new_passphrase))


def _read_open_profile(profile: UnlockedProfile) -> OpenProfile:
    from invictus_desktop.services.overview import load_overview
    from invictus_desktop.services.settings import get_idle_lock_minutes

    try:
        return OpenProfile(profile, load_overview(profile), get_idle_lock_minutes(profile))
    except BaseException:
        profile.lock()
        raise

"""The profile folder and the files inside it."""

import os
from pathlib import Path
from typing import NamedTuple

PROFILE_ENV = "INVICTUS_PROFILE"


class ProfilePaths(NamedTuple):
    """Every file a profile owns, derived from its folder.

    A NamedTuple (immutable, compared by value), not a dataclass: the unlock
    window needs this module, and `dataclasses` would cost start-up about
    3 ms (see `bench/startup.py`).
    """

    root: Path

    @property
    def vault(self) -> Path:
        return self.root / "vault.json"

    @property
    def database(self) -> Path:
        return self.root / "store.db"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def exists(self) -> bool:
        return self.vault.exists()


def default_profile_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("InvictusQUAD", "Invictus", roaming=True))


def resolve_profile(explicit: str | os.PathLike[str] | None = None) -> ProfilePaths:
    """`--profile DIR` beats `INVICTUS_PROFILE`, which beats the platform folder."""
    chosen = explicit or os.environ.get(PROFILE_ENV) or default_profile_dir()
    return ProfilePaths(Path(chosen).expanduser().resolve())

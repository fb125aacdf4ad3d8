"""The start of the screenshot tools that show a repository: the demo trust on a
consultant's profile that created a repository served on loopback, and new
profiles of people who have yet to join it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from invictus_desktop.crypto.kdf import KdfParams
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services import trust_repository
from invictus_desktop.services.demo import build_demo
from invictus_desktop.services.profile import NewProfile, UnlockedProfile, create_profile
from invictus_desktop.store.models import Role
from invictus_desktop.sync.server import make_server
from tools.report_screenshots import PASSPHRASE


@contextmanager
def demo_consultant_on_a_repository(root: Path, today: date) -> Iterator[UnlockedProfile]:
    """The demo trust (as of `today`) on a consultant's profile under `root`,
    connected as the founder of a repository served from `root`; the profile
    is locked and the server stopped when the block ends."""
    server = make_server(root / "repository")
    server.start()
    try:
        consultant = build_demo(
            ProfilePaths(root / "consultant"), PASSPHRASE, KdfParams(), today=today
        )
        try:
            trust_repository.connect(
                consultant, trust_repository.RepositoryConnection(server.url), create=True
            )
            yield consultant
        finally:
            consultant.lock()
    finally:
        server.stop()


def new_laptop(root: Path, folder: str, name: str, role: Role) -> UnlockedProfile:
    """A new profile under root/folder, of someone not enrolled anywhere yet."""
    spec = NewProfile(name, role, PASSPHRASE)
    profile, _ = create_profile(ProfilePaths(root / folder), spec, kdf_params=KdfParams())
    return profile

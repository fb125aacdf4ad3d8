"""Helpers shared by the verbs: profile resolution and opening a profile."""

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from invictus_desktop.errors import UserFacingError
from invictus_desktop.paths import ProfilePaths


def profile_paths(args: argparse.Namespace) -> ProfilePaths:
    from invictus_desktop.logs import configure_logging
    from invictus_desktop.paths import resolve_profile

    paths = resolve_profile(args.profile)
    if paths.root.is_dir():
        try:
            configure_logging(paths.logs)
        except OSError:
            configure_logging(None)  # a read-only profile must still be inspectable
    return paths


@contextmanager
def opened_profile(args: argparse.Namespace) -> Iterator:
    """Unlock with the passphrase from file, environment or prompt; lock on exit."""
    from invictus_desktop.cli.passphrase import read_passphrase
    from invictus_desktop.services.profile import unlock

    paths = profile_paths(args)
    profile = unlock(paths, read_passphrase(args.passphrase_file))
    try:
        yield profile
    finally:
        profile.lock()


def refuse_board_member(profile, instead: str) -> None:
    """Stop a verb about QUAD records for a Board member (alone: one with another
    role has the records): those records never come to their laptop by design,
    so the verb would find nothing and look broken. `instead` says what to run."""
    from invictus_desktop.services.syncing import reads_records_in_the_making

    if not reads_records_in_the_making(profile):
        raise UserFacingError(
            "Board members read the published reports; QUAD records in the making "
            "never come to a Board member's laptop.",
            next_step=instead,
        )


def progress_to_stderr(done: int, total: int, message: str) -> None:
    print(f"[{done}/{total}] {message}", file=sys.stderr)

"""`invictus-desktop [--profile DIR] [VERB ...]`: no verb opens the GUI.

Heavy modules (Qt, the ORM) are imported inside the verbs that need them, so
`--version` and the unlock window start quickly.
"""

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from invictus_desktop import __version__
from invictus_desktop.errors import UserFacingError

log = logging.getLogger(__name__)

Verb = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="invictus-desktop",
        description="Invictus QUAD Desktop: offline, encrypted Quality Assurance Days.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="profile folder (default: $INVICTUS_PROFILE or the platform's data folder)",
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="read the passphrase from FILE (else $INVICTUS_PASSPHRASE, else a prompt)",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")

    init = verbs.add_parser("init", help="create a profile without the GUI")
    init.add_argument("--name", required=True, help="your full name")
    init.add_argument("--role", required=True, choices=[role.value for role in _roles()])
    init.add_argument("--trust", default=None, help="the trust's name")
    init.add_argument(
        "--recovery-key",
        action="store_true",
        help="also make a recovery key (printed once: write it down)",
    )
    init.set_defaults(run=_run_init)

    doctor = verbs.add_parser("doctor", help="check the store's integrity and versions")
    doctor.set_defaults(run=_run_doctor)

    gui = verbs.add_parser("gui", help="open the app (the default)")
    gui.set_defaults(run=_run_gui)
    return parser


def _roles():
    from invictus_desktop.store.models.enums import Role

    return list(Role)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Verb = getattr(args, "run", _run_gui)
    try:
        return run(args)
    except UserFacingError as error:
        print(f"invictus-desktop: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _profile_paths(args: argparse.Namespace):
    from invictus_desktop.logs import configure_logging
    from invictus_desktop.paths import resolve_profile

    paths = resolve_profile(args.profile)
    if paths.root.is_dir():
        try:
            configure_logging(paths.logs)
        except OSError:
            configure_logging(None)  # a read-only profile must still be inspectable
    return paths


def _run_init(args: argparse.Namespace) -> int:
    from invictus_desktop.cli.passphrase import read_passphrase
    from invictus_desktop.logs import configure_logging
    from invictus_desktop.services.profile import (
        DEFAULT_TRUST_NAME,
        NewProfile,
        create_profile,
    )
    from invictus_desktop.store.models.enums import Role

    paths = _profile_paths(args)
    passphrase = read_passphrase(args.passphrase_file, confirm=True)
    spec = NewProfile(
        name=args.name,
        role=Role(args.role),
        passphrase=passphrase,
        with_recovery_key=args.recovery_key,
        trust_name=args.trust or DEFAULT_TRUST_NAME,
    )
    print("Creating the profile (calibrating the key derivation)...", file=sys.stderr)
    profile, recovery_key = create_profile(paths, spec)
    configure_logging(paths.logs)
    profile.lock()

    print(f"Profile created in {paths.root}")
    if recovery_key:
        print(
            "\nRecovery key (shown once; store it somewhere safe, away from this laptop):"
        )
        print(f"    {recovery_key}\n")
    return 0


def _run_doctor(args: argparse.Namespace) -> int:
    from invictus_desktop.cli.passphrase import read_passphrase
    from invictus_desktop.services.doctor import run_checks
    from invictus_desktop.services.profile import unlock

    paths = _profile_paths(args)
    profile = unlock(paths, read_passphrase(args.passphrase_file))
    try:
        checks = run_checks(profile)
    finally:
        profile.lock()

    for check in checks:
        mark = "ok  " if check.ok else "FAIL"
        print(f"{mark} {check.name}: {check.detail}")
    healthy = all(check.ok for check in checks)
    if healthy:
        print("The store is healthy.")
        return 0
    print(
        "Problems found; see above. To recover a damaged store, restore the newest "
        f"copy from {paths.backups}."
    )
    return 1


def _run_gui(args: argparse.Namespace) -> int:
    from invictus_desktop.gui.app import run_app

    return run_app(args.profile)


if __name__ == "__main__":
    sys.exit(main())

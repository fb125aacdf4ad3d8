"""Verbs about the profile itself: init, doctor, demo."""

import argparse
import sys

from invictus_desktop.cli.common import opened_profile, profile_paths, progress_to_stderr


def register(verbs) -> None:
    from invictus_desktop.store.vocabulary import Role

    init = verbs.add_parser("init", help="create a profile without the GUI")
    init.add_argument("--name", required=True, help="your full name")
    init.add_argument("--role", required=True, choices=[role.value for role in Role])
    init.add_argument("--trust", default=None, help="the trust's name")
    init.add_argument(
        "--recovery-key",
        action="store_true",
        help="also make a recovery key (printed once: write it down)",
    )
    init.set_defaults(run=run_init)

    doctor = verbs.add_parser("doctor", help="check the store's integrity and versions")
    doctor.set_defaults(run=run_doctor)

    demo = verbs.add_parser("demo", help="create a profile holding the demo trust")
    demo.set_defaults(run=run_demo)


def run_init(args: argparse.Namespace) -> int:
    from invictus_desktop.cli.passphrase import read_passphrase
    from invictus_desktop.logs import configure_logging
    from invictus_desktop.services.profile import (
        DEFAULT_TRUST_NAME,
        NewProfile,
        create_profile,
    )
    from invictus_desktop.store.vocabulary import Role

    paths = profile_paths(args)
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
        print("\nRecovery key (shown once; keep it safe, away from this laptop):")
        print(f"    {recovery_key}\n")
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    from invictus_desktop.services.doctor import run_checks

    with opened_profile(args) as profile:
        checks = run_checks(profile)
        backups = profile.paths.backups

    for check in checks:
        mark = "ok  " if check.ok else "FAIL"
        print(f"{mark} {check.name}: {check.detail}")
    if all(check.ok for check in checks):
        print("The store is healthy.")
        return 0
    print(
        "Problems found; see above. To recover a damaged store, restore the newest "
        f"copy from {backups}."
    )
    return 1


def run_demo(args: argparse.Namespace) -> int:
    from invictus_desktop.cli.passphrase import read_passphrase
    from invictus_desktop.services.demo import build_demo
    from invictus_desktop.services.overview import load_overview

    paths = profile_paths(args)
    passphrase = read_passphrase(args.passphrase_file, confirm=True)
    profile = build_demo(paths, passphrase, progress=progress_to_stderr)
    try:
        counts = load_overview(profile).counts
    finally:
        profile.lock()

    summary = ", ".join(f"{count} {name.lower()}" for name, count in counts.items())
    print(f"Demo trust created in {paths.root}: {summary}")
    return 0

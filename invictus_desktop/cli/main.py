"""`invictus-desktop [--profile DIR] [VERB ...]`: no verb opens the GUI.

Heavy modules (Qt, the ORM) are imported inside the verbs that need them, so
`--version` and the unlock window start quickly.
"""

import argparse
import logging
import sys
from collections.abc import Callable, Iterator, Sequence

from invictus_desktop import __version__
from invictus_desktop.cli import (
    conflict_verbs,
    planning_verbs,
    profile_verbs,
    report_verbs,
    sync_verbs,
)
from invictus_desktop.errors import UserFacingError

log = logging.getLogger(__name__)

Verb = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="invictus-desktop",
        description="Invictus QUAD Desktop: offline, encrypted Quality Assurance Days.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_profile_options(parser, None)
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    profile_verbs.register(verbs)
    planning_verbs.register(verbs)
    report_verbs.register(verbs)
    sync_verbs.register(verbs)
    conflict_verbs.register(verbs)

    gui = verbs.add_parser("gui", help="open the app (the default)")
    gui.set_defaults(run=_run_gui)
    for verb in _all_verbs(parser):
        # Also after the verb (`sync --profile DIR`), as people type it; not
        # set there unless given, so the options before the verb still count.
        _add_profile_options(verb, argparse.SUPPRESS)
    return parser


def _add_profile_options(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument(
        "--profile",
        metavar="DIR",
        default=default,
        help="profile folder (default: $INVICTUS_PROFILE or the platform's data folder)",
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        default=default,
        help="read the passphrase from FILE (else $INVICTUS_PASSPHRASE, else a prompt)",
    )


def _all_verbs(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every parser below `parser`: verbs, and their steps (`sync join`)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases once
                yield child
                yield from _all_verbs(child)


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
        # Every write commits whole, so an interrupted command loses nothing.
        print("\ninvictus-desktop: interrupted; what was saved stays saved, and the "
              "command can be run again.", file=sys.stderr)
        return 130


def _run_gui(args: argparse.Namespace) -> int:
    from invictus_desktop.gui.app import run_app

    return run_app(args.profile)


if __name__ == "__main__":
    sys.exit(main())

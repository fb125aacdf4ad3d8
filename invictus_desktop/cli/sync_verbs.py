"""Verbs for the trust's repository: serve one, connect a profile, sync, rosters.

    repository serve DIR [--host H] [--port P] [--users FILE] [--cert F --key F]
    repository add-user USERS_FILE NAME
    sync create URL [--user NAME] [--trust-certificate FILE]
    sync join URL [--user NAME] [--trust-certificate FILE]
    sync | sync now              (one round: send, receive, publish final reports;
                                  exit 4 if anything was refused or not published)
    sync roster export FILE | sync roster import FILE
    sync request FILE            (newcomer: write a join request, show its key code)
    sync enrol FILE --code CODE  (colleague: enrol the request if the codes match)
    sync invite FILE | invite FILE   (colleague: write the invitation for the newcomer)
    sync accept FILE --code CODE | join FILE --code CODE
                                 (newcomer: check the code, enrol the roster, join)

Passwords come from $INVICTUS_REPOSITORY_PASSWORD or a prompt, never an argument.
"""

import argparse
import contextlib
import getpass
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from invictus_desktop.cli.common import opened_profile
from invictus_desktop.errors import UserFacingError

PASSWORD_ENV = "INVICTUS_REPOSITORY_PASSWORD"
# The most often a progress line is printed within one step of a round.
PROGRESS_INTERVAL_SECONDS = 0.5


def register(verbs) -> None:
    repository = verbs.add_parser("repository", help="run the app's own repository server")
    actions = repository.add_subparsers(dest="action", metavar="ACTION", required=True)

    serve = actions.add_parser("serve", help="serve a folder as the trust's repository")
    serve.add_argument("folder", type=Path)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8080)
    serve.add_argument("--users", type=Path, help="users file (see add-user)")
    serve.add_argument("--cert", type=Path, help="TLS certificate (PEM) for HTTPS")
    serve.add_argument("--key", type=Path, help="the certificate's private key (PEM)")
    serve.set_defaults(run=run_serve)

    add_user = actions.add_parser("add-user", help="add or change a person's password")
    add_user.add_argument("users_file", type=Path)
    add_user.add_argument("name")
    add_user.set_defaults(run=run_add_user)

    sync = verbs.add_parser(
        "sync", help="send and receive changes (one round); or a STEP below"
    )
    sync.set_defaults(run=run_sync_now)
    sync.add_argument(
        "--thorough",
        action="store_true",
        help="list every partition, whatever the server's folder ETags say",
    )
    steps = sync.add_subparsers(dest="step", metavar="STEP")
    for name, help_text, runner in (
        ("create", "start a new repository at URL", run_create),
        ("join", "connect to the repository at URL", run_join),
    ):
        step = steps.add_parser(name, help=help_text)
        step.add_argument("url")
        step.add_argument("--user", help="the repository user name")
        step.add_argument(
            "--trust-certificate",
            type=Path,
            help="trust this certificate (a self-signed one on the trust's own server)",
        )
        step.set_defaults(run=runner)

    now = steps.add_parser("now", help="send and receive changes")
    now.set_defaults(run=run_sync_now)

    roster = steps.add_parser("roster", help="export or import the trust's enrolled keys")
    roster.add_argument("direction", choices=("export", "import"))
    roster.add_argument("file", type=Path)
    roster.set_defaults(run=run_roster)

    request = steps.add_parser("request", help="write a join request for a colleague")
    request.add_argument("file", type=Path)
    request.set_defaults(run=run_request)

    enrol = steps.add_parser("enrol", help="enrol a newcomer's join request")
    enrol.add_argument("file", type=Path)
    enrol.add_argument("--code", required=True, help="the key code the newcomer reads out")
    enrol.set_defaults(run=run_enrol)

    invite = steps.add_parser("invite", help="write an invitation to this repository")
    invite.add_argument("file", type=Path)
    invite.set_defaults(run=run_invite)

    accept = steps.add_parser("accept", help="accept an invitation and join")
    _invitation_arguments(accept)

    # The two steps people use most also stand on their own.
    top_invite = verbs.add_parser("invite", help="write an invitation (same as sync invite)")
    top_invite.add_argument("file", type=Path)
    top_invite.set_defaults(run=run_invite)
    join = verbs.add_parser("join", help="join the trust from an invitation file")
    _invitation_arguments(join)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1 to 65535)")
    return int(text)


def _invitation_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="INVITATION")
    parser.add_argument(
        "--code", required=True, help="the invitation code the inviter told you"
    )
    parser.add_argument("--user", help="the repository user name")
    parser.add_argument("--trust-certificate", type=Path)
    parser.set_defaults(run=run_accept)


def run_serve(args: argparse.Namespace) -> int:
    from invictus_desktop.sync.server import make_server

    # Bound (or refused) before saying it serves, so a refusal is all stderr says.
    server = make_server(args.folder, args.host, args.port, args.users, args.cert, args.key)
    print(f"Serving {args.folder} at {server.url}; Ctrl+C stops.", file=sys.stderr)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    finally:
        server.stop()
    return 0


def run_add_user(args: argparse.Namespace) -> int:
    from invictus_desktop.sync.server import add_user

    add_user(args.users_file, args.name, _password())
    print(f"{args.name} can now sign in to the repository.")
    return 0


def run_create(args: argparse.Namespace) -> int:
    return _connect(args, create=True)


def run_join(args: argparse.Namespace) -> int:
    return _connect(args, create=False)


def _connect(args: argparse.Namespace, *, create: bool) -> int:
    from invictus_desktop.services import trust_repository

    connection = trust_repository.RepositoryConnection(
        url=args.url,
        username=args.user,
        password=_password() if args.user else None,
        trusted_certificate=args.trust_certificate,
    )
    with opened_profile(args) as profile:
        repository_id = trust_repository.connect(profile, connection, create=create)
        invited = trust_repository.knows_the_trust(profile)
    print(f"Connected to repository {repository_id}.")
    if not invited:
        # Connecting is not joining: a newcomer who skipped the invitation
        # would otherwise meet only a page of refusals at the next sync.
        print("This profile has not joined the trust yet: other laptops will refuse "
              "what it sends, and it will refuse what they sent. Join with "
              "`sync request FILE`, then `join INVITATION --code CODE` once a "
              "consultant or Executive Headteacher has enrolled you.", file=sys.stderr)
    return 0


def run_sync_now(args: argparse.Namespace) -> int:
    """One round; exit 0 if all went through, 4 if anything was refused or
    unconfirmed, or a report could not be published or fetched (1, through
    UserFacingError, when changes could not be exchanged at all)."""
    from invictus_desktop.services.sync_refusals import what_to_do
    from invictus_desktop.services.syncing import sync_once

    print("Syncing with the trust's repository...", file=sys.stderr)
    lines = ProgressLines(sys.stderr)
    with opened_profile(args) as profile:
        try:
            report = sync_once(profile, progress=lines, thorough=args.thorough)
        except BaseException:
            lines.finish(stopped=True)
            raise
        lines.finish()
    print(f"sent {report.sent}, received {report.received}, re-sent {report.repaired}")
    for waiting in report.waiting:
        print(f"waiting for earlier changes: {waiting}")
    for refused in report.refused:
        print(f"refused: {refused}", file=sys.stderr)
    for line in what_to_do(report.refused):
        print(line, file=sys.stderr)
    for published in report.published:
        print(f"published {published} to the Board and the school")
    for clash in report.publish_clashes:
        print(f"not published: the repository already holds a different {clash}",
              file=sys.stderr)
    for problem in report.publishing_problems:
        print(problem, file=sys.stderr)
    if report.reports_arrived:
        versions = "version" if report.reports_arrived == 1 else "versions"
        print(f"{report.reports_arrived} published report {versions} arrived")
    if report.unconfirmed:
        print(f"{report.unconfirmed} uploads could not be confirmed; they will be retried",
              file=sys.stderr)
    failed = (report.refused or report.unconfirmed or report.publish_clashes
              or report.publishing_problems)
    return 4 if failed else 0


class ProgressLines:
    """A round's progress as lines on a stream: the first and last report of each
    step ("Sending", "Receiving", ...: a message's first word), and between them
    a line at most every `interval` seconds (the last is printed when the next
    step begins, or at `finish`); `finish` says how long it took.
    Callers print nothing else on the stream meanwhile."""

    def __init__(
        self,
        stream: TextIO,
        interval: float = PROGRESS_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._interval = interval
        self._clock = clock
        self._started = clock()
        self._step = ""
        self._printed_at = 0.0
        self._unprinted: str | None = None

    def __call__(self, done: int, total: int, message: str) -> None:
        step = message.split(" ", 1)[0]
        now = self._clock()
        if step != self._step:
            self._print_unprinted()
            self._step = step
        elif now - self._printed_at < self._interval:
            # Even a count that reached its total waits: receiving, the total
            # grows log by log, so each log's end would print a line of its own.
            self._unprinted = message
            return
        self._print(message, now)

    def finish(self, *, stopped: bool = False) -> None:
        self._print_unprinted()
        seconds = self._clock() - self._started
        ended = "Stopped after" if stopped else "Finished in"
        print(f"{ended} {seconds:.1f} s.", file=self._stream, flush=True)

    def _print_unprinted(self) -> None:
        if self._unprinted is not None:
            self._print(self._unprinted, self._clock())

    def _print(self, message: str, now: float) -> None:
        print(message, file=self._stream, flush=True)
        self._printed_at = now
        self._unprinted = None


def run_roster(args: argparse.Namespace) -> int:
    from invictus_desktop.sync.enrol import export_roster, import_roster

    with opened_profile(args) as profile:
        if args.direction == "export":
            args.file.write_text(json.dumps(export_roster(profile.store), indent=1))
            print(f"Roster written to {args.file}.")
            return 0
        try:
            roster = json.loads(args.file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UserFacingError(f"Cannot read the roster {args.file}: {exc}.") from None
        refused: list[str] = []
        added = import_roster(profile.store, roster, refused)
    print(f"{added} new keys enrolled.")
    for name in refused:
        print(f"left out: the key of {name}, enrolled by someone who may not invite",
              file=sys.stderr)
    return 0


def _password() -> str:
    """The repository password; with no terminal to ask in, an unset variable is
    refused rather than sent empty, which the server would call a wrong password."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise UserFacingError(
            "No password given.",
            next_step=f"Set {PASSWORD_ENV}, or run this in a terminal to be asked.",
        )
    return getpass.getpass("Repository password: ")


def run_request(args: argparse.Namespace) -> int:
    from invictus_desktop.services import trust_repository

    with opened_profile(args) as profile:
        code = trust_repository.write_join_request(profile, args.file)
    print(f"Join request written to {args.file}.")
    print(f"Read this code to whoever enrols you: {code}")
    return 0


def run_enrol(args: argparse.Namespace) -> int:
    from invictus_desktop.services import trust_repository

    request = trust_repository.read_join_request(args.file)
    with opened_profile(args) as profile:
        trust_repository.enrol(profile, request, args.code)
    print(f"{request.described} is enrolled; sync to tell everyone.")
    return 0


def run_invite(args: argparse.Namespace) -> int:
    from invictus_desktop.services import trust_repository

    with opened_profile(args) as profile:
        code = trust_repository.write_invitation(profile, args.file)
    print(f"Invitation written to {args.file}.")
    print(f"Tell the newcomer this code by phone or text, not with the file: {code}")
    return 0


def run_accept(args: argparse.Namespace) -> int:
    from invictus_desktop.services import trust_repository

    password = _password() if args.user else None
    with opened_profile(args) as profile:
        trust_repository.accept(profile, args.file, args.code, username=args.user,
                                password=password,
                                trusted_certificate=args.trust_certificate)
    print("Invitation accepted; `sync now` brings the trust's records.")
    return 0

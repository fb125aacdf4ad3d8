"""Connecting a profile to the trust's repository, and bringing a colleague in.

The window and the command line share these steps:

- the founder (usually the consultant) `connect`s with `create=True`;
- a newcomer writes a join request (`write_join_request`) and reads its key
  code aloud to a colleague;
- the colleague opens it (`read_join_request`), types the code they heard and
  `enrol`s it, then writes an invitation (`write_invitation`) and tells the
  newcomer its code by another channel;
- the newcomer `accept`s the invitation with that code, which connects their
  profile.

Files hold public keys and the repository's address only; passwords stay in
the encrypted store.
"""

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.atomic import write_atomically
from invictus_desktop.sync import trust
from invictus_desktop.sync.connection import (
    RepositoryConnection,
    load_connection,
    save_connection,
)
from invictus_desktop.sync.engine import SyncEngine
from invictus_desktop.sync.enrol import (
    INVITER_ROLES,
    accept_invitation,
    check_invitation_code,
    enrol_person,
    invitation_code,
    join_request_code,
    make_invitation,
    make_join_request,
    requested_roles,
    roles_of,
)
from invictus_desktop.sync.enrol import INVITING_REFUSED as INVITING_REFUSED  # for screens

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class JoinRequest:
    """A newcomer's request as read from their file, for a colleague to check."""

    name: str
    code: str
    document: dict[str, Any]
    # The roles asked for, as people read them; enrolling assigns them.
    roles: tuple[str, ...] = ()

    @property
    def described(self) -> str:
        return f"{self.name} ({', '.join(self.roles)})" if self.roles else self.name


def connect(profile: UnlockedProfile, connection: RepositoryConnection, *,
            create: bool) -> str:
    """Start a repository at the address (`create`) or join the one there; the
    connection is kept only once the repository answered. Returns its id."""
    client = connection.open_client()
    try:
        engine = SyncEngine(profile.store, client)
        repository_id = engine.create_repository() if create else engine.join_repository()
    finally:
        client.close()
    save_connection(profile.store, connection)
    log.info("connected to repository %s", repository_id)
    return repository_id


def knows_the_trust(profile: UnlockedProfile) -> bool:
    """Whether this laptop has a first-hand start for the chain of trust: it
    founded the repository, or opened an invitation. Without one, what it
    receives is refused, and other laptops refuse what it sends."""
    with profile.store.session() as session:
        return bool(trust.roots(session))


def may_invite(profile: UnlockedProfile) -> bool:
    """Whether this person may enrol newcomers (the consultant or the
    Executive Headteacher); others are refused by `enrol` anyway."""
    with profile.store.session() as session:
        return bool(roles_of(session, profile.person_id) & INVITER_ROLES)


def write_join_request(profile: UnlockedProfile, path: Path) -> str:
    """Write this person's join request; returns the key code to read aloud."""
    request = make_join_request(profile.store)
    write_atomically(path, json.dumps(request, indent=1).encode("utf-8"))
    return join_request_code(request)


def join_request_code_of(profile: UnlockedProfile) -> str:
    return join_request_code(make_join_request(profile.store))


MAX_NAME_CHARS = 200


def read_join_request(path: Path) -> JoinRequest:
    document = _read_json(path, "join request")
    try:
        name = document["name"]
        if not isinstance(name, str):
            raise TypeError("name")
        code = join_request_code(document)
        roles = tuple(role.label for role in requested_roles(document))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise UserFacingError(f"{path.name} is not a join request.") from None
    # Shown to the colleague who checks the code: printable, and of a sane length.
    shown = "".join(c if c.isprintable() else " " for c in name)[:MAX_NAME_CHARS]
    return JoinRequest(shown, code, document, roles)


def enrol(profile: UnlockedProfile, request: JoinRequest, heard_code: str) -> None:
    """Enrol the newcomer's keys if the code matches what their screen shows."""
    enrol_person(profile.store, request.document, heard_code)


def write_invitation(profile: UnlockedProfile, path: Path) -> str:
    """Write the invitation file; returns its code, for the newcomer to type
    when they open it (tell it by another channel than the file)."""
    connection = load_connection(profile.store)
    if connection is None:
        raise UserFacingError(
            "This profile is not connected to the trust's repository yet.",
            next_step="Connect first; then invite colleagues.",
        )
    invitation = make_invitation(profile.store, connection.url)
    write_atomically(path, json.dumps(invitation, indent=1).encode("utf-8"))
    return invitation_code(invitation)


def accept(profile: UnlockedProfile, path: Path, code: str, *, username: str | None = None,
           password: str | None = None, trusted_certificate: Path | None = None) -> str:
    """Accept an invitation whose code matches and connect to its repository;
    returns the address."""
    invitation = _read_json(path, "invitation")
    _check_is_an_invitation(path, invitation)
    check_invitation_code(invitation, code)
    url = accept_invitation(profile.store, invitation)
    connection = RepositoryConnection(url, username, password, trusted_certificate)
    connect(profile, connection, create=False)
    return url


def _check_is_an_invitation(path: Path, document: Any) -> None:
    """Name a file of another kind as such: the newcomer's own join request,
    picked up by mistake, would otherwise be said to be altered on its way."""
    if isinstance(document, dict) and "repository_url" in document:
        return
    if isinstance(document, dict) and "signing_public" in document:
        raise UserFacingError(
            f"{path.name} is a join request, not an invitation.",
            next_step="The request goes to whoever enrols you; join with the "
            "invitation file they send back.",
        )
    raise UserFacingError(f"{path.name} is not an invitation.")


def _read_json(path: Path, what: str) -> Any:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UserFacingError(f"{path.name} is too large to be a {what}.")
        return json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:  # nested without end: not a file this app wrote
        raise UserFacingError(f"{path.name} is not a {what}.") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror.lower() if isinstance(exc, OSError) and exc.strerror else exc
        raise UserFacingError(
            f"Cannot read the {what} {path.name}: {reason}.",
            next_step=f"Check that this is the {what} file you were given.",
        ) from None

"""One sync round for an open profile, for the GUI's background sync and the
command line alike."""

import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services.access import load_actor
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.publishing import (
    publish_pending,
    refresh_library,
)
from invictus_desktop.store.models import Role, Setting, utc_now
from invictus_desktop.sync.connection import load_connection
from invictus_desktop.sync.engine import Progress, SyncEngine, SyncReport, no_progress
from invictus_desktop.sync.errors import RepositoryUnreachable

log = logging.getLogger(__name__)

# When a round last exchanged changes with the repository (UTC, ISO 8601).
LAST_SUCCESS = "sync.last_success"


class NotConnected(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "This profile is not connected to the trust's repository.",
            next_step="Use `sync join URL` (or `sync create URL` for a new trust) first.",
        )


@dataclass(frozen=True)
class SyncStatus:
    connected: bool
    repository: str
    # When a round last exchanged changes (from this window or the command line).
    last_success: datetime | None = None


def sync_status(profile: UnlockedProfile) -> SyncStatus:
    connection = load_connection(profile.store)
    return SyncStatus(
        connection is not None, connection.url if connection else "", last_success(profile)
    )


def last_success(profile: UnlockedProfile) -> datetime | None:
    with profile.store.session() as session:
        setting = session.get(Setting, LAST_SUCCESS)
        return datetime.fromisoformat(setting.value) if setting else None


def _remember_success(profile: UnlockedProfile) -> None:
    with profile.store.session() as session:
        setting = session.get(Setting, LAST_SUCCESS)
        if setting is None:
            session.add(Setting(key=LAST_SUCCESS, value=utc_now().isoformat()))
        else:
            setting.value = utc_now().isoformat()


def could_not_reach(error: BaseException) -> bool:
    """Whether a failed round failed for want of a connection ("offline"), rather
    than being refused or stopped by the repository it reached."""
    return isinstance(error, RepositoryUnreachable)


def reads_records_in_the_making(profile: UnlockedProfile) -> bool:
    """Everyone but Board members alone: the Board reads published reports and
    never receives a QUAD's visits, notes or drafts."""
    with profile.store.session() as session:
        roles = load_actor(session, profile.person_id).roles
    return bool(roles - {Role.BOARD_MEMBER})


def _trust_only(partition: str) -> bool:
    return partition == "trust"


def sync_once(
    profile: UnlockedProfile, progress: Progress = no_progress, thorough: bool = False
) -> SyncReport:
    """Send what is waiting and apply what arrived, then publish and fetch
    published reports; raises UserFacingError when the repository cannot be
    reached or is not the one this profile knows. `thorough` lists every
    partition whatever its folder's ETag says (see `sync.change_detection`).

    `progress(done, total, message)` hears each step: connecting, segments sent
    and received (see `SyncEngine`), then publishing and fetching (total 0: their
    length is not known). It is called on the calling thread, unthrottled.

    A repository failure while publishing or fetching published reports does
    not fail the round. By then the exchange of changes is done and recorded
    (sent segments confirmed, cursors advanced), so raising would only throw
    away the report of it and have the window say "Offline" about a repository
    that just took the changes. Nothing is lost by carrying on: a version is
    marked published only once both its copies are out, and a published copy
    is kept only whole, so whatever failed is simply tried again next round.
    The failure is reported in `publishing_problems` instead: the status bar
    says so, and `invictus-desktop sync` exits 4 (as for a refused or clashing
    version), keeping 1 for a round that could not exchange changes at all.
    """
    connection = load_connection(profile.store)
    if connection is None:
        raise NotConnected()
    client = connection.open_client()
    try:
        # Said first: an unreachable server takes several retries to give up on.
        progress(0, 0, f"Connecting to {urlsplit(connection.url).netloc}")
        wanted = None if reads_records_in_the_making(profile) else _trust_only
        engine = SyncEngine(profile.store, client, wants_partition=wanted, progress=progress)
        report = engine.sync(thorough=thorough)
        _remember_success(profile)
        progress(0, 0, "Checking for reports to publish")
        published = publish_pending(profile, client)
        report.published, report.publish_clashes = published.published, published.clashes
        report.publishing_problems += [f"not published: {line}" for line in published.failed]
        progress(0, 0, "Fetching newly published reports")
        library = refresh_library(profile, client)
        report.reports_arrived = library.arrived
        if library.problem:
            report.publishing_problems.append(
                f"published reports not all fetched: {library.problem}"
            )
    finally:
        client.close()
    log.info("sync round: sent %d, received %d, refused %d, publishing problems %d",
             report.sent, report.received, len(report.refused),
             len(report.publishing_problems))
    return report

"""One sync round for an open profile, for the GUI's background sync and the
command line alike."""

import logging
from dataclasses import dataclass, field, fields

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.publishing import (
    publish_pending,
    refresh_library,
)
from invictus_desktop.sync.connection import load_connection
from invictus_desktop.sync.engine import SyncEngine, SyncReport

log = logging.getLogger(__name__)


class NotConnected(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "This profile is not connected to the trust's repository.",
            next_step="Use `sync join URL` (or `sync create URL` for a new trust) first.",
        )


@dataclass
class RoundReport(SyncReport):
    """A round's report, with what publishing and fetching published reports
    could not do (each line says what and why); those are tried again next round."""

    publishing_problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SyncStatus:
    connected: bool
    repository: str


def sync_status(profile: UnlockedProfile) -> SyncStatus:
    connection = load_connection(profile.store)
    return SyncStatus(connection is not None, connection.url if connection else "")


def sync_once(profile: UnlockedProfile) -> RoundReport:
    """Send what is waiting and apply what arrived, then publish and fetch
    published reports; raises UserFacingError when the repository cannot be
    reached or is not the one this profile knows.

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
        synced = SyncEngine(profile.store, client).sync()
        report = RoundReport(**{f.name: getattr(synced, f.name) for f in fields(synced)})
        published = publish_pending(profile, client)
        report.published, report.publish_clashes = published.published, published.clashes
        report.publishing_problems += [f"not published: {line}" for line in published.failed]
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

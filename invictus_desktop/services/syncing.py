"""One sync round for an open profile, for the GUI's background sync and the
command line alike."""

import logging
from dataclasses import dataclass

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


@dataclass(frozen=True)
class SyncStatus:
    connected: bool
    repository: str


def sync_status(profile: UnlockedProfile) -> SyncStatus:
    connection = load_connection(profile.store)
    return SyncStatus(connection is not None, connection.url if connection else "")


def sync_once(profile: UnlockedProfile) -> SyncReport:
    """Send what is waiting and apply what arrived; raises UserFacingError when
    the repository cannot be reached or is not the one this profile knows."""
    connection = load_connection(profile.store)
    if connection is None:
        raise NotConnected()
    client = connection.open_client()
    try:
        report = SyncEngine(profile.store, client).sync()
        published = publish_pending(profile, client)
        report.published, report.publish_clashes = published.published, published.clashes
        report.reports_arrived = refresh_library(profile, client)
    finally:
        client.close()
    log.info("sync round: sent %d, received %d, refused %d", report.sent, report.received,
             len(report.refused))
    return report

"""A trust with a consultant and a Board member, connected to a real repository,
for the publishing tests and the Board's reader screen."""

from invictus_desktop.services import report_drafts, report_finalise
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.syncing import sync_once
from invictus_desktop.sync.connection import RepositoryConnection, save_connection
from invictus_desktop.sync.enrol import (
    accept_invitation,
    enrol_person,
    join_request_code,
    make_invitation,
    make_join_request,
)
from tests.sync.replicas import engine_for


def connect(laptop: UnlockedProfile, url: str, *, create: bool = False) -> None:
    """Create or join the repository at `url` and keep the address, as `sync
    create` and `sync join` do."""
    engine = engine_for(laptop, url)
    engine.create_repository() if create else engine.join_repository()
    engine.client.close()
    save_connection(laptop.store, RepositoryConnection(url))


def invite(inviter: UnlockedProfile, newcomer: UnlockedProfile, url: str) -> None:
    """The whole invitation flow: request, code check, enrol, sync, accept, join."""
    request = make_join_request(newcomer.store)
    enrol_person(inviter.store, request, join_request_code(request))
    sync_once(inviter)
    connect(newcomer, accept_invitation(newcomer.store, make_invitation(inviter.store, url)))


def finalise(consultant: UnlockedProfile, quad_id: str, summary: str):
    """A new final version of the QUAD's report with this executive summary."""
    report = report_drafts.open_report(consultant, quad_id)
    report_drafts.save_report_text(consultant, report.version_id, "executive_summary", summary)
    return report_finalise.finalise(consultant, quad_id, accept_name_warnings=True)

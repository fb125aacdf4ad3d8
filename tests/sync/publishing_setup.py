"""A trust with a consultant and a Board member, connected to a real repository,
for the publishing tests and the Board's reader screen."""

from pathlib import Path

from invictus_desktop.services import report_drafts, report_finalise
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.services.syncing import sync_once
from invictus_desktop.store.models import Role
from invictus_desktop.sync.connection import RepositoryConnection, save_connection
from invictus_desktop.sync.enrol import (
    accept_invitation,
    enrol_person,
    join_request_code,
    make_invitation,
    make_join_request,
)
from tests.services.factories import PlannedQuad, plan_quad
from tests.sync.replicas import engine_for, make_laptop


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


def consultant_and_board(
    folder: Path, url: str
) -> tuple[UnlockedProfile, UnlockedProfile, PlannedQuad]:
    """Ann, a consultant who created the repository at `url` and planned a QUAD,
    and Bea, a Board member she invited."""
    ann = make_laptop(folder, "ann")
    connect(ann, url, create=True)
    planned = plan_quad(ann)
    board = make_laptop(folder, "bea", role=Role.BOARD_MEMBER)
    invite(ann, board, url)
    return ann, board, planned


def finalise(consultant: UnlockedProfile, quad_id: str, summary: str):
    """A new final version of the QUAD's report with this executive summary."""
    report = report_drafts.open_report(consultant, quad_id)
    report_drafts.save_report_text(consultant, report.version_id, "executive_summary", summary)
    return report_finalise.finalise(consultant, quad_id, accept_name_warnings=True)

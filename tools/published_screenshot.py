"""Render a Board member's reader screen with reports published through a real
repository.

    .venv/bin/python tools/published_screenshot.py [OUTPUT_DIR]

Builds the demo trust on a throwaway consultant's profile, connected to a
repository served on loopback, finalises the earlier QUADs of two schools (one
of them twice), invites a Board member whose laptop joins, and syncs both: the
consultant's round publishes, the Board member's fetches.
Grabs the Board member's window at 1366x768 into published_reports.png.
"""

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import select

from invictus_desktop.gui.app import create_application
from invictus_desktop.services import report_drafts, report_finalise, trust_repository
from invictus_desktop.services.syncing import sync_once
from invictus_desktop.store.models import Quad, Role, School
from tools.demo_repository import demo_consultant_on_a_repository, new_laptop
from tools.report_screenshots import grab, main_window_on

TODAY = date(2026, 3, 10)
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SUMMARIES = (
    "A school that knows itself well; mathematics must improve.",
    "Version 2, with the Headteacher's response added.",
)


def earlier_quads(profile, limit: int) -> list[str]:
    """The first QUAD before TODAY of each of `limit` schools."""
    with profile.store.session() as session:
        rows = session.execute(
            select(Quad.id, School.name).join(School).where(Quad.starts_on < TODAY)
            .order_by(School.name, Quad.starts_on.desc())
        ).all()
    firsts: dict[str, str] = {}
    for quad_id, school in rows:
        firsts.setdefault(school, quad_id)
    return list(firsts.values())[:limit]


def finalise(profile, quad_id: str, summary: str) -> None:
    report = report_drafts.open_report(profile, quad_id)
    report_drafts.save_report_text(profile, report.version_id, "executive_summary", summary)
    report_finalise.finalise(profile, quad_id, accept_name_warnings=True)


def main(output: Path) -> int:
    output.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])

    with (tempfile.TemporaryDirectory() as folder,
          demo_consultant_on_a_repository(Path(folder), TODAY) as consultant):
        root = Path(folder)
        first, second = earlier_quads(consultant, 2)
        finalise(consultant, first, SUMMARIES[0])
        finalise(consultant, first, SUMMARIES[1])
        finalise(consultant, second, SUMMARIES[0])

        board = new_laptop(root, "board", "Beatrice Okafor", Role.BOARD_MEMBER)
        trust_repository.write_join_request(board, root / "request.json")
        request = trust_repository.read_join_request(root / "request.json")
        trust_repository.enrol(consultant, request, request.code)
        sync_once(consultant)
        code = trust_repository.write_invitation(consultant, root / "invitation.json")
        trust_repository.accept(board, root / "invitation.json", code)
        sync_once(board)

        window = main_window_on(app, board)
        window.show_page("published")
        grab(window, output / "published_reports.png")

        window.clear_data()
        window.close()
        board.lock()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT))

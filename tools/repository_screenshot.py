"""Render the Repository screen twice: a newcomer joining with an invitation,
and the consultant enrolling them.

    .venv/bin/python tools/repository_screenshot.py [OUTPUT_DIR]

Serves a repository on loopback, connects a consultant's demo profile to it,
makes a newcomer's profile and saves its join request, and opens that request
on the consultant's screen. Grabs both windows at 1366x768 into
repository_join.png and repository_invite.png.
"""

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from invictus_desktop.gui.app import create_application
from invictus_desktop.services import trust_repository
from invictus_desktop.store.models import Role
from tools.demo_repository import demo_consultant_on_a_repository, new_laptop
from tools.report_screenshots import grab, main_window_on, settle

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main(output: Path) -> int:
    output.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])

    with (tempfile.TemporaryDirectory() as folder,
          demo_consultant_on_a_repository(Path(folder), date(2026, 3, 10)) as consultant):
        root = Path(folder)
        newcomer = new_laptop(root, "newcomer", "Owen Castell", Role.HEADTEACHER)
        request = root / "join-request.json"
        trust_repository.write_join_request(newcomer, request)

        joining = main_window_on(app, newcomer)
        page = joining.show_page("repository")
        page.invitation_edit.setText(str(Path.home() / "Downloads" / "invitation.json"))
        page.join_fields.user_edit.setText("owen.castell")
        grab(joining, output / "repository_join.png")
        joining.clear_data()
        joining.close()

        inviting = main_window_on(app, consultant)
        settle()  # its first round, so the status bar is laid out for what it says
        page = inviting.show_page("repository")
        page.open_join_request(request)
        page.code_edit.setText(trust_repository.join_request_code_of(newcomer))
        grab(inviting, output / "repository_invite.png")
        inviting.clear_data()
        inviting.close()

        newcomer.lock()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT))

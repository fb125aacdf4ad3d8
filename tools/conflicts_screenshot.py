"""Render the edits-to-choose dialog offscreen into docs/screenshots/conflicts.png.

    .venv/bin/python tools/conflicts_screenshot.py [OUTPUT_DIR]

Two throwaway laptops (Dana, the consultant, and Sam, the Executive
Headteacher) sync through the app's own repository server on loopback. Both
change one school's headteacher and one lesson visit's strengths while
offline, then sync: the conflicts are real, made by the sync engine. Dana's
main window is drawn at a laptop size (1366x768) with the dialog over it.
"""

import os
import sys
import tempfile
from datetime import date, time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication

from invictus_desktop.crypto.kdf import KdfParams
from invictus_desktop.gui import jobs
from invictus_desktop.gui.app import create_application
from invictus_desktop.gui.dialogs.conflicts import ConflictsDialog
from invictus_desktop.gui.main_window import MainWindow
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services import planning, schools, visits
from invictus_desktop.services.overview import load_overview
from invictus_desktop.services.profile import NewProfile, create_profile
from invictus_desktop.store.models import Activity, School
from invictus_desktop.store.vocabulary import Role, TeamRole, Term
from invictus_desktop.sync.connection import RepositoryConnection, save_connection
from invictus_desktop.sync.engine import SyncEngine
from invictus_desktop.sync.enrol import export_roster, import_roster
from invictus_desktop.sync.server import make_server
from invictus_desktop.sync.webdav import WebDavClient

LAPTOP = (1366, 768)
PASSPHRASE = "lantern orchard velvet compass"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main(output: Path) -> int:
    output.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])
    with tempfile.TemporaryDirectory() as folder:
        server = make_server(Path(folder) / "repository")
        server.start()
        try:
            dana = _laptop(Path(folder), "Dana Whitfield", Role.CONSULTANT)
            sam = _laptop(Path(folder), "Sam Okafor", Role.EXECUTIVE_HEAD)
            _make_conflicts(dana, sam, server.url)
            _grab(app, dana, output / "conflicts.png")
            dana.lock()
            sam.lock()
        finally:
            server.stop()
    return 0


def _laptop(folder: Path, name: str, role: Role):
    spec = NewProfile(name, role, PASSPHRASE)
    profile, _ = create_profile(ProfilePaths(folder / name.split()[0]), spec, KdfParams())
    return profile


def _make_conflicts(dana, sam, url: str) -> None:
    roster = {e["key_id"]: e for p in (dana, sam) for e in export_roster(p.store)}
    for laptop in (dana, sam):
        import_roster(laptop.store, list(roster.values()))
    engines = [SyncEngine(p.store, WebDavClient(url)) for p in (dana, sam)]
    engines[0].create_repository()
    engines[1].join_repository()
    save_connection(dana.store, RepositoryConnection(url, None, None, None))

    school_id = schools.create_school(dana, schools.SchoolDetails(
        "Kinver High School", urn="137382", headteacher_name="Mrs Helen Marsh"))
    quad_id = planning.create_quad(dana, planning.QuadDetails(
        school_id, "2026-27", Term.AUTUMN, date(2026, 12, 8), date(2026, 12, 9)))
    planning.set_team(dana, quad_id, [(dana.person_id, TeamRole.CONSULTANT),
                                      (sam.person_id, TeamRole.EXECUTIVE_HEAD)])
    slot_id = planning.add_slot(dana, quad_id, planning.Slot(
        date(2026, 12, 8), "P2", time(9, 45), time(10, 45), room="Room 12",
        teacher_name="Mr Tom Reyes", subject="Maths", year_group="Y8", class_name="8B/Ma"))
    activity_id = visits.start_visit(dana, quad_id, slot_id)
    _sync(engines)

    # Offline on both laptops, the same fields changed in different words.
    visits.save_fields(dana, activity_id, {"strengths": (
        "Clear modelling of equivalent fractions with bar models; most pupils "
        "explained their reasoning using the sentence stems on the board.")})
    with dana.store.session() as session:
        session.get(School, school_id).headteacher_name = "Mrs Helen Marsh (acting)"
    with sam.store.session() as session:
        session.get(Activity, activity_id).strengths = (
            "Strong routines: the starter was under way within two minutes. Bar "
            "models used well; a few pupils still unsure when denominators differ.")
        session.get(School, school_id).headteacher_name = "Dr Priya Nair"
    _sync(engines)
    for engine in engines:
        engine.client.close()


def _sync(engines) -> None:
    for engine in engines + engines:
        engine.sync()


def _grab(app: QApplication, profile, path: Path) -> None:
    runner = TaskRunner(app, synchronous=True)
    window = MainWindow(jobs.OpenProfile(profile, load_overview(profile), 5), runner)
    window.resize(*LAPTOP)
    window.show()
    dialog = ConflictsDialog(profile, runner, window)
    dialog.resize(1040, 560)
    dialog.show()
    dialog.conflict_list.setCurrentRow(dialog.conflict_list.count() - 1)
    for _ in range(5):
        QApplication.processEvents()

    picture = window.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(0, 0, 0, 90))  # the window behind, dimmed
    corner = QPoint((LAPTOP[0] - dialog.width()) // 2, (LAPTOP[1] - dialog.height()) // 2)
    painter.drawPixmap(corner, dialog.grab())
    painter.end()
    picture.save(str(path))
    print(f"wrote {path}")
    dialog.close()
    window.clear_data()
    window.close()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT))

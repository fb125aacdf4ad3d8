"""Render the entry and main windows offscreen into docs/screenshots/*.png.

    .venv/bin/python tools/screenshots.py [OUTPUT_DIR]

Goes through the real journey on a throwaway profile (KDF at its floor, the
task runner synchronous): first run, the recovery key dialog, the main
window, then a lock and a wrong passphrase on the unlock window. Windows are
grabbed at a laptop size (1366x768); the main window also at 1920x1080.

Then a second throwaway profile is filled with the demo trust (as of a fixed
day, so the pictures do not change from one run to the next) for the work
screens: a school's improvement plan with a priority's rating history, and
the planner of a QUAD.
"""

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from invictus_desktop.crypto.kdf import KdfParams
from invictus_desktop.gui import jobs
from invictus_desktop.gui.app import create_application
from invictus_desktop.gui.controller import AppController
from invictus_desktop.gui.main_window import MainWindow
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services.demo import DEMO_CONSULTANT, fill_demo
from invictus_desktop.services.overview import load_overview
from invictus_desktop.services.profile import NewProfile, create_profile
from invictus_desktop.store.vocabulary import ReviewStatus, Role

LAPTOP = (1366, 768)
LARGE = (1920, 1080)
PASSPHRASE = "lantern orchard velvet compass"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
DEMO_DAY = date(2026, 12, 3)
DEMO_SCHOOL = "Kinver High School"


def grab(widget: QWidget, path: Path, size: tuple[int, int] | None = LAPTOP) -> None:
    if size is not None:
        widget.resize(*size)
    for _ in range(3):
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"wrote {path}")


def main(output: Path) -> int:
    output.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])

    with tempfile.TemporaryDirectory() as folder:
        paths = ProfilePaths(Path(folder) / "Invictus" / "profile")
        runner = TaskRunner(app, synchronous=True)
        controller = AppController(
            paths, runner, kdf_params=KdfParams(), warm_up_delay_ms=0
        )
        controller.start()

        first_run = controller.window
        grab(first_run, output / "first_run.png")
        QTest.keyClicks(first_run.name_edit, "Dana Whitfield")
        QTest.keyClicks(first_run.passphrase_fields.passphrase_edit, "dana2024")
        first_run.create_button.click()
        grab(first_run, output / "first_run_refused.png")

        first_run.passphrase_fields.passphrase_edit.clear()
        QTest.keyClicks(first_run.passphrase_fields.passphrase_edit, PASSPHRASE)
        QTest.keyClicks(first_run.passphrase_fields.confirm_edit, PASSPHRASE)
        first_run.message.clear_message()
        grab(first_run, output / "first_run_filled.png")
        first_run.create_button.click()

        dialog = controller.recovery_dialog
        grab(dialog, output / "recovery_key.png", size=None)
        dialog.confirm_check.click()
        dialog.continue_button.click()

        main_window = controller.window
        grab(main_window, output / "main_window.png")
        grab(main_window, output / "main_window_large.png", size=LARGE)
        main_window.resize(*LAPTOP)

        controller.lock()
        unlock = controller.window
        grab(unlock, output / "unlock.png")
        QTest.keyClicks(unlock.passphrase_edit, "not my passphrase")
        QTest.keyClick(unlock.passphrase_edit, Qt.Key.Key_Return)
        grab(unlock, output / "unlock_wrong_passphrase.png")

        unlock.use_recovery_button.click()
        grab(unlock, output / "unlock_recovery_key.png")
        controller.shutdown()

        demo_paths = ProfilePaths(Path(folder) / "Invictus" / "demo")
        grab_work_screens(demo_paths, runner, output)
    return 0


def grab_work_screens(paths: ProfilePaths, runner: TaskRunner, output: Path) -> None:
    """The Schools screen (improvement plan) and a QUAD's planner, on the demo trust."""
    spec = NewProfile(DEMO_CONSULTANT, Role.CONSULTANT, PASSPHRASE)
    profile, _ = create_profile(paths, spec, KdfParams())
    fill_demo(profile, DEMO_DAY, lambda done, total, message: None)
    window = MainWindow(jobs.OpenProfile(profile, load_overview(profile), 5), runner)
    window.resize(*LAPTOP)
    window.show()

    schools = window.show_page("schools")
    names = [schools.school_list.item(row).text() for row in range(schools.school_list.count())]
    schools.school_list.setCurrentRow(names.index(DEMO_SCHOOL))
    sip = schools.sip
    assert sip.sip is not None
    longest = max(sip.sip.priorities, key=lambda priority: len(priority.history))
    sip.table.selectRow([p.id for p in sip.sip.priorities].index(longest.id))
    grab(window, output / "sip.png")

    quads = window.show_page("quads")
    assert quads.screen is not None
    planned = next(
        quad for quad in quads.screen.quads
        if quad.school_name == DEMO_SCHOOL and quad.status is ReviewStatus.PLANNED
    )
    quads.open_item(planned.id)
    quads.planner.focus_table.selectRow(0)
    grab(window, output / "quad_planner.png")

    window.clear_data()
    window.close()
    profile.lock()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT))

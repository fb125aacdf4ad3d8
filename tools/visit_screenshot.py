"""Render the Visits page and a visit being recorded into docs/screenshots/.

    .venv/bin/python tools/visit_screenshot.py [OUTPUT_DIR]

Builds the demo trust in a throwaway profile (KDF at its floor, the task
runner synchronous), unlocks it in the real main window at a laptop size
(1366x768), opens this term's QUAD, starts a visit from its schedule, types
a few running notes and fills two focus panes, then grabs the window.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from invictus_desktop.crypto.kdf import KdfParams
from invictus_desktop.gui.app import create_application
from invictus_desktop.gui.controller import AppController
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services.demo import build_demo
from invictus_desktop.store.models import Judgement, ReviewStatus

LAPTOP = (1366, 768)
PASSPHRASE = "lantern orchard velvet compass"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
NOTES = [
    "Starter on equivalent fractions; all pupils on task within a minute",
    "Teacher checks every whiteboard, picks up three misconceptions",
    "Pupils explain their method to a partner before answering; two pairs compare "
    "answers and one pair corrects itself without prompting from the teacher",
]


def settle(milliseconds: int = 50) -> None:
    deadline = time.monotonic() + milliseconds / 1000
    while time.monotonic() < deadline:
        QApplication.processEvents()


def grab(widget: QWidget, path: Path) -> None:
    settle()
    widget.grab().save(str(path))
    print(f"wrote {path}")


def main(output: Path) -> int:
    output.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])

    with tempfile.TemporaryDirectory() as folder:
        paths = ProfilePaths(Path(folder) / "Invictus" / "profile")
        build_demo(paths, PASSPHRASE, KdfParams()).lock()
        runner = TaskRunner(app, synchronous=True)
        controller = AppController(paths, runner, kdf_params=KdfParams(),
                                   warm_up_delay_ms=0)
        controller.start()
        QTest.keyClicks(controller.window.passphrase_edit, PASSPHRASE)
        QTest.keyClick(controller.window.passphrase_edit, Qt.Key.Key_Return)
        window = controller.window
        window.resize(*LAPTOP)

        visits_page = window.show_page("visits")
        planned = next(q for q in visits_page.quads if q.status is ReviewStatus.PLANNED)
        visits_page.open_item(planned.id)
        grab(window, output / "visits.png")

        visits_page.schedule.setCurrentItem(visits_page.schedule.topLevelItem(1))
        QTest.keyClick(visits_page.schedule, Qt.Key.Key_Return)
        record = window.current_page()
        line = record.form.notes.last_edit()
        for number, note in enumerate(NOTES):
            QTest.keyClicks(line, note)
            if number < len(NOTES) - 1:
                QTest.keyClick(line, Qt.Key.Key_Return)
                line = record.form.notes.last_edit()
        header = record.form.header
        header.pupils_spin.setValue(27)
        QTest.keyClicks(header.adults_edit, "One teaching assistant")
        for pane, text, judgement in [
            (record.form.panes[0], "Worked examples were clear and well sequenced; "
             "pupils could say why each step followed.", Judgement.SUPPORTS),
            (record.form.panes[1], "Little reading aloud: two pupils read, the rest "
             "listened.", Judgement.PARTLY_SUPPORTS),
        ]:
            QTest.keyClicks(pane.evidence_edit, text)
            pane.judgement_combo.setCurrentIndex(pane.judgement_combo.findData(judgement))
        line.setFocus()
        settle(700)  # past the autosave pause: "Saved" shows
        grab(window, output / "visit_record.png")

        record.overlay.open_overlay()
        grab(window, output / "visit_shortcuts.png")
        record.overlay.close_overlay()
        controller.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT))

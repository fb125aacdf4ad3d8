"""Render the entry and main windows offscreen into docs/screenshots/*.png.

    .venv/bin/python tools/screenshots.py [OUTPUT_DIR]

Goes through the real journey on a throwaway profile (KDF at its floor, the
task runner synchronous): first run, the recovery key dialog, the main
window, then a lock and a wrong passphrase on the unlock window. Windows are
grabbed at a laptop size (1366x768); the main window also at 1920x1080.
"""

import os
import sys
import tempfile
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

LAPTOP = (1366, 768)
LARGE = (1920, 1080)
PASSPHRASE = "lantern orchard velvet compass"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


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
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT))

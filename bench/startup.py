"""Time until the unlock window is on screen, against an empty QMainWindow.

    .venv/bin/python -m bench.startup [RUNS]

Each run is a fresh process (interpreter start included, as a user sees it),
timed from just before it is launched until its window is exposed. Both
sides run the same way in the same session; the table gives the medians and
their ratio (target: 1.3 or less). Offscreen unless QT_QPA_PLATFORM says
otherwise.

The app's modules are byte-compiled first, as an installed app's are (pip
and PyInstaller both ship bytecode) and as PySide6's already are: without
this, a shell with PYTHONDONTWRITEBYTECODE set would have every run compile
the app's start-up modules from source, about 6 ms no user ever waits for.
"""

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Figure, print_table

ROOT = Path(__file__).resolve().parent.parent

WAIT_FOR_EXPOSE = """
def wait_exposed(app, window):
    window.show()
    while window.windowHandle() is None or not window.windowHandle().isExposed():
        app.processEvents()
"""

BARE = WAIT_FOR_EXPOSE + """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
wait_exposed(app, window)
print(time.time())
"""

OURS = WAIT_FOR_EXPOSE + """
import sys, time
from invictus_desktop.gui.app import start_app
app, runner, controller = start_app(sys.argv[1])
wait_exposed(app, controller.window)
print(time.time())
assert type(controller.window).__name__ == "UnlockWindow"
runner.wait_for_done()
"""


def time_child(code: str, *args: str) -> float:
    environment = {"QT_QPA_PLATFORM": "offscreen", **os.environ}
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=True,
    )
    shown = float(result.stdout.strip().splitlines()[0])
    return shown - started


def make_profile(folder: Path) -> str:
    from invictus_desktop.crypto.kdf import KdfParams
    from invictus_desktop.paths import ProfilePaths
    from invictus_desktop.services.profile import NewProfile, create_profile
    from invictus_desktop.store.models import Role

    paths = ProfilePaths(folder / "profile")
    spec = NewProfile("Bench Person", Role.CONSULTANT, "bench passphrase words here")
    profile, _ = create_profile(paths, spec, KdfParams())
    profile.lock()
    return str(paths.root)


def run(runs: int = 9) -> list[Figure]:
    compileall.compile_dir(ROOT / "invictus_desktop", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        profile = make_profile(Path(folder))
        time_child(BARE)  # warm the file cache for both sides
        time_child(OURS, profile)

        bare, ours = [], []
        for _ in range(runs):  # interleaved, so drift in machine load hits both
            bare.append(time_child(BARE))
            ours.append(time_child(OURS, profile))

    return [Figure("unlock window shown (fresh process)", statistics.median(ours),
                   "empty QMainWindow, bare PySide6", statistics.median(bare),
                   "within 1.3x")]


if __name__ == "__main__":
    print_table(run(int(sys.argv[1]) if len(sys.argv) > 1 else 9))

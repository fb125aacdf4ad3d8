"""Start-up stays light: the unlock window needs no ORM, migrations or crypto.

They load afterwards, in a worker, while the user types (the warm-up).
"""

import json
import os
import subprocess
import sys
import textwrap

HEAVY = ("sqlalchemy", "alembic", "cryptography", "sqlcipher3", "zxcvbn")

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from invictus_desktop.gui.app import create_application
    from invictus_desktop.gui.tasks import TaskRunner
    from invictus_desktop.gui.unlock import UnlockWindow
    from invictus_desktop.paths import ProfilePaths
    from PySide6.QtWidgets import QStyleFactory

    def is_fusion(style):  # the stylesheet hides the style's name, not its palette
        fusion = QStyleFactory.create("Fusion").standardPalette()
        return style.standardPalette().window().color() == fusion.window().color()

    def heavy_loaded():
        return sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[2:]))

    app = create_application([sys.argv[0]])
    runner = TaskRunner()
    window = UnlockWindow(ProfilePaths(Path(sys.argv[1])), runner)
    window.show()
    app.processEvents()
    at_show = heavy_loaded()

    window.load_policy()
    runner.wait_for_done()
    app.processEvents()
    print(json.dumps({"at_show": at_show, "after_warm_up": heavy_loaded(),
                      "policy_loaded": window.policy is not None,
                      "fusion": is_fusion(app.style()),
                      "styled": bool(app.styleSheet()), "icon": not app.windowIcon().isNull()}))
    """
)


def test_the_unlock_window_shows_styled_before_heavy_imports_which_load_after(tmp_path):
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_STYLE_OVERRIDE": "Windows"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "profile"), *HEAVY],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=True,
    )

    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["at_show"] == []
    assert report["after_warm_up"] == sorted(HEAVY)
    assert report["policy_loaded"]
    # The look is applied, although start-up asks for Fusion through the
    # arguments rather than `setStyle` (see create_application), and it wins
    # over the environment's choice as `setStyle` did.
    assert (report["fusion"], report["styled"], report["icon"]) == (True, True, True)

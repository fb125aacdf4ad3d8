"""Starting the GUI: the application object, logging, and the first window.

Start-up imports only Qt Widgets and the light modules the entry windows
need; the ORM, migrations and crypto load in a worker while the user types
(see `jobs.load_form_policy`), so the unlock window appears about as fast as
an empty Qt window.
"""

import logging
import os
import sys
import time
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from invictus_desktop import __version__
from invictus_desktop.gui import gui_thread_gc, qt_workarounds
from invictus_desktop.gui.controller import AppController
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.paths import ProfilePaths, resolve_profile
from invictus_desktop.resources import resources_dir

log = logging.getLogger(__name__)

APP_NAME = "Invictus QUAD Desktop"
ORGANISATION = "Invictus Education Trust"
STYLE = "Fusion"
ICON_FILE = "icon.svg"
STYLESHEET_FILE = "app.qss"
WORKER_WAIT_MS = 10_000
SMOKE_QUIT_ENV = "INVICTUS_SMOKE_QUIT_AFTER_MS"


def run_app(profile_arg: str | None) -> int:
    """Open the app on the profile at `profile_arg` (or the default); the exit code."""
    app, runner, _controller = start_app(profile_arg)
    _quit_for_smoke_test(app)

    code = app.exec()
    if not runner.wait_for_done(WORKER_WAIT_MS):
        log.warning("a background job was still running at exit")
    return code


def _quit_for_smoke_test(app: QApplication) -> None:
    """Installers' smoke tests start the frozen app headless and need it to
    leave by itself once the first window is up."""
    delay = os.environ.get(SMOKE_QUIT_ENV, "")
    if delay.isdigit():
        QTimer.singleShot(int(delay), app.quit)


def start_app(profile_arg: str | None) -> tuple[QApplication, TaskRunner, AppController]:
    """Everything before the event loop: the first window is shown on return."""
    started = time.perf_counter()
    app = create_application()

    paths = resolve_profile(profile_arg)
    runner = TaskRunner(app)
    controller = AppController(paths, runner, parent=app)
    app.aboutToQuit.connect(controller.shutdown)
    controller.start()

    # After the first window: the rotating file handler is not needed to show it.
    prepare_logging(paths)
    sys.excepthook = _log_uncaught
    elapsed_ms = (time.perf_counter() - started) * 1000
    log.info("app %s started; first window after %.0f ms", __version__, elapsed_ms)
    return app, runner, controller


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, named, styled and with its icon (reused if one exists)."""
    app = QApplication.instance()
    made_here = app is None
    if made_here:
        # Qt takes the style from `-style` (the last one wins, so this beats the
        # user's as `setStyle` would): `setStyle` returns the QStyle, and
        # wrapping it costs PySide about 4 ms of start-up (bench/startup.py).
        arguments = argv if argv is not None else sys.argv
        app = QApplication([*arguments, "-style", STYLE])
    assert isinstance(app, QApplication)
    qt_workarounds.apply()
    gui_thread_gc.install(app)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    apply_look(app, set_style=not made_here)
    return app


def apply_look(app: QApplication, *, set_style: bool = True) -> None:
    """The Fusion style (the same on every platform), the stylesheet and the icon.

    `set_style=False` when the application was made with `-style Fusion`.
    """
    if set_style:
        app.setStyle(STYLE)
    app.setWindowIcon(QIcon(str(resources_dir() / ICON_FILE)))
    stylesheet = (resources_dir() / STYLESHEET_FILE).read_text(encoding="utf-8")
    app.setStyleSheet(stylesheet.replace("@RESOURCES@", resources_dir().as_posix()))


def prepare_logging(paths: ProfilePaths) -> None:
    """Log into the profile's folder (made private if new); without a file if unwritable."""
    from invictus_desktop.logs import configure_logging

    try:
        paths.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        configure_logging(paths.logs)
    except OSError as exc:
        configure_logging(None)
        log.warning("logging without a file: %s", exc.strerror)


def _log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """A bug that escaped a slot: keep it in the log, and on stderr as Python would."""
    log.critical("uncaught exception (a bug)", exc_info=(kind, error, trace))
    sys.__excepthook__(kind, error, trace)

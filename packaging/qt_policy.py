"""Which parts of Qt the frozen app carries.

Read by the PyInstaller spec and by the hook overrides in `pyinstaller_hooks/`,
which apply it before PyInstaller follows library dependencies, so a plugin
left out drags none of its libraries in (the VNC platform would bring
QtNetwork, the Wayland ones QtWaylandClient).
"""

import sys
from pathlib import PurePath

# The Qt modules the app may use. Every other module of the installed PySide6
# (QtQml/QtQuick, QtWebEngine, Qt3D, QtMultimedia, QtCharts, QtNetwork, ...)
# is excluded, so adding a name here is the one step to start using one.
QT_KEEP = frozenset(
    {"QtCore", "QtGui", "QtWidgets", "QtUiTools", "QtSvg", "QtPdf", "QtPdfWidgets"}
)

# Windowing back ends: offscreen for headless runs and tests, plus the native one.
PLATFORMS = {
    "linux": frozenset({"qoffscreen", "qxcb"}),
    "win32": frozenset({"qoffscreen", "qwindows"}),
    "darwin": frozenset({"qoffscreen", "qcocoa"}),
}

# Plugin kinds Qt's hooks collect that a desktop widgets app never loads:
# embedded-device input and display, and Wayland (X11 through XWayland serves).
DROPPED_PLUGIN_KINDS = frozenset(
    {
        "egldeviceintegrations",
        "generic",
        "wayland-decoration-client",
        "wayland-graphics-integration-client",
        "wayland-shell-integration",
    }
)


def qt_modules(installed: set[str]) -> tuple[list[str], list[str]]:
    """(kept, excluded) dotted names among the installed PySide6 modules."""
    kept = sorted(f"PySide6.{name}" for name in installed & QT_KEEP)
    excluded = sorted(f"PySide6.{name}" for name in installed - QT_KEEP)
    return kept, excluded


def plugin_wanted(dest_dir: str, filename: str, platform: str = sys.platform) -> bool:
    """Whether a Qt plugin file, collected into `dest_dir`, ships with the app."""
    parts = PurePath(dest_dir).parts
    if "plugins" not in parts:
        return True
    kind = parts[parts.index("plugins") + 1 :]
    if not kind:
        return True
    if kind[0] in DROPPED_PLUGIN_KINDS:
        return False
    if kind == ("platforms",):
        return _plugin_stem(filename) in PLATFORMS[platform]
    return True


def translation_wanted(dest_dir: str) -> bool:
    """Qt's catalogues (14 MB) translate Qt's own English strings; the app is
    English only, so none ships."""
    return "translations" not in PurePath(dest_dir).parts


def _plugin_stem(filename: str) -> str:
    # libqxcb.so -> qxcb, qwindows.dll -> qwindows, libqcocoa.dylib -> qcocoa
    return PurePath(filename).name.split(".")[0].removeprefix("lib")

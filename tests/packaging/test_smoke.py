"""The built app works away from the source tree: the wheel installed into a fresh
virtual environment, and the PyInstaller folder, each pass tests/smoke/run_smoke.py.

Slow (a wheel install and a freeze, about a minute each), so marked; CI runs them.
"""

import os
import sys
import time
import venv
import zipfile
from pathlib import Path

import pytest

from invictus_desktop import __version__
from tests.packaging.support import PACKAGING, REPO, run, run_smoke

pytestmark = pytest.mark.slow

APP_NAME = "invictus-desktop"
EXE_SUFFIX = ".exe" if os.name == "nt" else ""
DATA = Path("invictus_desktop", "_data")
SHIPPED_DATA = (
    DATA / "migrations" / "env.py",
    DATA / "resources" / "icons" / "invictus-desktop-256.png",
)
NATIVE_PLATFORM = {"linux": "qxcb", "win32": "qwindows", "darwin": "qcocoa"}[sys.platform]
# Qt libraries a widgets app must not drag in: their names appear in the file
# names of the libraries, Python modules and plugins of the excluded modules.
UNWANTED_QT = (
    "Qml", "Quick", "WebEngine", "3D", "Multimedia", "Charts", "Network", "Wayland"
)
# Except the libraries a kept module links against: QtPdf (the report preview)
# needs the QtNetwork library, though never its Python module or plugins.
LINKED_QT_LIBRARIES = ("libQt6Network.so", "Qt6Network.dll", "QtNetwork.framework")


def is_linked_library(path: Path) -> bool:
    return any(path.name.startswith(name) or name in path.parts
               for name in LINKED_QT_LIBRARIES)


def scripts_dir(environment: Path) -> Path:
    return environment / ("Scripts" if os.name == "nt" else "bin")


def test_installed_wheel_passes_smoke(tmp_path):
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, REPO])
    (wheel,) = wheels.glob("invictus_desktop-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert {path.as_posix() for path in SHIPPED_DATA} <= set(archive.namelist())

    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = scripts_dir(environment) / f"python{EXE_SUFFIX}"
    install = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*install, "-c", REPO / "constraints.txt", "--find-links", wheels, wheel])

    run_smoke(scripts_dir(environment) / f"{APP_NAME}{EXE_SUFFIX}", __version__)


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory) -> Path:
    """The folder `./dev build` makes, built afresh in a temporary folder."""
    out = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", out / "dist", "--workpath", out / "work",
            PACKAGING / "invictus-desktop.spec",
        ]
    )
    print(f"PyInstaller build: {time.monotonic() - started:.0f} s")
    return out / "dist" / APP_NAME


def test_frozen_app_passes_smoke(frozen_app):
    run_smoke(frozen_app / f"{APP_NAME}{EXE_SUFFIX}", __version__)


def test_frozen_app_carries_its_data_and_only_the_qt_it_uses(frozen_app):
    internal = frozen_app / "_internal"
    files = [path.relative_to(internal) for path in internal.rglob("*") if path.is_file()]
    platforms = {
        path.name.split(".")[0].removeprefix("lib")
        for path in files
        if path.parent.name == "platforms"
    }

    for data_file in SHIPPED_DATA:
        assert (internal / data_file).is_file()
    assert platforms == {"qoffscreen", NATIVE_PLATFORM}
    assert not [path for path in files if "translations" in path.parts]
    assert not [
        path
        for path in files
        if path.parts[0] == "PySide6"
        and any(name in path.name for name in UNWANTED_QT)
        and not is_linked_library(path)
    ]


@pytest.mark.skipif(sys.platform != "linux", reason="the install script is for Linux")
def test_frozen_app_installed_for_one_user_passes_smoke(frozen_app, tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": ""}
    run([PACKAGING / "linux" / "install-user.sh", frozen_app], env=env)

    data = home / ".local" / "share"
    assert (data / "applications" / "education.invictus.QuadDesktop.desktop").is_file()
    icon = data / "icons" / "hicolor" / "256x256" / "apps" / "invictus-desktop.png"
    assert icon.is_file()
    run_smoke(home / ".local" / "bin" / APP_NAME, __version__)

"""The installer recipes agree with the app and with each other, and the Qt
trimming policy keeps what the app needs. Fast: nothing is built here."""

import configparser
import re
import shutil
import tomllib
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from invictus_desktop import __version__
from tests.packaging.support import APP_ID, ICONS, PACKAGING, REPO, run

DESKTOP_FILE = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO_FILE = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
INNO_SCRIPT = PACKAGING / "windows" / "invictus-desktop.iss"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def console_script_name() -> str:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (name,) = pyproject["project"]["scripts"]
    return name


def test_every_recipe_carries_the_app_version():
    metainfo = ET.parse(METAINFO_FILE).getroot()
    newest_release = metainfo.find("releases/release").get("version")
    inno_default = re.search(r'#define AppVersion "([^"]+)"', INNO_SCRIPT.read_text())

    assert newest_release == __version__
    assert inno_default and inno_default.group(1) == __version__


def test_desktop_entry_and_metainfo_name_the_same_app_and_command():
    entry = desktop_entry()
    metainfo = ET.parse(METAINFO_FILE).getroot()
    command = console_script_name()

    assert metainfo.findtext("id") == APP_ID
    assert metainfo.findtext("launchable") == DESKTOP_FILE.name
    assert metainfo.findtext("provides/binary") == command
    assert entry["Exec"] == command
    assert entry["Name"] == metainfo.findtext("name")
    assert (ICONS / f"{entry['Icon']}-256.png").is_file()


@pytest.mark.parametrize("size", PNG_SIZES)
def test_icon_png_has_its_size_and_a_transparent_background(size):
    with Image.open(ICONS / f"invictus-desktop-{size}.png") as image:
        assert image.size == (size, size)
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0


def test_windows_icon_holds_every_size_up_to_256():
    with Image.open(ICONS / "invictus-desktop.ico") as icon:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= icon.info["sizes"]


@pytest.mark.parametrize(
    ("tool", "args", "path"),
    [
        ("appstreamcli", ["validate", "--no-net"], METAINFO_FILE),
        ("desktop-file-validate", [], DESKTOP_FILE),
    ],
)
def test_linux_metadata_passes_its_validator(tool, args, path):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    run([tool, *args, path])


def test_qt_policy_keeps_the_modules_the_app_uses_and_excludes_the_rest(qt_policy):
    installed = {
        "QtCore", "QtGui", "QtWidgets", "QtUiTools", "QtSvg", "QtPdf", "QtPdfWidgets",
        "QtWebEngineCore", "Qt3DCore", "QtMultimedia", "QtQuick", "QtQml", "QtCharts",
        "QtDataVisualization", "QtNetwork",
    }

    kept, excluded = qt_policy.qt_modules(installed)

    assert kept == sorted(f"PySide6.{name}" for name in qt_policy.QT_KEEP)
    assert "PySide6.QtWebEngineCore" in excluded
    assert set(kept).isdisjoint(excluded)
    assert len(kept) + len(excluded) == len(installed)


@pytest.mark.parametrize(
    ("platform", "plugin", "shipped"),
    [
        ("linux", "libqxcb.so", True),
        ("linux", "libqoffscreen.so", True),
        ("linux", "libqwayland.so", False),
        ("linux", "libqvnc.so", False),
        ("win32", "qwindows.dll", True),
        ("win32", "qoffscreen.dll", True),
        ("win32", "qdirect2d.dll", False),
        ("darwin", "libqcocoa.dylib", True),
        ("darwin", "libqminimal.dylib", False),
    ],
)
def test_qt_policy_ships_offscreen_and_the_native_platform_only(
    qt_policy, platform, plugin, shipped
):
    dest = "PySide6/Qt/plugins/platforms"
    assert qt_policy.plugin_wanted(dest, plugin, platform) is shipped


def test_qt_policy_drops_device_and_wayland_plugins_but_keeps_image_formats(qt_policy):
    plugins = "PySide6/Qt/plugins"
    assert not qt_policy.plugin_wanted(f"{plugins}/generic", "libqevdevmouseplugin.so")
    assert not qt_policy.plugin_wanted(f"{plugins}/wayland-shell-integration", "libxdg.so")
    assert qt_policy.plugin_wanted(f"{plugins}/imageformats", "libqsvg.so")
    assert qt_policy.plugin_wanted("PySide6/Qt/lib", "libQt6Core.so.6")


def test_qt_policy_ships_no_translation_catalogues(qt_policy):
    assert not qt_policy.translation_wanted("PySide6/Qt/translations")
    assert not qt_policy.translation_wanted("PySide6/translations")
    assert qt_policy.translation_wanted("invictus_desktop/_data/resources")

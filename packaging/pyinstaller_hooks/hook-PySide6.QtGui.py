"""PyInstaller's own QtGui hook, narrowed to the plugins in qt_policy."""

from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_policy import plugin_wanted

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (source, dest)
    for source, dest in binaries
    if plugin_wanted(dest, PurePath(source).name)
]

"""Where the shipped data folders are: migrations, Designer forms, resources.

In the source tree they sit beside the package; in a wheel they are copied to
`invictus_desktop/_data/`; in a frozen app PyInstaller puts them under
`sys._MEIPASS/invictus_desktop/_data/`. One lookup serves all three.
"""

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    candidates = [_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / "invictus_desktop" / "_data")

    for root in candidates:
        if (root / "migrations" / "env.py").is_file():
            return root
    searched = ", ".join(str(c) for c in candidates)
    raise RuntimeError(f"Shipped data folders not found (searched {searched})")


def migrations_dir() -> Path:
    return data_root() / "migrations"


def ui_dir() -> Path:
    return data_root() / "ui"


def resources_dir() -> Path:
    return data_root() / "resources"

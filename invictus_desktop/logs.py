"""Logging: a logger per module, a rotating file in the profile's logs folder.

Nothing logged may contain a passphrase, key, credential or the text of a
note; log ids, counts and states instead.
"""

import logging
import logging.handlers
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(log_dir: Path | None, level: int = logging.INFO) -> None:
    root = logging.getLogger("invictus_desktop")
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_invictus", False):
            root.removeHandler(handler)
            handler.close()
    if log_dir is None:
        return

    log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / "invictus.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler._invictus = True  # type: ignore[attr-defined]
    root.addHandler(handler)

"""Logging: a logger per module, a rotating file in the profile's logs folder.

Nothing logged may contain a passphrase, key, credential or the text of a
note; log ids, counts and states instead.

The file rotates as `logging.handlers.RotatingFileHandler` would (the same
`.1` to `.3` names), but that module is not imported: it pulls in `socket`,
`pickle` and `queue`, about 6 ms of the app's start-up (`bench/startup.py`).
"""

import logging
import os
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE = "invictus.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3


class RotatingLogFile(logging.FileHandler):
    """Appends to `path`; a record that would take it to `max_bytes` first moves
    it to `path.1` (`path.1` to `path.2`, and so on, dropping the oldest)."""

    def __init__(self, path: Path, max_bytes: int, backup_count: int) -> None:
        super().__init__(path, mode="a", encoding="utf-8")
        self.max_bytes = max_bytes
        self.backup_count = backup_count

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._should_roll_over(record):
                self._roll_over()
            super().emit(record)
        except Exception:
            self.handleError(record)

    def _should_roll_over(self, record: logging.LogRecord) -> bool:
        if os.path.exists(self.baseFilename) and not os.path.isfile(self.baseFilename):
            return False  # a device or pipe never rotates
        if self.stream is None:
            self.stream = self._open()
        text = f"{self.format(record)}\n"
        self.stream.seek(0, os.SEEK_END)
        return self.stream.tell() + len(text) >= self.max_bytes

    def _roll_over(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        if self.backup_count > 0:
            base = self.baseFilename
            for index in range(self.backup_count - 1, 0, -1):  # .2 -> .3, then .1 -> .2
                if os.path.exists(f"{base}.{index}"):
                    os.replace(f"{base}.{index}", f"{base}.{index + 1}")
            if os.path.exists(base):
                os.replace(base, f"{base}.1")
        self.stream = self._open()


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
    handler = RotatingLogFile(log_dir / LOG_FILE, MAX_BYTES, BACKUP_COUNT)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler._invictus = True  # type: ignore[attr-defined]
    root.addHandler(handler)

"""Shared helpers for tests that damage real profile files and check the outcome."""

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from invictus_desktop.errors import UserFacingError
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.store.engine import PAGE_SIZE, open_raw_connection
from invictus_desktop.store.vault import read_vault
from tests.conftest import PASSPHRASE

FileState = dict[str, tuple[bytes, int]]


def snapshot(root: Path) -> FileState:
    """Every file under `root`: its bytes and modification time.

    The `-shm` file is left out: it is SQLite's shared-memory index of the
    write-ahead log, rebuilt by any reader, and holds no records.
    """
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.endswith("-shm")
    }


def assert_unchanged(root: Path, before: FileState) -> None:
    after = snapshot(root)
    assert sorted(after) == sorted(before), "files were added or removed"
    changed = [name for name in before if after[name] != before[name]]
    assert not changed, f"files were modified: {changed}"


def assert_explained(error: BaseException, *words: str) -> None:
    """A UserFacingError that says what happened (with `words`) and what to do."""
    assert isinstance(error, UserFacingError), f"not user-facing: {error!r}"
    assert error.message and error.next_step, f"says what or what next, not both: {error}"
    for word in words:
        assert word.lower() in str(error).lower(), f"{word!r} not in: {error}"


def flip_bit(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x04
    path.write_bytes(bytes(data))


def page_offset(page_number: int, within: int = 200) -> int:
    return (page_number - 1) * PAGE_SIZE + within


def data_key(paths: ProfilePaths, passphrase: str = PASSPHRASE) -> bytes:
    return read_vault(paths).unwrap_with_passphrase(passphrase)


def root_page(paths: ProfilePaths, table: str) -> int:
    """The page where `table`'s b-tree starts, read through a keyed connection."""
    connection = open_raw_connection(paths.database, data_key(paths))
    try:
        row = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    finally:
        connection.close()
    assert row is not None, table
    return row[0]


def crash_leaving_wal(paths: ProfilePaths, setting_key: str) -> dict[str, bytes]:
    """Commit a row and keep the files as a crash would leave them: the commit
    only in the write-ahead log, not yet checkpointed into store.db."""
    connection = open_raw_connection(paths.database, data_key(paths))
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("INSERT INTO setting (key, value) VALUES (?, 'x')", (setting_key,))
    names = ("store.db", "store.db-wal", "store.db-shm")
    files = {name: (paths.root / name).read_bytes() for name in names}
    connection.close()

    for name, data in files.items():
        (paths.root / name).write_bytes(data)
    return files


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, check=False)


@contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """Make `folder` read-only in a way that binds root too.

    Root ignores permission bits, so as root the folder is bind-mounted onto
    itself read-only; otherwise its write bits are removed.
    """
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)
        return

    bound = _run("mount", "--bind", str(folder), str(folder))
    if bound.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {bound.stderr.strip()}")
    try:
        remounted = _run("mount", "-o", "remount,ro,bind", str(folder))
        assert remounted.returncode == 0, remounted.stderr
        yield
    finally:
        _run("umount", str(folder))


@contextmanager
def small_disk(folder: Path, size_kib: int) -> Iterator[Path]:
    """A real file system of `size_kib` mounted at `folder` (tmpfs, needs root)."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = _run("mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(folder))
    if mounted.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        _run("umount", str(folder))


def fill_disk(folder: Path, leave_bytes: int = 0) -> Path:
    """Fill the file system holding `folder`, leaving about `leave_bytes` free."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    filler = folder / "filler"
    filler.write_bytes(b"\0" * max(free - leave_bytes, 0))
    return filler

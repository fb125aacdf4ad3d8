"""Health checks for a profile: integrity, schema revision, library versions.

A damaged page makes SQLite raise rather than report, so each check that reads
the store records such an error as its own failure and the others still run.
"""

import platform
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from invictus_desktop import __version__
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.migrate import current_revision, head_revision


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(profile: UnlockedProfile) -> list[Check]:
    with profile.store.engine.connect() as connection:
        checks = [
            _guarded("cipher integrity", _cipher_integrity, connection),
            _guarded("database integrity", _database_integrity, connection),
            _guarded("foreign keys", _foreign_keys, connection),
        ]
        cipher_version = connection.exec_driver_sql("PRAGMA cipher_version").scalar()
        sqlite_version = connection.exec_driver_sql("SELECT sqlite_version()").scalar()
        journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()

    current, head = current_revision(profile.store.engine), head_revision()
    checks.append(
        Check("schema revision", current == head, f"store at {current}, app expects {head}")
    )
    checks.append(Check("journal mode", journal == "wal", str(journal)))
    checks.append(Check("versions", True, library_versions(cipher_version, sqlite_version)))
    return checks


def _guarded(
    name: str, check: Callable[[Connection], tuple[bool, str]], connection: Connection
) -> Check:
    try:
        ok, detail = check(connection)
    except DBAPIError as exc:
        connection.rollback()
        ok, detail = False, f"could not finish: {exc.orig}"
    return Check(name, ok, detail)


def _cipher_integrity(connection: Connection) -> tuple[bool, str]:
    # Verifies every page's HMAC in the file; returns no rows when all is sound.
    problems = connection.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
    if not problems:
        return True, "every page's HMAC verifies"
    return False, f"{len(problems)} damaged pages: {problems[0][0]}"


def _database_integrity(connection: Connection) -> tuple[bool, str]:
    integrity = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
    return integrity == ["ok"], "; ".join(integrity[:3])


def _foreign_keys(connection: Connection) -> tuple[bool, str]:
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    return not problems, f"{len(problems)} broken references"


def library_versions(
    cipher_version: str | None = None, sqlite_version: str | None = None
) -> str:
    parts = [f"invictus-desktop {__version__}", f"Python {platform.python_version()}"]
    if cipher_version:
        parts.append(f"SQLCipher {cipher_version} (SQLite {sqlite_version})")
    for package in (
        "SQLAlchemy",
        "alembic",
        "cryptography",
        "PySide6-Essentials",
        "sqlcipher3",
    ):
        try:
            parts.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package} missing")
    return ", ".join(parts)

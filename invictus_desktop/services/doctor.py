"""Health checks for a profile: integrity, schema revision, library versions."""

import platform
from dataclasses import dataclass
from importlib import metadata

from invictus_desktop import __version__
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.migrate import current_revision, head_revision


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(profile: UnlockedProfile) -> list[Check]:
    checks: list[Check] = []
    with profile.store.engine.connect() as connection:
        cipher_problems = connection.exec_driver_sql(
            "PRAGMA cipher_integrity_check"
        ).fetchall()
        checks.append(
            Check(
                "cipher integrity",
                not cipher_problems,
                "every page's HMAC verifies"
                if not cipher_problems
                else f"{len(cipher_problems)} damaged pages: {cipher_problems[0][0]}",
            )
        )
        integrity = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
        checks.append(
            Check("database integrity", integrity == ["ok"], "; ".join(integrity[:3]))
        )
        fk_problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        checks.append(
            Check("foreign keys", not fk_problems, f"{len(fk_problems)} broken references")
        )
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

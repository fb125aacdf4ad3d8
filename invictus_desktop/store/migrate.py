"""Schema migrations with Alembic, run on the keyed engine at unlock.

When the store is behind the app, an encrypted backup copy is taken first
(SQLite's online backup into a file keyed with the same database key), then
the revisions are applied in batch mode with foreign keys off, and the
foreign keys are checked before the store is used.
"""

import logging
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from invictus_desktop.errors import StoreNotOurs
from invictus_desktop.resources import migrations_dir
from invictus_desktop.store.engine import open_raw_connection

log = logging.getLogger(__name__)

KEEP_BACKUPS = 5
FTS_TABLE_PREFIX = "visit_search"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: which schema objects the models describe.

    The full-text index is an FTS5 virtual table with shadow tables and a
    table mapping each visit to its row (`visit_search_doc`), made by hand in
    revisions 0002 and 0007; they have no model.
    """
    return not (type_ == "table" and name and name.startswith(FTS_TABLE_PREFIX))


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


@cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@cache
def known_revisions() -> frozenset[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, target: str = "head") -> None:
    with engine.connect() as connection:
        # Pragmas on the driver connection, outside any transaction (inside one
        # SQLite ignores foreign_keys), so batch table copies cannot cascade.
        driver = connection.connection.driver_connection
        driver.execute("PRAGMA foreign_keys = OFF")
        try:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, target)
            connection.commit()
            problems = driver.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            driver.execute("PRAGMA foreign_keys = ON")
    if problems:
        raise RuntimeError(f"migration left {len(problems)} broken foreign keys")


def bring_up_to_date(engine: Engine, database: Path, key: bytes, backups: Path) -> bool:
    """Migrate to head if behind; returns whether anything was applied."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return False
    if current is not None and current not in known_revisions():
        raise StoreNotOurs(
            "This store was written by a newer version of Invictus QUAD Desktop.",
            next_step="Install the latest version to open it; nothing has been changed.",
        )

    if current is not None:
        backup_copy(database, key, backups, label=f"before-{head}")
    log.info("migrating store from %s to %s", current or "empty", head)
    upgrade(engine)
    return True


def backup_copy(database: Path, key: bytes, backups: Path, label: str) -> Path:
    """An encrypted, consistent copy of the store, keyed like the original."""
    backups.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups / f"store-{stamp}-{label}.db"

    try:
        _copy_store(database, target, key)
    except BaseException:
        # A half-written copy (full disk) is no backup; leave no trace of it.
        for leftover in _with_journals(target):
            leftover.unlink(missing_ok=True)
        raise
    for leftover in _with_journals(target)[1:]:
        leftover.unlink(missing_ok=True)

    _prune_backups(backups)
    log.info("encrypted backup written: %s", target.name)
    return target


def _copy_store(database: Path, target: Path, key: bytes) -> None:
    source = open_raw_connection(database, key)
    try:
        copy = open_raw_connection(target, key)
        try:
            source.backup(copy)
            copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            copy.close()
    finally:
        source.close()


def _with_journals(database: Path) -> list[Path]:
    return [database] + [database.with_name(database.name + s) for s in ("-wal", "-shm")]


def _prune_backups(backups: Path) -> None:
    copies = sorted(backups.glob("store-*.db"))
    for old in copies[:-KEEP_BACKUPS]:
        old.unlink()

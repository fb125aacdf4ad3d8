"""The SQLCipher engine: every connection is keyed before anything else runs.

The database key is 32 random bytes handed to SQLCipher as a raw key
(`x'<64 hex digits>'`), so opening a connection costs no KDF. SQLCipher
silently treats a malformed raw key as a passphrase, so the key is checked
before it is used.

Durability: WAL with `synchronous=FULL`. WAL alone (`NORMAL`) may lose the
last commits on power loss; an inspector is told "Saved" only after the WAL
frame is on disk. The cost is measured in `bench/`.
"""

import logging
import sqlite3
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from invictus_desktop.errors import StorageUnavailable, StoreDamaged, StoreNotOurs

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
KEY_LENGTH = 32

CONNECTION_PRAGMAS = (
    "PRAGMA cipher_memory_security = ON",
    "PRAGMA foreign_keys = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA synchronous = FULL",
    "PRAGMA busy_timeout = 5000",
)


def raw_key_pragma(key: bytes) -> str:
    if not isinstance(key, bytes | bytearray) or len(key) != KEY_LENGTH:
        raise ValueError("the database key must be exactly 32 bytes")
    hex_digits = bytes(key).hex()
    assert len(hex_digits) == 64 and all(c in "0123456789abcdef" for c in hex_digits)
    return f"PRAGMA key = \"x'{hex_digits}'\""


def check_not_plain_sqlite(path: Path) -> None:
    """A plain SQLite file would be refused by SQLCipher with a vague error; say why."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header == SQLITE_HEADER:
        raise StoreNotOurs(
            f"{path.name} in {path.parent} is an unencrypted SQLite database, "
            "not an Invictus store.",
            next_step="Move it out of the profile folder, or choose another profile folder.",
        )


def open_raw_connection(path: Path, key: bytes) -> sqlcipher3.Connection:
    """A keyed, configured DB-API connection; the key is its first statement."""
    connection = sqlcipher3.connect(
        str(path), check_same_thread=False, isolation_level=None
    )
    try:
        connection.execute(raw_key_pragma(key))
        for pragma in CONNECTION_PRAGMAS:
            connection.execute(pragma)
        # A wrong key or a damaged file shows up only at the first read.
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise StorageUnavailable(
                f"The store could not switch to write-ahead logging (got {mode}).",
                next_step="Check that the profile folder is on a local, writable disk.",
            )
    except sqlcipher3.DatabaseError as exc:
        connection.close()
        raise translate_database_error(path, exc) from None
    return connection


def translate_database_error(path: Path, exc: Exception) -> Exception:
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreDamaged(
            f"The encrypted store {path} is damaged or was not made by Invictus.",
            next_step="Restore the newest copy from the profile's backups folder; "
            "nothing has been changed.",
        )
    if "readonly" in text or "read-only" in text:
        return StorageUnavailable(
            f"The profile folder {path.parent} is read-only.",
            next_step="Make it writable (or move the profile) and try again.",
        )
    if "disk is full" in text or "full" in text:
        return StorageUnavailable(
            f"The disk holding {path.parent} is full.",
            next_step="Free some space; your work is kept and will be saved then.",
        )
    if "locked" in text or "busy" in text:
        return StorageUnavailable(
            "The store is in use by another copy of Invictus.",
            next_step="Close the other copy and try again.",
        )
    if "unable to open" in text:
        return StorageUnavailable(
            f"The store {path} cannot be opened.",
            next_step="Check that the profile folder exists and is readable.",
        )
    return exc


def create_store_engine(path: Path, key: bytes) -> Engine:
    """An SQLAlchemy engine whose pool keys every connection it opens."""
    check_not_plain_sqlite(path)
    key_copy = bytes(key)

    def connect() -> sqlcipher3.Connection:
        return open_raw_connection(path, key_copy)

    engine = create_engine(
        "sqlite://",
        module=sqlcipher3,
        creator=connect,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
    )
    _use_explicit_transactions(engine)
    return engine


def _use_explicit_transactions(engine: Engine) -> None:
    """pysqlite's implicit BEGIN is lazy and skips SELECTs; make SQLAlchemy's
    transactions real so reads and writes in one unit of work are consistent."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlcipher3.DatabaseError | sqlite3.DatabaseError)

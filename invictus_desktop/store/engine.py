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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from invictus_desktop.errors import StorageUnavailable, StoreDamaged, StoreNotOurs

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
KEY_LENGTH = 32
PAGE_SIZE = 4096  # SQLCipher 4's default, which every store uses

CONNECTION_PRAGMAS = (
    "PRAGMA cipher_memory_security = ON",
    "PRAGMA foreign_keys = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA synchronous = FULL",
    "PRAGMA busy_timeout = 5000",
)

# SQLite result codes that describe the user's situation rather than a bug.
_DAMAGED = (sqlcipher3.SQLITE_CORRUPT, sqlcipher3.SQLITE_NOTADB)
_READ_ONLY = (sqlcipher3.SQLITE_READONLY, sqlcipher3.SQLITE_PERM)
_BUSY = (sqlcipher3.SQLITE_BUSY, sqlcipher3.SQLITE_LOCKED)


# Prepared statements kept per connection. Few on purpose: each holds memory
# from the connection's small lookaside pool, and once that pool is full every
# allocation SQLite makes goes to the heap, which with `cipher_memory_security`
# means an mlock and an munlock call each. With the driver's default of 128 a
# well-used connection did each insert several times slower (bench: a QUAD's
# first pull, autosaves); re-preparing a statement costs less than that.
CACHED_STATEMENTS = 8


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


def check_whole_pages(path: Path) -> None:
    """A store cut short (an interrupted copy) fails only when its last page is
    read, which may be much later; its size gives it away at once."""
    if path.exists() and path.stat().st_size % PAGE_SIZE:
        raise StoreDamaged(
            f"The encrypted store {path} was cut short (perhaps while being copied) "
            "or is not an Invictus store: its size is not a whole number of pages.",
            next_step="Copy it again from where it came from, or restore the newest "
            "copy from the profile's backups folder; nothing has been changed.",
        )


def open_raw_connection(path: Path, key: bytes) -> sqlcipher3.Connection:
    """A keyed, configured DB-API connection; the key is its first statement."""
    try:
        connection = sqlcipher3.connect(
            str(path),
            check_same_thread=False,
            isolation_level=None,
            cached_statements=CACHED_STATEMENTS,
        )
    except sqlcipher3.Error as exc:
        raise translate_database_error(path, exc) from None
    try:
        _configure(connection, key)
    except sqlcipher3.Error as exc:
        connection.close()
        raise translate_database_error(path, exc) from None
    except BaseException:
        connection.close()
        raise
    return connection


def _configure(connection: sqlcipher3.Connection, key: bytes) -> None:
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


def check_leftover_wal(path: Path, key: bytes) -> None:
    """Read every page through a write-ahead log found at open, before using it.

    The log is there after a crash (or while another copy has the store open).
    A writable connection checkpoints it into the store when it closes, so a log
    from another store, or a damaged one, would be copied over good pages. A
    read-only connection never checkpoints: if a page fails its HMAC here, the
    store is refused and its files stay as they were.
    """
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return
    try:
        connection = sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlcipher3.Error as exc:
        raise translate_database_error(path, exc) from None
    try:
        connection.execute(raw_key_pragma(key))
        sound = connection.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    except sqlcipher3.Error as exc:
        if _primary_code(exc) not in _DAMAGED:
            raise translate_database_error(path, exc) from None
        sound = False
    finally:
        connection.close()

    if not sound:
        raise StoreDamaged(
            f"The store {path.name} or its journal {wal.name} in {path.parent} is "
            "damaged, or the journal belongs to another store.",
            next_step=f"Move {wal.name} out of the folder to open the store as it was "
            "at its last checkpoint, or restore the newest copy from the backups "
            "folder; nothing has been changed.",
        )


# SQLite's fixed text for each code, for errors raised without one (the backup API's).
_CODE_OF_MESSAGE = {
    "database disk image is malformed": sqlcipher3.SQLITE_CORRUPT,
    "file is not a database": sqlcipher3.SQLITE_NOTADB,
    "attempt to write a readonly database": sqlcipher3.SQLITE_READONLY,
    "database or disk is full": sqlcipher3.SQLITE_FULL,
    "database is locked": sqlcipher3.SQLITE_BUSY,
    "unable to open database file": sqlcipher3.SQLITE_CANTOPEN,
    "disk I/O error": sqlcipher3.SQLITE_IOERR,
}


def _primary_code(exc: BaseException) -> int | None:
    """SQLite's primary result code: extended codes keep it in the low byte."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return _CODE_OF_MESSAGE.get(str(exc))
    return code & 0xFF


def translate_database_error(path: Path, exc: BaseException) -> BaseException:
    """The user's situation behind a database error, or `exc` itself if it is a bug.

    Decided by SQLite's result code (the message text can include SQL); an
    SQLAlchemy error is judged by the driver error it wraps.
    """
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return _translate_driver_error(path, exc.orig) or exc
    return _translate_driver_error(path, exc) or exc


def _translate_driver_error(path: Path, exc: BaseException) -> Exception | None:
    code = _primary_code(exc)
    if code in _DAMAGED:
        return StoreDamaged(
            f"The encrypted store {path} is damaged or was not made by Invictus.",
            next_step="Restore the newest copy from the profile's backups folder; "
            "nothing has been changed.",
        )
    if code in _READ_ONLY:
        return StorageUnavailable(
            f"The profile folder {path.parent} is read-only.",
            next_step="Make it writable (or move the profile) and try again.",
        )
    if code == sqlcipher3.SQLITE_FULL:
        return StorageUnavailable(
            f"The disk holding {path.parent} is full.",
            next_step="Free some space on it and try again; the change that failed "
            "was not saved.",
        )
    if code in _BUSY:
        return StorageUnavailable(
            "The store is in use by another copy of Invictus.",
            next_step="Close the other copy and try again.",
        )
    if code == sqlcipher3.SQLITE_CANTOPEN:
        return StorageUnavailable(
            f"The store {path} cannot be opened.",
            next_step="Check that the profile folder exists, is readable and writable.",
        )
    if code == sqlcipher3.SQLITE_IOERR:
        return StorageUnavailable(
            f"The disk holding {path.parent} reported an error.",
            next_step="Check the disk (and free space on it), then try again.",
        )
    return None


@contextmanager
def database_errors_explained(path: Path) -> Iterator[None]:
    """Turn database errors that describe the user's situation into UserFacingError.

    The original is not chained: its text can hold SQL parameters (note text),
    which must not reach a log through a traceback.
    """
    try:
        yield
    except (DBAPIError, sqlcipher3.Error) as exc:
        translated = translate_database_error(path, exc)
        if translated is exc:
            raise
        raise translated from None


def create_store_engine(path: Path, key: bytes) -> Engine:
    """An SQLAlchemy engine whose pool keys every connection it opens."""
    check_not_plain_sqlite(path)
    check_whole_pages(path)
    check_leftover_wal(path, key)
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
        # The connection used last has the freshest page cache: SQLite throws a
        # connection's cache away whenever another connection has written, and
        # refilling it means decrypting every page again. Handing out pooled
        # connections in turn (FIFO) would do that on every unit of work.
        pool_use_lifo=True,
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
        # Straight to the driver: SQLAlchemy's statement machinery would cost
        # more than the statement itself, on every unit of work.
        connection.connection.driver_connection.execute("BEGIN")


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlcipher3.DatabaseError | sqlite3.DatabaseError)

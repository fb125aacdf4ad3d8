"""An open, keyed store: engine, session factory with the outbox hook, closing."""

import logging
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from invictus_desktop.store.engine import create_store_engine, database_errors_explained
from invictus_desktop.store.models import LocalIdentity
from invictus_desktop.store.outbox import LocalClock, install_outbox

log = logging.getLogger(__name__)


class Store:
    """The encrypted database of one profile, open for use.

    Sessions come from `session()` (a unit of work that commits on success and
    rolls back on error; a full disk, a read-only folder or a damaged page is
    raised as a UserFacingError). `close()` disposes every pooled connection so the
    key leaves SQLCipher's memory; the store cannot be used afterwards.
    """

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self.engine: Engine = create_store_engine(path, key)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._device_id: str | None = None
        # SQLAlchemy keeps session listeners in a WeakKeyDictionary keyed by the
        # sessionmaker's class; a listener holding `self` (which holds that class)
        # would keep every Store, its engine and its key alive after close().
        this = weakref.ref(self)
        self.clock = LocalClock()
        install_outbox(self.sessions, lambda _session: _device_id_of(this), self.clock)

    @property
    def device_id(self) -> str:
        if self._device_id is None:
            with self.sessions() as session, session.no_autoflush:
                found = session.scalar(select(LocalIdentity.device_id))
            # Before the identity exists (profile creation) the clock has no device.
            if found is None:
                return ""
            self._device_id = found
        return self._device_id

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed (durably) on success, rolled back on error.

        Storage failures (disk full, read-only folder, locked file) become
        `StorageUnavailable` so callers can keep the user's text and retry.
        """
        with (
            database_errors_explained(self.path),
            self.sessions() as session,
            session.begin(),
        ):
            yield session

    def close(self) -> None:
        self.engine.dispose()
        log.info("store closed")


def _device_id_of(store: "weakref.ref[Store]") -> str:
    alive = store()
    if alive is None:
        raise RuntimeError("a session outlived its store")
    return alive.device_id

"""Locking must let the store, its engine and the key they hold be freed."""

import gc
import weakref

from sqlalchemy import func, select

from invictus_desktop.services.profile import UnlockedProfile, unlock
from invictus_desktop.store.models import OutboxEntry, Trust
from tests.conftest import PASSPHRASE


def _rename_trust(profile: UnlockedProfile, name: str) -> int:
    """A change to a synced row (so the outbox listener runs); the outbox size after."""
    with profile.store.session() as session:
        session.scalar(select(Trust)).name = name
    with profile.store.session() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry))


def test_a_locked_and_dropped_profile_frees_its_store_and_engine(new_profile, profile_paths):
    new_profile.lock()
    profile = unlock(profile_paths, PASSPHRASE)
    before = _rename_trust(profile, "Renamed once")
    assert _rename_trust(profile, "Renamed twice") == before + 1, "the outbox must still work"
    store = weakref.ref(profile.store)
    engine = weakref.ref(profile.store.engine)

    profile.lock()
    del profile
    gc.collect()

    assert store() is None
    assert engine() is None

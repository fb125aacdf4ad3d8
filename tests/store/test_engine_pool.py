"""Every connection the pool opens is keyed first, however many open at once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlcipher3
from sqlalchemy import select

from invictus_desktop.store.models import Person

CONNECTIONS = 4  # the engine's pool_size plus max_overflow: all it will open


def test_an_unkeyed_connection_cannot_read_the_store(new_profile):
    # The failure a pooled connection that skipped the key would meet.
    plain = sqlcipher3.connect(new_profile.store.path)
    try:
        with pytest.raises(sqlcipher3.DatabaseError, match="file is not a database"):
            plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        plain.close()


def test_concurrent_connections_are_each_keyed(new_profile):
    engine = new_profile.store.engine
    engine.dispose()  # start empty, so every connection below is a new one
    all_held = threading.Barrier(CONNECTIONS)
    may_release = threading.Barrier(CONNECTIONS)

    def read_while_others_are_open() -> tuple[str, int, int]:
        with engine.connect() as connection:
            name = connection.execute(select(Person.name)).scalar_one()
            all_held.wait(timeout=30)
            checked_out = engine.pool.checkedout()
            may_release.wait(timeout=30)
            return name, id(connection.connection.driver_connection), checked_out

    with ThreadPoolExecutor(CONNECTIONS) as workers:
        futures = [workers.submit(read_while_others_are_open) for _ in range(CONNECTIONS)]
        results = [future.result() for future in futures]

    names, driver_ids, checked_out = zip(*results, strict=True)
    assert set(names) == {"Dana Whitfield"}
    assert len(set(driver_ids)) == CONNECTIONS
    assert set(checked_out) == {CONNECTIONS}

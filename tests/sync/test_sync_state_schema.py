"""Migration 0004 creates exactly the sync-state tables the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from invictus_desktop.store.models import Base

SYNC_TABLES = {
    "sync_outgoing_segment",
    "sync_applied_segment",
    "sync_field_clock",
    "sync_kept_conflict",
    "sync_tombstone",
}


def _touches_sync_state(diff) -> bool:
    text = repr(diff)
    return (
        any(table in text for table in SYNC_TABLES) or "ix_outbox_entry_entity_row" in text
    )


def test_migrated_store_matches_the_sync_state_models(new_profile):
    with new_profile.store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, Base.metadata)]

    assert [d for d in differences if _touches_sync_state(d)] == []
    assert set(Base.metadata.tables) >= SYNC_TABLES

"""The idle lock setting: default, round trip, validation, local only."""

import pytest
from sqlalchemy import func, select

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services.settings import (
    DEFAULT_IDLE_LOCK_MINUTES,
    IDLE_LOCK_MINUTES_KEY,
    get_idle_lock_minutes,
    set_idle_lock_minutes,
)
from invictus_desktop.store.models import AuditEntry, OutboxEntry, Setting


def count(profile, model) -> int:
    with profile.store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_default_is_five_minutes(new_profile):
    assert get_idle_lock_minutes(new_profile) == DEFAULT_IDLE_LOCK_MINUTES == 5


def test_a_saved_value_is_read_back_audited_and_not_synced(new_profile):
    outbox_before = count(new_profile, OutboxEntry)

    set_idle_lock_minutes(new_profile, 15)
    set_idle_lock_minutes(new_profile, 20)

    assert get_idle_lock_minutes(new_profile) == 20
    assert count(new_profile, OutboxEntry) == outbox_before
    with new_profile.store.session() as session:
        actions = session.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.action == "setting.changed")
        ).all()
    assert actions == [IDLE_LOCK_MINUTES_KEY, IDLE_LOCK_MINUTES_KEY]


@pytest.mark.parametrize("minutes", [0, -3, 121, 10_000])
def test_out_of_range_values_are_refused(new_profile, minutes):
    with pytest.raises(UserFacingError, match="between 1 and 120 minutes"):
        set_idle_lock_minutes(new_profile, minutes)
    assert get_idle_lock_minutes(new_profile) == DEFAULT_IDLE_LOCK_MINUTES


@pytest.mark.parametrize("stored", ["soon", "", "0", "999"])
def test_an_unusable_stored_value_falls_back_to_the_default(new_profile, stored):
    with new_profile.store.session() as session:
        session.add(Setting(key=IDLE_LOCK_MINUTES_KEY, value=stored))

    assert get_idle_lock_minutes(new_profile) == DEFAULT_IDLE_LOCK_MINUTES

"""Local preferences kept in the encrypted store (the `Setting` table).

Settings never leave this laptop: `Setting` is not a synced model, so writing
one adds nothing to the outbox. Changes are audited by key, never by value
text that could hold personal data (the values here are numbers).
"""

import json
import logging

from invictus_desktop.errors import UserFacingError
from invictus_desktop.services.profile import UnlockedProfile
from invictus_desktop.store.models import AuditEntry, Setting

log = logging.getLogger(__name__)

IDLE_LOCK_MINUTES_KEY = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 5
MIN_IDLE_LOCK_MINUTES = 1
MAX_IDLE_LOCK_MINUTES = 120


def get_idle_lock_minutes(profile: UnlockedProfile) -> int:
    """Minutes without input before the app locks; the default if unset or unreadable."""
    with profile.store.session() as session:
        setting = session.get(Setting, IDLE_LOCK_MINUTES_KEY)
        stored = setting.value if setting is not None else None

    if stored is None:
        return DEFAULT_IDLE_LOCK_MINUTES
    try:
        minutes = int(stored)
    except ValueError:
        log.warning("ignoring an unreadable %s setting", IDLE_LOCK_MINUTES_KEY)
        return DEFAULT_IDLE_LOCK_MINUTES
    if not MIN_IDLE_LOCK_MINUTES <= minutes <= MAX_IDLE_LOCK_MINUTES:
        log.warning("ignoring an out-of-range %s setting", IDLE_LOCK_MINUTES_KEY)
        return DEFAULT_IDLE_LOCK_MINUTES
    return minutes


def set_idle_lock_minutes(profile: UnlockedProfile, minutes: int) -> None:
    """Store the idle lock delay; refuses values outside the allowed range."""
    if not MIN_IDLE_LOCK_MINUTES <= minutes <= MAX_IDLE_LOCK_MINUTES:
        raise UserFacingError(
            f"The idle lock must be between {MIN_IDLE_LOCK_MINUTES} and "
            f"{MAX_IDLE_LOCK_MINUTES} minutes.",
            next_step="Choose a value in that range.",
        )

    with profile.store.session() as session:
        setting = session.get(Setting, IDLE_LOCK_MINUTES_KEY)
        if setting is None:
            session.add(Setting(key=IDLE_LOCK_MINUTES_KEY, value=str(minutes)))
        else:
            setting.value = str(minutes)
        session.add(
            AuditEntry(
                actor_id=profile.person_id,
                action="setting.changed",
                entity="setting",
                entity_id=IDLE_LOCK_MINUTES_KEY,
                detail=json.dumps({"minutes": minutes}),
            )
        )

    log.info("idle lock set to %d minutes", minutes)

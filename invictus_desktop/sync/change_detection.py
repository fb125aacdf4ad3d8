"""Cheap change detection: leave a partition unlisted while its folder's ETag
says nothing in it changed since this laptop last had all of it.

The listing of `partitions/` carries each partition folder's `getetag` where
the server gives one. A round may skip listing a partition (for pulling and
for repairing our own log) when all of these hold:

- the repository has shown that a folder's ETag changes when something deep
  inside it changes. Nextcloud and ownCloud propagate changes up the tree;
  Apache `mod_dav` derives a folder's ETag from its modification time, which
  moves only when a direct child comes or goes, so segments arriving three
  levels down would leave it as it was. The proof: in a round that puts new
  segments into a bucket folder that was already there, the partition's ETag
  listed just before the push must differ from the one listed just after. A
  single round where it does not marks the repository as not propagating, for
  good (skipping is only ever a saving, so doubt means listing);
- the partition's ETag equals the one recorded at the end of an earlier round
  in which this laptop had everything of that partition: every log applied to
  its end, none waiting, none refused, and our own log found whole. The ETag
  recorded is the one listed after that round's push and before any of the
  partition was read, so whatever arrived later changes it;
- the round is not thorough. A round lists everything at least every
  `THOROUGH_EVERY` seconds of wall-clock time, when the clock seems to have
  gone back, and when asked to: the floor against an ETag that stays the same
  although the content changed (a cache, a restored server).

The records live in one local `Setting` (never synced), tied to the
repository's identity, so a different repository starts from nothing.
"""

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from invictus_desktop.store.database import Store
from invictus_desktop.store.models import OutgoingSegment, Setting
from invictus_desktop.sync import layout
from invictus_desktop.sync.outgoing import has_unprepared
from invictus_desktop.sync.webdav import Entry

log = logging.getLogger(__name__)

SETTING_KEY = "sync.change_detection"
# The longest a round may trust ETags since the last round that listed everything.
THOROUGH_EVERY = 30 * 60


@dataclass
class _Records:
    repository: str
    # True once the repository showed a deep change in a folder's ETag; False once
    # it showed none; None until a round could tell.
    propagates: bool | None = None
    # Whether the last listing of partitions/ gave any folder an ETag.
    etags_seen: bool = False
    # Wall-clock seconds at the start of the last thorough round.
    thorough_at: float | None = None
    # Partition -> its folder's ETag when this laptop last had all of it.
    complete: dict[str, str] = field(default_factory=dict)


class RoundChanges:
    """What one round knows of partitions' ETags, and what it may skip."""

    def __init__(
        self,
        store: Store,
        repository_id: str,
        *,
        thorough: bool = False,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._started = now()
        with store.session() as session:
            self._records = _load(session, repository_id)
        self._saved = _dump(self._records)
        last = self._records.thorough_at
        self.thorough = (
            thorough
            or last is None
            or self._started < last  # the clock was set back
            or self._started - last >= THOROUGH_EVERY
        )
        self._before: dict[str, str] | None = None
        self._after: dict[str, str] = {}
        self._listed: set[str] = set()
        self._behind: set[str] = set()

    @property
    def propagates(self) -> bool | None:
        return self._records.propagates

    # -- around the push ---------------------------------------------------

    def wants_listing_before_push(self) -> bool:
        """Whether a listing before the push could prove (or disprove) anything:
        the server gives folder ETags and has not shown they miss deep changes."""
        return self._records.etags_seen and self._records.propagates is not False

    def before_push(self, listing: Iterable[Entry]) -> None:
        self._before = _etags(listing)

    def after_push(self, listing: Iterable[Entry], pushed_into_existing: set[str]) -> None:
        """`listing` is partitions/ as it stands after the push, before anything of
        the partitions is read; `pushed_into_existing`, the partitions that took
        new segments this round without any folder being created in them."""
        self._after = _etags(listing)
        self._records.etags_seen = bool(self._after)
        if self._before is None or self._records.propagates is False:
            return
        for partition in sorted(pushed_into_existing):
            before, after = self._before.get(partition), self._after.get(partition)
            if before is None or after is None:
                continue
            if before == after:
                log.info(
                    "the repository's folder ETags miss changes deeper down "
                    "(%s kept %s); every partition will be listed each round",
                    partition,
                    after,
                )
                self._records.propagates = False
                self._records.complete.clear()
                return
            if self._records.propagates is None:
                log.info("the repository's folder ETags follow deep changes")
            self._records.propagates = True

    # -- while reading -----------------------------------------------------

    def unchanged(self, partition: str) -> bool:
        """Whether this round may leave the partition unlisted."""
        if self.thorough or self._records.propagates is not True:
            return False
        etag = self._after.get(partition)
        return etag is not None and self._records.complete.get(partition) == etag

    def listed(self, partition: str) -> None:
        """The partition's logs were listed this round."""
        self._listed.add(partition)

    def behind(self, partition: str) -> None:
        """This laptop did not get (or give) all of the partition this round."""
        self._behind.add(partition)

    # -- at the end of a round that went through ---------------------------

    def finish(self) -> None:
        complete = {
            partition: etag
            for partition, etag in self._after.items()
            if partition not in self._behind
            and (partition in self._listed or self.unchanged(partition))
        }
        skipped = sum(
            1 for p in self._after if p not in self._listed and self.unchanged(p)
        )
        if skipped:
            log.info("%d partitions unchanged by their ETags; not listed", skipped)
        self._records.complete = complete if self._records.propagates is not False else {}
        if self.thorough:
            self._records.thorough_at = self._started
        text = _dump(self._records)
        if text == self._saved:
            return
        with self._store.session() as session:
            session.merge(Setting(key=SETTING_KEY, value=text))  # insert or update
        self._saved = text


def newest_sealed(session: Session) -> dict[str, int] | None:
    """Our highest segment number per partition, or None when nothing waits to be
    pushed (no unsent segment, no outbox entry to seal)."""
    unsent = session.scalar(
        select(OutgoingSegment.seq).where(OutgoingSegment.sent_at.is_(None)).limit(1)
    )
    if unsent is None and not has_unprepared(session):
        return None
    rows = session.execute(
        select(OutgoingSegment.partition, func.max(OutgoingSegment.seq)).group_by(
            OutgoingSegment.partition
        )
    )
    return {partition: seq for partition, seq in rows}


def sent_past(session: Session, newest: dict[str, int]) -> set[str]:
    """Partitions with a segment sent past `newest` (so sealed, and first put on
    the server, in this round)."""
    rows = session.execute(
        select(OutgoingSegment.partition, func.max(OutgoingSegment.seq))
        .where(OutgoingSegment.sent_at.is_not(None))
        .group_by(OutgoingSegment.partition)
    )
    return {partition for partition, seq in rows if seq > newest.get(partition, 0)}


def _etags(listing: Iterable[Entry]) -> dict[str, str]:
    etags = {}
    for entry in listing:
        partition = layout.partition_of_folder(entry.name) if entry.is_folder else None
        if partition is not None and entry.etag:
            etags[partition] = entry.etag
    return etags


def _load(session: Session, repository_id: str) -> _Records:
    setting = session.get(Setting, SETTING_KEY)
    if setting is None:
        return _Records(repository_id)
    try:
        data = json.loads(setting.value)
        if data.get("repository") != repository_id:
            return _Records(repository_id)
        propagates = data.get("propagates")
        thorough_at = data.get("thorough_at")
        complete = data.get("complete", {})
        if propagates not in (None, True, False) or not isinstance(complete, dict):
            raise ValueError("shape")
        return _Records(
            repository_id,
            propagates=propagates,
            etags_seen=bool(data.get("etags_seen")),
            thorough_at=float(thorough_at) if thorough_at is not None else None,
            complete={str(k): str(v) for k, v in complete.items()},
        )
    except (ValueError, TypeError, AttributeError):
        log.warning("unreadable change-detection records; starting afresh")
        return _Records(repository_id)


def _dump(records: _Records) -> str:
    return json.dumps(
        {
            "repository": records.repository,
            "propagates": records.propagates,
            "etags_seen": records.etags_seen,
            "thorough_at": records.thorough_at,
            "complete": records.complete,
        },
        sort_keys=True,
    )

"""One sync round between a store and the trust's repository.

A round is: check that the address still holds our repository; push (seal the
outbox into segments, upload each, read it back, then mark it sent); repair
our own log if the repository lost segments (restored from an older backup);
pull (for each partition and each other laptop, fetch the segments past our
cursor, verify them, and apply them in order, moving the cursor in the same
transaction as the changes). A gap in a log means wait; a segment that cannot
be applied yet (it refers to rows in another laptop's log) is retried after the
others in the same round.
"""

import json
import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from invictus_desktop.store import hlc
from invictus_desktop.store.database import Store
from invictus_desktop.store.models import (
    AppliedSegment,
    ClockState,
    OutgoingSegment,
    PersonKey,
    Setting,
    SyncCursor,
    new_id,
    utc_now,
)
from invictus_desktop.store.outbox import APPLYING_REMOTE_CHANGES
from invictus_desktop.sync import layout
from invictus_desktop.sync.errors import (
    NotARepository,
    RepositoryMismatch,
    UploadNotConfirmed,
)
from invictus_desktop.sync.merge import (
    NotYetApplicable,
    SegmentApplier,
    forget_conflicts_of_deleted_rows,
    hold,
    load_tombstones,
)
from invictus_desktop.sync.outgoing import (
    Author,
    load_author,
    mark_sent,
    prepare_segments,
    unsent_segments,
)
from invictus_desktop.sync.segment import (
    MAX_SEGMENT_BYTES,
    SEGMENT_NAME,
    Refusal,
    Segment,
    SegmentRefused,
    check_not_replayed,
    parse_segment,
)
from invictus_desktop.sync.webdav import WebDavClient

log = logging.getLogger(__name__)

REPOSITORY_ID = "sync.repository_id"
IDENTITY_FORMAT = 1
MAX_IDENTITY_BYTES = 64 * 1024
MARK_SENT_BATCH = 50


@dataclass
class SyncReport:
    sent: int = 0
    received: int = 0
    repaired: int = 0
    unconfirmed: int = 0
    # This laptop's clock minus the repository's, when the server said its time.
    clock_skew_seconds: float | None = None
    waiting: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    # Filled in by the publishing step of a round (services/publishing.py).
    published: list[str] = field(default_factory=list)
    publish_clashes: list[str] = field(default_factory=list)
    reports_arrived: int = 0


@dataclass
class _DeviceLog:
    """What this round knows of one laptop's log in one partition."""

    partition: str
    device: str
    listed: dict[int, dict[int, list[str]]] = field(default_factory=dict)  # bucket -> seq
    downloaded: dict[str, bytes] = field(default_factory=dict)
    blocked: bool = False
    finished: bool = False
    owner: str | None = None


class SyncEngine:
    def __init__(self, store: Store, client: WebDavClient) -> None:
        self.store = store
        self.client = client
        self._folders_made: set[str] = set()
        self._enrolled_keys: set[tuple[str, bytes]] = set()

    # -- the repository's identity -------------------------------------------

    def create_repository(self) -> str:
        """Start a new repository at the address, which must hold none yet."""
        if self._read_identity() is not None:
            raise RepositoryMismatch(
                "There is already a repository at this address.",
                next_step="Join it instead, or choose an empty folder.",
            )
        repository_id = new_id()
        document = {
            "format": IDENTITY_FORMAT,
            "repository": repository_id,
            "created": utc_now().isoformat(),
        }
        if not self.client.put_new(layout.IDENTITY_FILE, json.dumps(document).encode()):
            raise RepositoryMismatch(
                "Another repository was created at this address just now."
            )
        self.client.ensure_folder(layout.PARTITIONS)
        self._remember_repository(repository_id)
        log.info("created repository %s", repository_id)
        return repository_id

    def join_repository(self) -> str:
        """Connect this profile to the repository already at the address."""
        repository_id = self._read_identity()
        if repository_id is None:
            raise RepositoryMismatch(
                "There is no repository at this address.",
                next_step="Check the address, or ask whoever set up the repository.",
            )
        known = self._known_repository()
        if known is not None and known != repository_id:
            raise RepositoryMismatch(
                "This profile already syncs with a different repository.",
                next_step="Nothing was changed.",
            )
        self._remember_repository(repository_id)
        return repository_id

    def check_repository(self) -> str:
        known = self._known_repository()
        if known is None:
            raise RepositoryMismatch(
                "This profile is not connected to a repository yet.",
                next_step="Create or join one first.",
            )
        found = self._read_identity()
        if found is None:
            raise RepositoryMismatch(
                "The repository address now holds no repository: it may have been moved, "
                "emptied or replaced.",
                next_step="Nothing was changed or deleted. Check the address with the "
                "trust's administrator before syncing again.",
            )
        if found != known:
            raise RepositoryMismatch(
                "The repository address now holds a different repository.",
                next_step="Nothing was changed or deleted. Check the address with the "
                "trust's administrator before syncing again.",
            )
        return known

    def _read_identity(self) -> str | None:
        data = self.client.get(layout.IDENTITY_FILE, max_bytes=MAX_IDENTITY_BYTES)
        if data is None:
            return None
        try:
            document = json.loads(data)
            if document.get("format") != IDENTITY_FORMAT:
                raise ValueError("format")
            repository_id = document["repository"]
            if not layout.DEVICE_FOLDER.fullmatch(repository_id):
                raise ValueError("id")
        except (ValueError, TypeError, KeyError, AttributeError):
            raise NotARepository(
                "The address answered, but not with an Invictus repository.",
                next_step="If this network needs you to sign in (hotel or school Wi-Fi), "
                "do so in a browser; otherwise check the address. Nothing was changed.",
            ) from None
        return repository_id

    def _known_repository(self) -> str | None:
        with self.store.session() as session:
            setting = session.get(Setting, REPOSITORY_ID)
            return setting.value if setting else None

    def _remember_repository(self, repository_id: str) -> None:
        with self.store.session() as session:
            setting = session.get(Setting, REPOSITORY_ID)
            if setting is None:
                session.add(Setting(key=REPOSITORY_ID, value=repository_id))
            else:
                setting.value = repository_id

    # -- a round -------------------------------------------------------------

    def sync(self) -> SyncReport:
        report = SyncReport()
        self._enrolled_keys.clear()  # a key revoked since the last round is not trusted
        self._folders_made.clear()  # the repository may have been restored meanwhile
        repository_id = self.check_repository()
        with self.store.session() as session:
            author = load_author(session)
        self.push(author, repository_id, report)
        self.repair_own_log(author, report)
        self.pull(author, repository_id, report)
        report.clock_skew_seconds = self.client.clock_skew_seconds
        log.info(
            "sync round: %d sent, %d received, %d re-sent, %d waiting, %d refused",
            report.sent,
            report.received,
            report.repaired,
            len(report.waiting),
            len(report.refused),
        )
        return report

    def push(self, author: Author, repository_id: str, report: SyncReport) -> None:
        with self.store.session() as session:
            prepare_segments(session, author, repository_id)
            forget_conflicts_of_deleted_rows(session)
            pending = [
                (s.partition, s.seq, s.name, s.body) for s in unsent_segments(session)
            ]

        # Segments are marked sent only once read back, a batch per commit: a crash
        # in between only means re-sending bytes the repository already holds.
        verified: list[tuple[str, int]] = []
        try:
            for partition, seq, name, body in pending:
                try:
                    self._upload(partition, author.device_id, seq, name, body)
                except UploadNotConfirmed:
                    # Kept and sent again next round; receiving need not wait for it.
                    log.warning(
                        "segment %d of %s not confirmed; will resend", seq, partition
                    )
                    report.unconfirmed += 1
                    break
                verified.append((partition, seq))
                if len(verified) >= MARK_SENT_BATCH:
                    self._mark_sent(verified, report)
        finally:
            self._mark_sent(verified, report)

    def _mark_sent(self, verified: list[tuple[str, int]], report: SyncReport) -> None:
        if not verified:
            return
        with self.store.session() as session:
            for partition, seq in verified:
                mark_sent(session, partition, seq)
        report.sent += len(verified)
        verified.clear()

    def repair_own_log(self, author: Author, report: SyncReport) -> None:
        """Give the repository back any of our segments it no longer has."""
        with self.store.session() as session:
            sent = session.execute(
                select(OutgoingSegment.partition, OutgoingSegment.seq, OutgoingSegment.name)
                .where(OutgoingSegment.sent_at.is_not(None))
                .order_by(OutgoingSegment.partition, OutgoingSegment.seq)
            ).all()
        by_partition: dict[str, list[tuple[int, str]]] = {}
        for partition, seq, name in sent:
            by_partition.setdefault(partition, []).append((seq, name))

        for partition, segments in by_partition.items():
            last_bucket = layout.bucket_of(segments[-1][0])
            for bucket in range(last_bucket, -1, -1):
                expected = [(s, n) for s, n in segments if layout.bucket_of(s) == bucket]
                listing = self.client.list_folder(
                    layout.bucket_path(partition, author.device_id, bucket)
                )
                present = {entry.name for entry in listing or []}
                missing = [(s, n) for s, n in expected if n not in present]
                for seq, name in missing:
                    try:
                        self._resend(partition, author.device_id, seq, name)
                    except UploadNotConfirmed:
                        report.unconfirmed += 1
                        return
                    report.repaired += 1
                # A bucket that is whole means the older ones were not lost either.
                if not missing:
                    break

    def _resend(self, partition: str, device: str, seq: int, name: str) -> None:
        log.warning("the repository lost %s of %s; sending it again", name, partition)
        with self.store.session() as session:
            body = session.get(OutgoingSegment, (partition, seq)).body
        self._folders_made.discard(
            layout.bucket_path(partition, device, layout.bucket_of(seq))
        )
        self._upload(partition, device, seq, name, body)

    def _upload(
        self, partition: str, device: str, seq: int, name: str, body: bytes
    ) -> None:
        folder = layout.bucket_path(partition, device, layout.bucket_of(seq))
        if folder not in self._folders_made:
            self.client.ensure_folder(folder)
            self._folders_made.add(folder)
        self.client.put_immutable(folder + name, body)

    # -- pulling -------------------------------------------------------------

    def pull(self, author: Author, repository_id: str, report: SyncReport) -> None:
        logs = self._discover_logs(author.device_id)
        while True:
            progress = False
            for device_log in logs:
                if device_log.finished:
                    continue
                applied = self._pull_log(device_log, repository_id, report)
                progress = progress or applied > 0
            if not progress:
                break
        for device_log in logs:
            if device_log.blocked:
                report.waiting.append(f"{device_log.partition}/{device_log.device}")

    def _discover_logs(self, own_device: str) -> list[_DeviceLog]:
        folders = self.client.list_folder(layout.PARTITIONS) or []
        partitions = [
            layout.partition_of_folder(entry.name) for entry in folders if entry.is_folder
        ]
        # Trust-wide data first: QUAD records refer to its schools and people.
        ordered = sorted((p for p in partitions if p), key=lambda p: (p != "trust", p))
        logs = []
        for partition in ordered:
            devices = self.client.list_folder(layout.partition_path(partition)) or []
            for entry in devices:
                if (
                    entry.is_folder
                    and layout.DEVICE_FOLDER.fullmatch(entry.name)
                    and entry.name != own_device
                ):
                    logs.append(_DeviceLog(partition, entry.name))
        return logs

    def _pull_log(
        self, device_log: _DeviceLog, repository_id: str, report: SyncReport
    ) -> int:
        """Apply what can be applied of one log now; returns how many segments."""
        device_log.blocked = False
        cursor = self._cursor(device_log)
        ready: list[tuple[int, str, bytes]] = []
        while True:
            seq = cursor + len(ready) + 1
            names = self._names_for(device_log, seq)
            if not names:
                break
            if len(names) > 1:
                self._refuse(
                    device_log, report, f"seq {seq} has {len(names)} different files"
                )
                break
            path = layout.segment_path(
                device_log.partition, device_log.device, seq, names[0]
            )
            data = device_log.downloaded.get(path)
            if data is None:
                data = self.client.get(path, max_bytes=MAX_SEGMENT_BYTES)
                if data is None:
                    break  # not there in full yet: wait
                device_log.downloaded[path] = data
            ready.append((seq, names[0], data))

        applied = self._apply_in_order(device_log, ready, repository_id, report)
        if applied == len(ready) and not device_log.blocked:
            device_log.finished = True
        return applied

    def _names_for(self, device_log: _DeviceLog, seq: int) -> list[str]:
        bucket = layout.bucket_of(seq)
        if bucket not in device_log.listed:
            listing = self.client.list_folder(
                layout.bucket_path(device_log.partition, device_log.device, bucket)
            )
            by_seq: dict[int, list[str]] = {}
            for entry in listing or []:
                match = SEGMENT_NAME.fullmatch(entry.name)
                if match and match["device"] == device_log.device and not entry.is_folder:
                    by_seq.setdefault(int(match["seq"]), []).append(entry.name)
            device_log.listed[bucket] = by_seq
        return device_log.listed[bucket].get(seq, [])

    def _apply_in_order(
        self,
        device_log: _DeviceLog,
        ready: list[tuple[int, str, bytes]],
        repository_id: str,
        report: SyncReport,
    ) -> int:
        if not ready:
            return 0
        applied = 0
        with self.store.session() as session:
            session.info[APPLYING_REMOTE_CHANGES] = True
            # Within a segment rows may come before the rows they refer to.
            session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            tombstones = load_tombstones(session)
            for seq, name, data in ready:
                applier = None
                try:
                    with session.begin_nested():
                        segment = self._verified(
                            session, device_log, name, data, repository_id
                        )
                        if segment is not None:
                            seen_at = _receive_clock(session, segment, self.store.device_id)
                            applier = SegmentApplier(session, segment, seen_at, tombstones)
                            applier.apply()
                            _check_references_intact(session, segment)
                            self._record_applied(session, device_log, seq, segment)
                except NotYetApplicable as waiting:
                    log.info("%s seq %d waits: %s", device_log.device, seq, waiting)
                    device_log.blocked = True
                    if applier is not None:
                        applier.forget_added_tombstones()
                    break
                except SegmentRefused as refusal:
                    self._refuse(device_log, report, f"{name}: {refusal}")
                    if applier is not None:
                        applier.forget_added_tombstones()
                    break
                except IntegrityError as clash:
                    # A rule of this store the change breaks (the same URN given to
                    # two schools on two laptops): stop this log, not the round.
                    self._refuse(device_log, report, f"{name}: clashes here: {clash.orig}")
                    if applier is not None:
                        applier.forget_added_tombstones()
                    break
                applied += 1
            session.info.pop(APPLYING_REMOTE_CHANGES, None)
            session.info.pop("sync_held_rows", None)
        report.received += applied
        return applied

    def _verified(
        self,
        session: Session,
        device_log: _DeviceLog,
        name: str,
        data: bytes,
        repository_id: str,
    ) -> Segment | None:
        segment = parse_segment(
            data,
            repository_id=repository_id,
            is_enrolled_key=lambda author, key: self._is_enrolled(session, author, key),
            expected_name=name,
            expected_partition=device_log.partition,
        )
        applied = session.get(
            AppliedSegment, (device_log.partition, device_log.device, segment.header.seq)
        )
        if not check_not_replayed(segment, applied.digest if applied else None):
            return None

        # One writer per log: a laptop's log is written by the person who owns it.
        if device_log.owner is None:
            device_log.owner = session.scalar(
                select(AppliedSegment.author_id)
                .where(AppliedSegment.device_id == device_log.device)
                .limit(1)
            )
        if device_log.owner is not None and device_log.owner != segment.header.author:
            raise SegmentRefused(
                Refusal.MISPLACED, f"signed by {segment.header.author}, not the log's owner"
            )
        return segment

    def _is_enrolled(self, session: Session, author: str, key: bytes) -> bool:
        # Only positive answers are remembered: a key may be enrolled mid-round.
        if (author, key) in self._enrolled_keys:
            return True
        if _is_enrolled(session, author, key):
            self._enrolled_keys.add((author, key))
            return True
        return False

    def _record_applied(
        self, session: Session, device_log: _DeviceLog, seq: int, segment: Segment
    ) -> None:
        session.add(
            AppliedSegment(
                partition=device_log.partition,
                device_id=device_log.device,
                seq=seq,
                name=segment.name,
                digest=segment.digest,
                author_id=segment.header.author,
            )
        )
        cursor = session.get(SyncCursor, (device_log.partition, device_log.device))
        if cursor is None:
            session.add(
                SyncCursor(
                    partition=device_log.partition,
                    device_id=device_log.device,
                    applied_seq=seq,
                )
            )
        else:
            cursor.applied_seq = seq
            hold(session, cursor)
        session.flush()

    def _cursor(self, device_log: _DeviceLog) -> int:
        with self.store.session() as session:
            cursor = session.get(SyncCursor, (device_log.partition, device_log.device))
            return cursor.applied_seq if cursor else 0

    def _refuse(self, device_log: _DeviceLog, report: SyncReport, why: str) -> None:
        log.warning(
            "refused a segment from device %s in %s: %s",
            device_log.device,
            device_log.partition,
            why,
        )
        report.refused.append(f"{device_log.partition}/{device_log.device}: {why}")
        device_log.finished = True


def _check_references_intact(session: Session, segment: Segment) -> None:
    """Foreign keys are checked only at commit; a deletion that would break one
    (a row only this laptop holds, such as its own identity) must fail here, in
    its own savepoint, rather than fail the whole round at commit."""
    if not any(op.operation == "delete" for op in segment.ops):
        return
    broken = session.connection().exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        raise SegmentRefused(Refusal.BREAKS_REFERENCES, f"{broken[0]} -> {broken[2]}")


def _is_enrolled(session: Session, author: str, key: bytes) -> bool:
    found = session.scalar(
        select(PersonKey.id).where(
            PersonKey.person_id == author,
            PersonKey.signing_public == key,
            PersonKey.revoked_at.is_(None),
        )
    )
    return found is not None


def _receive_clock(session: Session, segment: Segment, device: str) -> str:
    """Move this laptop's clock past the segment's, so later local edits sort after
    it; the value returned marks when the segment was seen here."""
    state = session.get(ClockState, 1)
    if state is None:
        state = ClockState(id=1, wall_ms=0, counter=0)
        session.add(state)
    hold(session, state)
    last = hlc.Hlc(state.wall_ms or 0, state.counter or 0, device)
    newest = max((hlc.Hlc.decode(op.hlc) for op in segment.ops), default=None)
    moved = hlc.receive(last, newest, device) if newest else hlc.tick(last, device)
    state.wall_ms, state.counter = moved.wall_ms, moved.counter
    return moved.encode()

"""One sync round between a store and the trust's repository.

A round is: check that the address still holds our repository; push (seal the
outbox into segments, upload each, confirm it whole, then mark it sent); repair
our own log if the repository lost segments (restored from an older backup);
pull (for each partition and each other laptop, fetch the segments past our
cursor, verify them, and apply them in order, moving the cursor in the same
transaction as the changes). A gap in a log means wait; a segment that cannot
be applied yet (it refers to rows in another laptop's log) is retried after the
others in the same round. Repair and pull leave out a partition whose folder's
ETag shows nothing new since this laptop last had all of it (`change_detection`).

Keys and roles are the trust's leads' to give (see `trust`): a segment is
accepted only when its author's key is enrolled through a chain of leads, and
a key or role written by someone who is not a lead here waits for the other
logs (the role that makes its author a lead may be in one of them); once every
log has been listed again and nothing more applies, it is left out, and the
rest of its segment is applied, so the log goes on.

A large round moves files over a few connections at once, but everything that
counts happens in sequence order on this thread: segments are marked sent as a
contiguous run from the lowest, and applied one by one, each in its own
savepoint, with the cursor moved in the transaction that applies them.

Progress is data: `SyncEngine.progress(done, total, message)` is called as
segments are confirmed ("Sending 120 of 400": of those sealed so far, which is
all of them unless more than a batch of the outbox waits) and as they are
applied ("Receiving 30 of 404": of those listed so far). It is called as often
as that happens; front ends throttle.
"""

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from invictus_desktop.store import hlc
from invictus_desktop.store.database import Store
from invictus_desktop.store.models import (
    AppliedSegment,
    ClockState,
    LocalIdentity,
    OutgoingSegment,
    Setting,
    SyncCursor,
    new_id,
    utc_now,
)
from invictus_desktop.store.outbox import APPLYING_REMOTE_CHANGES
from invictus_desktop.store.search_index import deferred_search_index
from invictus_desktop.sync import change_detection, layout, outgoing, trust
from invictus_desktop.sync.change_detection import RoundChanges
from invictus_desktop.sync.errors import (
    NotARepository,
    RepositoryMismatch,
    UploadNotConfirmed,
)
from invictus_desktop.sync.merge import (
    ROWS_WITH_KEPT_VALUES,
    NotYetApplicable,
    SegmentApplier,
    WaitsForLead,
    forget_conflicts_of_deleted_rows,
    load_tombstones,
    rows_with_kept_values,
)
from invictus_desktop.sync.outgoing import (
    Author,
    has_unprepared,
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
from invictus_desktop.sync.webdav import Entry, Placement, TooLarge, WebDavClient

log = logging.getLogger(__name__)

REPOSITORY_ID = "sync.repository_id"
IDENTITY_FORMAT = 1
MAX_IDENTITY_BYTES = 64 * 1024
# Files in flight at once: enough to keep the server busy while this laptop seals,
# verifies and applies; few enough to stay polite.
TRANSFER_THREADS = 4
# Uploads confirmed (and marked sent, in one commit) together.
CONFIRM_BATCH = 200
# A folder's listing confirms a batch's uploads when they are at least this share
# of what it lists; otherwise each upload is read back (one GET each).
LISTING_SHARE = 8
# Segments applied per transaction (one commit), each in its own savepoint.
APPLY_BATCH = 200

# progress(done, total, message); total 0 means a step of unknown length.
Progress = Callable[[int, int, str], None]


def no_progress(_done: int, _total: int, _message: str) -> None:
    """The default `SyncEngine.progress`: tell nobody."""


@dataclass(frozen=True)
class RefusedLog:
    """A log this round stopped reading: which, why, and the kind of refusal
    (None for a rule of this store the segment breaks, or a log with two files
    for one number). Prints as `<partition>/<device>: <why>`."""

    partition: str
    device: str
    why: str
    refusal: Refusal | None = None

    def __str__(self) -> str:
        return f"{self.partition}/{self.device}: {self.why}"


@dataclass
class SyncReport:
    sent: int = 0
    received: int = 0
    repaired: int = 0
    unconfirmed: int = 0
    # This laptop's clock minus the repository's, when the server said its time.
    clock_skew_seconds: float | None = None
    waiting: list[str] = field(default_factory=list)
    refused: list[RefusedLog] = field(default_factory=list)
    # Filled in by the publishing step of a round (services/publishing.py).
    published: list[str] = field(default_factory=list)
    publish_clashes: list[str] = field(default_factory=list)
    reports_arrived: int = 0
    # What publishing or fetching published reports could not do this round
    # (each line says what and why); tried again next round.
    publishing_problems: list[str] = field(default_factory=list)


@dataclass
class _DeviceLog:
    """What this round knows of one laptop's log in one partition."""

    partition: str
    device: str
    listed: dict[int, dict[int, list[str]]] = field(default_factory=dict)  # bucket -> seq
    downloaded: dict[str, bytes] = field(default_factory=dict)
    blocked: bool = False
    # Blocked by a key or role from someone not (yet) a lead here.
    waits_for_lead: bool = False
    # Blocked by a segment signed with a key not enrolled here: why, to refuse it
    # with at the end of the round if no other log enrols the key meanwhile.
    unenrolled: str | None = None
    finished: bool = False
    refused: bool = False
    owner: str | None = None


@dataclass
class _Upload:
    """One of our segments on its way to the repository."""

    partition: str
    seq: int
    name: str
    body: bytes
    outbox_seqs: str
    future: Future | None = None

    def folder(self, device: str) -> str:
        return layout.bucket_path(self.partition, device, layout.bucket_of(self.seq))

    def path(self, device: str) -> str:
        return self.folder(device) + self.name


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: WebDavClient,
        wants_partition: Callable[[str], bool] | None = None,
        progress: Progress = no_progress,
    ) -> None:
        """`wants_partition` says which partitions ("trust", "quad:<id>") this
        profile pulls; by default all of them. `progress` hears how a round is
        going (see the module docstring); it is called on this thread."""
        self.store = store
        self.client = client
        self.wants_partition = wants_partition
        self.progress = progress
        self._to_send = 0  # segments sealed for this round's push
        self._to_receive = 0  # segments listed past the cursors in this round's pull
        self._listed_up_to: dict[tuple[str, str], int] = {}
        self._folders_made: set[str] = set()
        # Folders this round's MKCOLs created (not found already there).
        self._folders_created: set[str] = set()
        self._enrolled_keys: set[tuple[str, bytes]] = set()
        # This round's ETag bookkeeping, and its listing of partitions/ taken
        # after the push, for the first discovery of logs to use.
        self._changes: RoundChanges | None = None
        self._partitions_after_push: list[Entry] | None = None

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
        with self.store.session() as session:
            # The founder is where the trust's chain of enrolments starts.
            founder = session.scalars(select(LocalIdentity.person_id)).first()
            trust.add_roots(session, [founder] if founder else [])
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
            session.merge(Setting(key=REPOSITORY_ID, value=repository_id))  # upsert

    # -- a round -------------------------------------------------------------

    def sync(self, thorough: bool = False) -> SyncReport:
        """One round. A partition whose folder's ETag shows nothing new since this
        laptop last had all of it is not listed (see `change_detection`), unless
        the round is `thorough`, as one is at least every half hour anyway."""
        report = SyncReport()
        self._enrolled_keys.clear()  # a key revoked since the last round is not trusted
        self._folders_made.clear()  # the repository may have been restored meanwhile
        self._folders_created.clear()
        repository_id = self.check_repository()
        changes = RoundChanges(self.store, repository_id, thorough=thorough)
        with self.store.session() as session:
            author = load_author(session)
            newest = (
                change_detection.newest_sealed(session)
                if changes.wants_listing_before_push()
                else None
            )
        if newest is not None:
            changes.before_push(self._list_partitions())

        self.push(author, repository_id, report)

        # Listed after the push and before reading: anything arriving later
        # changes the ETags recorded from it.
        listing = self._list_partitions()
        changes.after_push(listing, self._pushed_into_existing(newest))
        self._changes, self._partitions_after_push = changes, listing
        try:
            self.repair_own_log(author, report)
            self.pull(author, repository_id, report)
        finally:
            self._changes = self._partitions_after_push = None
        changes.finish()
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

    def _list_partitions(self) -> list[Entry]:
        return self.client.list_folder(layout.PARTITIONS) or []

    def _pushed_into_existing(self, newest: dict[str, int] | None) -> set[str]:
        """Partitions that took segments sealed this round (past `newest`) while no
        folder had to be made in them: the round that can show whether the
        server's folder ETags follow changes deep inside."""
        if newest is None:
            return set()
        with self.store.session() as session:
            fresh = change_detection.sent_past(session, newest)
        return {
            partition
            for partition in fresh
            if not any(
                folder.startswith(layout.partition_path(partition))
                for folder in self._folders_created
            )
        }

    def push(self, author: Author, repository_id: str, report: SyncReport) -> None:
        device = author.device_id
        known: dict[str, int] = {}  # the highest of our segments seen, per partition
        uploads, more = self._seal(author, repository_id, known, first=True)
        while more and not uploads:  # entries that stay local took the whole batch
            uploads, more = self._seal(author, repository_id, known)
        if not uploads:
            return
        self._to_send = len(uploads)
        self.progress(0, self._to_send, f"Sending 0 of {self._to_send}")

        # Segments are sealed and committed a batch at a time, the next while the
        # last uploads (a segment goes out only once stored: a crash then re-sends
        # the same bytes, never different ones under the same number). Uploads run
        # a few at a time; confirmation and marking sent go strictly in sequence
        # order, a batch per commit, and stop at the first segment that is not
        # confirmed. A crash in between only means re-sending bytes the repository
        # already holds (the move then finds them and reads them back). A folder
        # is listed only while no upload into it runs: some servers fail a listing
        # whose staging files move meanwhile.
        with ThreadPoolExecutor(TRANSFER_THREADS, "sync-upload") as pool:

            def submit(batch: list[_Upload]) -> None:
                for upload in batch:
                    upload.future = pool.submit(
                        self.client.place, upload.path(device), upload.body
                    )

            batch, waiting = uploads[:CONFIRM_BATCH], uploads[CONFIRM_BATCH:]
            submit(batch)
            try:
                while True:
                    while more and len(waiting) < CONFIRM_BATCH:
                        sealed, more = self._seal(author, repository_id, known)
                        waiting += sealed
                        uploads += sealed
                        self._to_send = len(uploads)
                    following = waiting[:CONFIRM_BATCH]
                    waiting = waiting[CONFIRM_BATCH:]
                    if not self._confirm_and_mark(
                        batch, device, report, lambda b=following: submit(b)
                    ):
                        break
                    if not following:
                        break
                    batch = following
            finally:
                for upload in uploads:
                    if upload.future is not None:
                        upload.future.cancel()
        self.client.close_finished_threads()

    def _seal(
        self,
        author: Author,
        repository_id: str,
        known: dict[str, int],
        first: bool = False,
    ) -> tuple[list["_Upload"], bool]:
        """Seal (and commit) up to a batch of segments' worth of the outbox; returns
        the unsent segments not yet in `known`, in order, their folders made, and
        whether more of the outbox waits."""
        with self.store.session() as session:
            prepare_segments(
                session,
                author,
                repository_id,
                max_entries=CONFIRM_BATCH * outgoing.MAX_OPS_PER_SEGMENT,
            )
            if first:
                forget_conflicts_of_deleted_rows(session)
            uploads = [
                _Upload(s.partition, s.seq, s.name, s.body, s.outbox_seqs)
                for s in unsent_segments(session, newer_than=known)
            ]
            more = has_unprepared(session)
        for upload in uploads:
            known[upload.partition] = max(known.get(upload.partition, 0), upload.seq)
            self._ensure_folder(upload.folder(author.device_id))
        return uploads, more

    def _confirm_and_mark(
        self,
        batch: list["_Upload"],
        device: str,
        report: SyncReport,
        then_upload: Callable[[], None],
    ) -> bool:
        """Mark sent the longest confirmed run from the start of `batch`; False if
        it stopped short. An error from an upload is raised once the run before it
        is marked. `then_upload` starts the next batch, once this one is confirmed
        and while it is being marked."""
        placed: list[tuple[_Upload, str]] = []
        failure: BaseException | None = None
        for upload in batch:
            try:
                placed.append((upload, upload.future.result()))
            except UploadNotConfirmed:
                break
            except Exception as error:  # raised below, after marking the run before it
                failure = error
                break

        confirmed = self._confirmed(placed, device)
        run: list[_Upload] = []
        for upload, _placement in placed:
            if (upload.partition, upload.seq) not in confirmed:
                break
            run.append(upload)
        if failure is None and len(run) == len(batch):
            then_upload()
        if run:
            with self.store.session() as session:
                mark_sent(session, run)
            report.sent += len(run)
            self.progress(
                report.sent, self._to_send, f"Sending {report.sent} of {self._to_send}"
            )
        if failure is not None:
            raise failure
        if len(run) < len(batch):
            # Kept and sent again next round; receiving need not wait for it.
            stopped = batch[len(run)]
            log.warning(
                "segment %d of %s not confirmed; will resend",
                stopped.seq,
                stopped.partition,
            )
            report.unconfirmed += 1
            return False
        return True

    def _confirmed(
        self, placed: list[tuple["_Upload", str]], device: str
    ) -> set[tuple[str, int]]:
        confirmed: set[tuple[str, int]] = set()
        moved: dict[str, list[_Upload]] = {}
        for upload, placement in placed:
            if placement == Placement.CHECKED:
                confirmed.add((upload.partition, upload.seq))
            else:
                moved.setdefault(upload.folder(device), []).append(upload)
        for folder, uploads in moved.items():
            # About how many files the listing holds: the bucket up to our newest.
            listed = max(u.seq for u in uploads) - layout.bucket_of(uploads[0].seq) * (
                layout.BUCKET_SIZE
            )
            unconfirmed = uploads
            if len(uploads) * LISTING_SHARE >= listed:
                whole = self.client.confirm_listed(
                    folder, {u.name: len(u.body) for u in uploads}
                )
                unconfirmed = [u for u in uploads if u.name not in whole]
                confirmed.update((u.partition, u.seq) for u in uploads if u.name in whole)
            for upload in unconfirmed:
                # A server that lists no sizes, or a listing behind: read it back.
                if self.client.exists_with(upload.path(device), upload.body):
                    confirmed.add((upload.partition, upload.seq))
                else:
                    break
        return confirmed

    def _ensure_folder(self, folder: str) -> None:
        if folder not in self._folders_made:
            if self.client.ensure_folder(folder):
                self._folders_created.add(folder)
            self._folders_made.add(folder)

    def repair_own_log(self, author: Author, report: SyncReport) -> None:
        """Give the repository back any of our segments it no longer has whole."""
        with self.store.session() as session:
            sent = session.execute(
                select(
                    OutgoingSegment.partition,
                    OutgoingSegment.seq,
                    OutgoingSegment.name,
                    func.length(OutgoingSegment.body),
                )
                .where(OutgoingSegment.sent_at.is_not(None))
                .order_by(OutgoingSegment.partition, OutgoingSegment.seq)
            ).all()
        by_partition: dict[str, list[tuple[int, str]]] = {}
        sizes: dict[str, int] = {}
        for partition, seq, name, size in sent:
            by_partition.setdefault(partition, []).append((seq, name))
            sizes[name] = size

        for partition, segments in by_partition.items():
            if self._changes is not None and self._changes.unchanged(partition):
                continue  # found whole when its folder's ETag was this one
            last_bucket = layout.bucket_of(segments[-1][0])
            for bucket in range(last_bucket, -1, -1):
                expected = [(s, n) for s, n in segments if layout.bucket_of(s) == bucket]
                listing = self.client.list_folder(
                    layout.bucket_path(partition, author.device_id, bucket)
                )
                # A file of another size is a cut-off copy (a server restored from
                # a backup taken mid-write): readers never accept it, so it is lost.
                present = {entry.name: entry.size for entry in listing or []}
                missing = [
                    (s, n)
                    for s, n in expected
                    if n not in present or present[n] not in (None, sizes[n])
                ]
                for seq, name in missing:
                    try:
                        self._resend(partition, author.device_id, seq, name)
                    except UploadNotConfirmed:
                        report.unconfirmed += 1
                        self._not_repaired(list(by_partition), partition)
                        return
                    report.repaired += 1
                # A bucket that is whole means the older ones were not lost either.
                if not missing:
                    break

    def _not_repaired(self, partitions: list[str], stopped_at: str) -> None:
        """Repair stopped at `stopped_at`: it and the partitions after it are not
        known whole, so their ETags must not say so."""
        if self._changes is not None:
            for partition in partitions[partitions.index(stopped_at) :]:
                self._changes.behind(partition)

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
        self._ensure_folder(folder)
        self.client.put_immutable(folder + name, body)

    # -- pulling -------------------------------------------------------------

    def pull(self, author: Author, repository_id: str, report: SyncReport) -> None:
        self._to_receive = 0
        self._listed_up_to.clear()
        self.progress(0, 0, "Looking for changes from others")
        logs = self._discover_logs(author.device_id)
        relisted = lenient = False
        with ThreadPoolExecutor(TRANSFER_THREADS, "sync-download") as pool:
            while True:
                progress = False
                for device_log in logs:
                    if device_log.finished:
                        continue
                    applied = self._pull_log(
                        device_log, repository_id, report, pool, lenient
                    )
                    progress = progress or applied > 0
                if progress:
                    continue
                if lenient or not any(lg.blocked and lg.waits_for_lead for lg in logs):
                    break
                # A key or role from someone who is not a lead here waits. The
                # role that makes them one reached their laptop through the
                # repository before they wrote it: list everything again, and
                # only if that brings nothing leave those rows out.
                if not relisted:
                    relisted = True
                    logs = self._listed_again(logs, author.device_id)
                else:
                    lenient = True
        self.client.close_finished_threads()
        for device_log in logs:
            if device_log.unenrolled is not None:
                device_log.blocked = False
                self._refuse(
                    device_log, report, device_log.unenrolled, Refusal.UNKNOWN_KEY
                )
            if device_log.blocked:
                report.waiting.append(f"{device_log.partition}/{device_log.device}")
            if self._changes is not None and not self._caught_up(device_log):
                self._changes.behind(device_log.partition)

    def _caught_up(self, device_log: _DeviceLog) -> bool:
        """Whether everything listed of the log has been applied: nothing waits,
        nothing was refused, no file lies past the cursor (a gap, a cut-off read)."""
        if device_log.blocked or device_log.refused or not device_log.finished:
            return False
        cursor = self._cursor(device_log)
        return all(
            seq <= cursor for by_seq in device_log.listed.values() for seq in by_seq
        )

    def _listed_again(self, logs: list[_DeviceLog], own_device: str) -> list[_DeviceLog]:
        """Every log, listed afresh whatever the ETags say."""
        self._partitions_after_push = None
        known = {(lg.partition, lg.device) for lg in logs}
        for device_log in logs:
            device_log.listed.clear()
            if not device_log.refused:
                device_log.finished = False
        new = [
            lg
            for lg in self._discover_logs(own_device)
            if (lg.partition, lg.device) not in known
        ]
        return logs + new

    def _discover_logs(self, own_device: str) -> list[_DeviceLog]:
        """The other laptops' logs in the wanted partitions. The first discovery of
        a round uses the listing taken after the push and leaves out partitions
        whose ETag shows nothing new; any later one lists everything."""
        folders, self._partitions_after_push = self._partitions_after_push, None
        changes = self._changes if folders is not None else None
        if folders is None:
            folders = self._list_partitions()
        partitions = [
            layout.partition_of_folder(entry.name) for entry in folders if entry.is_folder
        ]
        wanted = [
            p
            for p in partitions
            if p and (self.wants_partition is None or self.wants_partition(p))
        ]
        # Trust-wide data first: QUAD records refer to its schools and people.
        ordered = sorted(wanted, key=lambda p: (p != "trust", p))
        logs = []
        for partition in ordered:
            if changes is not None and changes.unchanged(partition):
                continue
            if self._changes is not None:
                self._changes.listed(partition)
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
        self,
        device_log: _DeviceLog,
        repository_id: str,
        report: SyncReport,
        pool: ThreadPoolExecutor,
        lenient: bool = False,
    ) -> int:
        """Apply what can be applied of one log now; returns how many segments.
        `lenient`: keys and roles from someone who is not a lead are left out
        rather than waited for."""
        device_log.blocked = device_log.waits_for_lead = False
        device_log.unenrolled = None
        cursor = self._cursor(device_log)
        listed: list[tuple[int, str]] = []
        while True:
            seq = cursor + len(listed) + 1
            names = self._names_for(device_log, seq)
            if not names:
                break
            if len(names) > 1:
                self._refuse(
                    device_log, report, f"seq {seq} has {len(names)} different files"
                )
                break
            listed.append((seq, names[0]))
        self._count_listed(device_log, cursor, cursor + len(listed), report)

        fetched = _Fetched(self.client, device_log, listed, pool)
        applied = 0
        try:
            while not fetched.stopped and fetched.next < len(listed):
                start = fetched.next
                batch = fetched.take(APPLY_BATCH)
                try:
                    done, stopped = self._apply_in_order(
                        device_log, batch, cursor, repository_id, report, lenient
                    )
                finally:
                    batch.close()  # hands back a segment taken but not applied
                applied += done
                cursor += done
                if done:
                    self._report_receiving(report)
                if stopped or fetched.next == start:
                    break  # waits for another log, or was refused
        finally:
            fetched.close()
        if fetched.too_large is not None:
            # Reached in order, after everything before it was applied.
            refusal = SegmentRefused(
                Refusal.OVERSIZED, f"more than {MAX_SEGMENT_BYTES} bytes; not read"
            )
            self._refuse(
                device_log, report, f"{fetched.too_large}: {refusal}", Refusal.OVERSIZED
            )
        # Everything there in full has been applied, or the log was refused.
        if not device_log.blocked:
            device_log.finished = True
        return applied

    def _count_listed(
        self, device_log: _DeviceLog, cursor: int, listed_up_to: int, report: SyncReport
    ) -> None:
        """Add to the round's total what this listing found past what was counted
        (a log listed again in the same round counts only its new segments)."""
        key = (device_log.partition, device_log.device)
        counted = self._listed_up_to.get(key, cursor)
        if listed_up_to > counted:
            self._to_receive += listed_up_to - counted
            self._listed_up_to[key] = listed_up_to
            self._report_receiving(report)

    def _report_receiving(self, report: SyncReport) -> None:
        self.progress(
            report.received,
            self._to_receive,
            f"Receiving {report.received} of {self._to_receive}",
        )

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
        ready: Iterable[tuple[int, str, bytes]],
        cursor: int,
        repository_id: str,
        report: SyncReport,
        lenient: bool = False,
    ) -> tuple[int, bool]:
        """Apply segments in order in one transaction, each in its own savepoint, and
        move the cursor in that same transaction. Returns how many, and whether one
        could not be applied (it waits, or was refused), which ends the run."""
        ready = iter(ready)
        first = next(ready, None)
        if first is None:
            return 0, False
        applied = 0
        stopped = False
        recorded: list[tuple[int, Segment]] = []
        with self.store.session() as session:
            session.info[APPLYING_REMOTE_CHANGES] = True
            session.info[ROWS_WITH_KEPT_VALUES] = rows_with_kept_values(session)
            # Within a segment rows may come before the rows they refer to.
            session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            # Search documents are rebuilt once per visit touched, at the end.
            with deferred_search_index(session.connection()):
                tombstones = load_tombstones(session)
                histories: dict = {}
                digests = _applied_digests(session, device_log, cursor)
                clock = _ReceivingClock(session, self.store.device_id)
                for seq, name, data in _chain(first, ready):
                    applier = None
                    try:
                        with session.begin_nested():
                            segment = self._verified(
                                session, device_log, name, data, repository_id, digests
                            )
                            if segment is not None:
                                applier = SegmentApplier(
                                    session,
                                    segment,
                                    clock.receive(segment),
                                    tombstones,
                                    is_lead=lambda person: trust.is_lead(session, person),
                                    lenient=lenient,
                                    histories=histories,
                                )
                                applier.apply()
                                _check_references_intact(session, segment)
                    except (NotYetApplicable, SegmentRefused, IntegrityError) as reason:
                        self._stop_log(device_log, report, seq, name, reason)
                        stopped = True
                        if applier is not None:
                            applier.forget_added_tombstones()
                        histories.clear()  # some held what the rollback undid
                        break
                    if segment is not None:
                        recorded.append((seq, segment))
                        if device_log.owner is None:
                            device_log.owner = segment.header.author
                    applied += 1
                clock.save()
                if applied:
                    self._record_applied(session, device_log, cursor + applied, recorded)
            session.info.pop(APPLYING_REMOTE_CHANGES, None)
            session.info.pop(ROWS_WITH_KEPT_VALUES, None)
            session.info.pop("sync_held_rows", None)
        report.received += applied
        return applied, stopped

    def _stop_log(
        self,
        device_log: _DeviceLog,
        report: SyncReport,
        seq: int,
        name: str,
        reason: Exception,
    ) -> None:
        """A segment was not applied: its log waits (for another log's rows, a
        lead, or its author's enrolment), or is refused (bad segment, or a rule of
        this store it breaks, such as the same URN given to two schools on two
        laptops: the log stops, not the round)."""
        if isinstance(reason, NotYetApplicable):
            log.info("%s seq %d waits: %s", device_log.device, seq, reason)
            device_log.blocked = True
            device_log.waits_for_lead = isinstance(reason, WaitsForLead)
        elif isinstance(reason, SegmentRefused) and reason.reason is Refusal.UNKNOWN_KEY:
            # A newcomer's log may be read before the log that enrols them: it
            # waits for the other logs, and is refused if the round ends without.
            log.info("%s seq %d waits for its author's enrolment", device_log.device, seq)
            device_log.blocked = True
            device_log.unenrolled = f"{name}: {reason}"
        elif isinstance(reason, IntegrityError):
            self._refuse(device_log, report, f"{name}: clashes here: {reason.orig}")
        else:  # SegmentRefused, the one other reason a segment stops its log
            self._refuse(device_log, report, f"{name}: {reason}", reason.reason)

    def _verified(
        self,
        session: Session,
        device_log: _DeviceLog,
        name: str,
        data: bytes,
        repository_id: str,
        digests: dict[int, str],
    ) -> Segment | None:
        segment = parse_segment(
            data,
            repository_id=repository_id,
            is_enrolled_key=lambda author, key: self._is_enrolled(session, author, key),
            expected_name=name,
            expected_partition=device_log.partition,
        )
        if not check_not_replayed(segment, digests.get(segment.header.seq)):
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
        if trust.key_is_trusted(session, author, key):
            self._enrolled_keys.add((author, key))
            return True
        return False

    def _record_applied(
        self,
        session: Session,
        device_log: _DeviceLog,
        applied_seq: int,
        segments: list[tuple[int, Segment]],
    ) -> None:
        """Remember the applied segments and move the cursor to `applied_seq`, the
        end of the contiguous run just applied, in the transaction that applied it."""
        session.add_all(
            AppliedSegment(
                partition=device_log.partition,
                device_id=device_log.device,
                seq=seq,
                name=segment.name,
                digest=segment.digest,
                author_id=segment.header.author,
            )
            for seq, segment in segments
        )
        cursor = session.get(SyncCursor, (device_log.partition, device_log.device))
        if cursor is None:
            session.add(
                SyncCursor(
                    partition=device_log.partition,
                    device_id=device_log.device,
                    applied_seq=applied_seq,
                )
            )
        else:
            cursor.applied_seq = applied_seq
        session.flush()

    def _cursor(self, device_log: _DeviceLog) -> int:
        with self.store.session() as session:
            cursor = session.get(SyncCursor, (device_log.partition, device_log.device))
            return cursor.applied_seq if cursor else 0

    def _refuse(
        self,
        device_log: _DeviceLog,
        report: SyncReport,
        why: str,
        refusal: Refusal | None = None,
    ) -> None:
        log.warning(
            "refused a segment from device %s in %s: %s",
            device_log.device,
            device_log.partition,
            why,
        )
        report.refused.append(
            RefusedLog(device_log.partition, device_log.device, why, refusal)
        )
        device_log.finished = device_log.refused = True


class _Fetched:
    """The listed segments of one log, downloaded a few at a time ahead of the
    applying, handed out in sequence order up to the first one not there in full.

    A download cut off halfway is not there yet (wait, as for a truncated
    upload); a file larger than any segment is there and can never become one,
    so it stops the handing out and is named in `too_large`, to be refused.
    Neither is read past the cap.
    """

    AHEAD = 4 * TRANSFER_THREADS

    def __init__(
        self,
        client: WebDavClient,
        device_log: _DeviceLog,
        listed: list[tuple[int, str]],
        pool: ThreadPoolExecutor,
    ) -> None:
        self.client = client
        self.device_log = device_log
        self.listed = listed
        self.pool = pool
        self.next = 0  # index into `listed` of the next segment to hand out
        self.stopped = False
        self.too_large: str | None = None  # the name of an oversized segment
        self._futures: dict[int, Future] = {}

    def take(self, limit: int) -> Iterator[tuple[int, str, bytes]]:
        for _ in range(limit):
            if self.stopped or self.next >= len(self.listed):
                return
            self._submit_ahead()
            seq, name = self.listed[self.next]
            path = self._path(self.next)
            data = self.device_log.downloaded.pop(path, None)
            if data is None:
                try:
                    data = self._futures.pop(self.next).result()
                except TooLarge:
                    self.too_large = name
                    self.stopped = True
                    return
            if data is None:
                self.stopped = True  # not there in full yet: wait
                return
            self.next += 1
            try:
                yield seq, name, data
            except GeneratorExit:
                # Taken but not applied: it is the next one again, bytes kept.
                self.next -= 1
                self.device_log.downloaded[path] = data
                raise

    def close(self) -> None:
        """Keep what arrived for a later pass of this round; drop the rest."""
        for index, future in self._futures.items():
            if future.cancel():
                continue
            try:
                data = future.result()
            except TooLarge:
                continue  # found again, in order, by a later pass
            if data is not None:
                self.device_log.downloaded[self._path(index)] = data
        self._futures.clear()

    def _submit_ahead(self) -> None:
        for index in range(self.next, min(self.next + self.AHEAD, len(self.listed))):
            path = self._path(index)
            if index in self._futures or path in self.device_log.downloaded:
                continue
            self._futures[index] = self.pool.submit(
                self.client.get_capped, path, max_bytes=MAX_SEGMENT_BYTES
            )

    def _path(self, index: int) -> str:
        seq, name = self.listed[index]
        return layout.segment_path(
            self.device_log.partition, self.device_log.device, seq, name
        )


def _chain(first, rest: Iterator):
    yield first
    yield from rest


def _applied_digests(
    session: Session, device_log: _DeviceLog, cursor: int
) -> dict[int, str]:
    """Digests of segments past the cursor already recorded as applied (normally
    none: the cursor moves with them), for telling a replay from a new file."""
    rows = session.execute(
        select(AppliedSegment.seq, AppliedSegment.digest).where(
            AppliedSegment.partition == device_log.partition,
            AppliedSegment.device_id == device_log.device,
            AppliedSegment.seq > cursor,
        )
    )
    return {seq: digest for seq, digest in rows}


def _check_references_intact(session: Session, segment: Segment) -> None:
    """Foreign keys are checked only at commit; a deletion that would break one
    (a row only this laptop holds, such as its own identity) must fail here, in
    its own savepoint, rather than fail the whole round at commit."""
    if not any(op.operation == "delete" for op in segment.ops):
        return
    broken = session.connection().exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        raise SegmentRefused(Refusal.BREAKS_REFERENCES, f"{broken[0]} -> {broken[2]}")


class _ReceivingClock:
    """This laptop's clock while a batch of segments is applied: moved past each
    segment's clock, so later local edits sort after it, and written once, in the
    batch's transaction. A segment rolled back meanwhile leaves the clock further
    on than it need be, which a clock may always be."""

    def __init__(self, session: Session, device: str) -> None:
        self.device = device
        self.state = session.get(ClockState, 1)
        if self.state is None:
            self.state = ClockState(id=1, wall_ms=0, counter=0)
            session.add(self.state)
        self.last = hlc.Hlc(self.state.wall_ms or 0, self.state.counter or 0, device)

    def receive(self, segment: Segment) -> str:
        """Move past the segment; the value returned marks when it was seen here."""
        newest = max((hlc.Hlc.decode(op.hlc) for op in segment.ops), default=None)
        if newest is None:
            self.last = hlc.tick(self.last, self.device)
        else:
            self.last = hlc.receive(self.last, newest, self.device)
        return self.last.encode()

    def save(self) -> None:
        self.state.wall_ms, self.state.counter = self.last.wall_ms, self.last.counter

"""A large first sync against plain HTTP: how much does the protocol cost?

Usage: python -m bench.sync_first [SEGMENTS] [RUNS] [--workload quad|schools|both]
       python -m bench sync_first        (the default workload, RUNS runs)

Workloads (each run starts from copies of the same two profiles, against a
fresh repository):

- quad (the default): a consultant plans a 40-visit QUAD in the office and
  records it on the day through the app's services (bench/quad_day.py). Her
  laptop syncs as it goes, so each round seals only the few changes made since
  the last one: the run seals (`prepare_segments`, with the id of the
  repository just created, as the engine's own rounds do) after each small
  step, and the first sync then sends the several hundred small segments that
  leaves. The second laptop is a visiting head in the QUAD's team, so its
  first sync fetches, verifies and applies the QUAD's partition too.
- schools: SEGMENTS one-change segments (a School each, sealed one change per
  segment during the push).

Baseline, measured in the same run against the same server: plain sequential
`requests` PUTs and then GETs of the same segment bytes, one session, one after
another. The server runs in its own process, as it would on the trust's
machine. Each run checks that the second laptop received everything, so a
broken sync cannot look fast. Prints the workload, then medians of RUNS runs,
their ratios beside the target, and the requests each sync sent.
"""

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import quad_day  # noqa: E402
from bench.common import Figure, print_table  # noqa: E402
from invictus_desktop.crypto.kdf import KdfParams  # noqa: E402
from invictus_desktop.paths import ProfilePaths  # noqa: E402
from invictus_desktop.services.profile import (  # noqa: E402
    NewProfile,
    UnlockedProfile,
    create_profile,
    open_with_key,
)
from invictus_desktop.store.models import (  # noqa: E402
    Activity,
    ActivityStatus,
    EvidenceEntry,
    OutgoingSegment,
    Role,
    RunningNoteLine,
    School,
    Trust,
)
from invictus_desktop.store.vault import read_vault  # noqa: E402
from invictus_desktop.sync import outgoing  # noqa: E402
from invictus_desktop.sync.engine import SyncEngine, SyncReport  # noqa: E402
from invictus_desktop.sync.enrol import (  # noqa: E402
    enrol_person,
    export_roster,
    import_roster,
    join_request_code,
    make_join_request,
)
from invictus_desktop.sync.merge import SegmentApplier  # noqa: E402
from invictus_desktop.sync.webdav import WebDavClient  # noqa: E402

PASSPHRASE = "benchmark passphrase"
SEGMENTS = 400
RUNS = 3
TARGET = "within 1.25x"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    code = (
        "import sys; from pathlib import Path; "
        "from invictus_desktop.sync.server import serve; "
        f"serve(Path({str(folder)!r}), '127.0.0.1', {port})"
    )
    server = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            requests.request("PROPFIND", url, headers={"Depth": "0"}, timeout=1)
            return server, url
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("the repository server did not start")


def laptop(folder: Path, name: str, role: Role) -> UnlockedProfile:
    spec = NewProfile(name=name, role=role, passphrase=PASSPHRASE)
    profile, _ = create_profile(ProfilePaths(folder / name), spec, kdf_params=KdfParams())
    return profile


def copy_profile(root: Path, work: Path, run: int) -> ProfilePaths:
    copy = work / f"{root.name}-{run}"
    shutil.copytree(root, copy)
    return ProfilePaths(copy)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


@contextmanager
def time_spent_in(owner: type, method: str, spent: list[float]) -> Iterator[None]:
    """Append to `spent` the time spent in `owner.method` while the block runs."""
    original = getattr(owner, method)

    def counted(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[-1] += time.perf_counter() - started

    spent.append(0.0)
    setattr(owner, method, counted)
    try:
        yield
    finally:
        setattr(owner, method, original)


@contextmanager
def ops_per_segment(limit: int) -> Iterator[None]:
    saved = outgoing.MAX_OPS_PER_SEGMENT
    outgoing.MAX_OPS_PER_SEGMENT = limit
    try:
        yield
    finally:
        outgoing.MAX_OPS_PER_SEGMENT = saved


def seal_round(profile: UnlockedProfile, repository_id: str) -> None:
    """What an automatic round seals before it sends: every change since the last."""
    with profile.store.session() as session:
        outgoing.prepare_segments(session, outgoing.load_author(session), repository_id)


# -- workloads ---------------------------------------------------------------


class Workload:
    """What the writer has before the runs, what it does in each run before its
    first sync, and what the reader must hold after its own."""

    label = ""
    push_steps = "PUT, MOVE, confirm"

    def prepare(self, writer: UnlockedProfile, reader: UnlockedProfile) -> None: ...

    def before_push(self, writer: UnlockedProfile, repository_id: str) -> None: ...

    def push(self, engine: SyncEngine) -> None:
        engine.sync()

    def check(self, reader: UnlockedProfile, report: SyncReport) -> None:
        if report.refused or report.waiting:
            raise RuntimeError(f"the pull left segments out: {report.refused + report.waiting}")

    def describe(self) -> str:
        return ""


class QuadWorkload(Workload):
    label = "40-visit QUAD"

    def __init__(self) -> None:
        self.planned: quad_day.PlannedQuad | None = None
        self.recorded = quad_day.Recorded()

    def prepare(self, writer: UnlockedProfile, reader: UnlockedProfile) -> None:
        self.planned = quad_day.plan(writer, reader.person_id)

    def before_push(self, writer: UnlockedProfile, repository_id: str) -> None:
        seal_round(writer, repository_id)  # the round after the planning, in the office
        self.recorded = quad_day.record(
            writer, self.planned, lambda: seal_round(writer, repository_id)
        )

    def check(self, reader: UnlockedProfile, report: SyncReport) -> None:
        super().check(reader, report)
        quad_id, done = self.planned.quad_id, self.recorded

        with reader.store.session() as session:
            arrived = tuple(
                session.scalar(
                    select(func.count()).select_from(model)
                    .where(model.quad_id == quad_id, *where)
                )
                for model, *where in (
                    (Activity, Activity.status == ActivityStatus.COMPLETE),
                    (RunningNoteLine,),
                    (EvidenceEntry,),
                )
            )
        expected = (done.visits, done.note_lines, done.evidence_entries)
        if arrived != expected:
            raise RuntimeError(
                f"the reader has {arrived} completed visits, note lines and evidence "
                f"entries; the writer recorded {expected}"
            )

    def describe(self) -> str:
        done = self.recorded
        return (
            f"{done.visits} visits, {done.note_lines} note lines, "
            f"{done.evidence_entries} evidence entries, sealed in {done.rounds} rounds "
            f"on the day (plus the profile and the office planning)"
        )


class SchoolsWorkload(Workload):
    push_steps = "seal, PUT, MOVE, confirm"

    def __init__(self, segments: int) -> None:
        self.segments = segments
        self.label = f"{segments} one-change School segments"

    def prepare(self, writer: UnlockedProfile, reader: UnlockedProfile) -> None:
        with writer.store.session() as session:
            trust_id = session.scalar(select(Trust.id))
            session.add_all(
                School(trust_id=trust_id, name=f"Bench school {n}")
                for n in range(self.segments)
            )

    def push(self, engine: SyncEngine) -> None:
        with ops_per_segment(1):
            engine.sync()

    def check(self, reader: UnlockedProfile, report: SyncReport) -> None:
        super().check(reader, report)
        with reader.store.session() as session:
            arrived = session.scalar(
                select(func.count()).where(School.name.startswith("Bench school "))
            )
        if arrived != self.segments:
            raise RuntimeError(f"the reader has {arrived} of {self.segments} schools")

    def describe(self) -> str:
        return f"{self.segments} schools, one change per segment"


# -- measuring ---------------------------------------------------------------


@dataclass
class Samples:
    push: list[float] = field(default_factory=list)
    pull: list[float] = field(default_factory=list)
    # Parts of the pull: applying segments' ops to the store; parsing and verifying
    # segments (signatures, names, replays).
    pull_applying: list[float] = field(default_factory=list)
    pull_verifying: list[float] = field(default_factory=list)
    put: list[float] = field(default_factory=list)
    get: list[float] = field(default_factory=list)
    push_requests: int = 0
    pull_requests: int = 0
    bodies: list[bytes] = field(default_factory=list)
    ops: list[int] = field(default_factory=list)


def measure(workload: Workload, runs: int) -> list[Figure]:
    work = Path(tempfile.mkdtemp(prefix="invictus-bench-"))
    server, url = start_server(work / "repository")
    try:
        ann = laptop(work, "ann", Role.CONSULTANT)
        ben = laptop(work, "ben", Role.HEADTEACHER)
        # What an invitation does: Ann enrols Ben's keys, Ben takes in her roster.
        request = make_join_request(ben.store)
        enrol_person(ann.store, request, join_request_code(request))
        import_roster(ben.store, export_roster(ann.store))
        workload.prepare(ann, ben)
        ann_key = read_vault(ann.paths).unwrap_with_passphrase(PASSPHRASE)
        ben_key = read_vault(ben.paths).unwrap_with_passphrase(PASSPHRASE)
        ann.lock()
        ben.lock()

        samples = Samples()
        for run in range(runs):
            print(f"  {workload.label}: run {run + 1} of {runs}", file=sys.stderr)
            _one_run(workload, samples, url, work, run, (ann, ann_key), (ben, ben_key))
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    _print_workload(workload, samples)
    count = len(samples.bodies)
    push, pull, put, get = (
        statistics.median(s) for s in (samples.push, samples.pull, samples.put, samples.get)
    )
    return [
        Figure(f"{workload.label}, first sync push ({workload.push_steps}; "
               f"{samples.push_requests:,} requests)", push,
               f"{count:,} plain PUTs", put, TARGET),
        Figure(f"{workload.label}, first pull (list, GET, verify, apply; "
               f"{samples.pull_requests:,} requests)", pull,
               f"{count:,} plain GETs", get, TARGET),
    ]


def _one_run(workload: Workload, samples: Samples, url: str, work: Path, run: int,
             writer_template, reader_template) -> None:
    repository = f"{url}run-{run}/"
    requests.request("MKCOL", repository, timeout=10).raise_for_status()

    writer_profile = open_with_key(copy_profile(writer_template[0].paths.root, work, run),
                                   writer_template[1])
    writer = SyncEngine(writer_profile.store, WebDavClient(repository))
    repository_id = writer.create_repository()
    workload.before_push(writer_profile, repository_id)
    before = writer.client.requests_sent
    samples.push.append(timed(lambda: workload.push(writer)))
    samples.push_requests = writer.client.requests_sent - before
    with writer_profile.store.session() as session:
        segments = session.execute(select(OutgoingSegment.body, OutgoingSegment.outbox_seqs,
                                          OutgoingSegment.sent_at)).all()
    if any(sent_at is None for _body, _seqs, sent_at in segments):
        raise RuntimeError("the push left segments unsent")
    samples.bodies = [body for body, _seqs, _sent in segments]
    samples.ops = [len(json.loads(seqs)) for _body, seqs, _sent in segments]
    writer.client.close()
    writer_profile.lock()

    reader_profile = open_with_key(copy_profile(reader_template[0].paths.root, work, run),
                                   reader_template[1])
    reader = SyncEngine(reader_profile.store, WebDavClient(repository))
    reader.join_repository()
    before = reader.client.requests_sent
    reports: list[SyncReport] = []
    with (
        time_spent_in(SegmentApplier, "apply", samples.pull_applying),
        time_spent_in(SyncEngine, "_verified", samples.pull_verifying),
    ):
        samples.pull.append(timed(lambda: reports.append(reader.sync())))
    samples.pull_requests = reader.client.requests_sent - before
    workload.check(reader_profile, reports[0])
    reader.client.close()
    reader_profile.lock()

    plain = requests.Session()
    folder = f"{url}plain-{run}/"
    plain.request("MKCOL", folder)
    bodies = samples.bodies
    samples.put.append(timed(lambda: [
        plain.put(f"{folder}{i}.seg", data=body).raise_for_status()
        for i, body in enumerate(bodies)
    ]))
    samples.get.append(timed(lambda: [
        plain.get(f"{folder}{i}.seg").content for i in range(len(bodies))
    ]))
    plain.close()


def _print_workload(workload: Workload, samples: Samples) -> None:
    sizes = sorted(len(body) for body in samples.bodies)
    ops = sorted(samples.ops)
    print(f"{workload.label}: {workload.describe()}")
    print(
        f"  {len(sizes):,} segments, {sum(ops):,} ops "
        f"({sum(ops) / len(ops):.1f} per segment on average, median "
        f"{statistics.median(ops):g}, largest {ops[-1]}), {sum(sizes) / 1e6:.2f} MB "
        f"(median segment {statistics.median(sizes) / 1e3:.1f} kB); "
        f"median of {len(samples.push)} runs"
    )
    pull, applying, verifying = (
        statistics.median(part)
        for part in (samples.pull, samples.pull_applying, samples.pull_verifying)
    )
    rest = pull - applying - verifying
    print(
        f"  first pull {pull:.2f} s: applying ops to the encrypted store {applying:.2f} s, "
        f"parsing and verifying segments {verifying:.2f} s, the rest {rest:.2f} s "
        "(listing, downloads not overlapped, savepoints, search documents, cursors, "
        "commits)"
    )


def workloads(name: str, segments: int) -> list[Workload]:
    chosen = {"quad": [QuadWorkload()], "schools": [SchoolsWorkload(segments)]}
    return chosen.get(name) or chosen["quad"] + chosen["schools"]


def run(workload: str = "quad", segments: int = SEGMENTS, runs: int = RUNS) -> list[Figure]:
    figures = []
    for chosen in workloads(workload, segments):
        figures += measure(chosen, runs)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sync_first",
                                     description="A large first sync against plain HTTP.")
    parser.add_argument("segments", nargs="?", type=int, default=SEGMENTS,
                        help="segments in the schools workload")
    parser.add_argument("runs", nargs="?", type=int, default=RUNS)
    parser.add_argument("--workload", choices=["quad", "schools", "both"], default="quad")
    options = parser.parse_args()
    print_table(run(options.workload, options.segments, options.runs))


if __name__ == "__main__":
    main()

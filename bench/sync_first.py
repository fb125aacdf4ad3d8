"""A large first sync against plain HTTP: how much does the protocol cost?

Usage: python -m bench.sync_first [SEGMENTS] [RUNS]

One laptop writes SEGMENTS one-change segments; its first sync seals and sends
them all to a fresh repository, and a second laptop's first sync then fetches,
verifies and applies them all. Baseline, measured in the same run against the
same server: plain sequential `requests` PUTs and GETs of the same bytes, one
session, one after another. Each run starts from copies of the same two
profiles. The server runs in its own process, as it would on the trust's
machine. Prints medians of RUNS runs, the ratios, and the requests each sync
sent.
"""

import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from invictus_desktop.crypto.kdf import KdfParams  # noqa: E402
from invictus_desktop.paths import ProfilePaths  # noqa: E402
from invictus_desktop.services.profile import (  # noqa: E402
    NewProfile,
    create_profile,
    open_with_key,
)
from invictus_desktop.store.models import OutgoingSegment, Role, School, Trust  # noqa: E402
from invictus_desktop.store.vault import read_vault  # noqa: E402
from invictus_desktop.sync import outgoing  # noqa: E402
from invictus_desktop.sync.engine import SyncEngine  # noqa: E402
from invictus_desktop.sync.enrol import export_roster, import_roster  # noqa: E402
from invictus_desktop.sync.webdav import WebDavClient  # noqa: E402

PASSPHRASE = "benchmark passphrase"


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


def laptop(folder: Path, name: str):
    spec = NewProfile(name=name, role=Role.CONSULTANT, passphrase=PASSPHRASE)
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


def main() -> None:
    segments = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    work = Path(tempfile.mkdtemp(prefix="invictus-bench-"))
    server, url = start_server(work / "repository")
    try:
        ann, ben = laptop(work, "ann"), laptop(work, "ben")
        roster = export_roster(ann.store) + export_roster(ben.store)
        import_roster(ann.store, roster)
        import_roster(ben.store, roster)
        outgoing.MAX_OPS_PER_SEGMENT = 1
        with ann.store.session() as session:
            trust_id = session.scalar(select(Trust.id))
            session.add_all(
                School(trust_id=trust_id, name=f"School {n}") for n in range(segments)
            )
        ann_key = read_vault(ann.paths).unwrap_with_passphrase(PASSPHRASE)
        ben_key = read_vault(ben.paths).unwrap_with_passphrase(PASSPHRASE)
        ann.lock()
        ben.lock()

        push_times, pull_times, put_times, get_times = [], [], [], []
        requests_sent = (0, 0)
        for run in range(runs):
            repository = f"{url}run-{run}/"
            requests.request("MKCOL", repository, timeout=10).raise_for_status()
            writer_profile = open_with_key(copy_profile(ann.paths.root, work, run), ann_key)
            writer = SyncEngine(writer_profile.store, WebDavClient(repository))
            writer.create_repository()
            before = writer.client.requests_sent
            push_times.append(timed(writer.sync))
            pushed = writer.client.requests_sent - before
            with writer_profile.store.session() as session:
                bodies = list(session.scalars(select(OutgoingSegment.body)))
            writer.client.close()
            writer_profile.lock()

            reader_profile = open_with_key(copy_profile(ben.paths.root, work, run), ben_key)
            reader = SyncEngine(reader_profile.store, WebDavClient(repository))
            reader.join_repository()
            before = reader.client.requests_sent
            pull_times.append(timed(reader.sync))
            requests_sent = (pushed, reader.client.requests_sent - before)
            reader.client.close()
            reader_profile.lock()

            plain = requests.Session()
            folder = f"{url}plain-{run}/"
            plain.request("MKCOL", folder)
            put_times.append(
                timed(
                    lambda f=folder, s=plain, bodies=bodies: [
                        s.put(f"{f}{i}.seg", data=body).raise_for_status()
                        for i, body in enumerate(bodies)
                    ]
                )
            )
            get_times.append(
                timed(
                    lambda f=folder, s=plain, bodies=bodies: [
                        s.get(f"{f}{i}.seg").content for i in range(len(bodies))
                    ]
                )
            )
            plain.close()

        push, pull, put, get = (
            statistics.median(t) for t in (push_times, pull_times, put_times, get_times)
        )
        print(f"first sync of {len(bodies)} segments, median of {runs} runs")
        print(f"{'figure':<40}{'seconds':>9}{'baseline':>10}{'ratio':>7}{'requests':>10}")
        rows = [
            ("push (seal, PUT, MOVE, confirm)", push, put, requests_sent[0]),
            ("first pull (list, GET, verify, apply)", pull, get, requests_sent[1]),
        ]
        for label, seconds, baseline, sent in rows:
            print(
                f"{label:<40}{seconds:>9.2f}{baseline:>10.2f}"
                f"{seconds / baseline:>7.2f}{sent:>10}"
            )
        print(f"(baseline: {len(bodies)} sequential plain requests each way)")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

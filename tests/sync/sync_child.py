"""A child process that syncs once and kills itself (SIGKILL) at a chosen point.

Run as: python -m tests.sync.sync_child PROFILE_DIR REPOSITORY_URL POINT
The database key arrives as hex on stdin. POINT is one of:
  downloaded  right after a segment's bytes arrive
  applied     after a segment's changes are made, before its cursor moves
  cursor      after the cursor moves, before the transaction commits
  uploaded    after our segment is on the server, before it is marked sent
"""

import os
import signal
import sys
from pathlib import Path

from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services.profile import open_with_key
from invictus_desktop.sync import engine as engine_module
from invictus_desktop.sync import merge, webdav
from invictus_desktop.sync.engine import SyncEngine
from invictus_desktop.sync.webdav import WebDavClient


def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def after(function, then):
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        then(args, result)
        return result

    return wrapper


def main() -> None:
    profile_dir, url, point = sys.argv[1], sys.argv[2], sys.argv[3]
    key = bytes.fromhex(sys.stdin.readline().strip())
    profile = open_with_key(ProfilePaths(Path(profile_dir)), key)

    if point == "downloaded":
        webdav.WebDavClient.get_capped = after(
            webdav.WebDavClient.get_capped,
            lambda args, result: die() if args[1].endswith(".seg") and result else None,
        )
    elif point == "applied":
        merge.SegmentApplier.apply = after(merge.SegmentApplier.apply, die)
    elif point == "cursor":
        SyncEngine._record_applied = after(SyncEngine._record_applied, die)
    elif point == "uploaded":
        engine_module.mark_sent = die
    else:
        raise SystemExit(f"unknown point {point}")

    SyncEngine(profile.store, WebDavClient(url)).sync()
    print("FINISHED WITHOUT DYING", flush=True)


if __name__ == "__main__":
    main()

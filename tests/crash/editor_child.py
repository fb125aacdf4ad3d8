"""A child process that edits a visit as fast as it can and reports each edit
only after the service call that saved it has returned.

Run as: python -m tests.crash.editor_child PROFILE_DIR ACTIVITY_ID
The database key arrives as hex on stdin (so no KDF per trial, nothing on disk).
Each edit N appends running-note line "line N" and sets strengths to "edit N";
then "ACK N" is printed and flushed.
"""

import sys
from pathlib import Path

from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services import visits
from invictus_desktop.services.profile import open_with_key


def main() -> None:
    profile_dir, activity_id = sys.argv[1], sys.argv[2]
    key = bytes.fromhex(sys.stdin.readline().strip())
    profile = open_with_key(ProfilePaths(Path(profile_dir)), key)
    print("READY", flush=True)

    edit = 0
    while True:
        edit += 1
        visits.add_note_line(profile, activity_id, f"line {edit}")
        visits.save_fields(profile, activity_id, {"strengths": f"edit {edit}"})
        print(f"ACK {edit}", flush=True)


if __name__ == "__main__":
    main()

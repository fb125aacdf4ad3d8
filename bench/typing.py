"""Event-loop stalls while typing into a visit record that autosaves.

    .venv/bin/python -m bench.typing [--full] [--rounds N]

Characters are posted as key events at 10 a second (an inspector's brisk
pace) into the record page's Strengths box, with the page's real autosave on
the real worker threads and a real encrypted store. A 1 ms precise timer
beats throughout; a stall is the time between two beats beyond that 1 ms.
The baseline is the same typing, in the same run, into a plain QPlainTextEdit
(the record's own widget class) with no autosave. Rounds alternate subject
and baseline so that machine load falls on both; medians are reported.

Both sides first type a few unmeasured characters (first glyphs drawn, first
save made). The default sample is 300 characters (30 s each side, each round); `--full`
types the whole 2,000 characters (200 s each side). Target: the longest
stall under 16 ms (one frame at 60 Hz).
"""

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from bench.common import Figure, print_table

CHARS_PER_SECOND = 10
SAMPLE_CHARS = 300
FULL_CHARS = 2000
SETTLE_MS = 800  # after the last key: the last save lands inside the measurement
HEARTBEAT_MS = 1
WARM_UP_CHARS = 20
TARGET = "under 16 ms"
PROSE = (
    "Pupils settled quickly and the starter recalled last week's work on equivalent "
    "fractions. The teacher modelled two examples, then checked every whiteboard; "
    "three pupils still added the denominators, and were picked up at once. "
)


@dataclass(frozen=True)
class Stalls:
    longest: float
    p99: float
    beats: int


def type_and_measure(target: QWidget, chars: int) -> Stalls:
    """Post `chars` key presses at 10 a second to `target`; the beat gaps seen."""
    text = (PROSE * (chars // len(PROSE) + 1))[:chars]
    gaps: list[float] = []
    last = [time.perf_counter()]
    typed = [0]
    loop = QEventLoop()

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    def type_one() -> None:
        if typed[0] == len(text):
            typist.stop()
            QTimer.singleShot(SETTLE_MS, loop.quit)
            return
        char = text[typed[0]]
        typed[0] += 1
        key = Qt.Key.Key_Space if char == " " else Qt.Key.Key_A
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            QCoreApplication.postEvent(target, event)

    heart = QTimer(timerType=Qt.TimerType.PreciseTimer, interval=HEARTBEAT_MS)
    heart.timeout.connect(beat)
    typist = QTimer(timerType=Qt.TimerType.PreciseTimer, interval=1000 // CHARS_PER_SECOND)
    typist.timeout.connect(type_one)
    target.setFocus()
    heart.start()
    typist.start()
    last[0] = time.perf_counter()
    loop.exec()
    heart.stop()

    stalls = sorted(max(0.0, gap - HEARTBEAT_MS / 1000) for gap in gaps[1:])
    p99 = stalls[min(len(stalls) - 1, int(len(stalls) * 0.99))]
    return Stalls(stalls[-1], p99, len(stalls))


def open_record(folder: Path, app):
    """A real profile with a planned QUAD and a started visit, on its record page."""
    from invictus_desktop.crypto.kdf import KdfParams
    from invictus_desktop.gui.pages.record import RecordPage
    from invictus_desktop.gui.tasks import TaskRunner
    from invictus_desktop.paths import ProfilePaths
    from invictus_desktop.services import visits
    from invictus_desktop.services.profile import NewProfile, create_profile
    from invictus_desktop.store.models import Role
    from tests.services.factories import plan_quad

    spec = NewProfile("Bench Person", Role.CONSULTANT, "bench passphrase words here")
    profile, _ = create_profile(ProfilePaths(folder / "profile"), spec, KdfParams())
    planned = plan_quad(profile)
    visit_id = visits.start_visit(profile, planned.quad_id, planned.slot_id)
    runner = TaskRunner(app)  # worker threads, as in the app
    page = RecordPage(profile, runner)
    gc.freeze()  # as the app does once a profile is open (see gui/controller.py)
    page.resize(1176, 700)
    page.show()
    page.open_item(visit_id)
    deadline = time.monotonic() + 10
    while page.activity_id != visit_id and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return profile, runner, page, visit_id


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.typing")
    parser.add_argument("--full", action="store_true", help="type all 2,000 characters")
    parser.add_argument("--rounds", type=int, default=0,
                        help="subject/baseline pairs (default 3, or 1 with --full)")
    args = parser.parse_args(argv)
    chars = FULL_CHARS if args.full else SAMPLE_CHARS
    rounds = args.rounds or (1 if args.full else 3)

    from invictus_desktop.gui.app import create_application
    from invictus_desktop.services import visits

    app = create_application([sys.argv[0]])
    with tempfile.TemporaryDirectory() as folder:
        profile, runner, page, visit_id = open_record(Path(folder), app)
        plain = QPlainTextEdit()
        plain.resize(640, 200)
        plain.show()
        subject_box = page.form.text_edits["strengths"]

        for box in (plain, subject_box):  # first glyphs, first save: not measured
            type_and_measure(box, WARM_UP_CHARS)
        ours, bare = [], []
        for number in range(1, rounds + 1):
            print(f"round {number}/{rounds}: {chars} characters each side at "
                  f"{CHARS_PER_SECOND}/s ...", file=sys.stderr)
            bare.append(type_and_measure(plain, chars))
            ours.append(type_and_measure(subject_box, chars))

        saved = visits.load_visit(profile, visit_id).fields["strengths"]
        typed = subject_box.toPlainText()
        page.clear_data()
        runner.wait_for_done()
        profile.lock()

    expected = chars * rounds + WARM_UP_CHARS
    if saved != typed or len(typed) != expected:
        print(f"the store does not hold what was typed ({len(saved)} characters stored, "
              f"{len(typed)} in the box, {expected} typed): the figures are void",
              file=sys.stderr)
        return 1

    def median(samples: list[Stalls], field: str) -> float:
        return statistics.median(getattr(s, field) for s in samples)

    label = f"typing {chars} chars at {CHARS_PER_SECOND}/s with autosave"
    baseline = "plain QPlainTextEdit, no autosave"
    print_table([
        Figure(f"longest event-loop stall, {label}", median(ours, "longest"),
               baseline, median(bare, "longest"), TARGET),
        Figure(f"p99 event-loop stall, {label}", median(ours, "p99"),
               baseline, median(bare, "p99")),
    ])
    print(f"({rounds} round(s); {median(ours, 'beats'):.0f} heartbeats per sample; "
          "every typed character was in the store at the end)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

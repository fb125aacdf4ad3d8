"""Smoke test of a built Invictus QUAD: the first commands a user or an IT script
runs, from a temporary folder outside the repository, against a fresh profile.

    python tests/smoke/run_smoke.py dist/invictus-desktop/invictus-desktop
    python tests/smoke/run_smoke.py /opt/venv/bin/invictus-desktop --expect-version 0.1.0

COMMAND is the frozen executable or an installed console script (quote it if it
has arguments, e.g. "python -m invictus_desktop"). Each step checks its exit
code and output; adding a check is adding one Step to STEPS. Exits 0 when every
step that runs passes. A plain script, so pytest does not collect it; the slow
tests in tests/packaging/ run it.
"""

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
PASSPHRASE = "smoke test: brass lantern over quiet harbour"

# Variables that could make the app under test find the source tree or a real
# profile instead of what it ships.
SCRUBBED_ENV = (
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    "VIRTUAL_ENV",
    "INVICTUS_PROFILE",
)


@dataclass(frozen=True)
class Step:
    """One run of the app. In `args`, {profile} is the smoke profile's folder;
    in `expect`, {version} is the expected version (any, if none was given)."""

    name: str
    args: tuple[str, ...]
    expect: tuple[str, ...] = ()  # patterns that must occur in stdout + stderr
    reject: tuple[str, ...] = ()  # patterns that must not occur
    exit_code: int = 0
    env: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 120
    skip: str | None = None  # why the step cannot run yet


PROFILE = ("--profile", "{profile}")
DEMO = ("--profile", "{profile}-demo")

STEPS: tuple[Step, ...] = (
    Step("version", ("--version",), expect=(r"^invictus-desktop {version}$",)),
    Step(
        "init",
        (*PROFILE, "init", "--name", "Smoke Test", "--role", "consultant"),
        expect=(r"^Profile created in ",),
    ),
    Step(
        "doctor",
        (*PROFILE, "doctor"),
        expect=(r"^ok   cipher integrity", r"SQLCipher \d", r"^The store is healthy\.$"),
        # "missing" means the build left out a library's metadata or the library.
        reject=(r"^FAIL", r"\bmissing\b", r"Traceback"),
    ),
    Step(
        "wrong passphrase",
        (*PROFILE, "doctor"),
        env={"INVICTUS_PASSPHRASE": "not the passphrase"},
        exit_code=1,
        expect=(r"does not unlock this profile",),
        reject=(r"Traceback",),
    ),
    Step(
        "demo",
        (*DEMO, "demo"),
        expect=(r"^Demo trust created in .*: 4 schools, 120 staff",),
        reject=(r"Traceback",),
    ),
    Step(
        "doctor on the demo",
        (*DEMO, "doctor"),
        expect=(r"^The store is healthy\.$",),
        reject=(r"^FAIL", r"Traceback"),
    ),
    Step(
        "quads of the demo",
        (*DEMO, "quads"),
        expect=(r"^KHS-\d{{4}}-AUT\tKinver High School\t",),
        reject=(r"Traceback",),
    ),
    Step(
        "report from the demo",
        (*DEMO, "report", "KHS-2026-AUT", "--variant", "board", "--out", "{profile}.pdf"),
        expect=(r"^KHS-2026-AUT \(board copy, .*\) written to ", r"^sha256 [0-9a-f]{{64}}$"),
        reject=(r"Traceback",),
    ),
    # With INVICTUS_SMOKE_QUIT_AFTER_MS the GUI quits by itself (exit code 0)
    # that many milliseconds after its first window is shown.
    Step(
        "gui shows its first window and quits",
        PROFILE,
        env={"QT_QPA_PLATFORM": "offscreen", "INVICTUS_SMOKE_QUIT_AFTER_MS": "500"},
        reject=(r"Traceback", r"Could not load the Qt platform plugin"),
        timeout=60,
    ),
)


@dataclass(frozen=True)
class Outcome:
    step: Step
    seconds: float
    problems: tuple[str, ...]
    output: str


def run_step(
    command: Sequence[str], step: Step, profile: Path, workdir: Path, version: str
) -> Outcome:
    args = [arg.format(profile=profile) for arg in step.args]
    env = smoke_env() | dict(step.env)
    started = time.monotonic()
    try:
        result = subprocess.run(
            [*command, *args],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=step.timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        output = f"{exc.stdout or ''}{exc.stderr or ''}"
        problem = f"no exit within {step.timeout:.0f} s"
        return Outcome(step, step.timeout, (problem,), output)
    seconds = time.monotonic() - started

    output = result.stdout + result.stderr
    problems = []
    if result.returncode != step.exit_code:
        problems.append(f"exit code {result.returncode}, expected {step.exit_code}")
    for pattern in step.expect:
        wanted = pattern.format(version=version)
        if not re.search(wanted, output, re.MULTILINE):
            problems.append(f"no line matches {wanted!r}")
    for pattern in step.reject:
        if re.search(pattern, output, re.MULTILINE):
            problems.append(f"output matches {pattern!r}")
    return Outcome(step, seconds, tuple(problems), output)


def smoke_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env["INVICTUS_PASSPHRASE"] = PASSPHRASE
    env["QT_QPA_PLATFORM"] = "offscreen"  # CI has no display
    return env


def outside_repository(path: Path) -> bool:
    return not path.resolve().is_relative_to(REPOSITORY)


def report(outcome: Outcome) -> None:
    if outcome.step.skip:
        print(f"skip {outcome.step.name}: {outcome.step.skip}")
        return
    mark = "FAIL" if outcome.problems else "ok  "
    print(f"{mark} {outcome.step.name} ({outcome.seconds:.1f} s)")
    if outcome.problems:
        for problem in outcome.problems:
            print(f"       {problem}")
        print("       output:")
        for line in outcome.output.splitlines() or ["(none)"]:
            print(f"       | {line}")


def run_all(command: Sequence[str], version: str, steps: Sequence[Step] = STEPS) -> bool:
    with tempfile.TemporaryDirectory(prefix="invictus-smoke-") as temp:
        workdir = Path(temp)
        if not outside_repository(workdir):
            raise SystemExit(f"The temporary folder {workdir} is inside the repository.")
        profile = workdir / "profile"

        passed = True
        for step in steps:
            if step.skip:
                outcome = Outcome(step, 0.0, (), "")
            else:
                outcome = run_step(command, step, profile, workdir, version)
            report(outcome)
            passed = passed and not outcome.problems
        return passed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", help="the frozen executable or installed console script")
    parser.add_argument("--expect-version", help="the version --version must print")
    args = parser.parse_args(argv)

    command = shlex.split(args.command)
    if Path(command[0]).exists():  # a relative path would break in the temporary folder
        command[0] = str(Path(command[0]).resolve())
    version = re.escape(args.expect_version) if args.expect_version else r"\S+"

    passed = run_all(command, version)
    print("Smoke test passed." if passed else "Smoke test FAILED.")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

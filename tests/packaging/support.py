"""Paths and helpers shared by the packaging tests."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
ICONS = REPO / "resources" / "icons"
APP_ID = "education.invictus.QuadDesktop"


def run(command, *, timeout=600, **kwargs) -> subprocess.CompletedProcess:
    """Run a command; on failure, show what it printed."""
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )
    assert result.returncode == 0, (
        f"{command[0]} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return result


def run_smoke(command: Path, version: str) -> str:
    script = REPO / "tests" / "smoke" / "run_smoke.py"
    result = run([sys.executable, script, command, "--expect-version", version])
    return result.stdout

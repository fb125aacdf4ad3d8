"""Paths and helpers shared by the packaging tests."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def qt_policy():
    """packaging/qt_policy.py, loaded by path: `packaging` is also a PyPI package."""
    spec = importlib.util.spec_from_file_location("qt_policy", PACKAGING / "qt_policy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

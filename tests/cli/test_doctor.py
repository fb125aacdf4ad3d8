"""`invictus-desktop doctor`: exit 0 and a clean report on a healthy store, exit 1
and a readable reason on a damaged one."""

import pytest

from invictus_desktop.cli.main import main
from invictus_desktop.cli.passphrase import PASSPHRASE_ENV
from invictus_desktop.logs import configure_logging
from tests.conftest import PASSPHRASE
from tests.helpers import flip_bit, page_offset, root_page, snapshot


@pytest.fixture(autouse=True)
def _passphrase_and_logging(monkeypatch):
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    yield
    configure_logging(None)  # the CLI logs into the profile; detach it afterwards


def _doctor(paths) -> int:
    return main(["--profile", str(paths.root), "doctor"])


def _store_files(paths) -> dict:
    # The CLI writes its own log file; every other file must stay as it was.
    files = snapshot(paths.root)
    return {name: state for name, state in files.items() if not name.startswith("logs/")}


def test_healthy_store_passes(locked_profile, capsys):
    assert _doctor(locked_profile) == 0

    out = capsys.readouterr().out
    assert "FAIL" not in out
    for check in ("cipher integrity", "database integrity", "foreign keys",
                  "schema revision", "journal mode"):
        assert f"ok   {check}:" in out
    assert "SQLCipher 4." in out
    assert out.rstrip().endswith("The store is healthy.")


def test_damaged_middle_page_is_reported(locked_profile, capsys):
    page = root_page(locked_profile, "report_action")
    flip_bit(locked_profile.database, page_offset(page))
    before = _store_files(locked_profile)

    assert _doctor(locked_profile) == 1

    out = capsys.readouterr().out
    assert "FAIL cipher integrity: 1 damaged pages:" in out
    assert f"HMAC verification failed for page {page}\n" in out
    assert "FAIL database integrity: could not finish" in out
    assert "ok   schema revision" in out
    assert f"restore the newest copy from {locked_profile.backups}" in out
    assert _store_files(locked_profile) == before


def test_damaged_header_stops_doctor_with_the_reason(locked_profile, capsys):
    flip_bit(locked_profile.database, 20)
    before = _store_files(locked_profile)

    assert _doctor(locked_profile) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("invictus-desktop: The encrypted store")
    assert "is damaged" in captured.err and "backups folder" in captured.err
    assert "Traceback" not in captured.err
    assert _store_files(locked_profile) == before


def test_wrong_passphrase_is_reported(locked_profile, capsys, monkeypatch):
    monkeypatch.setenv(PASSPHRASE_ENV, "not the passphrase at all")
    before = _store_files(locked_profile)

    assert _doctor(locked_profile) == 1

    err = capsys.readouterr().err
    assert "That passphrase does not unlock this profile." in err
    assert "recovery key" in err
    assert _store_files(locked_profile) == before

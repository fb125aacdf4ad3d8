"""`invictus-desktop repository serve` as an administrator runs it: a real child
process, reached over loopback with and without passwords and HTTPS."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from invictus_desktop.cli.main import main
from invictus_desktop.sync import layout
from invictus_desktop.sync.errors import CertificateNotTrusted
from invictus_desktop.sync.webdav import WebDavClient
from tests.conftest import PASSPHRASE
from tests.sync.certificates import self_signed
from tests.sync.replicas import make_laptop

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "a long shared secret"
CHILD_ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def _serve_command(folder: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "invictus_desktop", "repository", "serve", str(folder),
            *options]


@contextlib.contextmanager
def _serving(tmp_path: Path, *options: str):
    """The server in a child process until the block ends; yields its port."""
    port = _free_port()
    output = tmp_path / "serve-output.txt"
    with output.open("wb") as sink:
        child = subprocess.Popen(
            _serve_command(tmp_path / "repository", "--port", str(port), *options),
            stdout=sink, stderr=subprocess.STDOUT, cwd=REPO, env=CHILD_ENV,
        )
        try:
            _wait_for_port(child, port, output)
            yield port
        finally:
            child.kill()
            child.wait(timeout=10)


def _wait_for_port(child: subprocess.Popen, port: int, output: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if child.poll() is not None:
            pytest.fail(f"the server exited ({child.returncode}): {output.read_text()}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        time.sleep(0.05)
    pytest.fail(f"the server did not listen within 30 s: {output.read_text()}")


def _users_file(tmp_path: Path, monkeypatch) -> Path:
    """A users file with ann in it, made as an administrator would."""
    monkeypatch.setenv("INVICTUS_REPOSITORY_PASSWORD", PASSWORD)
    users = tmp_path / "users.txt"
    assert main(["repository", "add-user", str(users), "ann"]) == 0
    return users


def test_with_a_users_file_only_people_in_it_are_let_in(tmp_path, monkeypatch):
    users = _users_file(tmp_path, monkeypatch)

    with _serving(tmp_path, "--users", str(users)) as port:

        def propfind(auth) -> int:
            return requests.request(
                "PROPFIND", f"http://127.0.0.1:{port}/", headers={"Depth": "1"},
                auth=auth, timeout=10,
            ).status_code

        assert propfind(None) == 401
        assert propfind(("ann", "not the password")) == 401
        assert propfind(("ann", PASSWORD)) == 207


def test_with_a_certificate_it_answers_https_and_a_trusting_client_reads_it(
    tmp_path, monkeypatch, capsys
):
    users = _users_file(tmp_path, monkeypatch)
    cert, key = self_signed(tmp_path)
    laptop = make_laptop(tmp_path, "ann")
    laptop.lock()
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)

    with _serving(tmp_path, "--users", str(users), "--cert", str(cert),
                  "--key", str(key)) as port:
        url = f"https://127.0.0.1:{port}/"
        capsys.readouterr()
        assert main(["--profile", str(laptop.paths.root), "sync", "create", url,
                     "--user", "ann", "--trust-certificate", str(cert)]) == 0
        repository_id = capsys.readouterr().out.split()[-1].rstrip(".")

        trusting = WebDavClient(url, username="ann", password=PASSWORD,
                                trusted_certificate=cert)
        identity = json.loads(trusting.get(layout.IDENTITY_FILE, max_bytes=65536))
        trusting.close()
        untrusting = WebDavClient(url, username="ann", password=PASSWORD)
        with pytest.raises(CertificateNotTrusted):
            untrusting.get(layout.IDENTITY_FILE, max_bytes=65536)
        untrusting.close()

    assert identity["repository"] == repository_id
    said = (tmp_path / "serve-output.txt").read_text()
    assert f"{tmp_path / 'repository'} at https://127.0.0.1:{port}/; Ctrl+C stops." in said


@pytest.mark.parametrize(
    ("with_users", "message"),
    [
        (False, "Without a users file the repository would be open to anyone."),
        (True, "Serving beyond this computer needs HTTPS, so passwords are not sent "
               "in the clear."),
    ],
)
def test_serving_beyond_this_computer_unprotected_exits_and_says_why(
    tmp_path, monkeypatch, with_users, message
):
    options = ["--users", str(_users_file(tmp_path, monkeypatch))] if with_users else []
    command = _serve_command(tmp_path / "repository", "--host", "0.0.0.0",
                             "--port", str(_free_port()), *options)

    # A server that wrongly started is killed by the timeout (and the test fails).
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO,
                            env=CHILD_ENV, timeout=60)

    assert result.returncode == 1
    assert result.stderr.startswith(f"invictus-desktop: {message}")
    assert not (tmp_path / "repository").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--users", "missing.txt"], "Cannot read the users file missing.txt: no such"),
        (["--cert", "server.pem"], "HTTPS needs both the certificate and its private key."),
    ],
)
def test_a_mistake_in_the_serve_command_is_a_message_not_a_traceback(
    tmp_path, monkeypatch, capsys, options, message
):
    monkeypatch.chdir(tmp_path)

    code = main(["repository", "serve", "repository", "--port", str(_free_port()),
                 *options])

    assert code == 1
    assert capsys.readouterr().err.startswith(f"invictus-desktop: {message}")
    assert not (tmp_path / "repository").exists()


def test_a_port_out_of_range_is_refused_by_the_parser(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["repository", "serve", str(tmp_path), "--port", "99999"])

    assert exit_.value.code == 2
    assert "'99999' is not a port (1 to 65535)" in capsys.readouterr().err

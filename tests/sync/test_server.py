"""The app's own repository server: users file, refusals, and a real round trip."""

import hashlib
import socket
import time

import pytest
import requests

from invictus_desktop.sync.server import (
    SCRYPT_MAXMEM,
    SCRYPT_N,
    SCRYPT_R,
    PasswordRecord,
    ServerSetupError,
    add_user,
    make_server,
    read_users,
)
from tests.sync.certificates import self_signed


def test_users_file_keeps_hashes_not_passwords_and_replaces_a_changed_one(tmp_path):
    users = tmp_path / "users"
    add_user(users, "ann", "first long secret")
    add_user(users, "ben", "another long secret")
    add_user(users, "ann", "second long secret")

    text = users.read_text()
    assert "secret" not in text
    assert oct(users.stat().st_mode & 0o777) == "0o600"
    records = read_users(users)
    assert set(records) == {"ann", "ben"}
    assert records["ann"].matches("second long secret")
    assert not records["ann"].matches("first long secret")


def test_an_empty_password_is_refused_and_the_file_left_as_it_was(tmp_path):
    users = tmp_path / "users"
    add_user(users, "ann", "first long secret")
    before = users.read_bytes()

    with pytest.raises(ServerSetupError, match="empty one is refused"):
        add_user(users, "ben", "")

    assert users.read_bytes() == before


def test_a_damaged_users_file_is_reported_by_line(tmp_path):
    users = tmp_path / "users"
    users.write_text("# staff\n\nann:plain-password\n")

    with pytest.raises(ServerSetupError, match="Line 3"):
        read_users(users)


def test_each_person_signs_in_with_their_own_password(tmp_path):
    users = tmp_path / "users"
    add_user(users, "ann", "ann's long secret")
    add_user(users, "ben", "ben's long secret")
    server = make_server(tmp_path / "repo", users_file=users)
    server.start()
    try:

        def propfind(auth):
            return requests.request(
                "PROPFIND", server.url, headers={"Depth": "1"}, auth=auth, timeout=10
            ).status_code

        assert propfind(("ann", "ann's long secret")) == 207
        assert propfind(("ben", "ben's long secret")) == 207
        assert propfind(("ann", "ben's long secret")) == 401
        assert propfind(("carl", "ann's long secret")) == 401
        assert propfind(None) == 401
    finally:
        server.stop()


def test_serving_beyond_loopback_needs_users_and_https(tmp_path):
    users = tmp_path / "users"
    add_user(users, "ann", "a long shared secret")

    with pytest.raises(ServerSetupError, match="open to anyone"):
        make_server(tmp_path / "repo", host="0.0.0.0")
    with pytest.raises(ServerSetupError, match="HTTPS"):
        make_server(tmp_path / "repo", host="0.0.0.0", users_file=users)


def test_a_password_that_verified_is_not_hashed_again_for_each_request(tmp_path):
    # A record eight times as costly as add_user's: without remembering good
    # logins, the twenty requests of this test would take well over ten seconds.
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(b"ann's long secret", salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                            p=8, maxmem=SCRYPT_MAXMEM, dklen=32)
    record = PasswordRecord(SCRYPT_N, SCRYPT_R, 8, salt, digest)
    users = tmp_path / "users"
    users.write_text(f"ann:{record.encode()}\n")
    server = make_server(tmp_path / "repo", users_file=users)
    server.start()
    try:
        with requests.Session() as session:

            def propfind(password: str) -> int:
                return session.request(
                    "PROPFIND", server.url, headers={"Depth": "1"},
                    auth=("ann", password), timeout=30,
                ).status_code

            started = time.monotonic()
            one_hash = propfind("ann's long secret") == 207 and time.monotonic() - started
            assert one_hash
            started = time.monotonic()
            answers = {propfind("ann's long secret") for _ in range(20)}
            twenty = time.monotonic() - started
            # A wrong password is still checked in full, and does not unseat the
            # right one.
            assert propfind("not ann's secret") == 401
            assert propfind("ann's long secret") == 207
    finally:
        server.stop()

    assert answers == {207}
    assert twenty < 5 * one_hash


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Cannot read the users file .*: no such file or directory"),
        ("# nobody yet\n", "names nobody, so nobody could sign in"),
        (b"\xff\xfe\x00", "Cannot read the users file .*: it is not UTF-8 text"),
    ],
)
def test_a_missing_or_empty_users_file_is_refused_with_a_reason(tmp_path, content,
                                                                 message):
    users = tmp_path / "users"
    if isinstance(content, str):
        users.write_text(content)
    elif content is not None:
        users.write_bytes(content)

    with pytest.raises(ServerSetupError, match=message):
        make_server(tmp_path / "repo", users_file=users)
    assert not (tmp_path / "repo").exists()


def test_https_needs_a_readable_certificate_and_its_key(tmp_path):
    cert, key = self_signed(tmp_path)

    with pytest.raises(ServerSetupError, match="both the certificate and its private key"):
        make_server(tmp_path / "repo", cert=cert)
    with pytest.raises(ServerSetupError, match="are not a certificate and its private key"):
        make_server(tmp_path / "repo", cert=key, key=cert)
    with pytest.raises(ServerSetupError, match="no such file or directory"):
        make_server(tmp_path / "repo", cert=tmp_path / "missing.pem", key=key)
    assert not (tmp_path / "repo").exists()


def test_a_port_in_use_is_refused_with_a_reason(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(ServerSetupError, match=f"port {port}: address already in use"):
            make_server(tmp_path / "repo", port=port)


def test_a_users_file_that_cannot_be_written_is_refused_with_a_reason(tmp_path):
    with pytest.raises(ServerSetupError, match=r"Cannot write the users file .*: no such"):
        add_user(tmp_path / "no such folder" / "users", "ann", "a long secret")
    with pytest.raises(ServerSetupError, match=r"Cannot read the users file .*: is a dir"):
        add_user(tmp_path, "ann", "a long secret")
    (tmp_path / "users").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ServerSetupError, match=r"users file .*: it is not UTF-8 text"):
        add_user(tmp_path / "users", "ann", "a long secret")
    assert (tmp_path / "users").read_bytes() == b"\xff\xfe\x00"


def test_a_repository_folder_that_is_a_file_is_refused_with_a_reason(tmp_path):
    not_a_folder = tmp_path / "users.txt"
    not_a_folder.write_text("ann:scrypt$...\n")

    with pytest.raises(ServerSetupError, match=r"users.txt: it is a file, not a folder"):
        make_server(not_a_folder)
    with pytest.raises(ServerSetupError, match=r"Cannot serve .*: not a directory"):
        make_server(not_a_folder / "repository")
    assert not_a_folder.read_text() == "ann:scrypt$...\n"

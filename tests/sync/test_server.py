"""The app's own repository server: users file, refusals, and a real round trip."""

import pytest
import requests

from invictus_desktop.sync.server import ServerSetupError, add_user, make_server, read_users


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

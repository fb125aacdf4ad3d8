"""The command-line verbs for sync, driven as an administrator would script them."""

import argparse
import io
import re

import pytest

from invictus_desktop.cli import sync_verbs
from invictus_desktop.cli.main import main
from invictus_desktop.errors import UserFacingError
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.services.profile import unlock
from invictus_desktop.sync import outgoing
from invictus_desktop.sync.server import make_server
from tests.conftest import PASSPHRASE
from tests.services.factories import plan_quad
from tests.sync.certificates import self_signed
from tests.sync.replicas import (
    add_school,
    add_schools,
    introduce,
    make_laptop,
    move_thorough_round_back,
    school_names,
    thorough_round_at,
)


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile")
    parser.add_argument("--passphrase-file")
    sync_verbs.register(parser.add_subparsers(dest="verb"))
    args = parser.parse_args(argv)
    return args.run(args)


def founded_repository(tmp_path, url: str) -> ProfilePaths:
    """Ann's locked profile, which has just created the repository at `url` by the
    command line (the passphrase comes from the environment)."""
    ann = make_laptop(tmp_path, "ann")
    ann.lock()
    assert run("--profile", str(ann.paths.root), "sync", "create", url) == 0
    return ann.paths


def test_two_profiles_connect_exchange_rosters_and_sync(
    tmp_path, repository, monkeypatch, capsys
):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    school_id = add_school(ann, "Kinver High School")
    ann.lock()
    ben.lock()
    ann_dir, ben_dir = str(ann.paths.root), str(ben.paths.root)

    assert run("--profile", ann_dir, "sync", "create", repository.url) == 0
    assert run("--profile", ben_dir, "sync", "join", repository.url) == 0
    roster = tmp_path / "roster.json"
    assert run("--profile", ann_dir, "sync", "roster", "export", str(roster)) == 0
    assert run("--profile", ben_dir, "sync", "roster", "import", str(roster)) == 0
    assert run("--profile", ann_dir, "sync", "now") == 0
    assert run("--profile", ben_dir, "sync", "now") == 0

    output = capsys.readouterr().out
    assert "Connected to repository" in output and "received" in output

    reopened = unlock(ben.paths, PASSPHRASE)
    assert school_names(reopened)[school_id] == "Kinver High School"
    reopened.lock()


def test_sync_before_connecting_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    ann = make_laptop(tmp_path, "ann")
    ann.lock()

    with pytest.raises(UserFacingError, match="sync join URL"):
        run("--profile", str(ann.paths.root), "sync", "now")


def test_add_user_takes_the_password_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INVICTUS_REPOSITORY_PASSWORD", "a long shared secret")
    users = tmp_path / "users"

    assert run("repository", "add-user", str(users), "ann") == 0
    assert users.read_text().startswith("ann:scrypt$")


def test_joining_by_address_alone_warns_that_the_profile_is_not_in_the_trust(
    tmp_path, repository, monkeypatch, capsys
):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    ann.lock()
    ben.lock()

    assert run("--profile", str(ann.paths.root), "sync", "create", repository.url) == 0
    assert run("--profile", str(ann.paths.root), "sync", "join", repository.url) == 0
    founder = capsys.readouterr()
    assert run("--profile", str(ben.paths.root), "sync", "join", repository.url) == 0
    stranger = capsys.readouterr()

    assert founder.err == ""
    assert stranger.out.startswith("Connected to repository")
    assert stranger.err.startswith("This profile has not joined the trust yet")
    assert "join INVITATION --code CODE" in stranger.err


def test_a_stray_laptop_s_refused_logs_are_followed_by_what_to_do(
    tmp_path, repository, monkeypatch, capsys
):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    ann, stray = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "stray")
    plan_quad(stray)  # writes to the trust's partition and to the QUAD's
    ann.lock()
    stray.lock()
    ann_dir, stray_dir = str(ann.paths.root), str(stray.paths.root)
    assert run("--profile", ann_dir, "sync", "create", repository.url) == 0
    assert run("--profile", stray_dir, "sync", "join", repository.url) == 0
    run("--profile", stray_dir, "sync")
    capsys.readouterr()

    for _round in range(2):  # every round, as long as the laptop is there
        assert run("--profile", ann_dir, "sync") == 4
        said = capsys.readouterr().err.splitlines()
        refused = [line for line in said if line.startswith("refused: ")]
        # One line per refused log, as before: one per partition the laptop wrote to.
        assert len(refused) == 2
        device = re.match(r"refused: trust/([0-9a-f]{32}): ", refused[0])[1]
        assert re.fullmatch(rf"refused: quad:[0-9a-f]{{32}}/{device}: {device}-00000001-"
                            r"[0-9a-f]{16}\.seg: signed with a key the trust has not "
                            r"enrolled: author [0-9a-f]{32}", refused[1])
        # Then one line, in words, after them.
        hint = said[said.index(refused[-1]) + 1]
        assert hint.startswith("A laptop not enrolled in the trust is writing to the "
                               "repository, so its changes are not applied here: the "
                               "consultant (or the Executive Headteacher) should enrol "
                               "that person")
        assert hint.endswith(f"remove that laptop's folders, partitions/*/{device}/.")
        assert sum(line.startswith("A laptop") for line in said) == 1


def test_a_newcomer_joins_by_request_code_and_invitation(
    tmp_path, repository, monkeypatch, capsys
):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    school_id = add_school(ann, "Kinver High School")
    ann.lock()
    ben.lock()
    ann_dir, ben_dir = str(ann.paths.root), str(ben.paths.root)
    request, invitation = tmp_path / "request.json", tmp_path / "invitation.json"

    run("--profile", ann_dir, "sync", "create", repository.url)
    run("--profile", ben_dir, "sync", "request", str(request))
    code = capsys.readouterr().out.rsplit(": ", 1)[1].strip()
    run("--profile", ann_dir, "sync", "enrol", str(request), "--code", code)
    run("--profile", ann_dir, "sync", "now")
    capsys.readouterr()
    run("--profile", ann_dir, "sync", "invite", str(invitation))
    invitation_code = capsys.readouterr().out.rsplit(": ", 1)[1].strip()
    with pytest.raises(UserFacingError, match="invitation code does not match"):
        run("--profile", ben_dir, "sync", "accept", str(invitation), "--code", code)
    run("--profile", ben_dir, "sync", "accept", str(invitation), "--code", invitation_code)
    run("--profile", ben_dir, "sync", "now")


    reopened = unlock(ben.paths, PASSPHRASE)
    assert school_names(reopened)[school_id] == "Kinver High School"
    reopened.lock()


def test_a_round_shows_its_progress_on_stderr(tmp_path, repository, monkeypatch, capsys):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr(outgoing, "MAX_OPS_PER_SEGMENT", 1)  # a segment per change
    ann, ben = make_laptop(tmp_path, "ann"), make_laptop(tmp_path, "ben")
    introduce(ann, ben)
    add_schools(ann, 40)
    ann.lock()
    ben.lock()
    ann_dir, ben_dir = str(ann.paths.root), str(ben.paths.root)
    assert run("--profile", ann_dir, "sync", "create", repository.url) == 0
    assert run("--profile", ben_dir, "sync", "join", repository.url) == 0
    capsys.readouterr()

    assert run("--profile", ann_dir, "sync") == 0
    sending = capsys.readouterr()
    assert run("--profile", ben_dir, "sync") == 0
    receiving = capsys.readouterr()

    sent = int(re.match(r"sent (\d+), received 0, re-sent 0\n", sending.out)[1])
    assert sent > 40
    lines = sending.err.splitlines()
    assert lines[0] == "Syncing with the trust's repository..."
    assert lines[1] == f"Connecting to 127.0.0.1:{repository.port}"
    assert lines[2] == f"Sending 0 of {sent}"
    assert f"Sending {sent} of {sent}" in lines
    assert lines.index(f"Sending {sent} of {sent}") < lines.index(
        "Looking for changes from others"
    )
    assert "Checking for reports to publish" in lines
    assert re.fullmatch(r"Finished in \d+\.\d s\.", lines[-1])
    # The other laptop receives as many as were sent, and stdout says only the result.
    assert f"Receiving {sent} of {sent}" in receiving.err.splitlines()
    assert re.match(rf"sent \d+, received {sent}, re-sent 0\n", receiving.out)
    assert "Receiving" not in receiving.out and "Finished" not in receiving.out


def test_progress_lines_are_throttled_within_a_step_but_keep_each_end():
    stream, now = io.StringIO(), [0.0]
    lines = sync_verbs.ProgressLines(stream, interval=0.5, clock=lambda: now[0])

    for done in range(0, 401, 40):  # every 0.1 s
        lines(done, 400, f"Sending {done} of 400")
        now[0] += 0.1
    lines(30, 404, "Receiving 30 of 404")
    lines(60, 404, "Receiving 60 of 404")  # unprinted, until the next step
    lines(0, 0, "Checking for reports to publish")
    lines.finish()

    assert stream.getvalue().splitlines() == [
        "Sending 0 of 400",
        "Sending 200 of 400",
        "Sending 400 of 400",
        "Receiving 30 of 404",
        "Receiving 60 of 404",
        "Checking for reports to publish",
        "Finished in 1.1 s.",
    ]


def test_a_total_that_grows_log_by_log_is_throttled_too():
    # Receiving lists log by log: each log applied in full makes done == total.
    stream, now = io.StringIO(), [0.0]
    lines = sync_verbs.ProgressLines(stream, interval=0.5, clock=lambda: now[0])

    lines(0, 0, "Looking for changes from others")
    for total in range(1, 41):  # forty logs of one segment, 0.125 s apart
        lines(total, total, f"Receiving {total} of {total}")
        now[0] += 0.125
    lines.finish()

    shown = [1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 40]  # every 0.5 s, and the last
    assert stream.getvalue().splitlines() == [
        "Looking for changes from others",
        *(f"Receiving {total} of {total}" for total in shown),
        "Finished in 5.0 s.",
    ]


def test_sync_with_the_server_down_exits_1_and_says_so_on_stderr(
    tmp_path, repository, monkeypatch, capsys
):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    profile = str(founded_repository(tmp_path, repository.url).root)
    repository.stop()
    capsys.readouterr()

    assert main(["--profile", profile, "sync"]) == 1

    said = capsys.readouterr()
    assert said.out == ""
    lines = said.err.splitlines()
    assert lines[:2] == ["Syncing with the trust's repository...",
                         f"Connecting to 127.0.0.1:{repository.port}"]
    assert re.fullmatch(r"Stopped after \d+\.\d s\.", lines[2])
    assert lines[3] == (f"invictus-desktop: The repository at 127.0.0.1:{repository.port} "
                        "could not be reached. Check the network; your work is safe here "
                        "and will be sent later.")
    assert "Traceback" not in said.err


def test_thorough_lists_everything_whatever_the_etags_say(
    tmp_path, repository, monkeypatch, capsys
):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    ann = founded_repository(tmp_path, repository.url)
    profile = str(ann.root)
    assert run("--profile", profile, "sync") == 0

    reopened = unlock(ann, PASSPHRASE)
    earlier = move_thorough_round_back(reopened, 60)
    reopened.lock()
    assert run("--profile", profile, "sync") == 0
    reopened = unlock(ann, PASSPHRASE)
    assert thorough_round_at(reopened) == earlier
    reopened.lock()

    assert run("--profile", profile, "sync", "--thorough") == 0
    reopened = unlock(ann, PASSPHRASE)
    assert thorough_round_at(reopened) > earlier + 30
    reopened.lock()


def test_a_certificate_named_by_a_relative_path_is_found_from_another_folder(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    cert, key = self_signed(tmp_path)
    server = make_server(tmp_path / "repository", cert=cert, key=key)
    server.start()
    ann = make_laptop(tmp_path, "ann")
    ann.lock()
    profile = str(ann.paths.root)
    try:
        monkeypatch.chdir(tmp_path)
        assert run("--profile", profile, "sync", "create", server.url,
                   "--trust-certificate", cert.name) == 0
        monkeypatch.chdir(tmp_path / "repository")  # a later round, run elsewhere
        assert run("--profile", profile, "sync") == 0
    finally:
        server.stop()


@pytest.mark.parametrize("verb", [["sync", "create", "URL"], ["join", "FILE", "--code", "C"]])
def test_a_user_name_without_a_password_is_refused_before_anything(
    tmp_path, repository, monkeypatch, capsys, verb
):
    """Not sent as an empty password, which the server would refuse as wrong."""
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("INVICTUS_REPOSITORY_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())  # no terminal to ask in
    ann = make_laptop(tmp_path, "ann")
    ann.lock()
    argv = [repository.url if word == "URL" else word for word in verb]

    assert main(["--profile", str(ann.paths.root), *argv, "--user", "ann"]) == 1

    assert capsys.readouterr().err == (
        "invictus-desktop: No password given. Set INVICTUS_REPOSITORY_PASSWORD, "
        "or run this in a terminal to be asked.\n"
    )
    assert not (tmp_path / "repository" / "invictus-repository.json").exists()

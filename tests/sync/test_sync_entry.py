"""The top-level verbs from the README: `sync` alone runs one round, and
`invite` / `join` stand on their own."""

from invictus_desktop.cli.main import build_parser, main
from tests.conftest import PASSPHRASE
from tests.sync.replicas import add_school, make_laptop


def test_sync_alone_runs_one_round_and_reports_it(tmp_path, repository, monkeypatch, capsys):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    ann = make_laptop(tmp_path, "ann")
    add_school(ann, "Kinver High School")
    ann.lock()
    profile = ["--profile", str(ann.paths.root)]

    assert main([*profile, "sync", "create", repository.url]) == 0
    assert main([*profile, "sync"]) == 0

    assert "sent" in capsys.readouterr().out
    assert list((tmp_path / "repository" / "partitions" / "trust").iterdir())


def test_sync_without_a_repository_exits_1_with_the_next_step(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    ann = make_laptop(tmp_path, "ann")
    ann.lock()

    assert main(["--profile", str(ann.paths.root), "sync"]) == 1
    assert "sync join URL" in capsys.readouterr().err


def test_invite_and_join_are_top_level_verbs():
    parser = build_parser()
    assert parser.parse_args(["invite", "for-sam.json"]).file.name == "for-sam.json"
    joined = parser.parse_args(
        ["join", "invitation.json", "--user", "sam", "--code", "ABCD-EFGH-IJKL-MNOP"]
    )
    assert (joined.file.name, joined.user) == ("invitation.json", "sam")
    assert joined.code == "ABCD-EFGH-IJKL-MNOP"

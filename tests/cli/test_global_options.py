"""`--profile` and `--passphrase-file` work before the verb and after it, as the
README's "every verb takes --profile DIR" reads."""

from invictus_desktop.cli.main import build_parser, main


def test_profile_and_passphrase_file_may_follow_the_verb(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("INVICTUS_PASSPHRASE", raising=False)
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("a demo passphrase\n")
    folder = str(tmp_path / "profile")

    assert main(["init", "--name", "Ann Example", "--role", "consultant",
                 "--profile", folder, "--passphrase-file", str(passphrase)]) == 0
    # After a step of a verb too; the option after the verb wins over the one before.
    assert main(["--profile", str(tmp_path / "elsewhere"), "doctor", "--profile", folder,
                 "--passphrase-file", str(passphrase)]) == 0

    said = capsys.readouterr()
    assert f"Profile created in {folder}" in said.out
    assert "The store is healthy." in said.out


def test_options_before_the_verb_are_not_reset_by_it():
    args = build_parser().parse_args(["--profile", "/p", "sync", "join", "https://q/"])
    assert args.profile == "/p" and args.passphrase_file is None

    args = build_parser().parse_args(["sync", "roster", "export", "f", "--profile", "/q"])
    assert args.profile == "/q"

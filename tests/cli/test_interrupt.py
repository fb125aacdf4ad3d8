"""Ctrl+C on any verb: exit 130 with a line in words, not a traceback."""

from invictus_desktop.cli import main as cli_main


def test_an_interrupted_verb_says_so_and_exits_130(tmp_path, monkeypatch, capsys):
    def interrupted(_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_main, "_run_gui", interrupted)

    assert cli_main.main(["--profile", str(tmp_path / "profile")]) == 130
    error = capsys.readouterr().err
    assert "interrupted" in error
    assert "can be run again" in error
    assert "Traceback" not in error

"""A Board member's `quads` and `report` point to `published`: QUAD records never
come to their laptop, so those verbs would otherwise find nothing."""

import pytest

from invictus_desktop.cli.main import main


@pytest.fixture(scope="module")
def board_profile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("board") / "profile"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INVICTUS_PASSPHRASE", "a demo passphrase")
        assert main(["--profile", str(folder), "init", "--name", "Catherine Vale",
                     "--role", "board_member"]) == 0
    return folder


def test_quads_tells_a_board_member_to_read_the_published_reports(board_profile, capsys):
    capsys.readouterr()

    assert main(["--profile", str(board_profile), "quads"]) == 1

    said = capsys.readouterr()
    assert said.out == ""
    assert "Board members read the published reports" in said.err
    assert "`invictus-desktop published` lists them" in said.err
    assert "`invictus-desktop published REF --out FILE.pdf` writes one" in said.err


def test_report_names_the_published_verb_for_the_same_reference(
    board_profile, tmp_path, capsys
):
    out = tmp_path / "my report.pdf"

    code = main(["--profile", str(board_profile), "report", "KHS-2026-AUT",
                 "--out", str(out)])

    assert code == 1
    said = capsys.readouterr().err
    assert "Board members read the published reports" in said
    assert "There is no QUAD" not in said
    assert f"`invictus-desktop published KHS-2026-AUT --out '{out}'`" in said
    assert not out.exists()


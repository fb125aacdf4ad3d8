"""`invictus-desktop report QUAD_REF --variant school|board --out FILE.pdf`."""

from io import BytesIO

from pypdf import PdfReader

from invictus_desktop.cli.main import main


def test_report_writes_the_chosen_copy_as_pdf(demo_profile, tmp_path, capsys):
    out = tmp_path / "kinver-board.pdf"

    code = main(["--profile", str(demo_profile), "report", "KHS-2026-AUT",
                 "--variant", "board", "--out", str(out)])

    assert code == 0
    printed = capsys.readouterr().out
    assert "KHS-2026-AUT (board copy, draft (not finalised)) written to" in printed
    reader = PdfReader(BytesIO(out.read_bytes()))
    assert reader.metadata.title.startswith("Quality Assurance Day (QUAD) report: Kinver")
    assert "Board copy" in reader.pages[0].extract_text()


def test_report_for_an_unknown_quad_is_a_clear_error(demo_profile, tmp_path, capsys):
    code = main(["--profile", str(demo_profile), "report", "NOPE-1", "--out",
                 str(tmp_path / "x.pdf")])
    assert code == 1
    assert "There is no QUAD 'NOPE-1'" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()

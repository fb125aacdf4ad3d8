"""`sync` publishes, `published` lists and verifies, as a script would drive them."""

import json
import re

from invictus_desktop.cli.main import main
from invictus_desktop.sync import publication
from tests.conftest import PASSPHRASE
from tests.sync.publishing_setup import consultant_and_board, finalise


def test_sync_publishes_and_the_board_lists_verifies_and_writes_the_pdf(
    tmp_path, repository, monkeypatch, capsys
):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    ann, board, planned = consultant_and_board(tmp_path, repository.url)
    reference = json.loads(finalise(ann, planned.quad_id, "First.").manifest)["reference"]
    finalise(ann, planned.quad_id, "Second.")
    ann.lock()
    board.lock()
    ann_dir, board_dir = str(ann.paths.root), str(board.paths.root)

    assert main(["--profile", ann_dir, "sync"]) == 0
    assert f"published {reference} version 2 to the Board" in capsys.readouterr().out
    assert main(["--profile", board_dir, "sync"]) == 0
    assert main(["--profile", board_dir, "published"]) == 0
    listing = capsys.readouterr().out.splitlines()
    row = f"Kinver High School | Autumn 2026-27 | {reference}, version"
    assert f"{row} 2 | Board copy  (newest)" in listing
    assert f"{row} 1 | Board copy" in listing

    out = tmp_path / "board.pdf"
    assert main(["--profile", board_dir, "published", reference.lower(), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert re.search(r"version 2 verifies: signed by ann on \d\d [A-Z][a-z]{2} \d{4} "
                     r"\d\d:\d\d; the PDF is exactly as signed\.", said)
    assert out.read_bytes().startswith(b"%PDF")


def test_a_version_that_does_not_verify_is_not_written(tmp_path, repository, monkeypatch,
                                                       capsys):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    ann, board, planned = consultant_and_board(tmp_path, repository.url)
    reference = json.loads(finalise(ann, planned.quad_id, "First.").manifest)["reference"]
    ann.lock()
    board.lock()
    assert main(["--profile", str(ann.paths.root), "sync"]) == 0
    signature = repository.root / publication.board_folder(reference, 1) / "manifest.sig"
    signature.write_bytes(bytes(64))

    out = tmp_path / "board.pdf"
    board_dir = str(board.paths.root)
    assert main(["--profile", board_dir, "sync"]) == 0
    assert main(["--profile", board_dir, "published", reference, "--out", str(out)]) == 3
    assert "does NOT verify" in capsys.readouterr().err
    assert not out.exists()
    assert main(["--profile", board_dir, "published", reference, "--version", "9"]) == 1


def test_a_board_member_asking_for_quad_records_is_pointed_to_the_published_reports(
    tmp_path, repository, monkeypatch, capsys
):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    ann, board, planned = consultant_and_board(tmp_path, repository.url)
    reference = json.loads(finalise(ann, planned.quad_id, "First.").manifest)["reference"]
    ann.lock()
    board.lock()
    board_dir = str(board.paths.root)
    assert main(["--profile", str(ann.paths.root), "sync"]) == 0
    assert main(["--profile", board_dir, "sync"]) == 0
    capsys.readouterr()

    out = tmp_path / "board.pdf"
    assert main(["--profile", board_dir, "quads"]) == 1
    assert "Board members read the published reports" in capsys.readouterr().err
    assert main(["--profile", board_dir, "report", reference, "--out", str(out)]) == 1
    said = capsys.readouterr().err
    suggested = f"invictus-desktop published {reference} --out {out}"
    assert f"`{suggested}` writes the newest published version" in said
    assert not out.exists()

    # What it suggests works, as it reads.
    assert main(["--profile", board_dir, *suggested.split()[1:]]) == 0
    assert out.read_bytes().startswith(b"%PDF")

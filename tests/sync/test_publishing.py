"""Publishing: a final version reaches the Board and school areas as write-once
folders, and a Board member's library lists, opens and verifies it."""

import json
from io import BytesIO

import pytest
from pypdf import PdfReader

from invictus_desktop.reporting.audience import Variant
from invictus_desktop.services import publishing, report_finalise
from invictus_desktop.services.syncing import sync_once
from invictus_desktop.store.models import Role, RoleAssignment
from invictus_desktop.sync import publication
from invictus_desktop.sync.publication import Outcome, Publication
from tests.sync.publishing_setup import consultant_and_board, finalise, invite
from tests.sync.replicas import engine_for, make_laptop


@pytest.fixture
def trust(tmp_path, repository):
    """A consultant with a planned QUAD, and a Board member, both connected."""
    ann, board, planned = consultant_and_board(tmp_path, repository.url)
    yield ann, board, planned
    ann.lock()
    board.lock()


def _folder_files(repository, folder):
    root = repository.root / folder
    return {path.name: path.read_bytes() for path in root.iterdir()}


def test_a_final_version_is_published_to_the_board_and_the_school(trust, repository):
    ann, _, planned = trust
    result = finalise(ann, planned.quad_id, "Leaders know the school well.")

    report = sync_once(ann)

    reference = json.loads(result.manifest)["reference"]
    assert report.published == [f"{reference} version 1"]
    board = _folder_files(repository, publication.board_folder(reference, 1))
    school = _folder_files(
        repository, publication.school_folder(planned.school_id, reference, 1)
    )
    assert set(board) == set(school) == {"report.pdf", "manifest.json", "manifest.sig"}
    assert board["manifest.json"] == school["manifest.json"] == result.manifest.encode()
    assert report_finalise.sha256_hex(board["report.pdf"]) == result.pdf_sha256["board"]
    assert report_finalise.sha256_hex(school["report.pdf"]) == result.pdf_sha256["school"]
    assert sync_once(ann).published == []  # marked: not sent again


def test_the_board_lists_opens_and_verifies_every_version(trust):
    ann, board, planned = trust
    finalise(ann, planned.quad_id, "First version.")
    finalise(ann, planned.quad_id, "Second version, after the Head's response.")
    sync_once(ann)

    assert sync_once(board).reports_arrived == 2

    entries = publishing.published_reports(board)
    assert [(e.number, e.newest) for e in entries] == [(2, True), (1, False)]
    assert {(e.school_name, e.term) for e in entries} == {
        ("Kinver High School", "Autumn 2026-27")
    }
    pdf, verification = publishing.open_published(board, entries[0].folder)
    assert verification.ok, verification.problems
    assert verification.signer_name == "ann"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Second version" in text
    assert publishing.find_published(board, entries[0].reference).number == 2
    assert sync_once(board).reports_arrived == 0


def test_a_pdf_changed_on_the_server_does_not_verify(trust, repository):
    ann, board, planned = trust
    result = finalise(ann, planned.quad_id, "Leaders know the school well.")
    sync_once(ann)
    reference = json.loads(result.manifest)["reference"]
    pdf_path = repository.root / publication.board_folder(reference, 1) / "report.pdf"
    tampered = bytearray(pdf_path.read_bytes())
    tampered[len(tampered) // 2] ^= 0x01
    pdf_path.write_bytes(bytes(tampered))

    sync_once(board)

    [entry] = publishing.published_reports(board)
    _, verification = publishing.open_published(board, entry.folder)
    assert not verification.ok
    assert verification.problems == [
        "the board PDF differs from the one that was signed",
        "the copy may not have arrived whole; it is fetched again at the next sync",
    ]


def test_a_manifest_signed_by_someone_else_does_not_verify(trust, repository):
    ann, board, planned = trust
    result = finalise(ann, planned.quad_id, "Leaders know the school well.")
    sync_once(ann)
    reference = json.loads(result.manifest)["reference"]
    signature_path = (
        repository.root / publication.board_folder(reference, 1) / "manifest.sig"
    )
    signature_path.write_bytes(bytes(64))

    sync_once(board)

    [entry] = publishing.published_reports(board)
    _, verification = publishing.open_published(board, entry.folder)
    assert not verification.ok
    assert "signature does not verify" in verification.problems[0]


def test_a_published_folder_is_never_overwritten(trust, repository):
    ann, _, planned = trust
    result = finalise(ann, planned.quad_id, "Leaders know the school well.")
    reference = json.loads(result.manifest)["reference"]
    folder = publication.board_folder(reference, 1)
    impostor = Publication(b'{"kind": "something else"}', bytes(64), b"%PDF-1.4 not ours")
    client = engine_for(ann, repository.url).client
    assert publication.publish(client, folder, impostor) is Outcome.PUBLISHED

    report = sync_once(ann)

    assert report.publish_clashes == [f"{reference} version 1"]
    assert _folder_files(repository, folder)["report.pdf"] == impostor.pdf
    assert publication.publish(client, folder, impostor) is Outcome.ALREADY_THERE
    client.close()


def test_a_folder_still_being_written_or_misnamed_is_not_kept(trust, repository):
    ann, board, planned = trust
    result = finalise(ann, planned.quad_id, "Leaders know the school well.")
    sync_once(ann)
    reference = json.loads(result.manifest)["reference"]
    files = _folder_files(repository, publication.board_folder(reference, 1))
    signed = Publication(files["manifest.json"], files["manifest.sig"], files["report.pdf"])
    client = engine_for(ann, repository.url).client
    # Half written: the PDF is there, the manifest (written last) is not.
    half = publication.board_folder(reference, 2)
    client.ensure_folder(half)
    client.put_immutable(half + "report.pdf", files["report.pdf"])
    # Under another version's name: its manifest says version 1.
    misnamed = publication.board_folder(reference, 7)
    assert publication.publish(client, misnamed, signed) is Outcome.PUBLISHED
    client.close()

    assert sync_once(board).reports_arrived == 1
    assert [e.number for e in publishing.published_reports(board)] == [1]


def test_the_schools_headteacher_receives_the_school_copy_only(trust, tmp_path, repository):
    ann, board, planned = trust
    head = make_laptop(tmp_path, "Ruth Linden", role=Role.HEADTEACHER)
    invite(ann, head, repository.url)
    with ann.store.session() as session:
        session.add(RoleAssignment(person_id=head.person_id, role=Role.HEADTEACHER,
                                   school_id=planned.school_id))
    result = finalise(ann, planned.quad_id, "Leaders know the school well.")
    sync_once(ann)

    assert sync_once(head).reports_arrived == 1

    [entry] = publishing.published_reports(head)
    assert entry.variant is Variant.SCHOOL and entry.school_name == "Kinver High School"
    pdf, verification = publishing.open_published(head, entry.folder)
    assert verification.ok, verification.problems
    assert report_finalise.sha256_hex(pdf) == result.pdf_sha256["school"]
    assert [e.variant for e in publishing.published_reports(board)] == []
    sync_once(board)
    assert [e.variant for e in publishing.published_reports(board)] == [Variant.BOARD]
    head.lock()


def test_the_report_screen_state_says_when_a_version_was_published(trust):
    from invictus_desktop.services.report_desk import report_state

    ann, _, planned = trust
    finalise(ann, planned.quad_id, "Leaders know the school well.")
    assert report_state(ann, planned.quad_id).published_at is None

    sync_once(ann)

    assert report_state(ann, planned.quad_id).published_at is not None

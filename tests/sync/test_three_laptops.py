"""The journey the trust makes every term, on three laptops and a Board member's,
through a real repository: the consultant plans, the two heads record and
submit offline, everyone syncs, the consultant merges and publishes, and the
Board lists and verifies the report."""

import json
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import func, select

from invictus_desktop.services import notes, planning, publishing, report_drafts, visits
from invictus_desktop.services.report_finalise import finalise
from invictus_desktop.services.syncing import sync_once
from invictus_desktop.store.models import (
    Activity,
    Judgement,
    NoteSubmission,
    Rag,
    ReportFile,
    ReportVersion,
    Role,
    SourceKind,
    SyncCursor,
    TeamRole,
)
from tests.services.factories import plan_quad
from tests.sync.publishing_setup import connect, invite
from tests.sync.replicas import make_laptop

EXEC_NOTE = "Maths explanations are clear in Year 7 but not in Key Stage 4."
VISITING_NOTE = "Reading is modelled well; questioning reaches only a few pupils."
EVIDENCE = "Worked examples jumped between ideas; pupils lost the thread."
CONCERN = "A pupil disclosed worries about home; referred to the DSL at break."
BODY = "Mathematics teaching is inconsistent in Key Stage 4; reading is a strength."


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_plan_record_offline_merge_publish_and_the_board_verifies(tmp_path, repository):
    url = repository.url
    consultant = make_laptop(tmp_path, "Morgan Hale")
    connect(consultant, url, create=True)
    executive = make_laptop(tmp_path, "Priya Raman", role=Role.EXECUTIVE_HEAD)
    visiting = make_laptop(tmp_path, "Owen Castell", role=Role.HEADTEACHER)
    invite(consultant, executive, url)
    invite(consultant, visiting, url)

    # The consultant plans the QUAD with both heads on the team.
    planned = plan_quad(consultant)
    planning.set_team(consultant, planned.quad_id, [
        (consultant.person_id, TeamRole.CONSULTANT),
        (executive.person_id, TeamRole.EXECUTIVE_HEAD),
        (visiting.person_id, TeamRole.VISITING_HEAD),
    ])
    sync_once(consultant)
    for head in (executive, visiting):
        sync_once(head)

    # On the day, offline: each head records and submits on their own laptop.
    lesson = visits.start_visit(executive, planned.quad_id, planned.slot_id)
    visits.save_evidence(executive, lesson, planned.focus_ids[0], EVIDENCE,
                         Judgement.CONTRADICTS)
    visits.save_fields(executive, lesson, {"safeguarding_concern": True,
                                           "safeguarding_text": CONCERN})
    for head, text in ((executive, EXEC_NOTE), (visiting, VISITING_NOTE)):
        draft = notes.open_draft(head, planned.quad_id)
        notes.save_section(head, draft.id, planned.focus_ids[0], text)
        notes.submit(head, draft.id)

    # Back online: the heads send, the consultant receives.
    for head in (executive, visiting):
        assert sync_once(head).refused == []
    assert sync_once(consultant).refused == []

    # The consultant merges: every source is there, with its author.
    sources = report_drafts.merge_sources(consultant, planned.quad_id, planned.focus_ids[0])
    by_kind = {(s.kind, s.author_name) for s in sources}
    assert (SourceKind.NOTE_SECTION, "Priya Raman") in by_kind
    assert (SourceKind.NOTE_SECTION, "Owen Castell") in by_kind
    assert any(EVIDENCE in s.text for s in sources)
    with consultant.store.session() as session:
        signed = session.scalars(select(NoteSubmission).where(
            NoteSubmission.quad_id == planned.quad_id)).all()
        assert {n.author_id for n in signed} == {executive.person_id, visiting.person_id}
        assert all(notes.verify_note(session, note) for note in signed), (
            "each head's submission proves who wrote it, on the consultant's laptop")

    report = report_drafts.open_report(consultant, planned.quad_id)
    maths = report.sections[0]
    report_drafts.save_section(consultant, maths.id, body=BODY, recommended_rag=Rag.AMBER,
                               rag_rationale="Strong in Year 7, not yet in Key Stage 4.")
    for source in sources:
        report_drafts.cite(consultant, maths.id, 0, source)
    final = finalise(consultant, planned.quad_id, accept_name_warnings=True)

    round_report = sync_once(consultant)
    reference = json.loads(final.manifest)["reference"]
    assert round_report.published == [f"{reference} version 1"]

    # A Board member joins afterwards, syncs, lists and verifies the report.
    board = make_laptop(tmp_path, "Beatrice Okafor", role=Role.BOARD_MEMBER)
    invite(consultant, board, url)
    assert sync_once(board).reports_arrived == 1
    [entry] = publishing.published_reports(board)
    assert (entry.school_name, entry.term, entry.reference) == (
        "Kinver High School", "Autumn 2026-27", reference)
    pdf, verification = publishing.open_published(board, entry.folder)
    assert verification.ok, verification.problems
    assert verification.signer_name == "Morgan Hale"

    with board.store.session() as session:
        for model in (Activity, NoteSubmission, ReportVersion, ReportFile):
            assert session.scalar(select(func.count()).select_from(model)) == 0, (
                f"a Board member never receives {model.__tablename__} rows")
        assert set(session.scalars(select(SyncCursor.partition))) <= {"trust"}

    text = " ".join(_pdf_text(pdf).split())
    assert BODY in text
    assert "Ashby" not in text, "the Board copy withholds teachers' names"
    assert "disclosed" not in text, "safeguarding never goes into a Board report"

    for laptop in (consultant, executive, visiting, board):
        laptop.lock()

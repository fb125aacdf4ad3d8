"""Three people, one store, through the screens: the heads write and submit
notes on the Notes page; the consultant merges every source on the Report
page, cites two, writes, previews the PDF, finalises past the Board name
warning, verifies, and the PDF parses back with what was written."""

from io import BytesIO

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument

from invictus_desktop.gui.pages.notes import NotesPage
from invictus_desktop.gui.pages.report import ReportPage
from invictus_desktop.reporting.audience import Variant
from invictus_desktop.services import report_drafts, report_finalise
from invictus_desktop.store.vocabulary import Rag, SourceKind
from tests.gui.report.conftest import CONSULTANT_EVIDENCE, EXEC_EVIDENCE, Team
from tests.gui.report.test_notes_page import submit

EXEC_NOTE = "Maths remains inconsistent across classes."
VISITING_NOTE = "Reading is modelled well; maths explanations vary."
SUMMARY = "Leaders know the school well. Amelia Ashby's lesson stood out."
FIRST = "Concepts are not sequenced coherently across maths lessons."
SECOND = "Where teaching is clear, pupils succeed."


def left_click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def write_and_submit_note(qtbot, make_page, profile, focus_id: str, text: str) -> None:
    page = make_page(NotesPage, profile)
    page.page_shown()
    qtbot.keyClicks(page.form.editors[focus_id], text)
    submit(page, qtbot)
    assert page.state_label.text() == "Version 1, submitted and signed"


def card_by_author(page: ReportPage, name: str, kind: SourceKind):
    return next(c for c in page.sources.cards
                if c.source.author_name == name and c.source.kind is kind)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_notes_merged_cited_previewed_finalised_and_verified(qtbot, team: Team, make_page):
    maths = team.planned.focus_ids[0]

    # The two heads write and submit their notes through the Notes page.
    write_and_submit_note(qtbot, make_page, team.exec_head, maths, EXEC_NOTE)
    write_and_submit_note(qtbot, make_page, team.visiting, maths, VISITING_NOTE)

    # The consultant sees every source for the maths section, all unused.
    page = make_page(ReportPage, team.consultant)
    page.page_shown()
    assert page.state_label.text() == "Draft, version 1"
    assert page.section_combo.currentText() == "P1: Maths: clarity of concepts  (4 unused)"
    statuses = {(c.source.author_name, c.source.kind): c.status_label.text()
                for c in page.sources.cards}
    assert statuses == {
        ("Priya Raman", SourceKind.EVIDENCE): "Unused",
        ("Dana Whitfield", SourceKind.EVIDENCE): "Unused",
        ("Priya Raman", SourceKind.NOTE_SECTION): "Unused",
        ("Owen Castell", SourceKind.NOTE_SECTION): "Unused",
    }
    note_card = card_by_author(page, "Owen Castell", SourceKind.NOTE_SECTION)
    assert note_card.heading_label.text() == (
        "Submitted note · Version 1 · signature verified")
    assert "Visiting head" in note_card.findChild(type(note_card.status_label),
                                                  "sourceAuthor").text()
    assert page.sources.summary_label.text() == "4 sources, 4 unused"

    # Write two paragraphs; cite evidence for the first, quote a note in the second.
    body = page.editor.body_edit
    qtbot.keyClicks(body, FIRST)
    body.moveCursor(body.textCursor().MoveOperation.Start)
    left_click(qtbot, card_by_author(page, "Priya Raman", SourceKind.EVIDENCE).cite_button)
    body.moveCursor(body.textCursor().MoveOperation.End)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClicks(body, SECOND)
    assert page.editor.paragraph_label.text() == "Cursor in paragraph 2"
    left_click(qtbot, card_by_author(page, "Owen Castell", SourceKind.NOTE_SECTION)
               .quote_button)

    assert body.toPlainText() == f"{FIRST}\n\n{SECOND} “{VISITING_NOTE}”"
    [section] = [s for s in report_drafts.open_report(team.consultant,
                                                      team.planned.quad_id).sections
                 if s.focus_area_id == maths]
    assert section.body == body.toPlainText()
    assert sorted((c.paragraph_index, c.quote) for c in section.citations) == [
        (0, ""), (1, VISITING_NOTE)]
    assert page.sources.summary_label.text() == "4 sources, 2 unused"
    assert card_by_author(page, "Owen Castell", SourceKind.NOTE_SECTION
                          ).status_label.text() == "Used"
    assert card_by_author(page, "Dana Whitfield", SourceKind.EVIDENCE
                          ).status_label.text() == "Unused"
    citations = [page.editor.citations_list.item(row).text()
                 for row in range(page.editor.citations_list.count())]
    assert citations[0].startswith("¶1 · Priya Raman (Executive head): “Concepts")
    assert citations[1].startswith("¶2 · Owen Castell (Visiting head): “Reading")

    # RAG, rationale, summary (naming a teacher), an action.
    left_click(qtbot, page.editor.rag_chooser.buttons[Rag.RED])
    qtbot.keyClicks(page.editor.rationale_edit, "Evidence contradicts the plan.")
    assert page.editor.school_rag_chip.text() == "Red"
    page.tabs.setCurrentIndex(1)
    qtbot.keyClicks(page.texts.editors["executive_summary"], SUMMARY)
    page.tabs.setCurrentIndex(2)
    qtbot.keyClicks(page.actions.description_edit, "Adopt one maths sequence")
    qtbot.keyClicks(page.actions.owner_edit, "Head of Maths")
    page.actions.priority_combo.setCurrentIndex(1)
    left_click(qtbot, page.actions.save_button)
    assert page.actions.table.rowCount() == 1
    assert page.actions.table.item(0, 3).text() == "P1: Maths: clarity of concepts"

    # Preview: the PDF, rendered in a worker, loaded from memory by QtPdf.
    left_click(qtbot, page.preview_button)
    preview = page.preview
    assert preview is not None and preview.isVisible()
    qtbot.waitUntil(lambda: preview.document.status() is QPdfDocument.Status.Ready)
    pages = preview.document.pageCount()
    assert pages >= 3
    assert preview.page_label.text() == f"Page 1 of {pages}"
    assert preview.status_label.text() == "School copy: Draft version 1, not finalised"
    left_click(qtbot, preview.next_button)
    assert preview.current_page() == 1
    left_click(qtbot, preview.board_button)
    qtbot.waitUntil(lambda: preview.document.status() is QPdfDocument.Status.Ready)
    assert preview.variant is Variant.BOARD and preview.document.pageCount() >= 3
    assert preview.status_label.text().startswith("Board copy: Draft version 1")
    preview.close()
    assert page.preview is None

    # Finalise: the Board name warning first; going back leaves the draft.
    left_click(qtbot, page.finalise_button)
    dialog = page.finalise_dialog
    assert dialog is not None and dialog.isVisible()
    assert [dialog.names_list.item(r).text() for r in range(dialog.names_list.count())
            ] == ["Amelia Ashby"]
    left_click(qtbot, dialog.back_button)
    assert page.state_label.text() == "Draft, version 1"
    check = report_finalise.verify_latest(team.consultant, team.planned.quad_id)
    assert check.problems == ["no version has been finalised"]

    left_click(qtbot, page.finalise_button)
    left_click(qtbot, page.finalise_dialog.finalise_button)

    assert page.state_label.text() == "Version 1 is final"
    assert page.banner.isVisible()
    banner = page.banner.text_label.text()
    assert banner.startswith("Version 1 is final. Signed by Dana Whitfield on ")
    assert banner.endswith(
        "It goes to the Board and the school at the next sync. Editing starts version 2.")
    assert not page.tabs.isVisible() and not page.finalise_button.isEnabled()

    left_click(qtbot, page.banner.verify_button)
    assert page.banner.result.text().startswith("Verified: signed by Dana Whitfield")

    # The signed PDF holds what was written, and the Board copy withholds the name.
    school, _ = report_finalise.report_pdf(team.consultant, team.planned.quad_id,
                                           Variant.SCHOOL)
    board, _ = report_finalise.report_pdf(team.consultant, team.planned.quad_id,
                                          Variant.BOARD)
    text = " ".join(pdf_text(school).split())
    for expected in ("Executive summary", "Maths: clarity of concepts", FIRST, SECOND,
                     "Evidence contradicts the plan.", "Adopt one maths sequence",
                     "Leaders know the school well."):
        assert expected in text, expected
    assert "Ashby" in text and "Ashby" not in pdf_text(board)
    assert EXEC_EVIDENCE[:20] in text or CONSULTANT_EVIDENCE[:20] not in text

    # Editing now starts version 2, as the banner said.
    left_click(qtbot, page.banner.start_button)
    assert page.state_label.text() == "Draft, version 2"
    assert page.tabs.isVisible() and page.finalise_button.isEnabled()
    assert page.banner.text_label.text().endswith("You are editing version 2.")

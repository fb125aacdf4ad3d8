"""The Report screen: refused plainly to others, hidden from their navigation,
and emptied on lock (preview included)."""

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument

from invictus_desktop.gui.pages.report import ReportPage
from invictus_desktop.services import report_drafts
from tests.gui.report.conftest import Team


def test_lock_writes_waiting_typing_and_empties_the_page(qtbot, team: Team, make_page):
    page = make_page(ReportPage, team.consultant)
    page.page_shown()
    assert page.sources.cards and page.editor.section is not None
    page.preview_button.click()
    preview = page.preview
    qtbot.waitUntil(lambda: preview.document.status() is QPdfDocument.Status.Ready)
    qtbot.keyClicks(page.editor.body_edit, "Typed just before the lock")

    page.clear_data()

    report = report_drafts.open_report(team.consultant, team.planned.quad_id)
    assert report.sections[0].body == "Typed just before the lock"
    assert page.profile is None and page.desk is None and page.preview is None
    assert preview.document.pageCount() == 0 and not preview.isVisible()
    assert page.sources.cards == [] and page.sources.summary_label.text() == ""
    assert page.editor.body_edit.toPlainText() == ""
    assert page.editor.citations_list.count() == 0
    assert all(e.toPlainText() == "" for e in page.texts.editors.values())
    assert page.actions.table.rowCount() == 0 and page.section_combo.count() == 0
    assert page.picker.count() == 0 and page.state_label.text() == ""


def test_a_headteacher_is_told_plainly_and_cannot_write(team: Team, make_page):
    page = make_page(ReportPage, team.visiting)
    page.page_shown()

    assert page.desk is None and page.picker.count() == 0
    assert page.message.text() == (
        "The consultant writes the QUAD report (a specialist writes their own visit's).")
    assert not page.tabs.isVisible()
    assert not page.finalise_button.isEnabled() and not page.preview_button.isEnabled()
    assert not ReportPage.shown_for(["Headteacher"])
    assert ReportPage.shown_for(["School Improvement Consultant"])


def test_a_removed_citation_frees_its_source(qtbot, team: Team, make_page):
    page = make_page(ReportPage, team.consultant)
    page.page_shown()
    qtbot.keyClicks(page.editor.body_edit, "One paragraph.")
    qtbot.mouseClick(page.sources.cards[0].cite_button, Qt.MouseButton.LeftButton)
    assert page.sources.cards[0].status_label.text() == "Used"

    page.editor.citations_list.setCurrentRow(0)
    qtbot.mouseClick(page.editor.remove_citation_button, Qt.MouseButton.LeftButton)

    assert page.editor.citations_list.count() == 0
    assert page.sources.cards[0].status_label.text() == "Unused"
    assert report_drafts.open_report(team.consultant, team.planned.quad_id
                                     ).sections[0].citations == []


def test_the_navigation_lists_only_the_screens_for_my_roles(qtbot, new_profile,
                                                           make_controller):
    from tests.gui.test_main_window import open_main

    new_profile.lock()
    window = open_main(make_controller(), qtbot)

    navigation = window.navigation
    titles = [navigation.item(row).text() for row in range(navigation.count())]
    assert "Report" in titles and "Notes" not in titles
    assert "notes" not in window.pages


def test_a_citation_follows_its_paragraph_when_one_is_typed_above(
    qtbot, team: Team, make_page
):
    from PySide6.QtGui import QTextCursor

    page = make_page(ReportPage, team.consultant)
    page.page_shown()
    body = page.editor.body_edit
    qtbot.keyClicks(body, "Cited paragraph.")
    qtbot.mouseClick(page.sources.cards[0].cite_button, Qt.MouseButton.LeftButton)
    assert page.editor.citations_list.item(0).text().startswith("¶1 ")

    body.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClicks(body, "A new opening paragraph.")
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClick(body, Qt.Key.Key_Return)

    assert page.editor.citations_list.item(0).text().startswith("¶2 "), "on screen"
    assert page.flush_pending()
    [section] = report_drafts.open_report(team.consultant, team.planned.quad_id
                                          ).sections[:1]
    assert section.body == "A new opening paragraph.\n\nCited paragraph."
    assert [c.paragraph_index for c in section.citations] == [1], "in the store"

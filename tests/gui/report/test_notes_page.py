"""The Notes screen: autosave after a pause, submit as a signed version, read
only afterwards, a correction as the next version, and emptied on lock."""

import re

from PySide6.QtCore import Qt

from invictus_desktop.gui.autosave import PROSE_DEBOUNCE_MS as DEBOUNCE_MS
from invictus_desktop.gui.pages.notes import NotesPage
from invictus_desktop.services import notes
from tests.gui.report.conftest import Team

SAVED = re.compile(r"Saved \d\d:\d\d:\d\d")


def open_notes(make_page, profile) -> NotesPage:
    page = make_page(NotesPage, profile)
    page.page_shown()
    assert page.desk is not None, page.message.text()
    return page


def submit(page: NotesPage, qtbot) -> None:
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    box = page.confirm_box
    assert box is not None and box.isVisible()
    assert "immutable, signed version" in box.text()
    qtbot.mouseClick(page.confirm_submit_button, Qt.MouseButton.LeftButton)
    assert page.confirm_box is None


def test_typing_is_saved_once_after_a_pause(qtbot, team: Team, make_page, monkeypatch):
    calls = []
    real_save = notes.save_section

    def counting_save(profile, draft_id, focus_id, text):
        calls.append(text)
        real_save(profile, draft_id, focus_id, text)

    monkeypatch.setattr(notes, "save_section", counting_save)
    page = open_notes(make_page, team.exec_head)
    maths = team.planned.focus_ids[0]

    qtbot.keyClicks(page.form.editors[maths], "Maths is uneven")

    assert calls == [], "each keystroke must not be a write"
    assert page.saved_label.text() == "Saving…"
    qtbot.waitUntil(lambda: bool(calls), timeout=DEBOUNCE_MS * 5)
    assert calls == ["Maths is uneven"]
    assert SAVED.fullmatch(page.saved_label.text())
    assert notes.open_draft(team.exec_head, team.planned.quad_id).sections == {
        maths: "Maths is uneven"}


def test_submitted_note_is_read_only_and_a_correction_opens_version_2(
    qtbot, team: Team, make_page
):
    page = open_notes(make_page, team.exec_head)
    maths = team.planned.focus_ids[0]
    assert page.state_label.text() == "Draft, version 1"
    assert not page.correction_button.isVisible()
    qtbot.keyClicks(page.form.editors[maths], "Maths is uneven.")
    page.visit_links.item(0).setCheckState(Qt.CheckState.Checked)

    submit(page, qtbot)

    [version] = notes.submitted_notes(team.consultant, team.planned.quad_id)
    assert (version.version, version.verified) == (1, True)
    assert version.sections == {maths: "Maths is uneven."}
    assert version.linked_visit_ids == [team.exec_visit_id]
    assert page.form.editors[maths].isReadOnly()
    assert not page.visit_links.isEnabled()
    assert not page.submit_button.isVisible() and page.correction_button.isVisible()
    assert "cannot change" in page.message.text()
    assert page.history.tree.topLevelItem(0).text(0) == "1 (current)"
    assert page.history.tree.topLevelItem(0).text(2) == "Verified"

    qtbot.mouseClick(page.correction_button, Qt.MouseButton.LeftButton)

    assert page.state_label.text() == "Draft, version 2 (a correction of version 1)"
    editor = page.form.editors[maths]
    assert not editor.isReadOnly() and editor.toPlainText() == "Maths is uneven."
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " Year 9 improving.")
    submit(page, qtbot)

    versions = notes.submitted_notes(team.consultant, team.planned.quad_id)
    assert [(v.version, v.is_current) for v in versions] == [(2, True), (1, False)]
    assert versions[0].sections[maths] == "Maths is uneven. Year 9 improving."
    assert page.history.tree.topLevelItemCount() == 2
    assert "+Maths is uneven. Year 9 improving." in page.history.changes_view.toPlainText()


def test_submit_can_be_called_off(qtbot, team: Team, make_page):
    page = open_notes(make_page, team.exec_head)
    qtbot.keyClicks(page.form.editors["general"], "A calm school.")
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)

    page.confirm_box.reject()

    assert notes.submitted_notes(team.consultant, team.planned.quad_id) == []
    assert not page.form.editors["general"].isReadOnly()


def test_lock_writes_waiting_typing_and_empties_the_page(qtbot, team: Team, make_page):
    page = open_notes(make_page, team.exec_head)
    qtbot.keyClicks(page.form.editors["general"], "Written just before the lock")

    page.clear_data()

    assert notes.open_draft(team.exec_head, team.planned.quad_id).general_note == (
        "Written just before the lock")
    assert page.profile is None and page.desk is None
    assert page.form.editors == {} and page.visit_links.count() == 0
    assert page.picker.count() == 0 and page.history.tree.topLevelItemCount() == 0
    assert page.state_label.text() == "" and page.saved_label.text() == ""


def test_someone_outside_the_note_writers_is_told_why(team: Team, make_page):
    page = make_page(NotesPage, team.consultant)
    page.page_shown()

    assert page.desk is None and page.picker.count() == 0
    assert "Executive Headteacher and the visiting Headteacher" in page.message.text()
    assert not page.submit_button.isVisible()
    assert NotesPage.shown_for(["Headteacher"])
    assert not NotesPage.shown_for(["School Improvement Consultant"])


def test_a_refused_save_says_so_keeps_the_text_and_is_retried(
    qtbot, team: Team, make_page, monkeypatch
):
    """The Notes page shares the Record page's queue: a full disk is retried
    until it takes the text, and a submit typed after it waits its turn."""
    from invictus_desktop.errors import StorageUnavailable

    real_save = notes.save_section
    refusing = {"on": True}

    def save(profile, draft_id, focus_id, text):
        if refusing["on"]:
            raise StorageUnavailable("The disk is full.", next_step="Free some space.")
        real_save(profile, draft_id, focus_id, text)

    monkeypatch.setattr(notes, "save_section", save)
    page = open_notes(make_page, team.exec_head)
    page.autosave.retry_ms = 100
    maths = team.planned.focus_ids[0]

    qtbot.keyClicks(page.form.editors[maths], "Kept while the disk is full")
    qtbot.waitUntil(lambda: page.saved_label.text() == "Not saved", timeout=5000)
    assert "disk is full" in page.message.text()
    assert not page.flush_pending(), "a lock asked for must wait"

    refusing["on"] = False
    qtbot.waitUntil(lambda: bool(SAVED.fullmatch(page.saved_label.text())), timeout=5000)
    assert not page.message.isVisible()
    assert notes.open_draft(team.exec_head, team.planned.quad_id).sections == {
        maths: "Kept while the disk is full"}

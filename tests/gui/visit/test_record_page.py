"""The record page on a real encrypted store: what it shows, and what the
store holds after autosave (always read back through the services)."""

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from invictus_desktop.gui.autosave import DEBOUNCE_MS
from invictus_desktop.gui.visit.running_notes import NoteLineEdit
from invictus_desktop.services import visits
from invictus_desktop.store.models import ActivityStatus, AuditEntry, Judgement
from tests.gui.conftest import mnemonics

SAVE_TIMEOUT_MS = 3000


def stored(profile, visit_id) -> visits.VisitRecord:
    return visits.load_visit(profile, visit_id)


def activate(qtbot, page) -> None:
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)


def wait_saved(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.indicator.text().startswith("Saved "),
                    timeout=SAVE_TIMEOUT_MS)


def test_the_record_shows_the_lesson_and_the_focus_panes(record_page, planned_quad):
    slot = planned_quad.schedule[0]
    header = record_page.form.header

    assert header.edits["teacher_name"].text() == slot.teacher_name
    assert header.edits["class_name"].text() == slot.class_name
    assert record_page.title_label.text().startswith(f"Lesson visit: {slot.teacher_name}")
    assert [box.focus_title for box in record_page.form.panes] == [
        f.title for f in planned_quad.focus_areas
    ]
    first = record_page.form.panes[0]
    chip = first.findChild(type(record_page.title_label), "rag")
    assert chip.text() in {"Red", "Amber", "Green"}
    assert chip.property("rag") == chip.text().lower()
    assert record_page.form.panes[2].findChild(type(chip), "rag") is None  # a free focus


def test_a_burst_of_keystrokes_is_written_once(qtbot, record_page, demo_profile,
                                               visit_id, monkeypatch):
    calls = []
    real_save = visits.save_fields

    def counting_save(profile, activity_id, changes):
        calls.append(dict(changes))
        real_save(profile, activity_id, changes)

    monkeypatch.setattr(visits, "save_fields", counting_save)
    edit = record_page.form.text_edits["strengths"]

    qtbot.keyClicks(edit, "Crisp worked examples")
    typed_at = time.monotonic()
    assert calls == [], "nothing is written while the keys are still coming"
    qtbot.waitUntil(lambda: bool(calls), timeout=SAVE_TIMEOUT_MS)
    waited = time.monotonic() - typed_at
    qtbot.wait(DEBOUNCE_MS * 2)

    assert calls == [{"strengths": "Crisp worked examples"}]
    assert waited >= DEBOUNCE_MS / 1000 * 0.9
    assert stored(demo_profile, visit_id).fields["strengths"] == "Crisp worked examples"


def test_fields_are_saved_with_their_types(qtbot, record_page, demo_profile, visit_id):
    header = record_page.form.header

    header.pupils_spin.setFocus()
    header.pupils_spin.selectAll()
    qtbot.keyClicks(header.pupils_spin, "27")
    qtbot.keyClick(header.joint_check, Qt.Key.Key_Space)
    qtbot.keyClicks(header.adults_edit, "One teaching assistant")
    qtbot.keyClicks(record_page.form.text_edits["follow_up_questions"], "Ask about set 3")
    wait_saved(qtbot, record_page)

    fields = stored(demo_profile, visit_id).fields
    assert fields["pupils_present"] == 27
    assert fields["joint_visit"] is True
    assert fields["other_adults"] == "One teaching assistant"
    assert fields["follow_up_questions"] == "Ask about set 3"


def test_saved_appears_only_after_the_store_acknowledged(qtbot, demo_profile, visit_id,
                                                         monkeypatch):
    import threading

    from invictus_desktop.gui.pages.record import RecordPage
    from invictus_desktop.gui.tasks import TaskRunner

    entered, release = threading.Event(), threading.Event()
    real_save = visits.save_fields

    def slow_save(profile, activity_id, changes):
        entered.set()
        release.wait(10)
        real_save(profile, activity_id, changes)

    runner = TaskRunner()  # real worker threads
    page = RecordPage(demo_profile, runner)
    qtbot.addWidget(page)
    try:
        page.open_item(visit_id)
        qtbot.waitUntil(lambda: page.activity_id == visit_id, timeout=SAVE_TIMEOUT_MS)
        monkeypatch.setattr(visits, "save_fields", slow_save)

        qtbot.keyClicks(page.form.text_edits["strengths"], "Pupils settled quickly")
        assert page.indicator.text() == "Saving…"
        qtbot.waitUntil(entered.is_set, timeout=SAVE_TIMEOUT_MS)
        qtbot.wait(100)
        assert page.indicator.text() == "Saving…", "the write has not returned yet"
        assert stored(demo_profile, visit_id).fields["strengths"] == ""

        release.set()
        wait_saved(qtbot, page)
        saved = stored(demo_profile, visit_id).fields["strengths"]
        assert saved == "Pupils settled quickly"
    finally:
        release.set()
        runner.wait_for_done()
        page.clear_data()


def test_running_notes_are_stamped_and_saved_in_order(qtbot, record_page, demo_profile,
                                                      visit_id):
    activate(qtbot, record_page)
    notes = record_page.form.notes

    qtbot.keyClick(record_page.form.text_edits["strengths"], Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier)
    first = QApplication.focusWidget()
    assert isinstance(first, NoteLineEdit), "Ctrl+Enter puts the cursor in a new line"
    stamp = notes.rows[0][2].text()
    assert stamp != "--:--"
    qtbot.keyClicks(first, "Starter on equivalent fractions")
    qtbot.keyClick(first, Qt.Key.Key_Return)
    second = QApplication.focusWidget()
    assert second is not first and isinstance(second, NoteLineEdit)
    qtbot.keyClicks(second, "Most pupils explain their method")
    qtbot.keyClick(second, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    third = QApplication.focusWidget()
    assert third is not second
    qtbot.keyClick(third, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is third, "an untouched line is reused"
    wait_saved(qtbot, record_page)

    lines = stored(demo_profile, visit_id).notes
    assert [n.text for n in lines] == ["Starter on equivalent fractions",
                                       "Most pupils explain their method"]
    assert f"{lines[0].stamped_at.astimezone():%H:%M}" == stamp
    assert lines[0].stamped_at <= lines[1].stamped_at


# The offscreen platform cannot raise a popup menu or let it grab the keyboard;
# the menu works all the same.
@pytest.mark.qt_log_ignore("This plugin does not support raise", "grabbing the keyboard")
def test_a_note_line_moves_into_a_focus_pane(qtbot, record_page, demo_profile, visit_id):
    activate(qtbot, record_page)
    pane = record_page.form.panes[1]
    qtbot.keyClicks(pane.evidence_edit, "Reading aloud well modelled")
    line = record_page.form.notes.last_edit()
    qtbot.keyClicks(line, "Pupils reread the text unprompted")

    qtbot.keyClick(line, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    menu = QApplication.activePopupWidget()
    assert menu is not None, "Ctrl+M offers the focus areas"
    qtbot.keyClick(menu, Qt.Key.Key_2)
    wait_saved(qtbot, record_page)

    stamp = record_page.form.notes.rows[0][2].text()
    expected = f"Reading aloud well modelled\n[{stamp}] Pupils reread the text unprompted"
    assert pane.text() == expected
    record = stored(demo_profile, visit_id)
    assert record.panes[1].text == expected
    assert record.notes[0].moved
    assert record_page.form.notes.rows[0][3].text().startswith("→ ")


def test_judgements_and_the_safeguarding_concern(qtbot, record_page, demo_profile,
                                                 visit_id):
    activate(qtbot, record_page)
    pane = record_page.form.panes[0]
    qtbot.keyClicks(pane.evidence_edit, "Concepts sequenced well")
    pane.judgement_combo.setFocus()
    qtbot.keyClicks(pane.judgement_combo, "Partly")
    safeguarding = record_page.form.safeguarding
    assert not safeguarding.text_edit.isVisibleTo(record_page)

    qtbot.keyClick(record_page, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(safeguarding.concern_check.isChecked)  # a mnemonic clicks a box
    assert safeguarding.text_edit.isVisible()
    assert QApplication.focusWidget() is safeguarding.text_edit
    lead = stored(demo_profile, visit_id).safeguarding_lead
    assert lead and lead in safeguarding.route_label.text()
    assert "never goes into a Board report" in safeguarding.route_label.text()
    qtbot.keyClicks(safeguarding.text_edit, "Pupil mentioned being left alone")
    wait_saved(qtbot, record_page)

    record = stored(demo_profile, visit_id)
    assert (record.panes[0].text, record.panes[0].judgement) == (
        "Concepts sequenced well", Judgement.PARTLY_SUPPORTS)
    assert record.fields["safeguarding_concern"] is True
    assert record.fields["safeguarding_text"] == "Pupil mentioned being left alone"


def test_completing_then_editing_keeps_history(qtbot, record_page, demo_profile, visit_id):
    from sqlalchemy import select

    activate(qtbot, record_page)
    qtbot.keyClicks(record_page.form.text_edits["strengths"], "Clear modelling")
    qtbot.keyClick(record_page.form.text_edits["strengths"], Qt.Key.Key_C,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)

    record = stored(demo_profile, visit_id)
    assert record.status is ActivityStatus.COMPLETE
    assert record.fields["strengths"] == "Clear modelling", "flushed before completing"
    assert record.fields["time_out"] is not None
    assert record_page.form.header.time_out_edit.text() != "—"
    assert "Complete" in record_page.meta_label.text()
    assert not record_page.complete_button.isEnabled()

    qtbot.keyClicks(record_page.form.text_edits["strengths"], " and questioning")
    wait_saved(qtbot, record_page)
    assert stored(demo_profile, visit_id).fields["strengths"] == (
        "Clear modelling and questioning")
    with demo_profile.store.session() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity_id == visit_id)).all()
    assert "visit.completed" in actions and "visit.edited_after_completion" in actions


def test_tab_follows_the_form(qtbot, record_page):
    activate(qtbot, record_page)
    form = record_page.form
    expected = form.header.focus_chain()
    for box in form.panes:
        expected += [box.evidence_edit, box.judgement_combo]
    expected += list(form.text_edits.values())
    expected += [form.safeguarding.concern_check, form.notes.last_edit(),
                 form.add_line_button]

    expected[0].setFocus()
    visited = [QApplication.focusWidget()]
    for _ in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())

    assert visited == expected


def test_mnemonics_are_unique_and_reach_their_fields(qtbot, record_page):
    activate(qtbot, record_page)
    letters = mnemonics(record_page)
    assert len(letters) == len(set(letters)), letters
    assert not {"p", "g", "h"} & set(letters), "the menu bar's Profile, Go and Help"

    qtbot.keyClick(record_page, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is record_page.form.panes[1].evidence_edit
    qtbot.keyClick(record_page, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is record_page.form.notes.last_edit()
    qtbot.keyClick(record_page, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is record_page.form.text_edits["follow_up_questions"]


def test_f1_shows_the_shortcuts_and_escape_gives_the_keyboard_back(qtbot, record_page):
    activate(qtbot, record_page)
    edit = record_page.form.text_edits["strengths"]
    edit.setFocus()

    qtbot.keyClick(edit, Qt.Key.Key_F1)
    assert record_page.overlay.isVisible()
    assert record_page.overlay.geometry() == record_page.rect()
    keys = [keys for keys, _what in record_page.overlay.rows]
    assert any("Ctrl+Enter" in k for k in keys) and any("Ctrl+Shift+C" in k for k in keys)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not record_page.overlay.isVisible()
    assert QApplication.focusWidget() is edit

    qtbot.keyClick(edit, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    assert record_page.overlay.isVisible()


def test_clearing_empties_every_field(qtbot, record_page):
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    qtbot.keyClicks(record_page.form.text_edits["strengths"], "Secret words")
    qtbot.keyClicks(record_page.form.notes.last_edit(), "More secret words")

    record_page.clear_data()

    texts = [e.text() for e in record_page.findChildren(QLineEdit)]
    texts += [e.toPlainText() for e in record_page.findChildren(QPlainTextEdit)]
    texts += [record_page.title_label.text(), record_page.meta_label.text()]
    assert not any("ecret" in text or "Ockenden" in text for text in texts)
    assert record_page.form.panes == [] and record_page.form.notes.rows == []
    assert record_page.record is None and record_page.profile is None




def test_a_long_note_line_wraps_and_grows(qtbot, record_page, demo_profile, visit_id):
    """A long line is shown whole, wrapped at the timeline's width; Enter still
    begins the next line, and a pasted line break does not split the note."""
    activate(qtbot, record_page)
    notes = record_page.form.notes
    line = notes.last_edit()
    one_line_height = line.height()
    long_text = "Pupils explained their reasoning to a partner before writing. " * 4

    qtbot.keyClicks(line, long_text)

    assert line.height() >= 3 * one_line_height // 2, "the line grows as it wraps"
    assert line.width() <= notes.scroll.viewport().width(), "no sideways scrolling"
    assert line.horizontalScrollBar().maximum() == 0
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert len(notes.rows) == 2 and QApplication.focusWidget() is notes.last_edit()
    notes.last_edit().insertFromMimeData(mime_text("First part\nsecond part"))
    assert notes.last_edit().text() == "First part second part"
    wait_saved(qtbot, record_page)
    assert [n.text for n in stored(demo_profile, visit_id).notes] == [
        long_text, "First part second part"]


def mime_text(text: str):
    from PySide6.QtCore import QMimeData

    data = QMimeData()
    data.setText(text)
    return data

"""On the day, as an inspector does it, keyboard first, in the real main window.

Unlock the demo trust -> Visits: the QUAD planned for this term -> Enter on a
lesson starts its visit -> time-stamped running notes -> evidence and a
judgement in two focus panes -> a safeguarding concern -> complete -> back to
the visits, find the visit by a word of its notes, open it again. Every check
on what was recorded reads the store back through the services.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from invictus_desktop.gui.main_window import MainWindow
from invictus_desktop.services import visits
from invictus_desktop.store.models import ActivityStatus, Judgement
from tests.conftest import PASSPHRASE

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SAVE_MS = 3000


def test_a_lesson_visit_from_schedule_to_search(qtbot, demo_paths, make_controller,
                                                planned_quad):
    controller = make_controller()
    controller.start()
    qtbot.keyClicks(controller.window.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(controller.window.passphrase_edit, Qt.Key.Key_Return)
    window = controller.window
    assert isinstance(window, MainWindow)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    profile = controller.profile

    # The Visits page opens on the QUAD planned for this term, on its first day.
    number = list(window.pages).index("visits") + 1
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), CTRL)
    page = window.current_page()
    assert page.key == "visits"
    page.open_item(planned_quad.summary.id)
    lesson = sorted(
        (s for s in planned_quad.schedule if s.day == planned_quad.summary.starts_on),
        key=lambda s: s.starts_at,
    )[1]

    # One action: Enter on the second lesson starts its visit and opens the record.
    qtbot.keyClick(page, Qt.Key.Key_L, ALT)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert page.schedule.current_record_id() == lesson.id
    qtbot.keyClick(page.schedule, Qt.Key.Key_Return)
    record_page = window.current_page()
    assert record_page.key == "record"
    visit_id = record_page.activity_id
    assert record_page.form.header.edits["teacher_name"].text() == lesson.teacher_name

    # Running notes: the cursor is already in the timeline; Enter, Ctrl+Enter.
    line = QApplication.focusWidget()
    qtbot.keyClicks(line, "Starter: fractions on mini whiteboards")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.keyClicks(QApplication.focusWidget(), "Teacher checks every board")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "Misconception about denominators")
    stamps = [stamp.text() for _row, _edit, stamp, _m in record_page.form.notes.rows]

    # Two focus panes: evidence and judgement, reached by Alt+1 and Alt+2.
    qtbot.keyClick(record_page, Qt.Key.Key_1, ALT)
    qtbot.keyClicks(QApplication.focusWidget(), "Concepts were sequenced carefully")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Supports")
    qtbot.keyClick(record_page, Qt.Key.Key_2, ALT)
    qtbot.keyClicks(QApplication.focusWidget(), "Few pupils read aloud")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Contradicts")

    # A safeguarding concern, with its own text.
    qtbot.keyClick(record_page, Qt.Key.Key_E, ALT)
    safeguarding = record_page.form.safeguarding
    qtbot.waitUntil(safeguarding.concern_check.isChecked)
    qtbot.keyClicks(QApplication.focusWidget(), "Pupil in 9X said she had no lunch")

    # Complete: everything typed is written first.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_C,
                   CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: record_page.indicator.text().startswith("Saved "),
                    timeout=SAVE_MS)

    record = visits.load_visit(profile, visit_id)
    assert record.status is ActivityStatus.COMPLETE
    assert [n.text for n in record.notes] == [
        "Starter: fractions on mini whiteboards",
        "Teacher checks every board",
        "Misconception about denominators",
    ]
    assert [f"{n.stamped_at.astimezone():%H:%M}" for n in record.notes] == stamps
    assert [(p.text, p.judgement) for p in record.panes[:2]] == [
        ("Concepts were sequenced carefully", Judgement.SUPPORTS),
        ("Few pupils read aloud", Judgement.CONTRADICTS),
    ]
    assert record.panes[2].text == "" and record.panes[2].judgement is None
    assert record.fields["safeguarding_concern"] is True
    assert record.fields["safeguarding_text"] == "Pupil in 9X said she had no lunch"
    assert record.fields["time_out"] is not None

    # Back to the visits; Ctrl+F, a word from the notes, Enter opens the visit.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left, ALT)
    assert window.current_page() is page
    qtbot.keyClick(page, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(page.filters.search_edit, "denominators")
    qtbot.waitUntil(lambda: page.visit_list.record_ids() == [visit_id], timeout=SAVE_MS)
    assert "safeguarding concern" in page.visit_list.topLevelItem(0).text(7)
    page.visit_list.setFocus()
    page.visit_list.setCurrentItem(page.visit_list.topLevelItem(0))
    qtbot.keyClick(page.visit_list, Qt.Key.Key_Return)
    assert window.current_page() is record_page
    assert record_page.activity_id == visit_id
    assert record_page.form.panes[0].text() == "Concepts were sequenced carefully"

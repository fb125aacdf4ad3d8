"""Nothing typed is lost: refused saves are retried, and locking writes first.

Most faults are injected at the service boundary (the visit service raises
`StorageUnavailable`, as the store does for a full disk or a read-only
folder; that translation is tested in tests/services/test_storage_faults.py).
One test fills a real disk.
"""

import threading
import time

from PySide6.QtCore import Qt

from invictus_desktop.errors import StorageUnavailable
from invictus_desktop.gui.controller import AppController
from invictus_desktop.gui.main_window import MainWindow
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.services import planning, visits
from invictus_desktop.services.profile import unlock
from invictus_desktop.store.models import ReviewStatus
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import ONE_HOUR_MS

TYPED = "Questioning probes understanding"
TIMEOUT_MS = 5000


def disk_full(paths) -> StorageUnavailable:
    return StorageUnavailable(
        f"The disk holding {paths.root} is full.",
        next_step="Free some space on it and try again; the change that failed was "
        "not saved.",
    )


class FlakyService:
    """Stands in front of a visit service function: refuses while `broken`
    (or for the first `times` calls), then calls through."""

    def __init__(self, real, error: Exception, times: int | None = None) -> None:
        self.real, self.error, self.times = real, error, times
        self.broken = times is None
        self.calls = 0

    def __call__(self, *args):
        self.calls += 1
        if self.broken or (self.times is not None and self.calls <= self.times):
            raise self.error
        return self.real(*args)


def in_store(profile, visit_id, name="strengths"):
    return visits.load_visit(profile, visit_id).fields[name]


def test_a_refused_save_keeps_the_text_warns_and_is_retried(
    qtbot, record_page, demo_profile, visit_id, monkeypatch
):
    record_page.autosave.retry_ms = 150
    flaky = FlakyService(visits.save_fields, disk_full(demo_profile.paths), times=3)
    monkeypatch.setattr(visits, "save_fields", flaky)
    edit = record_page.form.text_edits["strengths"]

    qtbot.keyClicks(edit, TYPED)
    qtbot.waitUntil(record_page.banner.isVisible, timeout=TIMEOUT_MS)
    banner = record_page.banner
    assert "is full" in banner.text and "keeps trying" in banner.text
    assert not banner.dismiss_button.isVisibleTo(banner)
    assert record_page.indicator.text() == "Not saved yet"
    assert edit.toPlainText() == TYPED
    assert in_store(demo_profile, visit_id) == ""

    qtbot.waitUntil(lambda: not record_page.banner.isVisible(), timeout=TIMEOUT_MS)
    assert flaky.calls == 4
    assert in_store(demo_profile, visit_id) == TYPED
    assert record_page.indicator.text().startswith("Saved ")


def test_the_next_edit_retries_at_once(qtbot, record_page, demo_profile, visit_id,
                                       monkeypatch):
    record_page.autosave.retry_ms = 60_000  # only an edit can bring the retry forward
    flaky = FlakyService(visits.save_fields, disk_full(demo_profile.paths))
    monkeypatch.setattr(visits, "save_fields", flaky)
    edit = record_page.form.text_edits["strengths"]

    qtbot.keyClicks(edit, TYPED)
    qtbot.waitUntil(record_page.banner.isVisible, timeout=TIMEOUT_MS)
    flaky.broken = False
    qtbot.keyClicks(edit, " well")
    qtbot.waitUntil(lambda: not record_page.banner.isVisible(), timeout=TIMEOUT_MS)

    assert in_store(demo_profile, visit_id) == TYPED + " well"


def test_writes_are_sent_in_order_and_never_overlap(qtbot, demo_profile, visit_id,
                                                   monkeypatch):
    """With real worker threads: fields, evidence and note lines of one visit
    go one at a time, in the order they were queued."""
    from invictus_desktop.gui.pages.record import RecordPage

    active, overlaps, order = [], [], []
    lock = threading.Lock()

    def tracked(name, real):
        def call(*args):
            with lock:
                active.append(name)
                if len(active) > 1:
                    overlaps.append(tuple(active))
            time.sleep(0.02)
            try:
                return real(*args)
            finally:
                with lock:
                    active.remove(name)
                    order.append(name)
        return call

    for name in ("save_fields", "save_evidence", "add_note_line", "save_note_line"):
        monkeypatch.setattr(visits, name, tracked(name, getattr(visits, name)))
    runner = TaskRunner(max_threads=4)
    page = RecordPage(demo_profile, runner)
    qtbot.addWidget(page)
    try:
        page.open_item(visit_id)
        qtbot.waitUntil(lambda: page.activity_id == visit_id, timeout=TIMEOUT_MS)
        page.debouncer.delay_ms = 0
        for round_ in range(3):
            qtbot.keyClicks(page.form.text_edits["strengths"], f"s{round_}")
            qtbot.keyClicks(page.form.panes[0].evidence_edit, f"e{round_}")
            qtbot.keyClicks(page.form.notes.last_edit(), f"n{round_}")
            qtbot.wait(5)
        qtbot.waitUntil(lambda: page.indicator.text().startswith("Saved "),
                        timeout=TIMEOUT_MS)
    finally:
        runner.wait_for_done()
        page.clear_data()

    assert overlaps == []
    assert order[0] in ("save_fields", "save_evidence", "add_note_line")
    assert order.count("add_note_line") == 1, "one line, added once"
    record = visits.load_visit(demo_profile, visit_id)
    assert record.fields["strengths"] == "s0s1s2"
    assert record.panes[0].text == "e0e1e2"
    assert [n.text for n in record.notes] == ["n0n1n2"]


def test_a_write_refused_for_another_reason_can_be_dismissed(
    qtbot, record_page, demo_profile, monkeypatch
):
    from invictus_desktop.errors import UserFacingError

    gone = UserFacingError("That focus area is no longer part of this QUAD.")
    monkeypatch.setattr(visits, "save_evidence", FlakyService(visits.save_evidence, gone))
    pane = record_page.form.panes[0]

    qtbot.keyClicks(pane.evidence_edit, "Evidence nobody can store")
    qtbot.waitUntil(record_page.banner.isVisible, timeout=TIMEOUT_MS)

    assert "no longer part of this QUAD" in record_page.banner.text
    assert pane.text() == "Evidence nobody can store"
    qtbot.mouseClick(record_page.banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert not record_page.banner.isVisible()


def test_a_real_full_disk_then_space_freed(qtbot, tmp_path, runner):
    """The store itself refuses (SQLITE_FULL on a small tmpfs), then takes the text."""
    from invictus_desktop.gui.pages.record import RecordPage
    from invictus_desktop.paths import ProfilePaths
    from invictus_desktop.services.profile import NewProfile, create_profile
    from invictus_desktop.store.models import Role
    from tests.helpers import fill_disk, small_disk
    from tests.services.factories import plan_quad

    with small_disk(tmp_path / "disk", 3000) as disk:
        spec = NewProfile("Dana Whitfield", Role.CONSULTANT, PASSPHRASE)
        profile, _ = create_profile(ProfilePaths(disk / "profile"), spec, FAST_KDF)
        page = None
        try:
            planned = plan_quad(profile)
            visit_id = visits.start_visit(profile, planned.quad_id, planned.slot_id)
            page = RecordPage(profile, runner)
            qtbot.addWidget(page)
            page.show()
            page.autosave.retry_ms = 150
            page.open_item(visit_id)
            filler = fill_disk(disk)
            long_text = "Pupils explained their reasoning in full sentences. " * 3000

            page.form.text_edits["strengths"].insertPlainText(long_text)  # a paste
            qtbot.waitUntil(page.banner.isVisible, timeout=TIMEOUT_MS)
            assert "full" in page.banner.text
            assert in_store(profile, visit_id) == ""

            filler.unlink()
            qtbot.waitUntil(lambda: not page.banner.isVisible(), timeout=TIMEOUT_MS)
            assert in_store(profile, visit_id) == long_text
        finally:
            if page is not None:
                page.clear_data()
            profile.lock()


# Locking ---------------------------------------------------------------------


def open_main(controller: AppController, qtbot) -> MainWindow:
    controller.start()
    qtbot.keyClicks(controller.window.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(controller.window.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=TIMEOUT_MS)
    return controller.window


def start_planned_visit(profile) -> str:
    quad = next(q for q in planning.list_quads(profile)
                if q.status is ReviewStatus.PLANNED)
    plan = planning.load_plan(profile, quad.id)
    return visits.start_visit(profile, quad.id, plan.schedule[0].id)


def reopened_record(paths, visit_id) -> visits.VisitRecord:
    profile = unlock(paths, PASSPHRASE)
    try:
        return visits.load_visit(profile, visit_id)
    finally:
        profile.lock()


def test_locking_writes_the_edits_still_waiting(qtbot, demo_paths, make_controller):
    controller = make_controller()
    window = open_main(controller, qtbot)
    visit_id = start_planned_visit(controller.profile)
    page = window.show_page("record", visit_id)

    qtbot.keyClicks(page.form.text_edits["strengths"], "Typed just before the lock")
    qtbot.keyClicks(page.form.notes.last_edit(), "A last note")
    assert page.debouncer.pending, "the lock comes before the pause in typing"
    controller.lock()

    assert controller.profile is None
    record = reopened_record(demo_paths, visit_id)
    assert record.fields["strengths"] == "Typed just before the lock"
    assert [n.text for n in record.notes] == ["A last note"]


def test_locking_waits_for_a_write_in_flight(qtbot, demo_paths, monkeypatch):
    entered = threading.Event()
    real_save = visits.save_fields

    def slow_save(profile, activity_id, changes):
        entered.set()
        time.sleep(0.4)
        real_save(profile, activity_id, changes)

    runner = TaskRunner()
    controller = AppController(demo_paths, runner, kdf_params=FAST_KDF,
                               idle_interval_ms=ONE_HOUR_MS, warm_up_delay_ms=0)
    try:
        window = open_main(controller, qtbot)
        visit_id = start_planned_visit(controller.profile)
        page = window.show_page("record", visit_id)
        qtbot.waitUntil(lambda: page.activity_id == visit_id, timeout=TIMEOUT_MS)
        monkeypatch.setattr(visits, "save_fields", slow_save)

        qtbot.keyClicks(page.form.text_edits["strengths"], "Written while locking")
        qtbot.waitUntil(entered.is_set, timeout=TIMEOUT_MS)
        controller.lock()

        assert controller.profile is None
        assert reopened_record(demo_paths, visit_id).fields["strengths"] == (
            "Written while locking")
    finally:
        runner.wait_for_done()
        controller.shutdown()
        controller.window.close()


def test_a_lock_asked_for_waits_while_the_store_refuses(qtbot, demo_paths,
                                                       make_controller, monkeypatch):
    controller = make_controller()
    window = open_main(controller, qtbot)
    visit_id = start_planned_visit(controller.profile)
    page = window.show_page("record", visit_id)
    flaky = FlakyService(visits.save_fields, disk_full(demo_paths))
    monkeypatch.setattr(visits, "save_fields", flaky)

    qtbot.keyClicks(page.form.text_edits["strengths"], TYPED)
    controller.lock("user")

    assert controller.profile is not None, "locking now would lose the text"
    assert page.banner.isVisible()
    assert "not saved yet" in window.statusBar().currentMessage()

    flaky.broken = False
    controller.lock("user")
    assert controller.profile is None
    assert reopened_record(demo_paths, visit_id).fields["strengths"] == TYPED


def unlock_again(controller: AppController, qtbot) -> MainWindow:
    qtbot.keyClicks(controller.window.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(controller.window.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=TIMEOUT_MS)
    return controller.window


def files_holding(root, text: str) -> list[str]:
    needle = text.encode("utf-8")
    return [str(path) for path in root.rglob("*")
            if path.is_file() and needle in path.read_bytes()]


def test_an_idle_lock_goes_ahead_and_keeps_the_refused_text_sealed(
    qtbot, demo_paths, make_controller, monkeypatch, caplog
):
    """The disk refuses, the laptop is left: the lock happens, the text is held
    encrypted in memory (never on disk, never in the log) and saved after the
    next unlock, once the disk takes it."""
    controller = make_controller()
    window = open_main(controller, qtbot)
    visit_id = start_planned_visit(controller.profile)
    page = window.show_page("record", visit_id)
    flaky = FlakyService(visits.save_fields, disk_full(demo_paths))
    monkeypatch.setattr(visits, "save_fields", flaky)

    qtbot.keyClicks(page.form.text_edits["strengths"], TYPED)
    controller.lock("idle")

    assert controller.profile is None, "a laptop left open is the greater risk"
    assert controller.held_edits == 1
    sealed, by_page = controller._held
    assert TYPED.encode() not in sealed.sealed
    assert [unit.payload for unit in by_page["record"]] == [None]
    assert files_holding(demo_paths.root, TYPED) == []
    assert not any(TYPED in r.getMessage() for r in caplog.records), "no text in the log"
    notice = controller.window.held_message
    assert notice.isVisible() and "1 edits could not be saved" in notice.text()

    window = unlock_again(controller, qtbot)  # the disk still refuses
    page = window.current_page()
    assert page.key == "record"
    qtbot.waitUntil(page.banner.isVisible, timeout=TIMEOUT_MS)
    assert controller.held_edits == 0

    flaky.broken = False
    assert window.flush_pending()
    controller.lock("user")
    assert reopened_record(demo_paths, visit_id).fields["strengths"] == TYPED


def test_an_idle_lock_with_nothing_refused_holds_nothing(qtbot, demo_paths,
                                                        make_controller):
    controller = make_controller()
    window = open_main(controller, qtbot)
    visit_id = start_planned_visit(controller.profile)
    page = window.show_page("record", visit_id)
    qtbot.keyClicks(page.form.text_edits["strengths"], TYPED)

    controller.lock("idle")

    assert controller.held_edits == 0
    assert not controller.window.held_message.isVisible()
    assert reopened_record(demo_paths, visit_id).fields["strengths"] == TYPED

"""The task runner: threads, callbacks on the GUI thread, failures, progress, cancel."""

import logging
import threading
import time

import pytest

from invictus_desktop.errors import UserFacingError
from invictus_desktop.gui.tasks import PROGRESS_DELAY_MS, Progress, TaskControl, TaskRunner


def test_work_runs_off_the_gui_thread_and_success_lands_on_it(qtbot, pool_runner):
    seen: dict[str, object] = {}

    def work(_control):
        seen["work_thread"] = threading.current_thread()
        return 42

    def on_success(result):
        seen["result"] = result
        seen["callback_thread"] = threading.current_thread()

    task = pool_runner.submit(work, on_success=on_success)
    with qtbot.waitSignal(task.ended, timeout=5000):
        pass

    assert seen["result"] == 42
    assert seen["work_thread"] is not threading.main_thread()
    assert seen["callback_thread"] is threading.main_thread()


def test_user_facing_errors_reach_on_failure_unlogged_as_bugs(qtbot, pool_runner, caplog):
    failures: list[BaseException] = []

    def work(_control):
        raise UserFacingError("The disk is full.", next_step="Free some space.")

    task = pool_runner.submit(work, on_success=pytest.fail, on_failure=failures.append)
    with qtbot.waitSignal(task.ended, timeout=5000):
        pass

    assert [str(error) for error in failures] == ["The disk is full. Free some space."]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_bugs_are_logged_with_their_trace_and_reported(qtbot, pool_runner, caplog):
    failures: list[BaseException] = []

    def work(_control):
        raise KeyError("boom")

    task = pool_runner.submit(
        work, on_success=pytest.fail, on_failure=failures.append, description="Thinking"
    )
    with qtbot.waitSignal(task.ended, timeout=5000):
        pass

    assert isinstance(failures[0], KeyError)
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info[0] is KeyError
    assert "Thinking" in errors[0].getMessage()


def test_quick_jobs_never_show_progress(qtbot, pool_runner):
    task = pool_runner.submit(
        lambda control: control.report(1, 1, "done"), on_success=lambda _result: None
    )

    with qtbot.assertNotEmitted(task.progress_changed, wait=PROGRESS_DELAY_MS + 200):
        pass
    assert not task.running


def test_slow_jobs_show_their_latest_progress_after_the_delay(qtbot, pool_runner):
    shown: list[tuple[float, Progress]] = []
    release = threading.Event()
    started = time.monotonic()

    def work(control):
        control.report(1, 3, "Copying")
        release.wait(10)
        control.report(3, 3, "Finished")

    task = pool_runner.submit(work, on_success=lambda _result: None)
    task.progress_changed.connect(
        lambda progress: shown.append((time.monotonic() - started, progress))
    )
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    release.set()
    with qtbot.waitSignal(task.ended, timeout=5000):
        pass

    first_at, first = shown[0]
    assert first_at >= PROGRESS_DELAY_MS / 1000 * 0.9
    assert first == Progress(1, 3, "Copying")
    assert shown[-1][1] == Progress(3, 3, "Finished")


def test_a_cancelled_job_calls_nothing_back(qtbot, pool_runner):
    called: list[object] = []
    started = threading.Event()

    def work(control):
        started.set()
        while True:
            control.check_cancelled()
            time.sleep(0.01)

    task = pool_runner.submit(work, on_success=called.append, on_failure=called.append)
    assert started.wait(5)
    with qtbot.waitSignal(task.ended, timeout=5000):
        task.cancel()

    assert called == []


def test_synchronous_mode_calls_back_before_submit_returns(qapp):
    runner = TaskRunner(synchronous=True)
    results: list[int] = []
    busy: list[bool] = []
    runner.busy_changed.connect(busy.append)

    runner.submit(lambda _control: 7, on_success=results.append)

    assert results == [7]
    assert busy == [True, False]
    assert not runner.busy


def test_steps_and_the_final_count_are_never_throttled():
    sent: list[Progress] = []
    control = TaskControl(sent.append)

    control.report(1, 400, "Sending 1 of 400")
    control.report(400, 400, "Sending 400 of 400")
    control.report(0, 0, "Looking for changes from others")
    control.report(0, 0, "Checking for reports to publish")

    assert [p.message for p in sent] == [
        "Sending 1 of 400",
        "Sending 400 of 400",
        "Looking for changes from others",
        "Checking for reports to publish",
    ]

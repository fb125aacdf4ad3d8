"""The main window's sync indicator against the real repository server: rounds,
their progress, what the label says, and when automatic rounds come."""

import re
import threading
import time

from invictus_desktop.gui.sync_indicator import SyncIndicator
from invictus_desktop.gui.tasks import PROGRESS_DELAY_MS, TaskRunner
from invictus_desktop.services import syncing
from invictus_desktop.sync import outgoing
from invictus_desktop.sync.connection import RepositoryConnection, save_connection
from tests.sync.proxy import Fault
from tests.sync.replicas import (
    add_school,
    add_schools,
    engine_for,
    make_laptop,
    move_thorough_round_back,
    thorough_round_at,
)


def _connected_laptop(tmp_path, url):
    laptop = make_laptop(tmp_path, "ann")
    engine_for(laptop, url).create_repository()
    save_connection(laptop.store, RepositoryConnection(url=url, username=None, password=None,
                                                       trusted_certificate=None))
    return laptop


def test_a_round_sends_changes_and_says_when(qtbot, tmp_path, repository):
    laptop = _connected_laptop(tmp_path, repository.url)
    add_school(laptop, "Kinver High School")
    indicator = SyncIndicator(laptop, TaskRunner(synchronous=True))

    with qtbot.waitSignal(indicator.round_finished, timeout=10_000) as finished:
        indicator.sync_now()

    assert finished.args == [True]
    assert indicator.sync_action.isEnabled()
    assert indicator.label.text().startswith("Online · synced ")
    assert "sent 1" in indicator.label.text() or "sent 2" in indicator.label.text()
    assert list((tmp_path / "repository" / "partitions" / "trust").iterdir())
    indicator.stop()
    laptop.lock()


def test_an_unreachable_repository_shows_offline_and_backs_off(qtbot, tmp_path, repository):
    laptop = _connected_laptop(tmp_path, repository.url)
    indicator = SyncIndicator(laptop, TaskRunner(synchronous=True))
    repository.stop()

    with qtbot.waitSignal(indicator.round_finished, timeout=30_000) as finished:
        indicator.sync_now()

    assert finished.args == [False]
    assert indicator.label.text().startswith("Offline · never synced · ")
    assert "Next try in 10 min." in indicator.label.text()
    indicator.stop()
    laptop.lock()


def test_a_profile_without_a_repository_offers_no_sync(qtbot, new_profile):
    indicator = SyncIndicator(new_profile, TaskRunner(synchronous=True))

    assert indicator.label.text() == "Sync: not connected to a repository"
    assert not indicator.sync_action.isEnabled()
    indicator.stop()
    assert indicator.label.text() == ""


def next_round(qtbot, indicator: SyncIndicator, timeout_ms: int) -> bool:
    """Wait for a round the indicator starts by itself (when it learns the profile
    is connected, on its timer, after a change); whether the round succeeded."""
    finished = qtbot.waitSignal(indicator.round_finished, timeout=timeout_ms)
    finished.wait()
    return finished.args[0]


def _settle(qtbot, indicator, runner) -> None:
    """Stop automatic rounds and let any work in flight end before locking."""
    indicator.stop()
    qtbot.waitUntil(lambda: not runner.busy, timeout=30_000)


def test_the_bar_counts_the_segments_sent(qtbot, tmp_path, proxy, monkeypatch, pool_runner):
    monkeypatch.setattr(outgoing, "MAX_OPS_PER_SEGMENT", 1)  # a segment per change
    laptop = _connected_laptop(tmp_path, proxy.url)
    add_schools(laptop, 30)
    # Every request a little slow, so the round outlasts the runner's delay.
    proxy.add(Fault(action="delay", seconds=0.1, times=10_000))
    counts: list[tuple[int, int, str]] = []

    indicator = SyncIndicator(laptop, pool_runner)  # connected: a round starts at once
    bar = indicator.progress
    bar.valueChanged.connect(
        lambda value: counts.append((value, bar.maximum(), bar.toolTip()))
    )
    started = time.monotonic()
    qtbot.waitUntil(lambda: bar.isVisible() and bar.maximum() > 0, timeout=30_000)

    # Shown only once the round had run for the delay, as a count with its words.
    assert time.monotonic() - started >= PROGRESS_DELAY_MS / 1000 * 0.9
    assert re.fullmatch(r"Sending \d+ of \d+", bar.toolTip())
    assert 0 <= bar.value() <= bar.maximum()
    assert indicator.label.text().startswith("Syncing · Sending ")
    finished = next_round(qtbot, indicator, 60_000)

    assert finished is True
    sent = int(re.search(r"sent (\d+)", indicator.label.text())[1])
    assert sent > 30
    assert (sent, sent, f"Sending {sent} of {sent}") in counts
    assert not bar.isVisible()
    _settle(qtbot, indicator, pool_runner)
    laptop.lock()


def test_after_a_failure_the_label_keeps_the_last_success(qtbot, tmp_path, proxy):
    laptop = _connected_laptop(tmp_path, proxy.url)
    indicator = SyncIndicator(laptop, TaskRunner(synchronous=True))
    first = next_round(qtbot, indicator, 10_000)
    assert first is True
    synced_at = re.match(r"Online · synced (\d\d:\d\d) · ", indicator.label.text())[1]

    proxy.add(Fault(status=403, times=10_000))
    with qtbot.waitSignal(indicator.round_finished, timeout=10_000) as second:
        indicator.sync_now()

    assert second.args == [False]
    text = indicator.label.text()
    # Reached but refused: not "offline"; the error as the user can act on it.
    assert text.startswith(f"Not synced · last synced {synced_at} · The repository at ")
    assert "does not allow this account" in text
    assert text.endswith("Next try in 10 min.")
    assert indicator.label.toolTip() == "Ask the trust's administrator for access."
    indicator.stop()

    # The time of the last success outlives the window (and the lock).
    again = SyncIndicator(laptop, TaskRunner(synchronous=True))
    next_round(qtbot, again, 10_000)
    assert again.label.text().startswith(f"Not synced · last synced {synced_at} · ")
    again.stop()
    laptop.lock()


def test_a_stray_laptop_s_refused_logs_are_counted_and_the_tooltip_says_what_to_do(
    qtbot, tmp_path, repository
):
    laptop = _connected_laptop(tmp_path, repository.url)
    stray = make_laptop(tmp_path, "stray")  # never enrolled in the trust
    add_school(stray, "Kinver High School")
    stray_engine = engine_for(stray, repository.url)
    stray_engine.join_repository()
    stray_engine.sync()
    stray_engine.client.close()
    stray.lock()

    indicator = SyncIndicator(laptop, TaskRunner(synchronous=True))
    finished = next_round(qtbot, indicator, 10_000)

    assert finished is True
    assert indicator.label.text().endswith(", 1 refused")
    tooltip = indicator.label.toolTip()
    assert tooltip.startswith("A laptop not enrolled in the trust is writing to the "
                              "repository, so its changes are not applied here: the "
                              "consultant (or the Executive Headteacher) should enrol")
    assert re.search(r"partitions/\*/[0-9a-f]{32}/\.$", tooltip)
    indicator.stop()
    laptop.lock()


def test_a_change_brings_a_round_soon(qtbot, tmp_path, repository):
    laptop = _connected_laptop(tmp_path, repository.url)
    indicator = SyncIndicator(laptop, TaskRunner(synchronous=True))
    indicator.after_change_ms = 100
    next_round(qtbot, indicator, 10_000)
    assert indicator.next_round_ms == indicator.period_ms

    add_school(laptop, "Kinver High School")
    indicator.schedule_after_change()
    changed_at = time.monotonic()
    assert indicator.next_round_ms == 100
    indicator.schedule_after_change()  # more saves do not push the round back
    assert indicator.next_round_ms == 100
    finished = next_round(qtbot, indicator, 5_000)

    assert finished is True
    assert time.monotonic() - changed_at >= 0.09
    assert re.search(r"sent [12],", indicator.label.text())
    assert indicator.next_round_ms == indicator.period_ms
    indicator.stop()
    laptop.lock()


def test_rounds_never_overlap(qtbot, tmp_path, proxy, monkeypatch, pool_runner):
    laptop = _connected_laptop(tmp_path, proxy.url)
    proxy.add(Fault(action="delay", seconds=0.2, times=10_000))
    running, most = [0], [0]
    lock = threading.Lock()
    real_sync_once = syncing.sync_once

    def counted_sync_once(profile, progress, thorough=False):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            return real_sync_once(profile, progress, thorough)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(syncing, "sync_once", counted_sync_once)
    indicator = SyncIndicator(laptop, pool_runner)
    indicator.after_change_ms = 100
    qtbot.waitUntil(lambda: running[0] == 1, timeout=10_000)

    # Asked again and again while it runs; a change saved meanwhile.
    for _ in range(3):
        indicator.sync_now()
    indicator.schedule_after_change()
    assert indicator.next_round_ms is None  # nothing due while a round runs
    next_round(qtbot, indicator, 30_000)

    # The change may have missed that round: the next comes soon, not in 5 min.
    assert indicator.next_round_ms == 100
    finished = next_round(qtbot, indicator, 30_000)
    assert finished is True
    assert most[0] == 1
    assert indicator.next_round_ms == indicator.period_ms
    _settle(qtbot, indicator, pool_runner)
    laptop.lock()


def test_failures_double_the_wait_up_to_the_longest_and_a_success_resets_it(
    qtbot, tmp_path, proxy
):
    laptop = _connected_laptop(tmp_path, proxy.url)
    refusing = proxy.add(Fault(status=403, times=10_000))
    indicator = SyncIndicator(laptop, TaskRunner(synchronous=True))
    indicator.period_ms, indicator.longest_backoff_ms = 40, 200

    waits = []
    for _ in range(4):  # each round after the first comes by the timer alone
        finished = next_round(qtbot, indicator, 10_000)
        assert finished is False
        waits.append(indicator.next_round_ms)
    assert waits == [80, 160, 200, 200]

    refusing.times = 0  # the repository lets us in again
    finished = next_round(qtbot, indicator, 10_000)
    assert finished is True
    assert indicator.next_round_ms == 40
    indicator.stop()
    laptop.lock()


def test_sync_now_by_hand_lists_everything_and_automatic_rounds_need_not(
    qtbot, tmp_path, repository
):
    laptop = _connected_laptop(tmp_path, repository.url)
    indicator = SyncIndicator(laptop, TaskRunner(synchronous=True))
    next_round(qtbot, indicator, 10_000)
    earlier = move_thorough_round_back(laptop, 60)

    with qtbot.waitSignal(indicator.round_finished, timeout=10_000):
        indicator.sync_now()  # what the timers call
    assert thorough_round_at(laptop) == earlier

    with qtbot.waitSignal(indicator.round_finished, timeout=10_000):
        indicator.sync_action.trigger()  # Profile → Sync now
    assert thorough_round_at(laptop) > earlier + 30
    indicator.stop()
    laptop.lock()


def test_a_change_saved_during_a_failed_round_brings_a_try_soon(
    qtbot, tmp_path, proxy, pool_runner
):
    laptop = _connected_laptop(tmp_path, proxy.url)
    proxy.clear()
    # The round's first request is held a moment, then the repository refuses.
    proxy.add(Fault(action="delay", seconds=0.5))
    refusing = proxy.add(Fault(status=403, times=10_000))
    indicator = SyncIndicator(laptop, pool_runner)  # connected: a round starts at once
    indicator.after_change_ms = 200
    qtbot.waitUntil(lambda: len(proxy.requests) > 0, timeout=10_000)

    add_school(laptop, "Kinver High School")
    indicator.schedule_after_change()
    assert indicator.next_round_ms is None  # nothing due while a round runs
    failed = next_round(qtbot, indicator, 30_000)

    # The change missed that round: the next try comes soon, not after the backoff.
    assert failed is False
    text = indicator.label.text()
    assert text.startswith("Not synced · never synced · ")
    assert text.endswith("Next try in under a minute.")  # what the timer says
    assert indicator.next_round_ms == 200 < indicator.period_ms * 2
    refusing.times = 0  # the repository lets us in again
    finished = next_round(qtbot, indicator, 30_000)
    assert finished is True
    assert re.search(r"sent [12],", indicator.label.text())
    assert indicator.next_round_ms == indicator.period_ms

    # A failed round with no change saved during it waits the whole backoff.
    refusing.times = 10_000
    with qtbot.waitSignal(indicator.round_finished, timeout=30_000) as failed_again:
        indicator.sync_now()
    assert failed_again.args == [False]
    assert indicator.label.text().endswith("Next try in 10 min.")
    assert indicator.next_round_ms == indicator.period_ms * 2
    _settle(qtbot, indicator, pool_runner)
    laptop.lock()

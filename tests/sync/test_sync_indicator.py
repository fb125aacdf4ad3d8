"""The main window's sync indicator against the real repository server."""

from invictus_desktop.gui.sync_indicator import SyncIndicator
from invictus_desktop.gui.tasks import TaskRunner
from invictus_desktop.sync.connection import RepositoryConnection, save_connection
from tests.sync.replicas import add_school, engine_for, make_laptop


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
    assert indicator.label.text().startswith("Offline · ")
    assert "Next try in 10 min." in indicator.label.text()
    indicator.stop()
    laptop.lock()


def test_a_profile_without_a_repository_offers_no_sync(qtbot, new_profile):
    indicator = SyncIndicator(new_profile, TaskRunner(synchronous=True))

    assert indicator.label.text() == "Sync: not connected to a repository"
    assert not indicator.sync_action.isEnabled()
    indicator.stop()
    assert indicator.label.text() == ""

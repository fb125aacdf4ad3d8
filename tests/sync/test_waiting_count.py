"""The overview's "changes waiting to sync" counts changes until the repository
has confirmed them, not merely until they were sealed into a segment."""

from invictus_desktop.services.overview import load_overview
from invictus_desktop.services.syncing import sync_once
from invictus_desktop.store.models import Setting
from invictus_desktop.sync.engine import REPOSITORY_ID
from invictus_desktop.sync.outgoing import load_author, prepare_segments
from tests.sync.publishing_setup import connect
from tests.sync.replicas import add_school, make_laptop


def test_changes_wait_until_the_repository_confirms_them(tmp_path, repository):
    ann = make_laptop(tmp_path, "ann")
    assert load_overview(ann).repository == ""
    connect(ann, repository.url, create=True)
    assert load_overview(ann).repository == repository.url
    add_school(ann, "Kinver High School")
    waiting = load_overview(ann).pending_changes
    assert waiting > 0

    with ann.store.session() as session:
        repository_id = session.get(Setting, REPOSITORY_ID).value
        prepare_segments(session, load_author(session), repository_id)
    assert load_overview(ann).pending_changes == waiting, "sealed is not sent"

    sync_once(ann)
    assert load_overview(ann).pending_changes == 0
    ann.lock()

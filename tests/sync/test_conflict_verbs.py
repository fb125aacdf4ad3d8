"""`invictus-desktop conflicts`: list concurrent edits and choose one, as an
administrator would from a terminal, on profiles synced through the real server."""

import pytest

from invictus_desktop.cli.main import main
from invictus_desktop.services.profile import unlock
from invictus_desktop.store.models import School
from tests.conftest import PASSPHRASE
from tests.sync.replicas import (
    add_school,
    edit_concurrently,
    engines_in_one_repository,
    introduced_laptops,
)


@pytest.fixture
def two_heads(tmp_path, repository, monkeypatch):
    """Ann's and Ben's profiles, locked, with one headteacher field in conflict."""
    monkeypatch.setenv("INVICTUS_PASSPHRASE", PASSPHRASE)
    with introduced_laptops(tmp_path, "Ann Example", "Ben Example") as (ann, ben):
        with engines_in_one_repository([ann, ben], repository.url) as engines:
            school_id = add_school(ann, "Kinver High School")
            for engine in engines:
                engine.sync()
        edit_concurrently(
            repository.url, [ann, ben], school_id, "headteacher_name",
            ["Mrs Ann Head", "Mr Ben Head"],
        )
    return ann.paths, school_id


def test_conflicts_lists_each_value_with_its_author(two_heads, capsys):
    paths, _ = two_heads

    assert main(["--profile", str(paths.root), "conflicts"]) == 0

    out = capsys.readouterr().out
    assert "Kinver High School · Headteacher" in out
    assert "1. " in out and "(current)" in out and "2. " in out
    assert "by Ann Example" in out and "by Ben Example" in out
    assert "Mrs Ann Head" in out and "Mr Ben Head" in out


def test_conflicts_choose_sets_the_value_and_clears_the_list(two_heads, capsys):
    paths, school_id = two_heads
    main(["--profile", str(paths.root), "conflicts"])
    listing = capsys.readouterr().out
    number = listing.split()[0].lstrip("#")
    kept_line = next(line for line in listing.splitlines() if line.startswith("  2. "))
    kept_text = kept_line[5:].split("  by ")[0]

    assert main(["--profile", str(paths.root), "conflicts", "choose", number, "2"]) == 0

    assert "Sync to tell everyone." in capsys.readouterr().out
    main(["--profile", str(paths.root), "conflicts"])
    assert "No edits to choose between." in capsys.readouterr().out
    profile = unlock(paths, PASSPHRASE)
    with profile.store.session() as session:
        assert session.get(School, school_id).headteacher_name == kept_text
    profile.lock()


def test_a_value_number_out_of_range_is_explained(two_heads, capsys):
    paths, _ = two_heads
    main(["--profile", str(paths.root), "conflicts"])
    number = capsys.readouterr().out.split()[0].lstrip("#")

    assert main(["--profile", str(paths.root), "conflicts", "choose", number, "7"]) == 1
    assert "Choose a number from 1 to 2." in capsys.readouterr().err
    assert main(["--profile", str(paths.root), "conflicts", "choose", "999999", "1"]) == 1
    assert "no such edit" in capsys.readouterr().err

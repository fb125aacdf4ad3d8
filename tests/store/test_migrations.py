"""The migrations and the models describe the same schema, in one line of history."""

import itertools

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from invictus_desktop.store.migrate import alembic_config, head_revision, include_object
from invictus_desktop.store.models import Base


def test_models_and_migrations_agree(new_profile):
    with new_profile.store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": True}
        )
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_the_filter_hides_only_the_full_text_index(new_profile):
    # Without it the FTS5 table, its shadow tables and its rowid map show up as unmodelled.
    with new_profile.store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)

    removed = {diff[1].name for diff in differences if diff[0] == "remove_table"}
    assert removed and all(name.startswith("visit_search") for name in removed)
    assert len(removed) == len(differences)


def test_revision_history_is_one_straight_line():
    script = ScriptDirectory.from_config(alembic_config())
    revisions = list(script.walk_revisions())  # newest first

    assert script.get_heads() == [head_revision()]
    assert len(script.get_bases()) == 1
    for newer, older in itertools.pairwise(revisions):
        assert newer.down_revision == older.revision
        assert not newer.branch_labels
    assert revisions[-1].down_revision is None

"""Alembic environment: migrations always run on a connection the app opened
(already keyed for SQLCipher), in batch mode so SQLite can alter tables."""

from alembic import context

from invictus_desktop.store.migrate import include_object
from invictus_desktop.store.models import Base
from invictus_desktop.store.models.base import UtcDateTime


def render_item(type_, obj, autogen_context):
    """Revisions spell the app's UTC column type as plain sa.DateTime(), so a
    revision never imports application code that may change later."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime()"
    return False


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through invictus_desktop.store.migrate, not the CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=include_object,
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()

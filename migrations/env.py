"""Alembic environment: migrations always run on a connection the app opened
(already keyed for SQLCipher), in batch mode so SQLite can alter tables."""

from alembic import context

from invictus_desktop.store.migrate import include_object
from invictus_desktop.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through invictus_desktop.store.migrate, not the CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=include_object,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

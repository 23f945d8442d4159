"""Alembic environment: always run programmatically by ``netcourse.core.store.engine.migrate`` on the
connection (and inside the transaction) it passes in ``config.attributes["connection"]``."""

from alembic import context

from netcourse.core.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()

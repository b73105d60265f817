"""Alembic environment: runs on the connection `coach.store.schema` hands over."""

from __future__ import annotations

from alembic import context

import coach.store.slack_tables  # noqa: F401 - registers the OAuth stores' tables
from coach.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

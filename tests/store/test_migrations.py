"""The schema is Alembic's: the models and the migrations describe the same database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from coach.store.db import make_engine
from coach.store.models import Base
from coach.store.schema import (
    SchemaOutdated,
    current_revision,
    head_revision,
    migrate,
    require_current,
)


def test_an_empty_database_is_refused_then_migrated(fresh_database_url: str) -> None:
    engine = make_engine(fresh_database_url)
    with pytest.raises(SchemaOutdated, match="run `coach migrate` first"):
        require_current(engine)
    migrate(engine)
    assert current_revision(engine) == head_revision()
    require_current(engine)
    migrate(engine)  # a second run changes nothing
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_the_migrations_match_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()

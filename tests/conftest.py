"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when asked) and a clock.

Set COACH_TEST_DATABASE_URL=postgresql://127.0.0.1:5432/test to run the whole suite on
PostgreSQL. In that run a skipped test fails the session, so the PostgreSQL run can never pass
by quietly skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from coach.clock import FixedClock
from coach.deps import Deps
from coach.settings import Settings
from coach.store.db import make_engine, make_sessions
from coach.store.models import Base
from coach.store.schema import migrate

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("COACH_TEST_DATABASE_URL")
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # a Tuesday, 09:00 in Amsterdam


def pytest_report_header() -> str:
    return f"database: {POSTGRES_URL or 'SQLite (set COACH_TEST_DATABASE_URL for PostgreSQL)'}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if POSTGRES_URL and skipped:
        reporter.write_line(f"FAILED: {skipped} test(s) skipped in the PostgreSQL run", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def reset_postgres(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database to copy (SQLite) or to empty between tests (PostgreSQL)."""
    if POSTGRES_URL:
        engine = make_engine(POSTGRES_URL)
        try:
            reset_postgres(engine)
        except OperationalError as error:
            pytest.fail(f"PostgreSQL at {POSTGRES_URL} is not reachable: {error.orig}")
        migrate(engine)
        engine.dispose()
        yield POSTGRES_URL
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    yield str(path)


@pytest.fixture
def database_url(_template: str, tmp_path: Path) -> str:
    """A migrated, empty database for one test."""
    if POSTGRES_URL:
        engine = make_engine(POSTGRES_URL)
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return POSTGRES_URL
    path = tmp_path / "coach.db"
    shutil.copyfile(_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database without any schema, for migration tests."""
    if POSTGRES_URL:
        engine = make_engine(POSTGRES_URL)
        reset_postgres(engine)
        engine.dispose()
        yield POSTGRES_URL
        engine = make_engine(POSTGRES_URL)  # leave it migrated for the tests that follow
        reset_postgres(engine)
        migrate(engine)
        engine.dispose()
        return
    yield f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def deps(database_url: str, clock: FixedClock) -> Iterator[Deps]:
    settings = Settings(_env_file=None, database_url=database_url)
    engine = make_engine(database_url)
    yield Deps(settings=settings, engine=engine, sessions=make_sessions(engine), clock=clock)
    engine.dispose()

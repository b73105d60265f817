"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when asked) and a clock.

Set COACH_TEST_DATABASE_URL=postgresql://127.0.0.1:5432/test to run the whole suite on
PostgreSQL. In that run a skipped test fails the session, so the PostgreSQL run can never pass
by quietly skipping.

The suite runs in parallel (pytest-xdist, `-n auto` in pyproject.toml; `-n0` to debug). Every
test still has a database of its own: on SQLite a copy of the worker's migrated template; on
PostgreSQL each worker empties and migrates its own database (`test_gw0`, `test_gw1`, ...,
created on the server when missing), and a run without workers uses the URL's database itself.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import OperationalError

from coach.clock import FixedClock
from coach.deps import Deps
from coach.settings import Settings
from coach.store.db import make_engine, make_sessions
from coach.store.models import Base
from coach.store.schema import migrate

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("COACH_TEST_DATABASE_URL")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... under xdist
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # a Tuesday, 09:00 in Amsterdam


def pytest_report_header() -> str:
    return f"database: {POSTGRES_URL or 'SQLite (set COACH_TEST_DATABASE_URL for PostgreSQL)'}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller counts every worker's skips
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if POSTGRES_URL and skipped:
        reporter.write_line(f"FAILED: {skipped} test(s) skipped in the PostgreSQL run", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def own_postgres_database(url: str, worker: str) -> str:
    """The database this process may empty: the URL's own without xdist, `<name>_<worker>` for
    an xdist worker, created through the URL's database when missing (needs CREATEDB)."""
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            found = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not found:
                quoted = connection.dialect.identifier_preparer.quote(name)
                connection.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def reset_postgres(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database to copy (SQLite) or to empty between tests (PostgreSQL)."""
    if POSTGRES_URL:
        try:
            url = own_postgres_database(POSTGRES_URL, WORKER)
            engine = make_engine(url)
            reset_postgres(engine)
        except OperationalError as error:
            pytest.fail(f"PostgreSQL at {POSTGRES_URL} is not reachable: {error.orig}")
        migrate(engine)
        engine.dispose()
        yield url
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
        engine = make_engine(_template)
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return _template
    path = tmp_path / "coach.db"
    shutil.copyfile(_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def fresh_database_url(_template: str, tmp_path: Path) -> Iterator[str]:
    """An empty database without any schema, for migration tests."""
    if POSTGRES_URL:
        engine = make_engine(_template)
        reset_postgres(engine)
        engine.dispose()
        yield _template
        engine = make_engine(_template)  # leave it migrated for the tests that follow
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

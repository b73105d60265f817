"""`coach backup`: a consistent copy of the SQLite database, also while another connection is
writing; PostgreSQL is pointed to pg_dump."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.clock import FixedClock
from coach.deps import Deps
from coach.settings import Settings
from coach.store.db import make_engine, make_sessions
from coach.store.schema import migrate
from tests.seed import seed_workspace
from tests.store.test_catalog_store import dump_tables
from tests.test_cli import coach


@pytest.fixture
def sqlite(clock: FixedClock, tmp_path: Path) -> Iterator[tuple[Deps, str]]:
    """A migrated SQLite database (also in the PostgreSQL run: backup copies SQLite files)."""
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    engine = make_engine(url)
    migrate(engine)
    settings = Settings(_env_file=None, database_url=url)
    yield Deps(settings, engine, make_sessions(engine), clock), url
    engine.dispose()


def _copy_of(deps: Deps, path: Path) -> Deps:
    engine = make_engine(f"sqlite:///{path}")
    return Deps(deps.settings, engine, make_sessions(engine), deps.clock)


def test_a_backup_holds_the_same_data(sqlite: tuple[Deps, str], tmp_path: Path) -> None:
    deps, database_url = sqlite
    seed_workspace(deps, "T0001")
    output = tmp_path / "copy.db"
    result = coach("backup", "--output", str(output), database_url=database_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Backed up the database to {output} (")
    copy = _copy_of(deps, output)
    assert dump_tables(copy) == dump_tables(deps)
    assert list(tmp_path.glob(".copy.db*")) == []  # no partial file left beside it
    copy.engine.dispose()


def test_a_backup_while_another_connection_writes_holds_what_was_committed(
    sqlite: tuple[Deps, str], tmp_path: Path
) -> None:
    deps, database_url = sqlite
    seed_workspace(deps, "T0001")
    writer = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as `coach run` does mid-pass
    writer.execute("UPDATE stories SET text = 'not committed'")
    output = tmp_path / "copy.db"
    try:
        result = coach("backup", "--output", str(output), database_url=database_url, cwd=tmp_path)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(output) as copy:
        assert copy.execute("SELECT text FROM stories").fetchall() == [
            ("De lekkage binnen een uur verholpen",)
        ]
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_an_existing_file_is_replaced_only_with_force(
    sqlite: tuple[Deps, str], tmp_path: Path
) -> None:
    deps, database_url = sqlite
    seed_workspace(deps, "T0001")
    output = tmp_path / "copy.db"
    output.write_text("yesterday's backup", encoding="utf-8")
    refused = coach("backup", "--output", str(output), database_url=database_url, cwd=tmp_path)
    assert refused.returncode == 1
    assert f"{output} exists; choose another file or add --force to replace it" in refused.stderr
    assert output.read_text(encoding="utf-8") == "yesterday's backup"
    forced = coach(
        "backup", "--output", str(output), "--force", database_url=database_url, cwd=tmp_path
    )
    assert forced.returncode == 0, forced.stderr
    with sqlite3.connect(output) as copy:
        assert copy.execute("SELECT count(*) FROM stories").fetchone() == (1,)


def test_postgresql_is_pointed_to_pg_dump(tmp_path: Path) -> None:
    result = coach(
        "backup",
        "--output",
        str(tmp_path / "copy.db"),
        database_url="postgresql://127.0.0.1:1/coach",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: backup copies SQLite databases; for PostgreSQL use pg_dump (see the README)"
    )
    assert not (tmp_path / "copy.db").exists()


def test_a_missing_database_file_is_not_backed_up(tmp_path: Path) -> None:
    result = coach(
        "backup",
        "--output",
        str(tmp_path / "copy.db"),
        database_url=f"sqlite:///{tmp_path / 'nothing.db'}",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "there is no database file" in result.stderr and "check DATABASE_URL" in result.stderr
    assert not (tmp_path / "nothing.db").exists()

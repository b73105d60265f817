"""A consistent copy of a live SQLite database, through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def database_file(engine: Engine) -> Path | None:
    """The SQLite database's file, or None for an in-memory database."""
    name = engine.url.database
    return Path(name) if name and name != ":memory:" else None


def copy_sqlite(engine: Engine, target: Path) -> None:
    """Copy the database into `target` (a new file), page by page under a read transaction:
    writers in other connections and processes carry on (WAL), and the copy is one moment."""
    source = engine.raw_connection()
    try:
        driver = source.driver_connection
        assert isinstance(driver, sqlite3.Connection)  # noqa: S101 - is_sqlite was asked first
        copy = sqlite3.connect(target)
        try:
            driver.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()

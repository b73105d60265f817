"""Engines and sessions: one session per unit of work, never shared between threads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def make_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Enough connections for Bolt's listener threads (slack/app.py), waitress' request threads
    # and the sender's workers at once, so none waits for a connection (issue 12).
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=40)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL lets the HTTP threads read while the scheduler writes; NORMAL is durable in WAL mode
    # except for the last transactions on power loss, which the outbox's leases cover.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def check_connection(engine: Engine) -> None:
    """Raises when the database cannot answer a trivial query (the health check)."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def insert_or_ignore(
    session: Session, model: Any, rows: list[dict[str, Any]], *, unique: list[str]
) -> int:
    """INSERT ... ON CONFLICT (unique) DO NOTHING on either database; returns rows inserted.
    Counted by RETURNING, not by rowcount: psycopg reports -1 as the rowcount of these
    statements, which read as "nothing new" (a queued total of -1, a first answer as a second)."""
    if not rows:
        return 0
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    column = model.__table__.c[unique[0]]
    statement = insert(model).values(rows).on_conflict_do_nothing(index_elements=unique)
    return len(session.execute(statement.returning(column)).all())


def insert_if_new(session: Session, model: Any, row: dict[str, Any], *, unique: list[str]) -> bool:
    """INSERT one row ... ON CONFLICT (unique) DO NOTHING; whether it was inserted."""
    return insert_or_ignore(session, model, [row], unique=unique) == 1

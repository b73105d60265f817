"""What the program's parts need, built once at the edge and passed down explicitly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from coach.clock import Clock
from coach.settings import Settings
from coach.store.db import make_engine, make_sessions


@dataclass(frozen=True)
class Deps:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        with self.sessions.begin() as session:
            yield session


def build_deps(settings: Settings, clock: Clock) -> Deps:
    engine = make_engine(settings.database_url)
    return Deps(settings=settings, engine=engine, sessions=make_sessions(engine), clock=clock)

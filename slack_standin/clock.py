"""The stand-in's notion of "now": any object with an aware `now()`, so a test or the demo can
share its own clock with the stand-in (the stand-in imports nothing from the bot)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def as_utc(at: datetime) -> datetime:
    """Refuse naive datetimes; convert aware ones to UTC."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at.isoformat()} has no timezone; give one, e.g. {at.isoformat()}+00:00")
    return at.astimezone(UTC)

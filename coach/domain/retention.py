"""A workspace's retention period, as typed at the command line or in the admin's App Home: one
rule for both."""

from __future__ import annotations

from coach.domain.team_settings import InvalidSetting

MAX_RETENTION_DAYS = 36500  # a hundred years: more is "keep everything", which is spelled so
KEEP_WORDS = ("", "none")


def parse_retention_days(text: str) -> int | None:
    """Days (1 to 36,500) to keep intentions; None (empty or "none") keeps them until deleted."""
    cleaned = text.strip().lower()
    if cleaned in KEEP_WORDS:
        return None
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 5:
        raise InvalidSetting(
            f"{text!r} is not a number of days from 1 to {MAX_RETENTION_DAYS}, "
            "or 'none' to keep everything"
        )
    days = int(cleaned)
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise InvalidSetting(
            f"{text!r} is not a number of days from 1 to {MAX_RETENTION_DAYS}, "
            "or 'none' to keep everything"
        )
    return days

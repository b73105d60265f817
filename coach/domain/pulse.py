"""The team pulse as pure rules: when a month's pulse is asked and closes, which ownership
statements it asks, how its answers add up, and when a number may be shown.

The pulse is asked on the first workday of a month, instead of that day's nudge, and answered
until it closes a week later. Results are shown only for closed months, so a number never moves
while someone watches who answers next, and only from `at_least` answers on (MinGroup.private: they are
private answers, so 5 at least, or COACH_MIN_GROUP when that is more).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from coach.domain.schedule import is_workday

OPEN_DAYS = 7  # answers are taken from the pulse's day for a week
ENPS_SCORES = range(11)  # 0 .. 10
AGREE_SCORES = range(1, 6)  # 1 (disagree) .. 5 (agree)
STATEMENTS_A_MONTH = 3
# The ownership conditions (seed: ownership grows where people are willing, able and find it
# meaningful, with room to act, trust, transparency and overview); stored by these keys.
OWNERSHIP = ("willing", "able", "meaningful", "room", "trust", "transparency", "overview")
MODES = ("monthly", "off")


def local_today(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def month_of(day: date) -> date:
    """The month a day belongs to, as its first day."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_back(month: date, count: int) -> list[date]:
    """`count` months ending with `month`, oldest first."""
    months = [month_of(month)]
    for _ in range(count - 1):
        months.append(month_of(months[-1] - timedelta(days=1)))
    return months[::-1]


def pulse_day(month: date, holiday_country: str) -> date:
    """The first workday of the month (no weekend, no public holiday of the team's country)."""
    day = month_of(month)
    while not is_workday(day, holiday_country):
        day += timedelta(days=1)
    return day


def closes_on(month: date, holiday_country: str) -> date:
    """The first local day on which the month's pulse takes no more answers."""
    return pulse_day(month, holiday_country) + timedelta(days=OPEN_DAYS)


def is_open(month: date, today: date, holiday_country: str) -> bool:
    return pulse_day(month, holiday_country) <= today < closes_on(month, holiday_country)


def is_closed(month: date, today: date, holiday_country: str) -> bool:
    return today >= closes_on(month, holiday_country)


def statements_for(month: date) -> tuple[str, ...]:
    """The month's three ownership statements: each month the next three of the seven, so a
    statement comes back every few months and the seven are asked about equally often."""
    start = (month.year * 12 + month.month - 1) * STATEMENTS_A_MONTH
    return tuple(OWNERSHIP[(start + i) % len(OWNERSHIP)] for i in range(STATEMENTS_A_MONTH))


def celebrated_month(celebration_day: date, holiday_country: str) -> date | None:
    """The pulse month whose result the celebration on `celebration_day` mentions: the first
    celebration on or after the day the month's pulse closed (None: no month)."""
    month = month_of(celebration_day)  # a pulse closes by the 11th: within its own month
    closed = closes_on(month, holiday_country)
    return month if closed <= celebration_day < closed + timedelta(days=7) else None


@dataclass(frozen=True)
class Enps:
    """Promoters (9-10) minus detractors (0-6), in percent of the answers: -100 .. 100."""

    score: int
    answers: int
    promoters: int
    passives: int
    detractors: int


PROMOTER = 9  # a score of at least this is a promoter's
DETRACTOR = 6  # at most this, a detractor's


def enps(scores: Iterable[int]) -> Enps:
    counted = list(scores)
    promoters = sum(1 for s in counted if s >= PROMOTER)
    detractors = sum(1 for s in counted if s <= DETRACTOR)
    return counted_enps(len(counted), promoters, detractors)


def counted_enps(answers: int, promoters: int, detractors: int) -> Enps:
    """The eNPS from its counts (as the database counts them for many teams at once)."""
    score = round(100 * (promoters - detractors) / answers) if answers else 0
    return Enps(score, answers, promoters, answers - promoters - detractors, detractors)


def shown_enps(scores: Sequence[int], *, at_least: int) -> Enps | None:
    """The eNPS when enough people answered to show it without singling anyone out."""
    return enps(scores) if len(scores) >= at_least else None


def shown_average(scores: Sequence[int], *, at_least: int) -> float | None:
    """An ownership statement's average agreement (1-5, one decimal), with the same minimum."""
    if len(scores) < at_least:
        return None
    return round(sum(scores) / len(scores), 1)

"""When a person's daily nudge and a team's weekly celebration are due; pure, given `now`.

Times are stored as wall-clock times in an IANA timezone and turned into UTC instants per local
day, so 09:00 stays 09:00 across a DST switch (adding 24 h in UTC would drift by an hour).
Every datetime in and out is aware; what comes out is UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from coach.clock import as_utc

DEFAULT_CATCH_UP = timedelta(hours=2)
# Longer than the longest pause `/coach pause` accepts (365 days) plus a holiday run after it.
SEARCH_DAYS = 400
_DAY = timedelta(days=1)
_RESOLUTION = timedelta(microseconds=1)


def iso_week(day: date) -> tuple[int, int]:
    """(ISO year, ISO week): 31 December 2026 is (2026, 53), 4 January 2027 is (2027, 1)."""
    iso = day.isocalendar()
    return iso.year, iso.week


Every = Literal["daily", "3x", "weekly"]
EVERY: tuple[Every, ...] = ("daily", "3x", "weekly")
MON_TO_FRI = frozenset(range(5))
QUIET_LIMIT = 5  # nudges in a row without any reaction before the coach asks about the rhythm


@dataclass(frozen=True)
class Rhythm:
    """On which days someone is nudged: their weekdays (0 = Monday) and how often in a week.

    "3x" takes three of the weekdays spread over the week (Mon, Wed, Fri of Mon-Fri); "weekly"
    the first of them in each ISO week that is not a public holiday (Tuesday after Easter
    Monday), so a holiday does not cost a weekly person their week. Public holidays never get a
    nudge, whatever the rhythm.
    """

    days: frozenset[int] = MON_TO_FRI
    every: Every = "daily"

    def __post_init__(self) -> None:
        if not self.days or not self.days <= frozenset(range(7)):
            raise ValueError(f"weekdays must be some of 0 (Monday) to 6 (Sunday), not {self.days}")
        if self.every not in EVERY:
            raise ValueError(f"how often must be one of {EVERY}, not {self.every!r}")

    def nudges_on(self, day: date, holiday_country: str) -> bool:
        if is_public_holiday(day, holiday_country):
            return False
        weekday = day.weekday()
        if self.every == "3x":
            return weekday in _spread(self.days, 3)
        if weekday not in self.days:
            return False
        if self.every == "weekly":
            earlier = (day - timedelta(days=weekday - d) for d in sorted(self.days) if d < weekday)
            return all(is_public_holiday(other, holiday_country) for other in earlier)
        return True


def person_rhythm(
    team_days: frozenset[int] | None,
    own_days: frozenset[int] | None,
    every: str | None,
    *,
    backed_off: bool,
) -> Rhythm:
    """A person's rhythm within what their team allows: their own weekdays among the team's
    (the team's when they chose none, or none of theirs is left after the team changed its
    days), their own frequency, and weekly while they are backed off (see QUIET_LIMIT)."""
    allowed = team_days or MON_TO_FRI
    days = (own_days or allowed) & allowed or allowed
    chosen: Every = "weekly" if backed_off else _every(every)
    return Rhythm(days, chosen)


def ask_about_rhythm(quiet_nudges: int, *, asked: bool) -> bool:
    """Whether the day's message is the question about the rhythm instead of a nudge: after
    QUIET_LIMIT nudges in a row without any reaction, once, until they react again."""
    return quiet_nudges >= QUIET_LIMIT and not asked


def days_to_text(days: frozenset[int]) -> str:
    """Weekdays as stored: "024" is Monday, Wednesday and Friday."""
    return "".join(str(d) for d in sorted(days))


def days_from_text(text: str | None) -> frozenset[int] | None:
    """The stored weekdays back; None (or anything unreadable) means no choice of one's own."""
    if not text or not text.isdigit() or not set(text) <= set("0123456"):
        return None
    return frozenset(int(d) for d in text)


def _every(text: str | None) -> Every:
    for every in EVERY:
        if text == every:
            return every
    return "daily"


def _spread(days: frozenset[int], count: int) -> frozenset[int]:
    """`count` of the weekdays, as evenly apart as they go: first, middle and last of three."""
    ordered = sorted(days)
    if len(ordered) <= count:
        return frozenset(ordered)
    last = len(ordered) - 1
    return frozenset(ordered[round(i * last / (count - 1))] for i in range(count))


def is_workday(day: date, holiday_country: str) -> bool:
    """Monday to Friday and not a public holiday in `holiday_country` (ISO code, e.g. "NL")."""
    return day.weekday() < 5 and not is_public_holiday(day, holiday_country)


def is_public_holiday(day: date, holiday_country: str) -> bool:
    return day in _public_holidays(holiday_country, day.year)


@lru_cache(maxsize=1024)
def _public_holidays(holiday_country: str, year: int) -> frozenset[date]:
    # One calendar per country and year, built once: this runs for every person on every pass.
    # A frozenset, not the HolidayBase itself: that object grows new years on lookup, which is
    # not safe to share between the scheduler's threads.
    # Only the default "public" category: in NL, Liberation Day (5 May) is "public" every fifth
    # year (2025, 2030) and merely "optional" in the years between.
    try:
        calendar = holidays.country_holidays(holiday_country, years=year)
    except NotImplementedError:
        raise ValueError(
            f"{holiday_country!r} is not a country the holidays calendar knows; use e.g. NL"
        ) from None
    return frozenset(calendar.keys())


def local_instant(day: date, at: time, tz: str) -> datetime:
    """The UTC instant at which the clocks in `tz` show `at` on `day`.

    In the autumn fold (02:30 on 25 October 2026 in Amsterdam happens twice) this is the first
    occurrence. In the spring gap (02:00-03:00 on 29 March 2026 does not exist) it is the moment
    the gap ends, 03:00 local: the earliest instant at which the clock has passed `at`. Python's
    own fold=0 reading would shift by the gap's length instead (02:30 -> 03:30), which lets a
    02:45 nudge overtake a 03:15 one; the gap's end keeps nudges in wall-clock order.
    """
    return _instant(day, at, _zone(tz))


def due_nudge_day(
    now: datetime,
    *,
    tz: str,
    at: time,
    holiday_country: str,
    paused_until: datetime | None,
    catch_up: timedelta = DEFAULT_CATCH_UP,
    rhythm: Rhythm = Rhythm(),
) -> date | None:
    """The local date whose nudge is due at `now`, or None.

    A day's nudge is due from its local instant until `catch_up` later, so a pass that comes late
    (the bot was down) still sends it, and a nudge older than that is dropped rather than sent in
    a burst. The answer is the same on every pass in that window: callers deduplicate on
    (person, date). Only the days of the person's `rhythm`, and only if not paused at the
    instant (paused_until > instant).
    """
    now = as_utc(now)
    if catch_up <= timedelta(0):
        raise ValueError(f"catch_up must be positive, not {catch_up}")
    zone = _zone(tz)
    day = now.astimezone(zone).date()
    # Every day whose nudge could fall in (now - catch_up, now]: near midnight that includes
    # the day before (the local date of `now` already moved on). One day more, because a DST gap
    # at midnight can push a nudge onto the next local date.
    oldest = (now - catch_up).astimezone(zone).date() - _DAY
    while day >= oldest:
        instant = _instant(day, at, zone)
        if (
            instant <= now < instant + catch_up
            and rhythm.nudges_on(day, holiday_country)
            and not _paused(paused_until, instant)
        ):
            return day
        day -= _DAY
    return None


def next_nudge_instant(
    after: datetime,
    *,
    tz: str,
    at: time,
    holiday_country: str,
    paused_until: datetime | None,
    rhythm: Rhythm = Rhythm(),
) -> datetime:
    """The first nudge instant strictly after `after`, on a day of `rhythm`, when not paused.

    Raises ValueError when there is none within SEARCH_DAYS (e.g. an indefinite pause).
    """
    after = as_utc(after)
    zone = _zone(tz)
    limit = after + timedelta(days=SEARCH_DAYS)
    start = after
    if paused_until is not None:
        paused_until = as_utc(paused_until)
        if paused_until > limit:
            raise ValueError(
                f"paused until {paused_until.isoformat()}: no nudge within {SEARCH_DAYS} days"
            )
        start = max(start, paused_until)  # a shortcut: the loop would skip those days anyway
    day = start.astimezone(zone).date() - _DAY  # the day before: see the midnight gap above
    while True:
        instant = _instant(day, at, zone)
        if instant > limit:
            raise ValueError(f"no workday within {SEARCH_DAYS} days after {after.isoformat()}")
        if (
            instant > after
            and not _paused(paused_until, instant)
            and rhythm.nudges_on(day, holiday_country)
        ):
            return instant
        day += _DAY


def celebration_instant(
    iso_year: int,
    iso_week: int,
    *,
    weekday: int,
    at: time,
    tz: str,
    holiday_country: str,
) -> datetime | None:
    """The team's celebration moment in that ISO week (weekday 0 = Monday), in UTC.

    On a public holiday it moves back to the nearest earlier workday of the same week (Good
    Friday -> Thursday), never into the week before, which has had its own; None when no such day
    is left. A weekend day the team chose on purpose is kept unless it is a public holiday.
    """
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday}")
    zone = _zone(tz)
    chosen = date.fromisocalendar(iso_year, iso_week, weekday + 1)
    if not is_public_holiday(chosen, holiday_country):
        return _instant(chosen, at, zone)
    for back in range(1, weekday + 1):
        day = chosen - timedelta(days=back)
        if is_workday(day, holiday_country):
            return _instant(day, at, zone)
    return None


def _paused(paused_until: datetime | None, instant: datetime) -> bool:
    return paused_until is not None and as_utc(paused_until) > instant


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)  # ZoneInfo caches its instances itself
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{tz!r} is not an IANA timezone; use e.g. Europe/Amsterdam") from None


def _instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    if at.tzinfo is not None:
        raise ValueError(f"{at.isoformat()} is a wall-clock time and must not carry a timezone")
    # fold=0: in the autumn fold, the first of the two 02:30s.
    wall = datetime.combine(day, at.replace(fold=0), tzinfo=zone)
    instant = wall.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant
    return _gap_end(wall, zone)


def _gap_end(wall: datetime, zone: ZoneInfo) -> datetime:
    """The instant a DST gap containing the (nonexistent) local time `wall` ends.

    zoneinfo has no public list of transitions, so bisect between the two readings PEP 495
    gives a time in a gap: with fold=1 (the later offset) it is an instant before the switch,
    with fold=0 (the earlier offset) one after it. A few dozen steps, only on gap days.
    """
    naive = wall.replace(tzinfo=None)
    before = wall.replace(fold=1).astimezone(UTC)
    after = wall.astimezone(UTC)
    while after - before > _RESOLUTION:
        middle = before + (after - before) // 2
        if middle.astimezone(zone).replace(tzinfo=None) >= naive:
            after = middle
        else:
            before = middle
    return after

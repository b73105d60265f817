"""When nudges and celebrations are due: fixed dates only, on three continents and across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from coach.domain import schedule
from coach.domain.schedule import (
    celebration_instant,
    due_nudge_day,
    is_workday,
    iso_week,
    local_instant,
    next_nudge_instant,
)

FOREVER = datetime(9999, 12, 31, tzinfo=UTC)  # how an indefinite pause is stored
AMSTERDAM = {"tz": "Europe/Amsterdam", "at": time(9), "holiday_country": "NL"}
NEW_YORK = {"tz": "America/New_York", "at": time(9), "holiday_country": "US"}
SYDNEY = {"tz": "Australia/Sydney", "at": time(9), "holiday_country": "AU"}
TUESDAY_NUDGE = datetime(2026, 4, 28, 7, 0, tzinfo=UTC)  # 09:00 CEST, an ordinary Tuesday


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 31), (2026, 53)),
        (date(2027, 1, 3), (2026, 53)),
        (date(2027, 1, 4), (2027, 1)),
        (date(2024, 12, 30), (2025, 1)),
    ],
)
def test_iso_week(day: date, expected: tuple[int, int]) -> None:
    assert iso_week(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 24), True),  # an ordinary Friday
        (date(2026, 4, 25), False),  # Saturday
        (date(2026, 4, 26), False),  # Sunday
        (date(2026, 4, 27), False),  # King's Day, a Monday
        (date(2026, 4, 28), True),
        (date(2025, 4, 28), True),  # 27 April 2025 was a Sunday: King's Day moved to Saturday 26th
        (date(2026, 4, 3), False),  # Good Friday: in the package's NL calendar
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 5, 14), False),  # Ascension Day
        (date(2026, 5, 25), False),  # Whit Monday
        (date(2025, 5, 5), False),  # Liberation Day, a lustrum year
        (date(2020, 5, 5), False),
        (date(2026, 5, 5), True),  # Liberation Day in between: only "optional" in the package
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), False),  # Christmas
        (date(2025, 12, 26), False),  # Second Christmas Day, a Friday
    ],
)
def test_is_workday_in_the_netherlands(day: date, expected: bool) -> None:
    assert is_workday(day, "NL") is expected


@pytest.mark.parametrize(
    ("day", "country", "expected"),
    [
        (date(2026, 7, 3), "US", False),  # Independence Day observed on the Friday
        (date(2026, 7, 3), "NL", True),
        (date(2026, 11, 26), "US", False),  # Thanksgiving
        (date(2021, 12, 31), "US", False),  # New Year's Day 2022 observed, in the year before
        (date(2026, 5, 6), "JP", False),  # substitute holiday for Constitution Day
        (date(2026, 1, 26), "AU", False),  # Australia Day
        (date(2026, 1, 26), "NL", True),
    ],
)
def test_is_workday_elsewhere(day: date, country: str, expected: bool) -> None:
    assert is_workday(day, country) is expected


def test_unknown_holiday_country_is_refused() -> None:
    with pytest.raises(ValueError, match="'XX' is not a country"):
        is_workday(date(2026, 4, 28), "XX")


def test_one_calendar_per_country_and_year() -> None:
    schedule._public_holidays.cache_clear()
    for offset in range(365):
        is_workday(date(2026, 1, 1) + timedelta(days=offset), "NL")
    assert schedule._public_holidays.cache_info().misses == 1


@pytest.mark.parametrize(
    ("tz", "day", "expected"),
    [
        # EU: last Sundays of March and October.
        ("Europe/Amsterdam", date(2026, 3, 28), utc(2026, 3, 28, 8)),
        ("Europe/Amsterdam", date(2026, 3, 29), utc(2026, 3, 29, 7)),
        ("Europe/Amsterdam", date(2026, 10, 24), utc(2026, 10, 24, 7)),
        ("Europe/Amsterdam", date(2026, 10, 25), utc(2026, 10, 25, 8)),
        # US: second Sunday of March, first Sunday of November.
        ("America/New_York", date(2026, 3, 7), utc(2026, 3, 7, 14)),
        ("America/New_York", date(2026, 3, 8), utc(2026, 3, 8, 13)),
        ("America/New_York", date(2026, 10, 31), utc(2026, 10, 31, 13)),
        ("America/New_York", date(2026, 11, 1), utc(2026, 11, 1, 14)),
        # Southern hemisphere: summer time ends in April and starts in October.
        ("Australia/Sydney", date(2026, 4, 4), utc(2026, 4, 3, 22)),
        ("Australia/Sydney", date(2026, 4, 5), utc(2026, 4, 4, 23)),
        ("Australia/Sydney", date(2026, 10, 3), utc(2026, 10, 2, 23)),
        ("Australia/Sydney", date(2026, 10, 4), utc(2026, 10, 3, 22)),
        # No DST at all.
        ("Asia/Tokyo", date(2026, 3, 29), utc(2026, 3, 29, 0)),
        ("Asia/Tokyo", date(2026, 10, 25), utc(2026, 10, 25, 0)),
    ],
)
def test_nine_oclock_stays_nine_oclock_across_dst(tz: str, day: date, expected: datetime) -> None:
    assert local_instant(day, time(9), tz) == expected


def test_across_a_switch_a_local_day_is_not_24_hours() -> None:
    tz = "Europe/Amsterdam"
    spring = local_instant(date(2026, 3, 29), time(9), tz) - local_instant(
        date(2026, 3, 28), time(9), tz
    )
    autumn = local_instant(date(2026, 10, 25), time(9), tz) - local_instant(
        date(2026, 10, 24), time(9), tz
    )
    assert (spring, autumn) == (timedelta(hours=23), timedelta(hours=25))


@pytest.mark.parametrize(
    ("tz", "day", "at", "expected"),
    [
        # Amsterdam 29 March 2026: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
        ("Europe/Amsterdam", date(2026, 3, 29), time(1, 59), utc(2026, 3, 29, 0, 59)),
        ("Europe/Amsterdam", date(2026, 3, 29), time(2, 0), utc(2026, 3, 29, 1)),
        ("Europe/Amsterdam", date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1)),
        ("Europe/Amsterdam", date(2026, 3, 29), time(2, 59, 59), utc(2026, 3, 29, 1)),
        ("Europe/Amsterdam", date(2026, 3, 29), time(3, 0), utc(2026, 3, 29, 1)),
        ("America/New_York", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7)),
        ("Australia/Sydney", date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 16)),
    ],
)
def test_a_time_in_the_spring_gap_moves_to_the_end_of_the_gap(
    tz: str, day: date, at: time, expected: datetime
) -> None:
    assert local_instant(day, at, tz) == expected


def test_the_spring_gap_keeps_nudges_in_wall_clock_order() -> None:
    # Python's fold=0 reading would put 02:45 (-> 01:45 UTC) after 03:15 (-> 01:15 UTC).
    times = [time(1, 59), time(2, 15), time(2, 45), time(3, 15)]
    instants = [local_instant(date(2026, 3, 29), at, "Europe/Amsterdam") for at in times]
    assert instants == sorted(instants)


@pytest.mark.parametrize(
    ("tz", "day", "at", "expected"),
    [
        # Amsterdam 25 October 2026: 02:30 happens at 00:30 UTC (CEST) and 01:30 UTC (CET).
        ("Europe/Amsterdam", date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),
        ("Europe/Amsterdam", date(2026, 10, 25), time(2, 30, fold=1), utc(2026, 10, 25, 0, 30)),
        ("America/New_York", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),
        ("Australia/Sydney", date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30)),
    ],
)
def test_a_time_in_the_autumn_fold_is_its_first_occurrence(
    tz: str, day: date, at: time, expected: datetime
) -> None:
    assert local_instant(day, at, tz) == expected


def test_local_instant_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="wall-clock"):
        local_instant(date(2026, 4, 28), time(9, tzinfo=UTC), "Europe/Amsterdam")
    with pytest.raises(ValueError, match="IANA"):
        local_instant(date(2026, 4, 28), time(9), "Europe/Atlantis")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (TUESDAY_NUDGE - timedelta(seconds=1), None),
        (TUESDAY_NUDGE, date(2026, 4, 28)),
        (TUESDAY_NUDGE + timedelta(hours=1), date(2026, 4, 28)),  # the bot was down an hour
        (TUESDAY_NUDGE + timedelta(hours=2, microseconds=-1), date(2026, 4, 28)),
        (TUESDAY_NUDGE + timedelta(hours=2), None),  # too late: dropped, never sent in a burst
        (TUESDAY_NUDGE + timedelta(hours=12), None),
    ],
)
def test_catch_up_window(now: datetime, expected: date | None) -> None:
    assert due_nudge_day(now, **AMSTERDAM, paused_until=None) == expected


def test_every_pass_inside_the_window_names_the_same_day() -> None:
    passes = [TUESDAY_NUDGE + timedelta(minutes=m) for m in range(-60, 180, 5)]
    answers = {now: due_nudge_day(now, **AMSTERDAM, paused_until=None) for now in passes}
    due = [now for now, day in answers.items() if day is not None]
    assert set(answers.values()) == {None, date(2026, 4, 28)}
    assert (min(due), max(due)) == (TUESDAY_NUDGE, TUESDAY_NUDGE + timedelta(minutes=115))


def test_a_shorter_catch_up() -> None:
    short = {"catch_up": timedelta(minutes=10), "paused_until": None}
    assert due_nudge_day(TUESDAY_NUDGE + timedelta(minutes=9), **AMSTERDAM, **short) is not None
    assert due_nudge_day(TUESDAY_NUDGE + timedelta(minutes=10), **AMSTERDAM, **short) is None
    with pytest.raises(ValueError, match="positive"):
        due_nudge_day(TUESDAY_NUDGE, **AMSTERDAM, paused_until=None, catch_up=timedelta(0))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 4, 24, 7, 30), date(2026, 4, 24)),  # Friday
        (utc(2026, 4, 25, 7, 30), None),  # Saturday
        (utc(2026, 4, 26, 7, 30), None),  # Sunday
        (utc(2026, 4, 27, 7, 30), None),  # King's Day
        (utc(2026, 4, 3, 7, 30), None),  # Good Friday
        (utc(2025, 5, 5, 7, 30), None),  # Liberation Day 2025
        (utc(2026, 5, 5, 7, 30), date(2026, 5, 5)),  # but not in 2026
        (utc(2026, 12, 25, 8, 30), None),  # Christmas (CET)
    ],
)
def test_only_on_workdays(now: datetime, expected: date | None) -> None:
    assert due_nudge_day(now, **AMSTERDAM, paused_until=None) == expected


@pytest.mark.parametrize(
    ("zone", "nudge"),
    [
        (AMSTERDAM, utc(2026, 3, 30, 7)),  # Monday after the EU spring switch: CEST
        (AMSTERDAM, utc(2026, 10, 26, 8)),  # Monday after the EU autumn switch: CET
        (NEW_YORK, utc(2026, 3, 9, 13)),  # Monday after the US spring switch: EDT
        (NEW_YORK, utc(2026, 11, 2, 14)),  # Monday after the US autumn switch: EST
        (SYDNEY, utc(2026, 10, 4, 22)),  # Monday 5 October, AEDT
    ],
)
def test_due_at_nine_local_after_a_switch(zone: dict[str, object], nudge: datetime) -> None:
    params = {**zone, "paused_until": None}
    expected = nudge.astimezone(ZoneInfo(str(zone["tz"]))).date()
    assert due_nudge_day(nudge - timedelta(seconds=1), **params) is None
    assert due_nudge_day(nudge, **params) == expected


def test_sydney_day_is_ahead_of_the_utc_day() -> None:
    # Tuesday 7 April 09:00 AEST is Monday 6 April 23:00 UTC; Good Friday and Easter Monday
    # before it are holidays in AU too.
    now = utc(2026, 4, 6, 23, 5)
    assert due_nudge_day(now, **SYDNEY, paused_until=None) == date(2026, 4, 7)
    assert due_nudge_day(utc(2026, 4, 5, 23, 5), **SYDNEY, paused_until=None) is None


def test_tokyo_just_after_midnight_utc() -> None:
    tokyo = {"tz": "Asia/Tokyo", "at": time(9), "holiday_country": "JP", "paused_until": None}
    # 09:00 JST is 00:00 UTC: Wednesday 29 April is Showa Day, Thursday 30 April is not.
    assert due_nudge_day(utc(2026, 4, 29, 0, 10), **tokyo) is None
    assert due_nudge_day(utc(2026, 4, 30, 0, 10), **tokyo) == date(2026, 4, 30)


def test_tokyo_date_ahead_of_utc_date() -> None:
    tokyo = {"tz": "Asia/Tokyo", "at": time(8, 45), "holiday_country": "JP", "paused_until": None}
    # 23:50 UTC on Monday 27 April is 08:50 on Tuesday 28 April in Tokyo.
    assert due_nudge_day(utc(2026, 4, 27, 23, 50), **tokyo) == date(2026, 4, 28)


def test_los_angeles_date_behind_utc_date() -> None:
    la = {"tz": "America/Los_Angeles", "at": time(17), "holiday_country": "US"}
    # 00:30 UTC on Wednesday 29 April is 17:30 PDT on Tuesday 28 April.
    assert due_nudge_day(utc(2026, 4, 29, 0, 30), **la, paused_until=None) == date(2026, 4, 28)


def test_a_late_nudge_is_still_due_after_local_midnight() -> None:
    late = {**AMSTERDAM, "at": time(23, 30), "paused_until": None}
    # Friday 23:30 CEST = 21:30 UTC; at 00:30 on Saturday it is still Friday's nudge that is due.
    assert due_nudge_day(utc(2026, 4, 24, 22, 30), **late) == date(2026, 4, 24)
    # Monday 27 April was King's Day: nothing was due then, nothing is due after midnight.
    assert due_nudge_day(utc(2026, 4, 27, 22, 30), **late) is None


@pytest.mark.parametrize(
    ("paused_until", "expected"),
    [
        (None, date(2026, 4, 28)),
        (utc(2026, 4, 27, 12), date(2026, 4, 28)),  # a pause that is over
        (TUESDAY_NUDGE, date(2026, 4, 28)),  # ends exactly at the nudge
        (TUESDAY_NUDGE + timedelta(seconds=1), None),
        (TUESDAY_NUDGE + timedelta(minutes=15), None),  # paused at 09:00: no late nudge at 09:30
        (datetime(2026, 4, 28, 9, 0, 1, tzinfo=ZoneInfo("Europe/Amsterdam")), None),
        (FOREVER, None),
    ],
)
def test_pause(paused_until: datetime | None, expected: date | None) -> None:
    now = TUESDAY_NUDGE + timedelta(minutes=30)
    assert due_nudge_day(now, **AMSTERDAM, paused_until=paused_until) == expected


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="no timezone"):
        due_nudge_day(datetime(2026, 4, 28, 7), **AMSTERDAM, paused_until=None)  # noqa: DTZ001
    with pytest.raises(ValueError, match="no timezone"):
        due_nudge_day(TUESDAY_NUDGE, **AMSTERDAM, paused_until=datetime(2026, 5, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="no timezone"):
        next_nudge_instant(datetime(2026, 4, 28, 7), **AMSTERDAM, paused_until=None)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("zone", "after", "expected"),
    [
        (AMSTERDAM, TUESDAY_NUDGE - timedelta(hours=1), TUESDAY_NUDGE),
        (AMSTERDAM, TUESDAY_NUDGE, utc(2026, 4, 29, 7)),  # strictly after
        (AMSTERDAM, utc(2026, 4, 24, 8), TUESDAY_NUDGE),  # weekend, then King's Day
        (AMSTERDAM, utc(2026, 3, 27, 8), utc(2026, 3, 30, 7)),  # over the spring switch
        (AMSTERDAM, utc(2026, 10, 23, 7), utc(2026, 10, 26, 8)),  # over the autumn switch
        (AMSTERDAM, utc(2026, 12, 24, 8), utc(2026, 12, 28, 8)),  # Christmas
        (NEW_YORK, utc(2026, 3, 6, 14), utc(2026, 3, 9, 13)),
        (NEW_YORK, utc(2026, 10, 30, 13), utc(2026, 11, 2, 14)),
        # Thursday 2 April 09:00 AEDT; then Good Friday, the weekend (summer time ends),
        # Easter Monday; Tuesday 7 April 09:00 AEST.
        (SYDNEY, utc(2026, 4, 1, 22), utc(2026, 4, 6, 23)),
    ],
)
def test_next_nudge_instant(zone: dict[str, object], after: datetime, expected: datetime) -> None:
    assert next_nudge_instant(after, **zone, paused_until=None) == expected


@pytest.mark.parametrize(
    ("paused_until", "expected"),
    [
        (utc(2026, 4, 29, 12), utc(2026, 4, 30, 7)),  # Wednesday noon: Thursday's nudge
        (utc(2026, 4, 30, 7), utc(2026, 4, 30, 7)),  # ends exactly at Thursday's nudge
        (utc(2027, 2, 22, 12), utc(2027, 2, 23, 8)),  # 300 days on, in winter time
    ],
)
def test_next_nudge_instant_after_a_pause(paused_until: datetime, expected: datetime) -> None:
    after = TUESDAY_NUDGE - timedelta(hours=1)
    assert next_nudge_instant(after, **AMSTERDAM, paused_until=paused_until) == expected


@pytest.mark.parametrize(
    "paused_until", [FOREVER, TUESDAY_NUDGE + timedelta(days=schedule.SEARCH_DAYS + 1)]
)
def test_no_next_nudge_within_the_search_window(paused_until: datetime) -> None:
    with pytest.raises(ValueError, match="paused until"):
        next_nudge_instant(TUESDAY_NUDGE, **AMSTERDAM, paused_until=paused_until)


def celebrate(iso_year: int, week: int, weekday: int = 4, **zone: object) -> datetime | None:
    where = zone or {"tz": "Europe/Amsterdam", "holiday_country": "NL"}
    return celebration_instant(iso_year, week, weekday=weekday, at=time(16), **where)


@pytest.mark.parametrize(
    ("iso_year", "week", "weekday", "expected"),
    [
        (2026, 15, 4, utc(2026, 4, 10, 14)),  # an ordinary Friday, 16:00 CEST
        (2026, 14, 4, utc(2026, 4, 2, 14)),  # Good Friday -> Thursday
        (2026, 20, 3, utc(2026, 5, 13, 14)),  # Ascension Thursday -> Wednesday
        (2025, 52, 4, utc(2025, 12, 24, 15)),  # both Christmas days -> Wednesday, CET
        (2026, 53, 4, utc(2026, 12, 31, 15)),  # New Year's Day 2027 is in 2026-W53
        (2026, 43, 4, utc(2026, 10, 23, 14)),  # the week before the autumn switch
        (2026, 44, 4, utc(2026, 10, 30, 15)),  # the week after it
        (2026, 17, 5, utc(2026, 4, 25, 14)),  # a Saturday the team chose is kept
        (2025, 17, 5, utc(2025, 4, 25, 14)),  # unless it is King's Day (26 April 2025)
        (2026, 15, 0, None),  # Easter Monday: no earlier day in that week
    ],
)
def test_celebration_instant(
    iso_year: int, week: int, weekday: int, expected: datetime | None
) -> None:
    assert celebrate(iso_year, week, weekday) == expected


def test_celebration_elsewhere() -> None:
    # Thanksgiving Thursday -> Wednesday 16:00 EST.
    us = celebrate(2026, 48, 3, tz="America/New_York", holiday_country="US")
    assert us == utc(2026, 11, 25, 21)
    # Good Friday in Australia too, autumn there: Thursday 2 April 16:00 AEDT.
    au = celebrate(2026, 14, 4, tz="Australia/Sydney", holiday_country="AU")
    assert au == utc(2026, 4, 2, 5)


def test_celebration_refuses_what_does_not_exist() -> None:
    with pytest.raises(ValueError):
        celebrate(2025, 53)  # 2025 has 52 ISO weeks
    with pytest.raises(ValueError, match="weekday"):
        celebrate(2026, 15, 7)

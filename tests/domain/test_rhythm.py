"""A rhythm people choose: which weekdays, how often, and the back-off; pure, around DST and
public holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from coach.domain.schedule import (
    MON_TO_FRI,
    QUIET_LIMIT,
    Rhythm,
    ask_about_rhythm,
    days_from_text,
    days_to_text,
    due_nudge_day,
    next_nudge_instant,
    person_rhythm,
)
from coach.domain.team_settings import InvalidSetting, parse_weekdays

AMSTERDAM = {"tz": "Europe/Amsterdam", "at": time(9, 0), "holiday_country": "NL"}
MONDAY = date(2026, 11, 23)


def nudge_days(rhythm: Rhythm, first: date = MONDAY, days: int = 14) -> list[str]:
    """The nudge days over `days` days from `first`, as weekday names."""
    chosen = (first + timedelta(days=d) for d in range(days))
    return [f"{d:%a %d}" for d in chosen if rhythm.nudges_on(d, "NL")]


def test_every_workday_by_default() -> None:
    assert nudge_days(Rhythm(), days=7) == ["Mon 23", "Tue 24", "Wed 25", "Thu 26", "Fri 27"]


def test_monday_and_wednesday_only() -> None:
    assert nudge_days(Rhythm(frozenset({0, 2}))) == ["Mon 23", "Wed 25", "Mon 30", "Wed 02"]


def test_three_times_a_week_spreads_over_the_days() -> None:
    assert nudge_days(Rhythm(every="3x"), days=7) == ["Mon 23", "Wed 25", "Fri 27"]
    saturday_team = Rhythm(frozenset(range(6)), "3x")
    assert nudge_days(saturday_team, days=7) == ["Mon 23", "Wed 25", "Sat 28"]
    assert nudge_days(Rhythm(frozenset({1, 3}), "3x"), days=7) == ["Tue 24", "Thu 26"]


def test_weekly_is_the_first_day_of_the_week_that_is_no_holiday() -> None:
    assert nudge_days(Rhythm(every="weekly")) == ["Mon 23", "Mon 30"]
    easter = date(2027, 3, 22)  # Easter Monday, 29 March 2027, is a public holiday in NL
    assert nudge_days(Rhythm(every="weekly"), easter) == ["Mon 22", "Tue 30"]
    assert nudge_days(Rhythm(), easter) == [  # no nudge on Good Friday or Easter Monday
        "Mon 22",
        "Tue 23",
        "Wed 24",
        "Thu 25",
        "Tue 30",
        "Wed 31",
        "Thu 01",
        "Fri 02",
    ]


def test_a_saturday_team() -> None:
    assert "Sat 28" in nudge_days(Rhythm(frozenset(range(6))), days=7)
    assert "Sat 28" not in nudge_days(Rhythm(), days=7)


def test_monday_and_wednesday_across_the_autumn_switch() -> None:
    rhythm = Rhythm(frozenset({0, 2}))
    wednesday = datetime(2026, 10, 21, 10, 0, tzinfo=UTC)  # clocks go back on Sunday 25 October
    following = next_nudge_instant(wednesday, paused_until=None, rhythm=rhythm, **AMSTERDAM)
    assert following == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # 09:00 CET, no longer CEST
    before = next_nudge_instant(
        datetime(2026, 10, 14, 10, 0, tzinfo=UTC), paused_until=None, rhythm=rhythm, **AMSTERDAM
    )
    assert before == datetime(2026, 10, 19, 7, 0, tzinfo=UTC)  # 09:00 CEST


def test_weekly_across_the_spring_switch() -> None:
    rhythm = Rhythm(every="weekly")
    after = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)  # Monday 23 March, after its nudge
    following = next_nudge_instant(after, paused_until=None, rhythm=rhythm, **AMSTERDAM)
    assert following == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # 09:00 CEST after 29 March


def test_a_day_off_the_rhythm_has_no_nudge_due() -> None:
    rhythm = Rhythm(frozenset({0, 2}))
    tuesday = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    assert due_nudge_day(tuesday, paused_until=None, rhythm=rhythm, **AMSTERDAM) is None
    wednesday = tuesday + timedelta(days=1)
    assert due_nudge_day(wednesday, paused_until=None, rhythm=rhythm, **AMSTERDAM) == date(
        2026, 11, 25
    )


def test_own_days_are_within_the_teams() -> None:
    saturday_team = frozenset(range(6))
    assert person_rhythm(saturday_team, frozenset({5}), None, backed_off=False).days == {5}
    # The team no longer works on the person's only day: the team's days again.
    assert person_rhythm(MON_TO_FRI, frozenset({5}), None, backed_off=False).days == MON_TO_FRI
    assert person_rhythm(None, None, None, backed_off=False) == Rhythm()
    assert person_rhythm(None, frozenset({0, 2}), "3x", backed_off=False).every == "3x"
    assert person_rhythm(None, None, "nonsense", backed_off=False).every == "daily"


def test_backed_off_is_weekly_on_ones_own_days() -> None:
    backed_off = person_rhythm(None, frozenset({1, 3}), "daily", backed_off=True)
    assert backed_off == Rhythm(frozenset({1, 3}), "weekly")


def test_asked_once_after_five_ignored_nudges() -> None:
    assert QUIET_LIMIT == 5
    assert not ask_about_rhythm(4, asked=False)
    assert ask_about_rhythm(5, asked=False)
    assert not ask_about_rhythm(9, asked=True)


def test_stored_days() -> None:
    assert days_to_text(frozenset({2, 0})) == "02"
    assert days_from_text("02") == {0, 2}
    for unreadable in (None, "", "7", "0x", "-1"):
        assert days_from_text(unreadable) is None


@pytest.mark.parametrize(
    ("text", "days"),
    [("mon,wed", {0, 2}), ("ma, wo", {0, 2}), ("Monday Saturday", {0, 5}), ("zo", {6})],
)
def test_weekdays_in_either_language(text: str, days: set[int]) -> None:
    assert parse_weekdays(text) == days


@pytest.mark.parametrize("text", ["", "mon,someday", "1,2"])
def test_what_is_not_weekdays_is_refused(text: str) -> None:
    with pytest.raises(InvalidSetting, match="not a list of weekdays"):
        parse_weekdays(text)


def test_a_rhythm_refuses_what_does_not_exist() -> None:
    with pytest.raises(ValueError, match="weekdays"):
        Rhythm(frozenset())
    with pytest.raises(ValueError, match="weekdays"):
        Rhythm(frozenset({7}))
    with pytest.raises(ValueError, match="how often"):
        Rhythm(every="hourly")  # type: ignore[arg-type]

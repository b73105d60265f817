"""A team's rhythm, parsed and checked: one rule set for the CLI and the Slack team editor."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays

from coach.catalog.schema import LANGUAGES, PRINCIPLE_ID_RE

DEFAULT_NUDGE_TIME = time(9, 0)
DEFAULT_CELEBRATE = (4, time(16, 0))  # Friday 16:00
DEFAULT_TIMEZONE = "Europe/Amsterdam"
DEFAULT_HOLIDAYS = "NL"
MAX_TEAM_NAME = 80

WEEKDAYS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("monday", "mon", "maandag", "ma"),
        ("tuesday", "tue", "dinsdag", "di"),
        ("wednesday", "wed", "woensdag", "wo"),
        ("thursday", "thu", "donderdag", "do"),
        ("friday", "fri", "vrijdag", "vr"),
        ("saturday", "sat", "zaterdag", "za"),
        ("sunday", "sun", "zondag", "zo"),
    )
):
    WEEKDAYS.update(dict.fromkeys(_names, _index))
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class InvalidSetting(ValueError):
    """A setting a person typed that cannot be used; the message says what is expected."""


def parse_clock_time(text: str) -> time:
    match = _HHMM.match(text.strip())
    if match is None:
        raise InvalidSetting(f"{text!r} is not a time of day; use HH:MM, e.g. 09:00")
    return time(int(match.group(1)), int(match.group(2)))


def parse_celebrate(text: str) -> tuple[int, time]:
    """'Friday 16:00' (or 'fri 16:00', 'vrijdag 16:00') -> (4, 16:00)."""
    parts = text.split()
    if len(parts) != 2 or parts[0].casefold() not in WEEKDAYS:
        raise InvalidSetting(f"{text!r} is not a weekly moment; use DAY HH:MM, e.g. 'Friday 16:00'")
    return WEEKDAYS[parts[0].casefold()], parse_clock_time(parts[1])


def parse_weekdays(text: str) -> frozenset[int]:
    """'mon,wed' (or 'ma, wo', 'Monday Wednesday') -> {0, 2}: weekday names in either language."""
    names = [n for n in text.replace(",", " ").casefold().split() if n]
    if not names or any(n not in WEEKDAYS for n in names):
        raise InvalidSetting(f"{text!r} is not a list of weekdays; use e.g. mon,tue,wed,thu,fri")
    return frozenset(WEEKDAYS[n] for n in names)


def check_timezone(name: str) -> str:
    if name not in _timezones():
        raise InvalidSetting(f"{name!r} is not an IANA timezone; use e.g. Europe/Amsterdam")
    try:
        ZoneInfo(name)
    except ZoneInfoNotFoundError:
        raise InvalidSetting(
            f"{name!r} is not an IANA timezone; use e.g. Europe/Amsterdam"
        ) from None
    return name


def check_holiday_country(code: str) -> str:
    upper = code.strip().upper()
    if upper not in holidays.list_supported_countries():
        raise InvalidSetting(
            f"{code!r} is not a country the holidays calendar knows; use an ISO code such as NL, BE or DE"
        )
    return upper


def check_language(code: str) -> str:
    lower = code.strip().lower()
    if lower not in LANGUAGES:
        raise InvalidSetting(
            f"{code!r} is not a language 9+ Coach speaks; use {' or '.join(LANGUAGES)}"
        )
    return lower


def check_pin(value: str) -> str:
    """A principle id to pin, or 'none' to let the focus rotate again (returned as '')."""
    cleaned = value.strip()
    if cleaned.lower() == "none":
        return ""
    if not PRINCIPLE_ID_RE.match(cleaned):
        raise InvalidSetting(
            f"{value!r} is not a principle id (see `coach catalog export`), or 'none'"
        )
    return cleaned


def check_team_name(name: str) -> str:
    stripped = name.strip()
    if not stripped or len(stripped) > MAX_TEAM_NAME:
        raise InvalidSetting(f"a team name needs 1 to {MAX_TEAM_NAME} characters")
    return stripped


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


@dataclass(frozen=True)
class TeamChanges:
    """What `team set` or the team editor asks to change; None leaves a setting as it is."""

    name: str | None = None
    leads: tuple[str, ...] | None = None
    nudge_time: time | None = None
    celebrate: tuple[int, time] | None = None
    timezone: str | None = None
    holiday_country: str | None = None
    language: str | None = None
    pin: str | None = None  # a principle id to keep in focus; "" unpins
    workdays: frozenset[int] | None = None  # the weekdays members may be nudged on
    pulse: bool | None = None  # the monthly pulse on or off (from next month)
    pulse_statements: bool | None = None  # the pulse asks three ownership statements too
    celebration_picture: str | None = None  # the pyramid in the month's first celebration


CELEBRATION_PICTURES = ("monthly", "off")  # the team's pyramid in the month's first celebration


def check_celebration_picture(value: str) -> str:
    """`--celebration-picture monthly|off` and the team form's choice."""
    if value not in CELEBRATION_PICTURES:
        raise InvalidSetting(f"{value!r} is not a celebration picture setting; use monthly or off")
    return value


def parse_pulse(value: str) -> bool:
    """`--pulse monthly|off`: whether the team's monthly pulse is on."""
    cleaned = value.strip().lower()
    if cleaned not in ("monthly", "off"):
        raise InvalidSetting(f"{value!r} is not a pulse setting; use monthly or off")
    return cleaned == "monthly"

"""What a person asked with `/coach ...`, parsed and checked; no Slack, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Literal

from coach.domain.schedule import Every
from coach.domain.team_settings import (
    InvalidSetting,
    check_language,
    parse_clock_time,
    parse_weekdays,
)

MAX_PAUSE_DAYS = 365
MAX_TEXT = 200  # longer text is not a command anyone typed on purpose
RHYTHM_WORDS: dict[str, Every] = {
    "daily": "daily",
    "dagelijks": "daily",
    "3x": "3x",
    "weekly": "weekly",
    "wekelijks": "weekly",
}
TEAM_DAYS = ("team", "all", "alle")  # `/coach days team`: the team's workdays again


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class ShowPrinciples:
    pass


@dataclass(frozen=True)
class SetLanguage:
    language: str


@dataclass(frozen=True)
class SetTime:
    at: time


@dataclass(frozen=True)
class SetWeekdays:
    days: frozenset[int] | None  # None: the team's workdays


@dataclass(frozen=True)
class SetRhythm:
    every: Every


@dataclass(frozen=True)
class Pause:
    days: int | None  # None: until resumed


@dataclass(frozen=True)
class Resume:
    pass


@dataclass(frozen=True)
class MyData:
    pass


@dataclass(frozen=True)
class ForgetMe:
    pass


@dataclass(frozen=True)
class Wall:
    """A lead's story wall: posted in the team channel, or (`screen`) a page in their DM."""

    screen: bool


@dataclass(frozen=True)
class Unknown:
    text: str


@dataclass(frozen=True)
class BadArgument:
    kind: Literal["time", "days", "language", "weekdays", "rhythm"]
    given: str


CoachCommand = (
    Help
    | ShowPrinciples
    | SetLanguage
    | SetTime
    | SetWeekdays
    | SetRhythm
    | Pause
    | Resume
    | MyData
    | ForgetMe
    | Wall
    | Unknown
    | BadArgument
)


def parse_coach_command(text: str) -> CoachCommand:
    words = " ".join(text.split())[:MAX_TEXT].split(" ")
    name, args = words[0].casefold(), [w for w in words[1:] if w]
    if name in ("", "help", "hulp"):
        return Help()
    if name in ("principles", "principes") and not args:
        return ShowPrinciples()
    if name in ("language", "taal"):
        given = " ".join(args)
        try:
            return SetLanguage(check_language(given))
        except InvalidSetting:
            return BadArgument("language", given)
    if name in ("time", "tijd"):
        given = " ".join(args)
        try:
            return SetTime(parse_clock_time(given))
        except InvalidSetting:
            return BadArgument("time", given)
    if name in ("days", "dagen"):
        given = " ".join(args)
        if given.casefold() in TEAM_DAYS:
            return SetWeekdays(None)
        try:
            return SetWeekdays(parse_weekdays(given))
        except InvalidSetting:
            return BadArgument("weekdays", given)
    if name in ("rhythm", "ritme"):
        given = " ".join(args)
        every = RHYTHM_WORDS.get(given.casefold())
        return SetRhythm(every) if every is not None else BadArgument("rhythm", given)
    if name == "pause":
        if not args:
            return Pause(None)
        given = " ".join(args)
        if given.isdigit() and 1 <= int(given) <= MAX_PAUSE_DAYS:
            return Pause(int(given))
        return BadArgument("days", given)
    if name == "resume" and not args:
        return Resume()
    if name in ("my-data", "mijn-gegevens", "mydata") and not args:
        return MyData()
    if name in ("forget-me", "vergeet-mij", "vergeet-me") and not args:
        return ForgetMe()
    if name in ("wall", "muur") and [a.casefold() for a in args] in ([], ["screen"], ["scherm"]):
        return Wall(screen=bool(args))
    return Unknown(" ".join(words))

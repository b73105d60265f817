"""Counts never single anyone out: a team-level number is shown in the channel, in the lead's
preview and on the lead's Home only when it covers enough people (COACH_MIN_GROUP, 3; 5 for
what comes from private answers); below that the line is left out. And where a number shows,
its words agree with it in both languages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from coach.domain.celebration import MinGroup
from coach.render import Prompts
from coach.settings import SettingsError, load_settings
from coach_demo.driver import Driver
from tests.coaching.conftest import TEAM, add_story, set_leads, shown_text

# Week 48 of 2026: Monday's nudges at 09:00 Amsterdam; Friday's preview and post.
MONDAY, PREVIEW, DUE = (
    "2026-11-23T08:00:00+00:00",
    "2026-11-27T13:00:00+00:00",
    "2026-11-27T15:00:00+00:00",
)


def a_team_that_answered(world: Driver, size: int) -> tuple[str, str]:
    """A team of `size` Dutch colleagues, each of whom answered Monday's HKI question, with two
    shared stories; returns (its channel, its lead)."""
    channel, people = f"C0SIZE{size}", [f"U0P{size}{n}" for n in range(size)]
    for user in people:
        world.slack.add_user(
            TEAM, user, name=user.lower(), real_name=user, tz="Europe/Amsterdam", locale="nl-NL"
        )
    world.slack.add_channel(TEAM, channel, name=f"team-{size}", members=[*people, "U0BOTACME"])
    set_leads(world, people[0], channel=channel, name=f"Team {size}")
    world.at(MONDAY)
    for user in people:
        [nudge] = [m for m in world.dm(user) if m.get("blocks")]
        world.reply(user, nudge["ts"], "Ik bel de klant vandaag nog terug")
    add_story(world, "Klant belde blij terug", author=people[0], channel=channel)
    add_story(world, "Storing binnen het uur verholpen", author=people[1], channel=channel)
    return channel, people[0]


def posts_in(world: Driver, channel: str) -> str:
    return shown_text([m for m in world.slack.messages_in(channel) if m.get("bot_id")])


def preview_of(world: Driver, lead: str) -> str:
    return shown_text([m for m in world.dm(lead) if "Voorproefje" in m.get("text", "")])


def home_of(world: Driver, lead: str) -> str:
    view = world.open_home(lead)
    assert view is not None
    return shown_text([view])


def test_a_team_of_two_sees_no_number_in_the_channel_the_preview_or_the_home(
    world: Driver,
) -> None:
    channel, lead = a_team_that_answered(world, 2)
    world.at("2026-11-27T12:00:00+00:00")
    home = home_of(world, lead)
    world.at(PREVIEW)
    world.at(DUE)
    post, preview = posts_in(world, channel), preview_of(world, lead)
    assert "Klant belde blij terug" in post and "Klant belde blij terug" in preview
    for shown in (post, preview):
        assert "collega's" not in shown and "HKI-vraag" not in shown  # no "2 van de 2"
        assert "*Goed geregeld*\n" in shown + "\n"  # the principle, without "· 2 verhalen"
        assert "2 verhalen" not in shown
        assert "voornemen" not in shown
    assert f"*Je team Team 2* in <#{channel}>\n" in home
    assert "Week 48: Goed geregeld\n" in home  # no count, no "2 van 2"
    assert " van " not in home.split("*De laatste acht weken*")[1].split("*Volgende")[0]
    assert "*Volgende viering*: vrijdag 27-11 om 16:00. Twee uur" in home  # not "met 2 verhalen"


def test_a_team_of_six_sees_its_counts(world: Driver) -> None:
    channel, lead = a_team_that_answered(world, 6)
    world.at("2026-11-27T12:00:00+00:00")
    home = home_of(world, lead)
    assert f"*Je team Team 6* in <#{channel}> · 6 collega's" in home
    assert "Week 48: Goed geregeld 2 · 6 van 6" in home
    assert "*Volgende viering*: vrijdag 27-11 om 16:00, met 2 verhalen." in home
    world.at(PREVIEW)
    world.at(DUE)
    for shown in (posts_in(world, channel), preview_of(world, lead)):
        assert "6 van de 6 collega's stelden zichzelf deze week een HKI-vraag" in shown
        assert "*Goed geregeld* · 2 verhalen en 6 voornemens" in shown


def answered_by(world: Driver, count: int, size: int) -> tuple[str, str]:
    """A team of `size` in which only `count` answered."""
    channel, people = f"C0PART{size}", [f"U0Q{size}{n}" for n in range(size)]
    for user in people:
        world.slack.add_user(
            TEAM, user, name=user.lower(), real_name=user, tz="Europe/Amsterdam", locale="nl-NL"
        )
    world.slack.add_channel(TEAM, channel, name=f"part-{size}", members=[*people, "U0BOTACME"])
    set_leads(world, people[0], channel=channel, name=f"Deel {size}")
    world.at(MONDAY)
    for user in people[:count]:
        [nudge] = [m for m in world.dm(user) if m.get("blocks")]
        world.reply(user, nudge["ts"], "Ik bel terug")
    add_story(world, "Een mooi moment", author=people[0], channel=channel)
    return channel, people[0]


def test_four_answers_in_a_team_of_six_are_not_counted_anywhere(world: Driver) -> None:
    channel, lead = answered_by(world, 4, 6)
    home = home_of(world, lead)
    assert "· 6 collega's" in home and "Week 48: Goed geregeld 1\n" in home  # no "4 van 6"
    world.at(PREVIEW)
    world.at(DUE)
    post = posts_in(world, channel)
    assert "Een mooi moment" in post
    assert "HKI-vraag" not in post and "voornemen" not in post
    assert "*Goed geregeld* · 1 verhaal" in post


COUNTED: list[tuple[str, str, dict[str, Any], str, str]] = [
    # (language, template, values, for 1, for 2)
    (
        "nl",
        "celebration_participation",
        {"members": 6},
        "1 van de 6 collega's stelde zichzelf deze week een HKI-vraag: _Hoe kan ik…?_",
        "2 van de 6 collega's stelden zichzelf deze week een HKI-vraag: _Hoe kan ik…?_",
    ),
    (
        "en",
        "celebration_participation",
        {"members": 6},
        "1 of 6 colleagues asked themselves an HKI question this week: _How can I…?_",
        "2 of 6 colleagues asked themselves an HKI question this week: _How can I…?_",
    ),
    ("nl", "celebration_principle", {"name": "P", "intentions": 0}, "*P* · 1 verhaal", "*P* · 2 verhalen"),
    ("en", "celebration_principle", {"name": "P", "intentions": 0}, "*P* · 1 story", "*P* · 2 stories"),
    ("nl", "celebration_principle", {"name": "P", "stories": 0}, "*P* · 1 voornemen", "*P* · 2 voornemens"),
    ("en", "celebration_principle", {"name": "P", "stories": 0}, "*P* · 1 intention", "*P* · 2 intentions"),
    ("nl", "celebration_more", {}, "Nog 1 verhaal in de draad hieronder 👇", "Nog 2 verhalen in de draad hieronder 👇"),
    ("en", "celebration_more", {}, "1 more story in the thread below 👇", "2 more stories in the thread below 👇"),
    ("nl", "home_lead", {"part": "team", "team": "T", "channel": "#t"}, "*Je team T* in #t · 1 collega", "*Je team T* in #t · 2 collega's"),
    ("en", "home_lead", {"part": "team", "team": "T", "channel": "#t"}, "*Your team T* in #t · 1 colleague", "*Your team T* in #t · 2 colleagues"),
    (
        "nl",
        "home_lead",
        {"part": "next", "weekday": 4, "until": date(2026, 11, 27), "at": "16:00"},
        "*Volgende viering*: vrijdag 27-11 om 16:00, met 1 verhaal. Twee uur vooraf krijg je een voorproefje.",
        "*Volgende viering*: vrijdag 27-11 om 16:00, met 2 verhalen. Twee uur vooraf krijg je een voorproefje.",
    ),
    (
        "en",
        "home_lead",
        {"part": "next", "weekday": 4, "until": date(2026, 11, 27), "at": "16:00"},
        "*Next celebration*: Friday 27 Nov at 16:00, with 1 story. You get a preview two hours before.",
        "*Next celebration*: Friday 27 Nov at 16:00, with 2 stories. You get a preview two hours before.",
    ),
    ("nl", "principles_more", {}, "…en nog 1 principe. Je vindt ze allemaal in de Home-tab van 9+ Coach.", "…en nog 2 principes. Je vindt ze allemaal in de Home-tab van 9+ Coach."),
    ("en", "principles_more", {}, "…and 1 more principle. You'll find them all in 9+ Coach's Home tab.", "…and 2 more principles. You'll find them all in 9+ Coach's Home tab."),
    (
        "nl",
        "catalog_problem",
        {"code": "behaviour_count", "limit": 3, "line": None},
        "Hier 1 voorbeeld; er moeten er precies 3 zijn, één per origineel voorbeeld, in dezelfde volgorde.",
        "Hier 2 voorbeelden; er moeten er precies 3 zijn, één per origineel voorbeeld, in dezelfde volgorde.",
    ),
    (
        "en",
        "catalog_problem",
        {"code": "behaviour_count", "limit": 3, "line": None},
        "1 example here; it needs exactly 3, one per original example, in the same order.",
        "2 examples here; it needs exactly 3, one per original example, in the same order.",
    ),
]  # fmt: skip
NUMBER = {
    "principles_more": "count",
    "catalog_problem": "count",
    "celebration_participation": "participants",
    "celebration_more": "count",
    "home_lead": "members",
}


@pytest.mark.parametrize(("language", "template", "values", "one", "two"), COUNTED)
def test_each_counted_line_agrees_with_its_number(
    language: str, template: str, values: dict[str, Any], one: str, two: str
) -> None:
    name = NUMBER.get(template, "")
    if template == "celebration_principle":
        name = "stories" if "stories" not in values else "intentions"
    if values.get("part") == "next":
        name = "count"
    prompts = Prompts()
    for number, expected in ((1, one), (2, two)):
        assert prompts.render(language, template, **values, **{name: number}) == expected


@pytest.mark.parametrize("value", ["1", "1001", "three"])
def test_a_minimum_group_below_two_or_not_a_number_is_refused(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_MIN_GROUP", value)
    with pytest.raises(SettingsError) as refused:
        load_settings(env_file=None)
    [problem] = refused.value.problems
    assert problem.startswith("COACH_MIN_GROUP: must be a whole number")


def test_private_answers_need_five_even_when_the_setting_is_lower() -> None:
    assert MinGroup.of(3) == MinGroup(shared=3, private=5)
    assert MinGroup.of(8) == MinGroup(shared=8, private=8)

"""Two weeks of a six-person team and a two-person team, in each language, through the real
services, scheduler passes and the Slack stand-in: a light nudge, a rhythm people choose, the
back-off after ignored nudges, and no number that covers too few people."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from coach.catalog.files import load_catalog_file
from coach.clock import FixedClock
from coach.deps import Deps
from coach.domain.team_settings import TeamChanges
from coach.settings import Settings
from coach.slack import ids
from coach.store.catalog import replace_catalog
from coach.store.teams import set_team
from coach_demo.driver import Driver
from slack_standin import SlackStandIn

ROOT = Path(__file__).resolve().parents[2]
TEAM, TOKEN, SECRET = "T0TWOWEEKS", "xoxb-two-weeks", "two-weeks-secret"
SIX = ["U0ANNA", "U0BRAM", "U0CARLA", "U0DIRK", "U0EVA", "U0FEMKE"]
TWO = ["U0GIJS", "U0HANNA"]
CARLA, DIRK = "U0CARLA", "U0DIRK"  # Carla on Monday and Wednesday only; Dirk never reacts
CATALOGUES = {"nl": "technisch-dienstverlener.yaml", "en": "service-organisation.yaml"}
FIRST_PRINCIPLE = {"nl": "goed-geregeld", "en": "right-first-time"}
LOCALES = {"nl": "nl-NL", "en": "en-GB"}
MONDAY = date(2026, 11, 23)
WORDS = {
    "nl": {
        "days": "dagen ma,wo",
        "days_set": "alleen op maandag en woensdag",
        "counted": "5 van de 6 collega's stelden zichzelf deze week een HKI-vraag",
        "two": ("van de 2", "collega"),
    },
    "en": {
        "days": "days mon,wed",
        "days_set": "only come on Monday and Wednesday",
        "counted": "5 of 6 colleagues asked themselves an HKI question this week",
        "two": ("of 2", "colleague"),
    },
}


@pytest.fixture(params=["nl", "en"])
def office(request: pytest.FixtureRequest, deps: Deps, clock: FixedClock) -> Iterator[Driver]:
    language: str = request.param
    clock.set(datetime.fromisoformat("2026-11-23T06:00:00+00:00"))  # Monday, 07:00 in Amsterdam
    with SlackStandIn(clock=clock, monotonic=lambda: clock.now().timestamp()) as slack:
        slack.add_workspace(TEAM, name="Acme", bot_token=TOKEN, bot_user_id="U0BOTTW")
        for user in SIX + TWO:
            slack.add_user(
                TEAM,
                user,
                name=user.lower(),
                real_name=user.removeprefix("U0").title(),
                tz="Europe/Amsterdam",
                locale=LOCALES[language],
            )
        slack.add_channel(TEAM, "C0SIX", name="team-six", members=[*SIX, "U0BOTTW"])
        slack.add_channel(TEAM, "C0TWO", name="team-two", members=[*TWO, "U0BOTTW"])
        settings = Settings(
            _env_file=None,
            database_url=deps.settings.database_url,
            slack_bot_token=TOKEN,
            slack_api_url=slack.api_url,
            slack_signing_secret=SECRET,
        )
        core = Deps(settings=settings, engine=deps.engine, sessions=deps.sessions, clock=clock)
        with core.unit_of_work() as session:
            catalogue = load_catalog_file(ROOT / "principles_catalog" / CATALOGUES[language])
            now = clock.now()
            replace_catalog(session, workspace_id=TEAM, now=now, actor="test", catalog=catalogue)
            for channel, name, lead in (("C0SIX", "Six", "U0ANNA"), ("C0TWO", "Two", "U0GIJS")):
                changes = TeamChanges(name=name, leads=(lead,), language=language)
                set_team(session, workspace_id=TEAM, channel_id=channel, changes=changes, now=now)
        with Driver.start(slack, core, clock, team_id=TEAM, per_minute=600) as world:
            world.language = language  # type: ignore[attr-defined]
            yield world


def bot_dms(world: Driver, user: str) -> list[dict[str, Any]]:
    return [m for m in world.dm(user) if m.get("bot_id")]


def is_nudge(message: dict[str, Any]) -> bool:
    return any(b.get("block_id") == ids.NUDGE_ACTIONS_BLOCK for b in message.get("blocks", []))


def is_rhythm_question(message: dict[str, Any]) -> bool:
    return any(b.get("block_id") == ids.RHYTHM_QUESTION_BLOCK for b in message.get("blocks", []))


def nudge_text(message: dict[str, Any]) -> str:
    """What the nudge itself shows (a follow-up above it, split off by a divider, is its own
    question): every header, section and context text, not the buttons."""
    blocks = message["blocks"]
    dividers = [i for i, b in enumerate(blocks) if b["type"] == "divider"]
    own = blocks[dividers[-1] + 1 :] if dividers else blocks
    return "\n".join(b["text"]["text"] for b in own if b.get("text"))


def coach(world: Driver, user: str, text: str) -> str:
    return str(world.coach(user, "C0SIX", text)["text"])


def test_two_weeks_of_a_six_person_team(office: Driver) -> None:
    world, words = office, WORDS[office.language]  # type: ignore[attr-defined]
    world.at("2026-11-23T06:00:00+00:00")  # the teams' members are read from Slack
    assert words["days_set"] in coach(world, CARLA, words["days"])
    nudged: dict[str, list[date]] = {user: [] for user in SIX + TWO}
    voices: dict[str, list[date]] = {user: [] for user in SIX + TWO}
    questions: list[date] = []
    seen = dict.fromkeys(SIX + TWO, 0)
    for offset in [*range(5), *range(7, 12), 14]:  # two work weeks and the Monday after
        day = MONDAY + timedelta(days=offset)
        world.at(f"{day.isoformat()}T08:00:00+00:00")  # 09:00 in Amsterdam
        world.at(f"{day.isoformat()}T08:00:05+00:00")
        for user in SIX + TWO:
            messages = bot_dms(world, user)
            new, seen[user] = messages[seen[user] :], len(messages)
            questions += [day for m in new if is_rhythm_question(m) and user == DIRK]
            for message in (m for m in new if is_nudge(m)):
                nudged[user].append(day)
                text = nudge_text(message)
                if ">" in text:
                    voices[user].append(day)
                else:  # the short nudge: principle, example, question, buttons
                    assert len(text) < 300, text
                assert message["text"]  # a plain text for notifications
                if user != DIRK:  # everyone but Dirk reacts: answers in the thread
                    world.reply(user, message["ts"], f"Intention of {user} on {day}")
        if day == MONDAY + timedelta(days=2):  # a shared story in each team
            share_story(world, "U0ANNA", "C0SIX")
            share_story(world, "U0GIJS", "C0TWO")
        if day.weekday() == 4:  # Friday: the celebrations at 16:00
            world.at(f"{day.isoformat()}T15:00:00+00:00")
            world.at(f"{day.isoformat()}T15:00:05+00:00")

    week_one = [MONDAY + timedelta(days=d) for d in range(5)]
    week_two = [MONDAY + timedelta(days=d) for d in range(7, 12)]
    third_monday = MONDAY + timedelta(days=14)
    # Monday's nudge carries the customer's voice; the rest of the week's are short.
    for user in ("U0ANNA", "U0BRAM", "U0EVA", "U0FEMKE"):
        assert nudged[user] == [*week_one, *week_two, third_monday]
        assert voices[user] == [MONDAY, week_two[0], third_monday]
    # Carla chose Monday and Wednesday: nudged on those days only, the voice on Mondays.
    assert nudged[CARLA] == [week_one[0], week_one[2], week_two[0], week_two[2], third_monday]
    assert voices[CARLA] == [MONDAY, week_two[0], third_monday]
    # Dirk ignored five nudges: asked once (instead of Monday's nudge), then weekly.
    assert nudged[DIRK] == [*week_one, third_monday]
    assert questions == [week_two[0]]
    assert voices[DIRK] == [MONDAY, third_monday]

    six = "\n".join(_shown(m) for m in world.slack.messages_in("C0SIX") if m.get("bot_id"))
    assert words["counted"] in six  # five of six answered: enough people to count
    two = "\n".join(_shown(m) for m in world.slack.messages_in("C0TWO") if m.get("bot_id"))
    assert two, "the team of two had its celebration"
    assert all(word not in two for word in words["two"])  # nothing counted for two people


def share_story(world: Driver, user: str, channel: str) -> None:
    fields = world.slack.slash_command(
        TEAM, user_id=user, channel_id=channel, command="/9plus", text=f"A story by {user}"
    )
    world.post(urlencode(fields).encode())
    view = world.slack.calls_to("views.open")[-1].response["view"]
    principle = FIRST_PRINCIPLE[world.language]  # type: ignore[attr-defined]
    chosen = {"type": "static_select", "selected_option": {"value": principle}}
    share = {"type": "radio_buttons", "selected_option": {"value": "share"}}
    _, answer = world.submit(
        user,
        view,
        {
            ids.STORY_TEXT_BLOCK: {ids.STORY_TEXT: {"type": "plain_text_input", "value": user}},
            ids.STORY_PRINCIPLE_BLOCK: {ids.STORY_PRINCIPLE: chosen},
            ids.STORY_CONSENT_BLOCK: {ids.STORY_CONSENT: share},
        },
    )
    assert answer in (b"", b"null"), answer


def test_any_reaction_restores_the_rhythm_and_the_question_is_answered_in_place(
    office: Driver,
) -> None:
    world = office
    for offset in [*range(5), 7]:  # Dirk ignores a week; Monday brings the question
        day = MONDAY + timedelta(days=offset)
        world.at(f"{day.isoformat()}T08:00:00+00:00")
    [question] = [m for m in bot_dms(world, DIRK) if is_rhythm_question(m)]
    world.click("U0ANNA", question, ids.RHYTHM_DAILY)  # a forged click from someone else
    world.click(DIRK, question, ids.RHYTHM_DAILY)
    [update] = world.slack.calls_to("chat.update")
    assert len(update.args["blocks"]) == 2  # the question, its buttons replaced by a note
    world.at("2026-12-01T08:00:00+00:00")  # Tuesday: daily again
    dms = bot_dms(world, DIRK)
    assert [is_nudge(m) for m in dms] == [True] * 5 + [False, True]  # the question, answered


def _shown(message: dict[str, Any]) -> str:
    texts = [message.get("text", "")]
    for block in message.get("blocks", []):
        if block.get("text"):
            texts.append(block["text"]["text"])
        texts += [e.get("text", "") for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return "\n".join(texts)


def test_sharing_a_story_is_a_reaction_too(office: Driver) -> None:
    world = office
    for offset in [*range(5), 7]:  # Dirk ignores a week; Monday brings the question
        world.at(f"{(MONDAY + timedelta(days=offset)).isoformat()}T08:00:00+00:00")
    assert is_rhythm_question(bot_dms(world, DIRK)[-1])
    world.at("2026-11-30T12:00:00+00:00")
    share_story(world, DIRK, "C0SIX")  # he does not answer the question, but shares a story
    world.at("2026-12-01T08:00:00+00:00")  # Tuesday: his every-workday rhythm is back
    assert is_nudge(bot_dms(world, DIRK)[-1])

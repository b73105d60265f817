"""`coach demo`: one simulated work week of a service team, start to finish, in one process.

The real app, scheduler passes and outbox run on a temporary SQLite database against the
built-in Slack stand-in on loopback; a fixed clock walks Monday to Friday. Four colleagues get
their HKI question each morning (Monday's with the customer's voice, the others short; Joost
chooses Monday and Wednesday only), answer it (in the thread, in the modal, or not at all),
report back the next day and share 9+ stories; on Friday the lead previews the celebration, adds a note,
and it lands in the team channel. Everything printed is what Slack shows them.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from coach.catalog.files import parse_catalog
from coach.catalog.schema import CatalogSpec
from coach.clock import FixedClock
from coach.deps import Deps, build_deps
from coach.domain.team_settings import TeamChanges
from coach.render import Prompts
from coach.settings import Settings
from coach.slack import ids
from coach.store.catalog import replace_catalog
from coach.store.schema import migrate
from coach.store.teams import set_team
from coach_demo.driver import Driver
from coach_demo.pulse_month import play_pulse_month
from slack_standin import SlackStandIn

# principles_catalog/ at the repository's top, shipped inside the wheel as `coach.catalogues`
CATALOGUES = {"nl": "technisch-dienstverlener.yaml", "en": "service-organisation.yaml"}
LANGUAGES = tuple(CATALOGUES)
LOCALES = {"nl": "nl-NL", "en": "en-GB"}
# The principle each story of the week shows, in that language's sample catalogue.
STORY_PRINCIPLES = {
    "nl": ("goed-geregeld", "daadkrachtig", "passie-voor-techniek"),
    "en": ("right-first-time", "there-when-it-matters", "really-listening"),
}
TEAM, TOKEN, SECRET, BOT = "T0DEMO", "xoxb-demo", "demo-signing-secret", "U0COACH"
CHANNEL = "C0SERVICE"
PEOPLE = {  # user id: (name, role)
    "U0ANNA": ("Anna", "lead"),
    "U0BRAM": ("Bram", "engineer"),
    "U0FATIMA": ("Fatima", "service"),
    "U0JOOST": ("Joost", "engineer"),
}
_AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def play_week(echo: Callable[[str], None], language: str = "nl") -> None:
    """Play the week in `language` (nl or en, with that language's sample catalogue), printing
    what each person saw and did through `echo`."""
    if language not in LANGUAGES:
        raise ValueError(f"the demo plays in {' or '.join(LANGUAGES)}, not {language!r}")
    with _office(language) as office:
        week = _Week(office, echo, language)
        week.run()


class _Week:
    def __init__(self, office: Driver, echo: Callable[[str], None], language: str) -> None:
        self.office, self.echo, self.language = office, echo, language
        self.prompts = Prompts()
        self.people = dict(PEOPLE)  # who is in the team (the pulse month adds someone)
        self.seen: dict[str, int] = dict.fromkeys(PEOPLE, 0)

    def say(self, part: str, **values: Any) -> str:
        """The demo's narration, from prompts/{nl,en}/demo.j2; names are shown as typed."""
        return html.unescape(self.prompts.render(self.language, "demo", part=part, **values))

    def run(self) -> None:
        o, say = self.office, self.say
        organisation = _sample_catalogue(self.language).organisation
        self.echo(say("intro", team=say("team"), organisation=organisation) + "\n")
        o.at("2026-11-23T06:00:00+00:00")  # the team's members are read from Slack
        first, second, third = STORY_PRINCIPLES[self.language]

        self.morning("2026-11-23T08:00:00+00:00")
        nudge = self.last_dm("U0ANNA")
        self.did("U0ANNA", "anna_answers")
        o.reply("U0ANNA", nudge["ts"], say("anna_intention"))
        self.did("U0BRAM", "bram_answers")
        o.click("U0BRAM", self.last_dm("U0BRAM"), ids.NUDGE_ANSWER)
        o.submit(
            "U0BRAM",
            self.opened_view(),
            {ids.ANSWER_BLOCK: {ids.ANSWER_INPUT: _text(say("bram_intention"))}},
        )
        self.did("U0FATIMA", "fatima_skips")
        o.click("U0FATIMA", self.last_dm("U0FATIMA"), ids.NUDGE_SKIP)
        self.did("U0JOOST", "joost_waits")
        self.show_new()
        self.did("U0JOOST", "joost_days")  # a rhythm of his own: Monday and Wednesday
        answer = o.coach("U0JOOST", CHANNEL, say("joost_days_command"))
        self.echo("    " + html.unescape(answer["text"]))

        self.morning("2026-11-24T08:00:00+00:00")
        self.did("U0ANNA", "anna_worked")
        o.click("U0ANNA", self.last_dm("U0ANNA"), ids.FOLLOW_UP_DONE)
        o.submit(
            "U0ANNA", self.opened_view(), _story(say("anna_story"), first, colleagues=["U0BRAM"])
        )
        self.did("U0BRAM", "bram_not_done")
        o.click("U0BRAM", self.last_dm("U0BRAM"), ids.FOLLOW_UP_NOT_DONE)
        self.show_new()

        self.morning("2026-11-25T08:00:00+00:00")
        self.did("U0FATIMA", "fatima_shares")
        o.slash("U0FATIMA", CHANNEL, ids.STORY_COMMAND, say("fatima_start"))
        o.submit(
            "U0FATIMA",
            self.opened_view(),
            _story(say("fatima_story"), second, colleagues=["U0JOOST"]),
        )
        self.show_new()

        self.morning("2026-11-26T08:00:00+00:00")
        self.did("U0JOOST", "joost_private")
        o.slash("U0JOOST", CHANNEL, ids.STORY_COMMAND, "")
        o.submit("U0JOOST", self.opened_view(), _story(say("joost_story"), third, share=False))
        self.show_new()

        self.morning("2026-11-27T08:00:00+00:00")
        o.at("2026-11-27T13:00:00+00:00")  # two hours before the celebration
        self.echo("\n" + say("friday_preview"))
        self.show_new()
        self.did("U0ANNA", "anna_notes")
        preview = self.last_dm("U0ANNA")
        o.click("U0ANNA", preview, ids.CELEBRATION_NOTE)
        o.submit(
            "U0ANNA",
            self.opened_view(),
            {ids.CELEBRATION_NOTE_BLOCK: {ids.CELEBRATION_NOTE_INPUT: _text(say("anna_note"))}},
        )
        self.seen["U0ANNA"] = len(o.dm("U0ANNA"))
        o.at("2026-11-27T15:00:00+00:00")
        o.at("2026-11-27T15:00:02+00:00")
        self.echo("\n" + say("celebration", channel=say("channel")))
        for message in (m for m in o.slack.messages_in(CHANNEL) if m.get("bot_id")):
            self.echo(_indent(self.shown(message)))
        play_pulse_month(self)
        self.echo("\n" + say("end"))

    def morning(self, iso: str) -> None:
        self.office.at(iso)
        local = datetime.fromisoformat(iso).astimezone(_AMSTERDAM)
        self.echo("\n" + self.say("morning", date=local.date(), at=f"{local:%H:%M}"))
        self.show_new()

    def show_new(self) -> None:
        """What arrived in each person's DM since we last looked; the same message to several
        people (the day's nudge, usually) is printed once with all their names."""
        self.office.passes.deliver()
        seen_by: dict[str, list[str]] = {}
        for user, (name, _) in self.people.items():
            messages = self.office.dm(user)
            for message in messages[self.seen[user] :]:
                if message.get("bot_id"):
                    seen_by.setdefault(self.shown(message), []).append(name)
            self.seen[user] = len(messages)
        for text, names in seen_by.items():
            self.echo("  " + self.say("sees", names=names))
            self.echo(_indent(text, "    "))

    def did(self, user: str, what: str) -> None:
        self.echo(f"  {self.people[user][0]} {self.say(what)}")

    def last_dm(self, user: str) -> dict[str, Any]:
        return [m for m in self.office.dm(user) if m.get("bot_id")][-1]

    def opened_view(self) -> dict[str, Any]:
        view: dict[str, Any] = self.office.slack.calls_to("views.open")[-1].response["view"]
        return view

    def shown(self, message: dict[str, Any]) -> str:
        return shown(message, channel=self.say("channel"))


def shown(message: dict[str, Any], *, channel: str = "team-service-noord") -> str:
    """A message as a reader sees it: block texts, names for mentions, buttons in brackets."""
    parts: list[str] = []
    for block in message.get("blocks") or [{"text": {"text": message.get("text", "")}}]:
        if block.get("type") == "actions":
            parts.append("  ".join(f"[{e['text']['text']}]" for e in block["elements"]))
        elif block.get("text"):
            parts.append(block["text"]["text"])
        parts += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    text = "\n".join(parts)
    text = re.sub(r"<@(\w+)>", lambda m: "@" + PEOPLE.get(m[1], (m[1], ""))[0], text)
    text = re.sub(r"<#(\w+)>", "#" + channel, text)
    return html.unescape(text)


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def _text(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def _story(
    text: str, principle: str, *, colleagues: list[str] | None = None, share: bool = True
) -> dict[str, Any]:
    return {
        ids.STORY_TEXT_BLOCK: {ids.STORY_TEXT: _text(text)},
        ids.STORY_PRINCIPLE_BLOCK: {
            ids.STORY_PRINCIPLE: {"type": "static_select", "selected_option": {"value": principle}}
        },
        ids.STORY_COLLEAGUES_BLOCK: {
            ids.STORY_COLLEAGUES: {"type": "multi_users_select", "selected_users": colleagues or []}
        },
        ids.STORY_CONSENT_BLOCK: {
            ids.STORY_CONSENT: {
                "type": "radio_buttons",
                "selected_option": {"value": "share" if share else "private"},
            }
        },
    }


@contextmanager
def _office(language: str) -> Iterator[Driver]:
    clock = FixedClock(datetime.fromisoformat("2026-11-23T06:00:00+00:00"))
    with (
        tempfile.TemporaryDirectory(prefix="coach-demo-") as folder,
        SlackStandIn(clock=clock, monotonic=lambda: clock.now().timestamp()) as slack,
    ):
        catalogue = _sample_catalogue(language)
        say = partial(Prompts().render, language, "demo")
        slack.add_workspace(TEAM, name=catalogue.organisation, bot_token=TOKEN, bot_user_id=BOT)
        for user, (name, _) in PEOPLE.items():
            slack.add_user(
                TEAM,
                user,
                name=name.lower(),
                real_name=name,
                tz="Europe/Amsterdam",
                locale=LOCALES[language],
            )
        slack.add_channel(TEAM, CHANNEL, name=say(part="channel"), members=[*PEOPLE, BOT])
        settings = Settings(
            _env_file=None,
            database_url=f"sqlite:///{Path(folder) / 'demo.db'}",
            slack_bot_token=TOKEN,
            slack_api_url=slack.api_url,
            slack_signing_secret=SECRET,
            # Whatever this shell has set for a real install plays no part in the demo.
            slack_app_token=None,
            slack_client_id=None,
            slack_client_secret=None,
            coach_encryption_key=None,
        )
        deps = build_deps(settings, clock=clock)
        try:
            migrate(deps.engine)
            _setup(deps, catalogue, team=say(part="team"))
            with Driver.start(slack, deps, clock, team_id=TEAM, per_minute=300) as office:
                yield office
        finally:
            deps.engine.dispose()


def _setup(deps: Deps, catalogue: CatalogSpec, *, team: str) -> None:
    with deps.unit_of_work() as session:
        replace_catalog(
            session, workspace_id=TEAM, now=deps.clock.now(), actor="demo", catalog=catalogue
        )
        set_team(
            session,
            workspace_id=TEAM,
            channel_id=CHANNEL,
            changes=TeamChanges(name=team, leads=("U0ANNA",), language=catalogue.language),
            now=deps.clock.now(),
        )


def _sample_catalogue(language: str) -> CatalogSpec:
    name = CATALOGUES[language]
    sample = resources.files("coach.catalogues") / name
    return parse_catalog(sample.read_bytes(), f"principles_catalog/{name}")

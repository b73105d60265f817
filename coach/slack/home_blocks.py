"""The App Home tab: pure Block Kit builders, within Slack's limit of 100 blocks for any history.

Lists show the latest few (stories, intentions, eight weeks), never everything, so the tab stays
small however long someone has used the coach; the admin section pages itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coach.render import Mrkdwn, Prompts, channel_mention, quote, slack_escape
from coach.services.home import Home, TeamOverview
from coach.slack import ids
from coach.slack.admin_home_blocks import build_team_section
from coach.slack.blocks import (
    LANGUAGE_NAMES,
    Block,
    button,
    context,
    header,
    option,
    pack,
    plain,
    section,
)
from coach.slack.picture_blocks import Shown, picture_blocks
from coach.slack.pulse_result_blocks import build_pulse_sections

MAX_HOME_BLOCKS = 100
PER_WEEK = 4  # principles named per week in a lead's overview; the rest are counted


def build_home(
    home: Home,
    prompts: Prompts,
    extra: list[Block] | None = None,
    pictures: Mapping[int, Shown] | None = None,
) -> dict[str, Any]:
    """The whole tab: the person's own part, then each team they lead (its pyramid where
    `pictures` has it by team id, its weeks, its settings button), then `extra` (the admin's
    editors), cut to Slack's limit if ever needed."""
    blocks = _own(home, prompts)
    organisation = home.organisation if home.admin else None
    pulse = build_pulse_sections(home.pulses, organisation, home.language, prompts)
    if pulse:
        blocks += [{"type": "divider"}, *pulse]
    for team in home.teams:
        picture = (pictures or {}).get(team.team.id)
        blocks += [{"type": "divider"}, *_team(team, home.language, prompts, picture)]
    if home.more_teams:
        more = ", ".join(home.more_teams)
        blocks.append(context(prompts.render(home.language, "home_lead", part="more", team=more)))
    if extra:
        blocks += [{"type": "divider"}, *extra]
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}


def _own(home: Home, prompts: Prompts) -> list[Block]:
    lang = home.language

    def say(part: str, **values: Any) -> str:
        return prompts.render(lang, "home", part=part, **values)

    blocks: list[Block] = [header(say("title"))]
    if home.focus is None:
        blocks.append(section(say("no_focus")))
    else:
        principle = home.focus.principle
        blocks.append(section(say("focus", name=principle.name, team=home.focus.team_name)))
        blocks.append(section(quote(principle.customer_voice)))
        if principle.behaviours:
            examples = "\n".join(f"• {b}" for b in principle.behaviours[:8])
            blocks.append(section(say("examples") + "\n" + _escaped(examples)))
        blocks.append(section(say("question", question=principle.hki_question)))
    settings = home.settings
    blocks.append({"type": "divider"})
    blocks.append(
        section(
            say(
                "settings",
                time=f"{settings.nudge_time:%H:%M}",
                own=settings.own_time,
                until=settings.paused_until,
                forever=settings.paused_indefinitely,
            )
        )
    )
    blocks.append(_controls(home, say))
    blocks += _rhythm_controls(home, prompts)
    blocks.append({"type": "divider"})
    blocks += _listed(
        say("intentions"),
        [say("intention", until=i.day, text=i.text, outcome=i.outcome) for i in home.intentions],
        say("no_intentions"),
    )
    blocks += _listed(
        say("stories"),
        [
            say("story", until=s.day, text=s.text, principle=s.principle, status=s.status)
            for s in home.stories
        ],
        say("no_stories"),
    )
    return blocks


def _controls(home: Home, say: Any) -> Block:
    settings = home.settings
    languages = [option(name, code) for code, name in LANGUAGE_NAMES.items()]
    elements: list[dict[str, Any]] = [
        {
            "type": "timepicker",
            "action_id": ids.HOME_TIME,
            "initial_time": f"{settings.nudge_time:%H:%M}",
            "placeholder": plain(say("time")),
        },
        {
            "type": "static_select",
            "action_id": ids.HOME_LANGUAGE,
            "options": languages,
            "initial_option": next(o for o in languages if o["value"] == settings.language),
            "placeholder": plain(say("language")),
        },
        _home_button(
            ids.HOME_RESUME if settings.paused_until else ids.HOME_PAUSE,
            say("resume" if settings.paused_until else "pause"),
        ),
        {**_home_button(ids.HOME_SHARE_STORY, say("share")), "style": "primary"},
    ]
    return {"type": "actions", "block_id": ids.HOME_SETTINGS_BLOCK, "elements": elements}


def _rhythm_controls(home: Home, prompts: Prompts) -> list[Block]:
    """Their days (checkboxes among the team's workdays) and how often (a select)."""
    settings, lang = home.settings, home.language

    def day(d: int) -> dict[str, Any]:
        return option(prompts.render(lang, "weekday_list", days=[d]), str(d))

    days = [day(d) for d in settings.allowed]
    chosen = [o for o in days if int(o["value"]) in settings.weekdays]
    checkboxes: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": ids.HOME_WEEKDAYS,
        "options": days,
    }
    if chosen:
        checkboxes["initial_options"] = chosen
    often = [
        option(prompts.render(lang, "home_rhythm", part=every), every)
        for every in ("daily", "3x", "weekly")
    ]
    select = {
        "type": "static_select",
        "action_id": ids.HOME_RHYTHM,
        "options": often,
        "initial_option": next(o for o in often if o["value"] == settings.every),
        "placeholder": plain(prompts.render(lang, "home_rhythm", part="placeholder")),
    }
    return [
        context(prompts.render(lang, "home_rhythm", part="label")),
        {"type": "actions", "block_id": ids.HOME_RHYTHM_BLOCK, "elements": [checkboxes, select]},
    ]


def _team(
    team: TeamOverview, language: str, prompts: Prompts, picture: Shown | None
) -> list[Block]:
    def say(part: str, **values: Any) -> str:
        return prompts.render(language, "home_lead", part=part, **values)

    not_sure = say("not_sure")

    def listed(stories: tuple[tuple[str, int | None], ...]) -> Mrkdwn:
        shown = [
            f"{_escaped(name or not_sure)}" + ("" if count is None else f" {count}")
            for name, count in stories[:PER_WEEK]
        ]
        if len(stories) > PER_WEEK:  # a big catalogue: the section stays within 3,000
            rest = [count for _, count in stories[PER_WEEK:]]
            shown.append("…" if None in rest else f"+{sum(c or 0 for c in rest)}")
        return Mrkdwn(", ".join(shown))

    weeks = [
        say(
            "week",
            week=row.iso_week,
            stories=listed(row.stories),
            participants=row.participants,
            members=team.members,
        )
        for row in team.weeks
    ]
    blocks: list[Block] = [
        section(
            say(
                "team",
                team=team.team.name,
                channel=channel_mention(team.team.channel_id),
                members=team.members,
            )
        ),
        *(picture_blocks(picture) if picture is not None else []),
        section(say("weeks") + "\n" + "\n".join(weeks)),
    ]
    if team.next_celebration is not None:
        at = team.next_celebration
        blocks.append(
            section(
                say(
                    "next",
                    weekday=at.weekday(),
                    until=at.date(),
                    at=f"{at:%H:%M}",
                    count=team.waiting,
                )
            )
        )
    else:
        blocks.append(section(say("no_next")))
    blocks += build_team_section(team.team, prompts, language)  # its settings, a button
    return blocks


def _home_button(action_id: str, label: str) -> dict[str, Any]:
    return button(action_id, label, action_id)


def _listed(title: str, lines: list[str], empty: str) -> list[Block]:
    if not lines:
        return [section(title + "\n" + empty)]
    return [section(chunk) for chunk in pack([title, *lines])]


def _escaped(text: str) -> Mrkdwn:
    return Mrkdwn(slack_escape(text))

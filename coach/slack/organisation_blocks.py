"""The organisation's view on an admin's Home tab: the heat map, participation per team, the
principles nobody touched and this week's stories with the most colleagues in them. Pure; at
most `MAX_BLOCKS` blocks."""

from __future__ import annotations

from typing import Any

from coach.render import Prompts, quote
from coach.services.organisation import UNTOUCHED_WEEKS, OrganisationView
from coach.slack.blocks import Block, header, pack, section
from coach.slack.picture_blocks import Shown, picture_blocks

MAX_BLOCKS = 10
MAX_STORY = 600  # characters of a story's text on the Home tab


def build_organisation(
    view: OrganisationView, prompts: Prompts, picture: Shown | None
) -> list[Block]:
    def say(part: str, **values: Any) -> str:
        return prompts.render(view.language, "home_organisation", part=part, **values)

    blocks: list[Block] = [header(say("title"))]
    if picture is not None:
        blocks.append(picture_blocks(picture)[0])  # the heat map has no reading of its own
    teams = [
        say("team", team=t.name, participants=t.participants, members=t.members) for t in view.teams
    ]
    blocks += [section(chunk) for chunk in pack([say("participation", weeks=view.weeks), *teams])][
        :2
    ]
    blocks.append(section(say("untouched", weeks=UNTOUCHED_WEEKS, names=", ".join(view.untouched))))
    stories = [
        say(
            "story",
            story=quote(s.text[:MAX_STORY]),
            team=s.team,
            principle=s.principle,
            credits=s.credits,
        )
        for s in view.top
    ]
    blocks += [section(chunk) for chunk in pack([say("top"), *(stories or [say("no_top")])])]
    return blocks[:MAX_BLOCKS]

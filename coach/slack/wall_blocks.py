"""`/coach wall` in the team channel: one message, a section per story, within 50 blocks. Pure."""

from __future__ import annotations

from typing import Any

from coach.render import Mrkdwn, Prompts, quote, user_mention
from coach.services.story_wall import WallReady
from coach.slack.blocks import MAX_MESSAGE_BLOCKS, Block, context, header, section

MAX_STORIES = MAX_MESSAGE_BLOCKS - 2  # the header and the "more" line


def build_wall(wall: WallReady, prompts: Prompts, language: str) -> dict[str, Any]:
    """The message: text (the notification's fallback) and blocks."""

    def say(part: str, **values: Any) -> str:
        return prompts.render(language, "wall", part=part, **values)

    title = prompts.render_text(
        language, "wall", part="title", team=wall.team_name, weeks=wall.weeks
    )
    blocks: list[Block] = [header(title)]
    for story in wall.stories[:MAX_STORIES]:
        who = story.credits if not story.for_team else ()
        names = (
            wall.team_name
            if story.for_team
            else Mrkdwn(", ".join(user_mention(u) for u in (story.author_id, *who)))
        )
        blocks.append(
            section(
                say(
                    "story",
                    story=quote(story.text),
                    who=names,
                    principle=story.principle,
                    day=story.day,
                )
            )
        )
    if not wall.stories:
        blocks.append(section(say("none", weeks=wall.weeks)))
    if len(wall.stories) > MAX_STORIES:
        blocks.append(context(say("more", count=len(wall.stories) - MAX_STORIES)))
    return {"text": say("title", team=wall.team_name, weeks=wall.weeks), "blocks": blocks}

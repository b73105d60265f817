"""The organisation's report (and a lead's story wall) as one self-contained HTML page: pictures inlined as data: URIs,
typed text escaped for HTML, laid out for a screen and for print (A4).

The wording comes from prompts/report.j2 as plain text; the page's layout is
coach/templates/report.html.j2 in its own Jinja2 environment, because this is HTML (escaped by
Jinja's autoescape), not Slack mrkdwn (escaped by render.py).
"""

from __future__ import annotations

import base64
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from coach.domain.schedule import iso_week
from coach.domain.team_settings import DEFAULT_TIMEZONE
from coach.picture_words import Picture, organisation_picture, pyramid_picture
from coach.render import Prompts
from coach.services.organisation import UNTOUCHED_WEEKS
from coach.services.report import OrganisationReport
from coach.services.story_wall import WallReady


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(resources.files("coach") / "templates")),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def report_html(report: OrganisationReport, prompts: Prompts) -> str:
    view = report.view
    language = view.language

    def say(part: str, **values: Any) -> str:
        return prompts.render_text(language, "report", part=part, **values)

    day = report.made_at.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()
    words = {
        "title": say("title", organisation=view.organisation, weeks=view.weeks),
        "made": say("made", day=day, week=iso_week(day)[1]),
        "heatmap": say("heatmap"),
        "participation": say("participation"),
        "untouched_title": say("untouched_title", weeks=UNTOUCHED_WEEKS),
        "untouched": say("untouched", names=", ".join(view.untouched)),
        "top": say("top"),
        "no_top": say("no_top"),
        "footer": say("footer", shared=view.minimum.shared, private=view.minimum.private),
    }
    pyramids = []
    for pyramid in report.pyramids:
        picture = pyramid_picture(pyramid, prompts)
        pyramids.append({**_image(picture), "title": pyramid.team_name, "reading": picture.reading})
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            language=language,
            words=words,
            heatmap=_image(organisation_picture(view, prompts)),
            participation=[
                {
                    "team": t.name,
                    "text": say("team", participants=t.participants, members=t.members),
                }
                for t in view.teams
            ],
            stories=[
                {
                    "text": s.text,
                    "about": say("about", team=s.team, principle=s.principle, credits=s.credits),
                }
                for s in view.top
            ],
            pyramids=pyramids,
        )
    )


def wall_html(wall: WallReady, prompts: Prompts, language: str) -> str:
    """A lead's story wall as one page for a screen in the team meeting (stories as typed,
    escaped for HTML)."""

    def say(part: str, **values: Any) -> str:
        return prompts.render_text(language, "wall", part=part, **values)

    stories = [
        {
            "text": s.text,
            "about": say(
                "page_about",
                principle=s.principle,
                day=s.day,
                team=wall.team_name if s.for_team else None,
            ),
        }
        for s in wall.stories
    ]
    return (
        _environment()
        .get_template("wall.html.j2")
        .render(
            language=language,
            title=say("title", team=wall.team_name, weeks=wall.weeks),
            none=say("none", weeks=wall.weeks),
            stories=stories,
        )
    )


def _image(picture: Picture) -> dict[str, Any]:
    data = base64.b64encode(picture.png.data).decode("ascii")
    return {
        "src": f"data:image/png;base64,{data}",
        "alt": picture.alt,
        "width": picture.png.width,
        "height": picture.png.height,
    }

"""Every wording exists in both languages, renders, and escapes what people typed."""

from __future__ import annotations

from datetime import date, time

import pytest

from coach.domain.pulse import Enps
from coach.render import Mrkdwn, Prompts, slack_escape, user_mention

PROMPTS = Prompts()
VALUES = {
    "organisation": "Acme <!channel>",
    "text": "dance <@U1>",
    "kind": "time",
    "given": "25:00",
    "max_days": 365,
    "time": "08:30",
    "until": date(2026, 12, 1),
    "count": 3,
    "name": "Goed & geregeld",
    "question": "Hoe kan ik…?",
    "level": "relational",
    "problem": "x",
    "part": "title",
    "which": "answer",
    "status": "skipped",
    "outcome": "done",
    "principle": "Daadkrachtig <!here>",
    "voice": "Ik wil snel geholpen worden.",
    "behaviour": "Bel de klant na.",
    "intention": "De klant nabellen",
    "limit": 500,
    "code": "story_empty",
    "filer": "U1 <!channel>",
    "author": "U2 <!here>",
    "share": True,
    "counts": {"intentions": 2, "nudges": 5, "stories": 1, "credits": 3},
    "change": "updated",
    "team": "Noord <!channel>",
    "week": 48,
    "participants": 12,
    "members": 15,
    "stories": 3,
    "intentions": 7,
    "credits": "U3 <!here>",
    "note": "Trots op jullie <@U1>",
    "channel": "C1 <!channel>",
    "weekday": 4,
    "at": "16:00",
    "reason": "is_archived",
    "action": "skip",
    "for_team": False,
    "language_name": "English",
    "principle_key": "goed-geregeld",
    "catalog_version": 7,
    "line": 2,
    "change_who": "U1 <!channel>",
    "who": "U4 <!channel>",
    "change_when": "2026-11-23 10:00 UTC",
    "changed_fields": ["name", "behaviours"],
    "archived_count": 1,
    "leads": "U1 <!here>",
    "page": 1,
    "pages": 2,
    "days": [0, 2],
    "allowed": [0, 1, 2, 3, 4],
    "every": "3x",
    "choice": "weekly",
    "month": date(2026, 12, 1),
    "enps": Enps(score=-17, answers=12, promoters=3, passives=4, detractors=5),
    "minimum": 5,
    "key": "trust",
    "state": "shown",
    "average": "4.2",
    "averages": "trust 4.2",
    "taps": [("Anna <!channel>", 9), ("Bram", 10)],
    "weeks": 12,
}


def test_every_language_of_the_catalogue_is_there() -> None:
    assert {"nl", "en", "de"} <= set(PROMPTS.languages)
    assert len(PROMPTS.names()) >= 10


@pytest.mark.parametrize("language", PROMPTS.languages)
@pytest.mark.parametrize("name", PROMPTS.names())
def test_every_template_renders(language: str, name: str) -> None:
    rendered = PROMPTS.render(language, name, **VALUES)
    assert rendered.strip()
    assert "<!channel>" not in rendered and "<@U1>" not in rendered


def test_values_are_escaped_but_chosen_markup_is_kept() -> None:
    assert slack_escape("<!here> & <@U1|x>") == "&lt;!here&gt; &amp; &lt;@U1|x&gt;"
    rendered = PROMPTS.render("en", "principle_line", name=user_mention("U0ANNA"), question="a < b")
    assert rendered == "*<@U0ANNA>*\n_a &lt; b_"
    assert isinstance(user_mention("U0ANNA"), Mrkdwn)
    with pytest.raises(ValueError):
        user_mention("U1> <!channel")


def test_plain_text_for_pictures_and_html_is_not_escaped_for_slack() -> None:
    values = {"part": "title", "team": "R&D <team>"}
    assert PROMPTS.render_text("en", "picture_pyramid", **values) == "R&D <team>: our pyramid"
    assert PROMPTS.render("en", "picture_pyramid", **values) == "R&amp;D &lt;team&gt;: our pyramid"


def test_a_missing_value_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(Exception, match="undefined"):
        PROMPTS.render("en", "help")


def test_no_unknown_language() -> None:
    with pytest.raises(ValueError):
        PROMPTS.render("fr", "help", organisation="x")


def test_paused_until_dates_read_naturally() -> None:
    assert "until 1 Dec 2026" in PROMPTS.render("en", "paused", until=date(2026, 12, 1))
    assert "tot 1-12-2026" in PROMPTS.render("nl", "paused", until=date(2026, 12, 1))
    assert "`/coach resume`" in PROMPTS.render("nl", "paused", until=None)
    assert "08:30" in PROMPTS.render("en", "time_set", time=f"{time(8, 30):%H:%M}")

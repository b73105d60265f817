"""The nudge as Block Kit: the customer's voice once a week, a short nudge otherwise, and the
question about the rhythm; every message with a plain text for notifications."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coach.catalog.files import load_catalog_file
from coach.catalog.localize import principle_text
from coach.render import Prompts
from coach.services.nudging import NudgeContent, RhythmQuestion
from coach.slack import ids
from coach.slack.nudge_blocks import build_nudge_payload

ROOT = Path(__file__).resolve().parents[2]
PROMPTS = Prompts()
CATALOGUES = ["technisch-dienstverlener.yaml", "service-organisation.yaml"]


def shown(payload: dict[str, Any]) -> str:
    """The text a reader sees in the blocks, without the buttons."""
    return "\n".join(b["text"]["text"] for b in payload["blocks"] if b.get("text"))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_short_nudge_of_the_samples_stays_under_300_characters(
    language: str, catalogue: str
) -> None:
    spec = load_catalog_file(ROOT / "principles_catalog" / catalogue)
    for principle in spec.principles:
        text = principle_text(principle, language)
        for behaviour in text.behaviours:
            content = NudgeContent(1, language, text, behaviour, None, full=False)
            payload = build_nudge_payload(content, PROMPTS)
            assert len(shown(payload)) < 300, shown(payload)
            assert text.customer_voice not in shown(payload)
            assert text.name in shown(payload) and text.hki_question in shown(payload)
            assert behaviour in shown(payload)
            assert payload["text"] and text.hki_question in payload["text"]
            full = build_nudge_payload(
                NudgeContent(1, language, text, behaviour, None, full=True), PROMPTS
            )
            assert text.customer_voice in shown(full)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Eén keer per week", "Elke werkdag", "Even pauze"]),
        ("en", ["Once a week", "Every workday", "Pause for now"]),
    ],
)
def test_the_rhythm_question_offers_weekly_daily_or_a_pause(
    language: str, words: list[str]
) -> None:
    payload = build_nudge_payload(RhythmQuestion("U0DIRK", language), PROMPTS)
    [actions] = [b for b in payload["blocks"] if b["type"] == "actions"]
    assert actions["block_id"] == ids.RHYTHM_QUESTION_BLOCK
    assert [e["text"]["text"] for e in actions["elements"]] == words
    assert {e["value"] for e in actions["elements"]} == {"U0DIRK"}  # checked against the clicker
    assert payload["text"] == shown(payload)

"""The story form in edit mode, the confirmation's buttons and forget-me's question: pure."""

from __future__ import annotations

from coach.render import Prompts
from coach.services.privacy import ForgetSummary
from coach.services.story_edits import StoryValues
from coach.services.story_form import FormChoices
from coach.slack.blocks import build_forget_me_question
from coach.slack.story_blocks import build_story_form

PROMPTS = Prompts()
CHOICES = FormChoices(
    "en",
    [("operational", [("goed-geregeld", "Goed geregeld")]), ("relational", [("warm", "Warm")])],
    [(1, "Noord"), (2, "Zuid")],
    [],
)


def elements(view: dict) -> dict:
    return {b["block_id"]: b["element"] for b in view["blocks"]}


def test_a_new_form_starts_empty() -> None:
    form = elements(build_story_form(CHOICES, PROMPTS))
    assert form["principle"]["initial_option"]["value"] == "not-sure"
    assert "initial_users" not in form["colleagues"]
    assert form["team"]["initial_option"]["value"] == "1"


def test_the_edit_form_shows_the_story_as_saved() -> None:
    current = StoryValues("Klant blij", "warm", ["U0BOB", "U0KEN"], 2, False)
    view = build_story_form(CHOICES, PROMPTS, prefill="ignored", current=current)
    form = elements(view)
    assert view["title"]["text"] == "Edit your 9+ story"
    assert form["text"]["initial_value"] == "Klant blij"
    options = [o for g in form["principle"]["option_groups"] for o in g["options"]]
    assert form["principle"]["initial_option"] in options
    assert form["principle"]["initial_option"]["value"] == "warm"
    assert form["colleagues"]["initial_users"] == ["U0BOB", "U0KEN"]
    assert form["team"]["initial_option"] == {
        "text": {"type": "plain_text", "text": "Zuid", "emoji": True},
        "value": "2",
    }
    assert form["consent"]["initial_option"]["value"] == "private"


def test_a_story_without_a_principle_reopens_as_not_sure() -> None:
    current = StoryValues("Klant blij", None, [], None, True)
    form = elements(build_story_form(CHOICES, PROMPTS, current=current))
    assert form["principle"]["initial_option"]["value"] == "not-sure"


def test_forget_me_asks_with_both_buttons_naming_the_asker() -> None:
    summary = ForgetSummary(intentions=4, nudges=9, stories=2, credits=1)
    blocks = build_forget_me_question("U0ANNA", summary.__dict__, "en", PROMPTS)
    assert "your daily questions (9) and intentions (4)" in blocks[0]["text"]["text"]
    [actions] = [b for b in blocks if b["type"] == "actions"]
    assert [(e["action_id"], e["value"], e["text"]["text"]) for e in actions["elements"]] == [
        ("forget_me_yes", "U0ANNA", "Yes, forget me"),
        ("forget_me_cancel", "U0ANNA", "Cancel"),
    ]

"""`/coach` over signed HTTP against `coach run`: what a person sees, and what is stored."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from coach.catalog.files import load_catalog_file
from coach.clock import SystemClock
from coach.deps import Deps
from coach.store.catalog import replace_catalog
from coach.store.models import Person
from slack_standin import SlackStandIn
from slack_standin.signing import slash_command_request
from tests.e2e.conftest import (
    OTHER_TEAM,
    ROOT,
    SIGNING_SECRET,
    TEAM,
    CoachProcess,
    answer_after_ack,
    signed,
)

EN = load_catalog_file(ROOT / "principles_catalog" / "service-organisation.yaml")


def coach_command(
    coach: CoachProcess,
    slack: SlackStandIn,
    text: str,
    *,
    user: str = "U0ANNA",
    team: str = TEAM,
    **options: Any,
) -> dict[str, Any]:
    fields = slack.slash_command(
        TEAM, user_id=user, channel_id="C0NOORD", command="/coach", text=text
    )
    fields["team_id"] = team
    answered = len(slack.calls_to("response_url"))
    response = coach.post(
        slash_command_request(
            fields, signing_secret=SIGNING_SECRET, now=SystemClock().now(), **options
        )
    )
    assert response.status == 200 and not response.body, response.text  # acked at once
    return answer_after_ack(slack, answered) or {}


def all_text(reply: dict[str, Any]) -> str:
    return json.dumps(reply.get("blocks", []), ensure_ascii=False)


def person(deps: Deps, team: str, user: str) -> Person | None:
    with deps.unit_of_work() as session:
        return session.scalar(
            select(Person).where(Person.workspace_id == team, Person.user_id == user)
        )


def test_help_is_ephemeral_and_lists_the_commands(coach: CoachProcess, slack: SlackStandIn) -> None:
    reply = coach_command(coach, slack, "help")
    assert reply["response_type"] == "ephemeral"
    text = all_text(reply)
    for command in (
        "/coach principles",
        "/coach time HH:MM",
        "/coach pause",
        "/coach language nl|en",
    ):
        assert command in text
    assert reply["text"].startswith("*9+ Coach* helps you")


def test_language_switches_the_answers_to_dutch(
    coach: CoachProcess, slack: SlackStandIn, deps: Deps
) -> None:
    assert "I'll speak English" in all_text(coach_command(coach, slack, "language en"))
    reply = coach_command(coach, slack, "language nl")
    assert "spreek ik Nederlands" in all_text(reply)
    assert "helpt je om de Gidsende Principes" in all_text(coach_command(coach, slack, ""))
    stored = person(deps, TEAM, "U0ANNA")
    assert stored is not None and stored.language == "nl"


def test_principles_are_grouped_by_level(
    coach: CoachProcess, slack: SlackStandIn, deps: Deps
) -> None:
    assert "no Guiding Principles yet" in all_text(coach_command(coach, slack, "principles"))
    with deps.unit_of_work() as session:
        replace_catalog(session, workspace_id=TEAM, catalog=EN, actor="test", now=deps.clock.now())
    blocks = coach_command(coach, slack, "principles")["blocks"]
    headers = [b["text"]["text"] for b in blocks if b["type"] == "header"]
    assert headers == [EN.levels[level].name for level in ("operational", "relational", "meaning")]
    text = all_text({"blocks": blocks})
    for principle in EN.principles:
        assert principle.name in text and principle.hki_question in text
    coach_command(coach, slack, "language nl")
    dutch = all_text(coach_command(coach, slack, "principles"))
    assert EN.principles[0].translations["nl"].name in dutch


def test_unknown_and_bad_arguments_get_a_helpful_answer(
    coach: CoachProcess, slack: SlackStandIn, deps: Deps
) -> None:
    assert "I don't know that one: `/coach dance`" in all_text(coach_command(coach, slack, "dance"))
    assert "`25:99` is not a time of day" in all_text(coach_command(coach, slack, "time 25:99"))
    assert "`0` is not a number of days" in all_text(coach_command(coach, slack, "pause 0"))
    assert "I don't know `fr` as a language" in all_text(coach_command(coach, slack, "language fr"))
    stored = person(deps, TEAM, "U0ANNA")
    assert stored is None or (stored.language, stored.nudge_time, stored.paused_until) == (
        None,
        None,
        None,
    )


def test_time_pause_and_resume_are_stored(
    coach: CoachProcess, slack: SlackStandIn, deps: Deps
) -> None:
    assert "at 08:30 (your time)" in all_text(coach_command(coach, slack, "time 8:30"))
    assert "until you type `/coach resume`" in all_text(coach_command(coach, slack, "pause"))
    stored = person(deps, TEAM, "U0ANNA")
    assert (
        stored is not None
        and f"{stored.nudge_time:%H:%M}" == "08:30"
        and stored.paused_until is not None
    )
    assert "Welcome back" in all_text(coach_command(coach, slack, "resume"))
    stored = person(deps, TEAM, "U0ANNA")
    assert stored is not None and stored.paused_until is None


def test_typed_mentions_come_back_escaped(coach: CoachProcess, slack: SlackStandIn) -> None:
    text = all_text(coach_command(coach, slack, "<!channel> <@U0BOB> & <!subteam^S1>"))
    assert "<!channel>" not in text and "<@U0BOB>" not in text and "<!subteam" not in text
    assert "&lt;!channel&gt; &lt;@U0BOB&gt; &amp; &lt;!subteam^S1&gt;" in text


@pytest.mark.parametrize(
    "options",
    [{"wrong_signature": True}, {"age": __import__("datetime").timedelta(minutes=6)}],
    ids=["wrong-signature", "stale-timestamp"],
)
def test_bad_signatures_are_refused_and_change_nothing(
    coach: CoachProcess, slack: SlackStandIn, deps: Deps, options: dict[str, Any]
) -> None:
    fields = slack.slash_command(
        TEAM, user_id="U0ANNA", channel_id="C0NOORD", command="/coach", text="language nl"
    )
    response = coach.post(
        slash_command_request(
            fields, signing_secret=SIGNING_SECRET, now=SystemClock().now(), **options
        )
    )
    assert response.status == 401
    assert person(deps, TEAM, "U0ANNA") is None


def test_a_missing_signature_is_refused(
    coach: CoachProcess, slack: SlackStandIn, deps: Deps
) -> None:
    fields = slack.slash_command(
        TEAM, user_id="U0ANNA", channel_id="C0NOORD", command="/coach", text="language nl"
    )
    request = slash_command_request(fields, signing_secret=SIGNING_SECRET, now=SystemClock().now())
    headers = {k: v for k, v in request.headers.items() if k != "X-Slack-Signature"}
    response = coach.post(type(request)(request.body, headers))
    assert response.status == 401
    assert person(deps, TEAM, "U0ANNA") is None


def test_another_workspace_cannot_act_through_our_token(
    coach: CoachProcess, slack: SlackStandIn, deps: Deps
) -> None:
    fields = slack.slash_command(
        TEAM, user_id="U0ANNA", channel_id="C0NOORD", command="/coach", text="language nl"
    )
    fields.update(team_id=OTHER_TEAM, user_id="U0EVE")
    answered = len(slack.calls_to("response_url"))
    response = coach.post(
        slash_command_request(fields, signing_secret=SIGNING_SECRET, now=SystemClock().now())
    )
    assert response.status == 200
    refusal = answer_after_ack(slack, answered)  # once it is in, nothing else is coming
    assert refusal is not None and "not installed in this Slack workspace" in refusal["text"]
    assert "Nederlands" not in response.text + str(refusal)
    assert person(deps, OTHER_TEAM, "U0EVE") is None
    assert person(deps, TEAM, "U0EVE") is None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        (b"{not json", "application/json"),
        (
            urlencode({"command": "/coach", "text": "help"}).encode(),
            "application/x-www-form-urlencoded",
        ),
        (
            urlencode(
                {"command": "/coach", "team_id": TEAM, "user_id": "U0ANNA", "text": "x" * 100_000}
            ).encode(),
            "application/x-www-form-urlencoded",
        ),
        (
            json.dumps({"type": "event_callback", "team_id": TEAM, "event": "nope"}).encode(),
            "application/json",
        ),
        (
            json.dumps({"type": "block_actions", "team": None, "actions": [{}]}).encode(),
            "application/json",
        ),
        (b"", "application/x-www-form-urlencoded"),
    ],
    ids=[
        "broken-form-json",
        "broken-json",
        "no-team",
        "huge-text",
        "event-not-an-object",
        "bare-actions",
        "empty",
    ],
)
def test_malformed_payloads_never_get_a_500(
    coach: CoachProcess, body: bytes, content_type: str
) -> None:
    response = coach.post(signed(body, content_type))
    assert response.status == 200, response.text
    assert "Traceback" not in response.text
    assert coach.process.poll() is None


def test_healthz(coach: CoachProcess) -> None:
    import urllib.request

    with urllib.request.urlopen(coach.url + "/healthz", timeout=5) as response:  # noqa: S310 - loopback
        assert response.status == 200 and response.read() == b"ok"

"""Bolt, as the app uses it, works against the stand-in: token check at start-up, a signed slash
command dispatched through Bolt, views.open with the command's trigger, a DM via say()."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from coach.clock import SystemClock
from slack_standin import SlackStandIn, signing
from tests.slack_standin.conftest import BOT_TOKEN

SECRET = "standin-signing-secret"


def test_bolt_app_round_trip(slack: SlackStandIn) -> None:
    # Bolt reads the current time itself when it verifies signatures: sign with the real now.
    app = App(
        token=BOT_TOKEN,
        signing_secret=SECRET,
        client=WebClient(token=BOT_TOKEN, base_url=slack.api_url),
    )
    assert [c.method for c in slack.calls] == ["auth.test"]

    def open_story_form(ack: Any, body: dict[str, Any], client: WebClient, say: Any) -> None:
        ack()
        client.views_open(
            trigger_id=body["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "story",
                "title": {"type": "plain_text", "text": "9+ verhaal"},
                "blocks": [],
            },
        )
        say(text=f"Dank je, {body['user_name']}!")

    app.command("/9plus")(open_story_form)
    fields = slack.slash_command("T1", user_id="U1", channel_id="C1", command="/9plus", text="x")
    request = signing.slash_command_request(fields, signing_secret=SECRET, now=SystemClock().now())
    response = app.dispatch(BoltRequest(body=request.body.decode(), headers=request.headers))
    assert response.status == 200
    # Bolt acks first and runs the listener on its thread pool: wait for its last call.
    slack.wait_for_calls("chat.postMessage", timeout=5)
    assert [c.method for c in slack.calls] == ["auth.test", "views.open", "chat.postMessage"]
    assert all(c.ok for c in slack.calls)
    # Bolt's per-request client names the workspace on every call.
    assert [c.args.get("team_id") for c in slack.calls[1:]] == ["T1", "T1"]
    assert [m["text"] for m in slack.messages_in("C1")] == ["Dank je, anna!"]


def test_bolt_refuses_a_wrong_signature(slack: SlackStandIn) -> None:
    app = App(
        token=BOT_TOKEN,
        signing_secret=SECRET,
        client=WebClient(token=BOT_TOKEN, base_url=slack.api_url),
    )
    fields = slack.slash_command("T1", user_id="U1", channel_id="C1", command="/9plus")
    request = signing.slash_command_request(
        fields, signing_secret=SECRET, now=SystemClock().now(), wrong_signature=True
    )
    response = app.dispatch(BoltRequest(body=request.body.decode(), headers=request.headers))
    assert response.status == 401

"""What "Slack" sends to the app: signatures slack_sdk accepts, and payload shapes that match
the samples from Slack's SDK test suites (shared/slack-payloads)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from slack_standin import SlackStandIn, payloads, signing
from tests.shared import SHARED

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SAMPLES = SHARED / "slack-payloads"
needs_samples = pytest.mark.skipif(not SAMPLES.exists(), reason="shared/slack-payloads is absent")


class AtNow:
    """slack_sdk's signature Clock protocol, pinned."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> float:
        return self.at.timestamp()


def verifier(at: datetime = NOW) -> SignatureVerifier:
    return SignatureVerifier(SECRET, clock=AtNow(at))


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return data


def test_known_signature_vector() -> None:
    # The worked example in Slack's "Verifying requests from Slack".
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert signing.signature(SECRET, 1531420618, body) == expected


def test_signed_requests_verify_with_slack_sdk() -> None:
    fields = {"command": "/coach", "text": "help", "team_id": "T1"}
    for request in (
        signing.slash_command_request(fields, signing_secret=SECRET, now=NOW),
        signing.interactivity_request({"type": "shortcut"}, signing_secret=SECRET, now=NOW),
        signing.event_request({"type": "event_callback"}, signing_secret=SECRET, now=NOW),
    ):
        assert verifier().is_valid_request(request.body, request.headers)
        assert request.headers["X-Slack-Request-Timestamp"] == str(int(NOW.timestamp()))


def test_wrong_signature_and_old_timestamp_fail_verification() -> None:
    body = {"type": "event_callback"}
    wrong = signing.event_request(body, signing_secret=SECRET, now=NOW, wrong_signature=True)
    assert not verifier().is_valid_request(wrong.body, wrong.headers)
    old = signing.event_request(body, signing_secret=SECRET, now=NOW, age=timedelta(minutes=6))
    assert not verifier().is_valid_request(old.body, old.headers)
    # The same old request verifies at the time it claims: only its age is wrong.
    assert verifier(NOW - timedelta(minutes=6)).is_valid_request(old.body, old.headers)
    tampered = signing.SignedRequest(old.body + b" ", old.headers)
    assert not verifier(NOW - timedelta(minutes=6)).is_valid_request(
        tampered.body, tampered.headers
    )


def test_retry_headers() -> None:
    request = signing.event_request(
        {"event_id": "Ev1"},
        signing_secret=SECRET,
        now=NOW,
        retry_num=2,
        retry_reason="http_timeout",
    )
    assert request.headers["X-Slack-Retry-Num"] == "2"
    assert request.headers["X-Slack-Retry-Reason"] == "http_timeout"
    plain = signing.event_request({"event_id": "Ev1"}, signing_secret=SECRET, now=NOW)
    assert "X-Slack-Retry-Num" not in plain.headers


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        signing.event_request({}, signing_secret=SECRET, now=datetime(2026, 3, 2, 8, 0))  # noqa: DTZ001


class Capture(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, str], bytes]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, dict(self.headers), body))
        status = 401 if self.headers["X-Slack-Signature"].endswith("0") else 200
        answer = json.dumps({"response_type": "ephemeral", "text": "ok"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def app_url() -> Iterator[tuple[str, list[tuple[str, dict[str, str], bytes]]]]:
    received: list[tuple[str, dict[str, str], bytes]] = []
    handler = type("Handler", (Capture,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/slack/events", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_send_posts_the_signed_bytes(
    slack: SlackStandIn, app_url: tuple[str, list[tuple[str, dict[str, str], bytes]]]
) -> None:
    url, received = app_url
    fields = slack.slash_command(
        "T1", user_id="U1", channel_id="C1", command="/9plus", text="Anna hielp"
    )
    request = signing.slash_command_request(fields, signing_secret=SECRET, now=NOW)
    response = signing.send(url, request)
    assert response.json() == {"response_type": "ephemeral", "text": "ok"}
    path, headers, body = received[0]
    assert path == "/slack/events" and body == request.body
    assert verifier().is_valid_request(body, headers)
    sent = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    assert sent["command"] == "/9plus" and sent["user_name"] == "anna"
    assert sent["channel_name"] == "team-noord" and sent["api_app_id"] == slack.app_id


def test_send_returns_error_statuses(
    app_url: tuple[str, list[tuple[str, dict[str, str], bytes]]],
) -> None:
    url, _ = app_url
    for attempt in range(20):  # find a wrong signature ending in 0, which the capture refuses
        request = signing.event_request(
            {"n": attempt}, signing_secret=SECRET, now=NOW, wrong_signature=True
        )
        if request.headers["X-Slack-Signature"].endswith("0"):
            break
    assert signing.send(url, request).status == 401


def test_interactivity_body_is_a_payload_field() -> None:
    request = signing.interactivity_request(
        {"type": "shortcut", "text": "a&b=c"}, signing_secret=SECRET, now=NOW
    )
    form = parse_qs(request.body.decode())
    assert json.loads(form["payload"][0]) == {"type": "shortcut", "text": "a&b=c"}


def test_trigger_from_a_built_payload_opens_a_modal(slack: SlackStandIn, client: WebClient) -> None:
    fields = slack.slash_command("T1", user_id="U1", channel_id="C1", command="/9plus")
    view = {"type": "modal", "title": {"type": "plain_text", "text": "9+"}, "blocks": []}
    assert client.views_open(trigger_id=fields["trigger_id"], view=view)["ok"]


# ---- shapes against the samples from Slack's SDK test suites ------------------------------------
def keys(data: dict[str, Any]) -> set[str]:
    return set(data)


@needs_samples
def test_slash_command_fields_match_the_sample() -> None:
    built = payloads.slash_command(
        team_id="T1",
        team_domain="acme",
        channel_id="C1",
        channel_name="team",
        user_id="U1",
        user_name="anna",
        command="/coach",
        text="",
        trigger_id="1.2.3",
        response_url="http://x/hooks/1",
        api_app_id="A1",
    )
    assert keys(built) == keys(sample("commands/slash_command.json"))


@needs_samples
def test_interactivity_payloads_match_the_samples(slack: SlackStandIn, client: WebClient) -> None:
    trigger = slack.new_trigger_id("T1", "U1")
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "9+"}, "blocks": []}
    view = client.views_open(trigger_id=trigger, view=modal)["view"]
    common = {"team_id": "T1", "team_domain": "acme", "user_id": "U1", "user_name": "anna"}
    message = payloads.user_message(user_id="U1", team_id="T1", text="hoi", ts="1.000001")
    click = payloads.button_action(action_id="a", block_id="b", value="v", text="Go", at=NOW)
    built = {
        "block_actions.json": payloads.block_actions(
            **common,
            api_app_id="A1",
            trigger_id="t",
            actions=[click],
            message=message,
            channel={"id": "C1", "name": "team"},
            response_url="http://x/hooks/2",
        ),
        "view_submission.json": payloads.view_submission(
            **common, api_app_id="A1", trigger_id="t", view=view, values={}
        ),
        "view_closed.json": payloads.view_closed(**common, api_app_id="A1", view=view),
        "shortcut_global.json": payloads.global_shortcut(
            **common, callback_id="share", trigger_id="t", at=NOW
        ),
        "shortcut_message.json": payloads.message_shortcut(
            **common,
            callback_id="save",
            trigger_id="t",
            channel_id="C1",
            channel_name="team",
            message=message,
            response_url="http://x/hooks/3",
            at=NOW,
        ),
    }
    for name, payload in built.items():
        expected = sample(f"interactivity/{name}")
        assert keys(expected) <= keys(payload), name
        assert keys(expected["user"]) <= keys(payload["user"]) | {"username", "name"}, name
    submitted = built["view_submission.json"]["view"]
    assert keys(sample("interactivity/view_submission.json")["view"]) <= keys(submitted)
    assert keys(sample("interactivity/block_actions.json")["actions"][0]) <= keys(click)


@needs_samples
def test_events_and_envelopes_match_the_samples() -> None:
    event = payloads.message_event(
        user_id="U1", channel_id="D1", channel_type="im", text="ja", ts="1.000002", team_id="T1"
    )
    callback = payloads.event_callback(
        team_id="T1",
        api_app_id="A1",
        bot_user_id="UBOT1",
        event=event,
        event_id="Ev1",
        event_time=NOW,
    )
    socket_sample = sample("socket_mode/envelope_events_api_message.json")
    assert keys(socket_sample["payload"]) <= keys(callback)
    assert keys(socket_sample["payload"]["authorizations"][0]) == keys(
        callback["authorizations"][0]
    )
    assert keys(sample("events/message_im.event_callback.json")["event"]) <= keys(event)
    home = payloads.app_home_opened_event(user_id="U1", channel_id="D1", tab="home", at=NOW)
    assert keys(sample("events/app_home_opened_home.event_callback.json")["event"]) <= keys(home)
    joined = payloads.member_channel_event(
        joined=True, user_id="U1", channel_id="C1", team_id="T1", at=NOW
    )
    expected_joined = keys(sample("events/member_joined_channel.event_callback.json")["event"])
    assert expected_joined - {"inviter"} <= keys(joined)
    revoked = payloads.tokens_revoked_event(bot_user_ids=["UBOT1"], at=NOW)
    assert keys(sample("events/tokens_revoked.event_callback.json")["event"]) <= keys(revoked)
    for kind, name in (
        ("events_api", "envelope_events_api_message.json"),
        ("slash_commands", "envelope_slash_commands.json"),
        ("interactive", "envelope_interactive_shortcut.json"),
    ):
        expected = sample(f"socket_mode/{name}")
        envelope = payloads.socket_envelope(envelope_id="e", kind=kind, payload=expected["payload"])
        assert keys(envelope) == keys(expected), kind
        assert envelope["accepts_response_payload"] == expected["accepts_response_payload"], kind

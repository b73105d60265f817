"""Socket Mode: apps.connections.open, hello, envelopes pushed by a test, and the app's acks."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from slack_standin import SlackStandIn

APP_TOKEN = "xapp-1-A0COACH001-standin"


def open_url(slack: SlackStandIn) -> str:
    slack.add_app_token(APP_TOKEN)
    url = WebClient(base_url=slack.api_url).apps_connections_open(app_token=APP_TOKEN)["url"]
    assert isinstance(url, str)
    return url


def test_hello_then_envelope_then_ack_over_a_raw_websocket(slack: SlackStandIn) -> None:
    with connect(open_url(slack), open_timeout=5) as websocket:
        hello = json.loads(websocket.recv(timeout=5))
        assert hello["type"] == "hello"
        assert hello["connection_info"] == {"app_id": slack.app_id}
        assert slack.socket_wait_connected(timeout=5)
        event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
        envelope_id = slack.socket_send_events_api("T1", event, event_id="Ev42")
        envelope = json.loads(websocket.recv(timeout=5))
        assert envelope["envelope_id"] == envelope_id and envelope["type"] == "events_api"
        assert envelope["accepts_response_payload"] is False
        assert envelope["payload"]["event_id"] == "Ev42"
        assert envelope["payload"]["authorizations"][0]["user_id"] == "UBOT1"
        assert envelope["payload"]["event"] == event
        with pytest.raises(TimeoutError):
            slack.socket_ack(envelope_id, timeout=0.01)
        websocket.send(json.dumps({"envelope_id": envelope_id}))
        assert slack.socket_ack(envelope_id, timeout=5) == {"envelope_id": envelope_id}


def test_urls_are_single_use(slack: SlackStandIn) -> None:
    url = open_url(slack)
    with connect(url, open_timeout=5) as websocket:
        websocket.recv(timeout=5)
    with pytest.raises(InvalidStatus) as caught:
        connect(url, open_timeout=5)
    assert caught.value.response.status_code == 401


def test_sending_without_a_client_fails_loudly(slack: SlackStandIn) -> None:
    open_url(slack)
    assert slack.socket_wait_connected(timeout=0.01) is False
    with pytest.raises(RuntimeError):
        slack.socket_send_interactive({"type": "shortcut"})


def test_disconnect_message(slack: SlackStandIn) -> None:
    with connect(open_url(slack), open_timeout=5) as websocket:
        websocket.recv(timeout=5)
        assert slack.socket_wait_connected(timeout=5)
        slack.socket_send_disconnect()
        assert json.loads(websocket.recv(timeout=5))["type"] == "disconnect"


@pytest.fixture
def socket_client(
    slack: SlackStandIn,
) -> Iterator[tuple[SocketModeClient, list[SocketModeRequest]]]:
    """slack_sdk's built-in Socket Mode client (no extra dependency), connected through
    apps.connections.open at the stand-in's api_url, acking everything it gets."""
    slack.add_app_token(APP_TOKEN)
    client = SocketModeClient(app_token=APP_TOKEN, web_client=WebClient(base_url=slack.api_url))
    received: list[SocketModeRequest] = []
    lock = threading.Lock()

    def listener(socket: Any, request: SocketModeRequest) -> None:
        with lock:
            received.append(request)
        payload = {"text": "Hoi!"} if request.type == "slash_commands" else None
        socket.send_socket_mode_response(
            SocketModeResponse(envelope_id=request.envelope_id, payload=payload)
        )

    client.socket_mode_request_listeners.append(listener)
    client.connect()
    try:
        yield client, received
    finally:
        client.close()


def test_slack_sdk_socket_mode_client_round_trip(
    slack: SlackStandIn, socket_client: tuple[SocketModeClient, list[SocketModeRequest]]
) -> None:
    _, received = socket_client
    assert slack.socket_wait_connected(timeout=5)
    assert [c.method for c in slack.calls] == ["apps.connections.open"]

    fields = slack.slash_command("T1", user_id="U1", channel_id="C1", command="/coach", text="help")
    command_id = slack.socket_send_slash_command(fields)
    assert slack.socket_ack(command_id, timeout=5) == {
        "envelope_id": command_id,
        "payload": {"text": "Hoi!"},
    }
    event_id = slack.socket_send_events_api("T1", {"type": "message", "channel_type": "im"})
    assert slack.socket_ack(event_id, timeout=5) == {"envelope_id": event_id}
    shortcut = {"type": "shortcut", "callback_id": "share_9plus_story", "trigger_id": "t"}
    interactive_id = slack.socket_send_interactive(shortcut)
    assert slack.socket_ack(interactive_id, timeout=5)["envelope_id"] == interactive_id

    by_type = {r.type: r for r in received}
    assert by_type["slash_commands"].payload["command"] == "/coach"
    assert by_type["events_api"].payload["event"]["channel_type"] == "im"
    assert by_type["interactive"].payload["callback_id"] == "share_9plus_story"

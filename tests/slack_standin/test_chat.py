"""chat.*: posting, ephemeral, updating, deleting, scheduling; and response_url."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from coach.clock import FixedClock
from slack_standin import SlackStandIn
from tests.slack_standin.conftest import START, post_raw


def error_of(call: object) -> str:
    assert callable(call)
    with pytest.raises(SlackApiError) as caught:
        call()
    return str(caught.value.response["error"])


def test_post_message_shape_and_transcript(slack: SlackStandIn, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Goedemorgen*"}}]
    answer = client.chat_postMessage(channel="C1", text="Goedemorgen", blocks=blocks)
    assert answer["channel"] == "C1"
    assert answer["ts"] == answer["message"]["ts"]
    assert float(answer["ts"]) == pytest.approx(START.timestamp())
    assert answer["message"]["bot_id"] == "BBOT1" and answer["message"]["user"] == "UBOT1"
    assert slack.messages_in("C1")[0]["blocks"] == blocks
    call = slack.calls_to("chat.postMessage")[0]
    assert (call.team_id, call.status, call.args["blocks"]) == ("T1", 200, blocks)


def test_post_message_to_a_user_id_lands_in_the_dm(slack: SlackStandIn, client: WebClient) -> None:
    answer = client.chat_postMessage(channel="U2", text="hoi")
    assert answer["channel"] == slack.im_channel_id("T1", "U2")
    assert [m["text"] for m in slack.messages_in(answer["channel"])] == ["hoi"]


def test_timestamps_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(3)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 3


def test_post_message_errors(client: WebClient, slack: SlackStandIn) -> None:
    slack.set_post_message_limits(None)  # several posts to one channel in one instant
    assert (
        error_of(lambda: client.chat_postMessage(channel="C404", text="x")) == "channel_not_found"
    )
    assert error_of(lambda: client.chat_postMessage(channel="C2", text="x")) == "not_in_channel"
    assert error_of(lambda: client.chat_postMessage(channel="C3", text="x")) == "is_archived"
    assert (
        error_of(lambda: client.api_call("chat.postMessage", json={"channel": "C1"})) == "no_text"
    )
    too_long = "x" * 40_001
    assert error_of(lambda: client.chat_postMessage(channel="C1", text=too_long)) == "msg_too_long"
    assert client.chat_postMessage(channel="C1", text="x" * 40_000)["ok"]
    bad_metadata = {"event_type": "nudge"}
    assert (
        error_of(lambda: client.chat_postMessage(channel="C1", text="x", metadata=bad_metadata))
        == "invalid_metadata_format"
    )


def test_post_ephemeral(slack: SlackStandIn, client: WebClient) -> None:
    answer = client.chat_postEphemeral(channel="C1", user="U2", text="alleen voor jou")
    assert answer["message_ts"]
    assert slack.ephemeral_messages_in("C1")[0]["user"] == "U2"
    assert slack.messages_in("C1") == []
    assert (
        error_of(lambda: client.chat_postEphemeral(channel="C1", user="U3", text="x"))
        == "user_not_in_channel"
    )


def test_update_and_delete(slack: SlackStandIn, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="v1")["ts"]
    updated = client.chat_update(channel="C1", ts=ts, text="v2")
    assert (updated["ts"], updated["text"]) == (ts, "v2")
    assert slack.messages_in("C1")[0]["edited"]["user"] == "UBOT1"
    person = slack.post_as_user("C1", "U1", "mine")
    assert error_of(lambda: client.chat_update(channel="C1", ts=person["ts"], text="x")) == (
        "cant_update_message"
    )
    assert error_of(lambda: client.chat_update(channel="C1", ts="1.000001", text="x")) == (
        "message_not_found"
    )
    assert client.chat_delete(channel="C1", ts=ts)["ts"] == ts
    assert [m["text"] for m in slack.messages_in("C1")] == ["mine"]
    assert error_of(lambda: client.chat_delete(channel="C1", ts=person["ts"])) == (
        "cant_delete_message"
    )


def test_schedule_list_delete_and_delivery(
    slack: SlackStandIn, client: WebClient, clock: FixedClock
) -> None:
    post_at = int((START + timedelta(hours=1)).timestamp())
    answer = client.chat_scheduleMessage(channel="C1", text="later", post_at=post_at)
    scheduled_id = answer["scheduled_message_id"]
    assert answer["post_at"] == str(post_at) and answer["channel"] == "C1"
    listed = client.chat_scheduledMessages_list(channel="C1")["scheduled_messages"]
    assert [(m["id"], m["post_at"], m["text"]) for m in listed] == [
        (scheduled_id, post_at, "later")
    ]
    second = client.chat_scheduleMessage(channel="C1", text="never", post_at=post_at + 60)
    client.chat_deleteScheduledMessage(
        channel="C1", scheduled_message_id=second["scheduled_message_id"]
    )
    assert (
        error_of(
            lambda: client.chat_deleteScheduledMessage(
                channel="C1", scheduled_message_id=second["scheduled_message_id"]
            )
        )
        == "invalid_scheduled_message_id"
    )
    assert slack.messages_in("C1") == []
    clock.advance(timedelta(hours=2))
    posted = slack.messages_in("C1")
    assert [m["text"] for m in posted] == ["later"]
    assert posted[0]["ts"].startswith(f"{post_at}.")
    assert client.chat_scheduledMessages_list()["scheduled_messages"] == []


def test_scheduled_message_with_metadata_does_not_post(
    slack: SlackStandIn, client: WebClient, clock: FixedClock
) -> None:
    post_at = int((START + timedelta(minutes=5)).timestamp())
    metadata = {"event_type": "nudge", "event_payload": {"id": 1}}
    client.chat_scheduleMessage(channel="C1", text="lost", post_at=post_at, metadata=metadata)
    clock.advance(timedelta(minutes=10))
    assert slack.messages_in("C1") == []  # Slack's documented bug, reproduced


def test_schedule_time_limits(client: WebClient) -> None:
    now = int(START.timestamp())
    day = 24 * 3600
    assert error_of(
        lambda: client.chat_scheduleMessage(channel="C1", text="x", post_at=now - 1)
    ) == ("time_in_past")
    too_far = now + 120 * day + 1
    assert error_of(
        lambda: client.chat_scheduleMessage(channel="C1", text="x", post_at=too_far)
    ) == ("time_too_far")
    assert client.chat_scheduleMessage(channel="C1", text="x", post_at=now + 120 * day)["ok"]
    assert error_of(
        lambda: client.chat_scheduleMessage(channel="C1", text="x", post_at="soon")
    ) == ("invalid_time")


def test_schedule_at_most_30_per_channel_per_5_minutes(
    slack: SlackStandIn, client: WebClient
) -> None:
    slack.set_tier_limits(None)  # the per-channel rule alone (Tier 3 pacing: test_limits_...)
    base = int(START.timestamp()) + 3600
    for i in range(30):
        client.chat_scheduleMessage(channel="C1", text=str(i), post_at=base + i * 10)
    for post_at in (base, base + 150, base + 299):
        assert (
            error_of(
                lambda p=post_at: client.chat_scheduleMessage(channel="C1", text="x", post_at=p)
            )
            == "restricted_too_many"
        )
    # Any 5-minute window around these holds only 29 others; another channel is separate.
    assert client.chat_scheduleMessage(channel="C1", text="ok", post_at=base + 300)["ok"]
    assert client.chat_scheduleMessage(channel="C1", text="ok", post_at=base - 10)["ok"]
    assert client.chat_scheduleMessage(channel="U1", text="ok", post_at=base)["ok"]


def test_response_url_posts_are_recorded_and_shown(slack: SlackStandIn) -> None:
    fields = slack.slash_command("T1", user_id="U1", channel_id="C1", command="/coach", text="help")
    for body in ({"text": "only you"}, {"text": "everyone", "response_type": "in_channel"}):
        headers = {"Content-Type": "application/json"}
        status, answer = post_raw(fields["response_url"], json.dumps(body).encode(), headers)
        assert (status, answer) == (200, b"ok")
    assert [e["text"] for e in slack.ephemeral_messages_in("C1")] == ["only you"]
    assert [m["text"] for m in slack.messages_in("C1")] == ["everyone"]
    assert [c.args["text"] for c in slack.calls_to("response_url")] == ["only you", "everyone"]

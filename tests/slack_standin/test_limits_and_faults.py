"""chat.postMessage rate limits under a hand-moved monotonic source, and injected faults."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import PostMessageLimits, SlackStandIn
from tests.slack_standin.conftest import ManualMonotonic, RecordedSleep


def post(client: WebClient, channel: str = "C1") -> SlackApiError | None:
    try:
        client.chat_postMessage(channel=channel, text="nudge")
    except SlackApiError as error:
        return error
    return None


def test_channel_burst_then_429_with_retry_after_then_recovery(
    slack: SlackStandIn, client: WebClient, monotonic: ManualMonotonic
) -> None:
    slack.set_post_message_limits(PostMessageLimits(per_channel_per_second=1.0, channel_burst=3))
    assert [post(client) for _ in range(3)] == [None, None, None]
    refused = post(client)
    assert refused is not None
    assert refused.response.status_code == 429
    assert refused.response.headers["Retry-After"] == "1"
    assert refused.response.data == {"ok": False, "error": "ratelimited"}
    assert post(client, "U1") is None  # another channel has its own bucket
    monotonic.advance(0.5)
    assert post(client) is not None  # half a token is not a token
    monotonic.advance(0.5)
    assert post(client) is None
    statuses = [c.status for c in slack.calls_to("chat.postMessage")]
    assert statuses == [200, 200, 200, 429, 200, 429, 200]


def test_workspace_wide_limit(slack: SlackStandIn, monotonic: ManualMonotonic) -> None:
    limits = PostMessageLimits(workspace_per_minute=60, workspace_burst=5, channel_burst=5)
    slack.set_post_message_limits(limits)
    client = WebClient(token="xoxb-1-standin", base_url=slack.api_url)
    channels = ["U1", "U2", "U3", "C1", "U1"]
    assert [post(client, c) for c in channels] == [None] * 5
    refused = post(client, "U2")
    assert refused is not None and refused.response.status_code == 429
    assert refused.response.headers["Retry-After"] == "1"
    other = WebClient(token="xoxb-2-standin", base_url=slack.api_url)
    assert post(other, "C9") is None  # limits are per workspace
    monotonic.advance(1.0)
    assert post(client, "U2") is None


def test_limits_can_be_switched_off(slack: SlackStandIn, client: WebClient) -> None:
    slack.set_post_message_limits(None)
    assert all(post(client) is None for _ in range(20))


def test_injected_server_errors_then_success(slack: SlackStandIn, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", status=500, times=2)
    first, second = post(client), post(client)
    assert first is not None and first.response.status_code == 500
    assert second is not None and second.response.status_code == 500
    assert post(client) is None
    assert [c.status for c in slack.calls_to("chat.postMessage")] == [500, 500, 200]
    assert slack.messages_in("C1")[0]["text"] == "nudge"  # only the third one posted
    assert len(slack.messages_in("C1")) == 1


def test_random_server_errors_hit_the_asked_share_repeatably(
    slack: SlackStandIn, client: WebClient
) -> None:
    slack.set_post_message_limits(None)
    slack.fail_randomly("chat.postMessage", status=500, fraction=0.1, seed=7)
    failures = [post(client, "C1") is not None for _ in range(400)]
    assert 20 <= sum(failures) <= 60
    assert len(slack.messages_in("C1")) == 400 - sum(failures)
    slack.fail_randomly("chat.postMessage", status=500, fraction=0)
    assert post(client, "C1") is None


def test_injected_slack_error(slack: SlackStandIn, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", error="account_inactive")
    refused = post(client)
    assert refused is not None
    assert (refused.response.status_code, refused.response["error"]) == (200, "account_inactive")
    assert slack.calls_to("chat.postMessage")[0].team_id == "T1"
    assert post(client) is None


def test_injected_429(slack: SlackStandIn, client: WebClient) -> None:
    slack.fail_next("users.info", status=429, retry_after=30)
    with pytest.raises(SlackApiError) as caught:
        client.users_info(user="U1")
    assert caught.value.response.headers["Retry-After"] == "30"


def test_fault_arguments_are_checked(slack: SlackStandIn) -> None:
    with pytest.raises(ValueError):
        slack.fail_next("chat.postMessage")
    with pytest.raises(ValueError):
        slack.fail_next("chat.postMessage", status=404)


def test_injected_latency_goes_through_the_sleep_source(
    slack: SlackStandIn, client: WebClient, sleep: RecordedSleep
) -> None:
    slack.delay("views.open", seconds=0.5)
    client.users_info(user="U1")
    assert sleep.slept == []
    with pytest.raises(SlackApiError):
        client.views_open(trigger_id="nope", view={"type": "modal"})
    assert sleep.slept == [0.5]
    slack.delay("views.open", seconds=0)
    with pytest.raises(SlackApiError):
        client.views_open(trigger_id="nope", view={"type": "modal"})
    assert sleep.slept == [0.5]


def test_every_call_is_recorded_even_rejected_ones(slack: SlackStandIn) -> None:
    with pytest.raises(SlackApiError):
        WebClient(token="xoxb-wrong", base_url=slack.api_url).users_info(user="U1")
    (call,) = slack.calls
    assert (call.method, call.status, call.error, call.ok) == (
        "users.info",
        200,
        "invalid_auth",
        False,
    )
    assert call.args == {"user": "U1"}


def schedule(client: WebClient, post_at: int) -> SlackApiError | None:
    try:
        client.chat_scheduleMessage(channel="U1", text="nudge", post_at=post_at)
    except SlackApiError as error:
        return error
    return None


def test_scheduled_message_methods_keep_to_tier_3(
    slack: SlackStandIn, client: WebClient, monotonic: ManualMonotonic
) -> None:
    """chat.scheduleMessage is Tier 3 (50 a minute): a burst of 10 s worth, then 429."""
    post_at = slack.state.now_epoch() + 3600
    assert [schedule(client, post_at + i * 600) for i in range(8)] == [None] * 8
    refused = schedule(client, post_at + 9000)
    assert refused is not None and refused.response.status_code == 429
    assert refused.response.headers["Retry-After"] == "2"  # 1.2 s, in whole seconds
    assert client.chat_scheduledMessages_list()["ok"]  # each method has its own bucket
    monotonic.advance(1.2)  # 50 a minute: one more after 1.2 s
    assert schedule(client, post_at + 9000) is None
    assert schedule(client, post_at + 9600) is not None
    slack.set_tier_limits(None)
    assert schedule(client, post_at + 9600) is None

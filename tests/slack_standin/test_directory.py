"""auth.test, users.* and conversations.* answer in Slack's shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from coach.clock import FixedClock
from slack_standin import SlackStandIn


def test_auth_test_names_the_bot_and_workspace(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == "T1"
    assert answer["user_id"] == "UBOT1"
    assert answer["bot_id"] == "BBOT1"
    assert answer["url"] == "https://acme.slack.com/"
    assert answer["is_enterprise_install"] is False


def test_users_info_shape(client: WebClient) -> None:
    user = client.users_info(user="U1", include_locale=True)["user"]
    assert user["id"] == "U1"
    assert user["real_name"] == "Anna de Vries"
    assert user["profile"]["real_name"] == "Anna de Vries"
    assert user["tz"] == "Europe/Amsterdam"
    assert user["tz_offset"] == 3600  # CET on 2 March
    assert user["tz_label"] == "CET"
    assert user["locale"] == "nl-NL"
    assert user["is_admin"] is True and user["is_bot"] is False and user["deleted"] is False
    assert "locale" not in client.users_info(user="U1")["user"]


def test_tz_offset_follows_the_clock_across_dst(client: WebClient, clock: FixedClock) -> None:
    clock.set(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    assert client.users_info(user="U1")["user"]["tz_offset"] == 7200
    assert client.users_info(user="U3")["user"]["tz_offset"] == -14400


def test_users_info_unknown_or_missing_user(client: WebClient) -> None:
    for user in ("U404", ""):
        with pytest.raises(SlackApiError) as caught:
            client.users_info(user=user)
        assert caught.value.response["error"] == "user_not_found"


def test_users_list_pages_with_cursor(client: WebClient) -> None:
    # slack_sdk's iteration reuses one response object: copy each page as it comes.
    pages = [page.data for page in client.users_list(limit=2)]
    assert [len(p["members"]) for p in pages] == [2, 2, 2]
    ids = [m["id"] for p in pages for m in p["members"]]
    assert ids == ["U1", "U2", "U3", "U9", "UBOT1", "USLACKBOT"]
    assert pages[-1]["response_metadata"]["next_cursor"] == ""
    bots = {m["id"]: m["is_bot"] for p in pages for m in p["members"]}
    assert bots["UBOT1"] is True and bots["USLACKBOT"] is False  # as in Slack


def test_users_list_bad_cursor(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.users_list(cursor="bm9wZTpub3Bl")
    assert caught.value.response["error"] == "invalid_cursor"


def test_conversations_info_and_members(client: WebClient) -> None:
    channel = client.conversations_info(channel="C1", include_num_members=True)["channel"]
    assert channel["name"] == "team-noord"
    assert channel["is_channel"] is True and channel["is_private"] is False
    assert channel["is_member"] is True and channel["num_members"] == 3
    assert client.conversations_info(channel="C2")["channel"]["is_member"] is False
    pages = [page.data for page in client.conversations_members(channel="C1", limit=2)]
    assert [p["members"] for p in pages] == [["U1", "U2"], ["UBOT1"]]


def test_private_channel_without_the_bot_is_invisible(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.conversations_info(channel="G1")
    assert caught.value.response["error"] == "channel_not_found"


def test_conversations_open_is_stable_per_user(slack: SlackStandIn, client: WebClient) -> None:
    first = client.conversations_open(users="U1")
    again = client.conversations_open(users=["U1"])
    assert first["channel"]["id"].startswith("D")
    assert first["channel"]["id"] == again["channel"]["id"] == slack.im_channel_id("T1", "U1")
    assert "already_open" not in first.data and again["already_open"] is True
    other = client.conversations_open(users="U2")["channel"]["id"]
    assert other != first["channel"]["id"]
    full = client.conversations_open(users="U1", return_im=True)["channel"]
    assert full["is_im"] is True and full["user"] == "U1"


def test_conversations_open_errors(client: WebClient) -> None:
    for users, error in (("U9", "user_disabled"), ("V1", "user_not_found")):
        with pytest.raises(SlackApiError) as caught:
            client.conversations_open(users=users)
        assert caught.value.response["error"] == error


def test_conversations_open_several_people_is_a_group_dm(client: WebClient) -> None:
    channel = client.conversations_open(users="U1,U2", return_im=True)["channel"]
    assert channel["is_mpim"] is True
    assert client.conversations_open(users="U2,U1")["channel"]["id"] == channel["id"]


def test_conversations_join(client: WebClient) -> None:
    joined = client.conversations_join(channel="C2")
    assert joined["channel"]["is_member"] is True and "warning" not in joined.data
    again = client.conversations_join(channel="C2")
    assert again["warning"] == "already_in_channel"
    with pytest.raises(SlackApiError) as caught:
        client.conversations_join(channel="C3")
    assert caught.value.response["error"] == "is_archived"


def test_history_needs_membership(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.conversations_history(channel="C2")
    assert caught.value.response["error"] == "not_in_channel"


def test_history_newest_first_with_metadata_only_on_request(
    slack: SlackStandIn, client: WebClient, clock: FixedClock
) -> None:
    metadata = {"event_type": "nudge", "event_payload": {"outbox_id": 1}}
    first = client.chat_postMessage(channel="C1", text="one", metadata=metadata)["ts"]
    clock.advance(timedelta(seconds=5))
    slack.post_as_user("C1", "U1", "two")
    history = client.conversations_history(channel="C1")
    assert [m["text"] for m in history["messages"]] == ["two", "one"]
    assert "metadata" not in history["messages"][1]
    with_metadata = client.conversations_history(channel="C1", include_all_metadata=True)
    assert with_metadata["messages"][1]["metadata"] == metadata
    only_first = client.conversations_history(channel="C1", latest=first, inclusive=True)
    assert [m["text"] for m in only_first["messages"]] == ["one"]
    paged = client.conversations_history(channel="C1", limit=1)
    assert paged["has_more"] is True and len(paged["messages"]) == 1

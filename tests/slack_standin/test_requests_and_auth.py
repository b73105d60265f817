"""Tokens, workspaces, argument checks against Slack's spec, and the ways a request can be sent."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import SlackStandIn
from tests.slack_standin.conftest import BOT_TOKEN, OTHER_TOKEN, post_raw


def slack_error(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value


def raw_post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    status, answer = post_raw(url, body, headers)
    return status, json.loads(answer)


def test_unknown_token_is_invalid_auth(slack: SlackStandIn) -> None:
    error = slack_error(WebClient(token="xoxb-nope", base_url=slack.api_url).auth_test)
    assert error.response["error"] == "invalid_auth"
    assert slack.calls[-1].team_id is None


def test_missing_token_is_not_authed(slack: SlackStandIn) -> None:
    error = slack_error(WebClient(base_url=slack.api_url).auth_test)
    assert error.response["error"] == "not_authed"


def test_revoked_token(slack: SlackStandIn, client: WebClient) -> None:
    assert client.auth_test()["ok"]
    slack.revoke_tokens("T1")
    assert slack_error(client.auth_test).response["error"] == "token_revoked"
    slack.revoke_tokens("T1", error="account_inactive")
    assert slack_error(client.auth_test).response["error"] == "account_inactive"
    # The other workspace is untouched.
    assert WebClient(token=OTHER_TOKEN, base_url=slack.api_url).auth_test()["team_id"] == "T2"


def test_app_token_is_not_a_bot_token(slack: SlackStandIn) -> None:
    slack.add_app_token("xapp-1-standin")
    error = slack_error(WebClient(token="xapp-1-standin", base_url=slack.api_url).auth_test)
    assert error.response["error"] == "not_allowed_token_type"


def test_token_decides_the_workspace(slack: SlackStandIn, client: WebClient) -> None:
    other = WebClient(token=OTHER_TOKEN, base_url=slack.api_url)
    assert other.users_info(user="V1")["user"]["team_id"] == "T2"
    assert slack_error(lambda: other.users_info(user="U1")).response["error"] == "user_not_found"
    assert slack_error(lambda: client.users_info(user="V1")).response["error"] == "user_not_found"
    error = slack_error(lambda: client.conversations_info(channel="C9"))
    assert error.response["error"] == "channel_not_found"
    error = slack_error(lambda: other.chat_postMessage(channel="C1", text="hi"))
    assert error.response["error"] == "channel_not_found"
    assert [c.team_id for c in slack.calls] == ["T2", "T2", "T1", "T1", "T2"]


def test_unknown_argument_is_rejected_like_slack(client: WebClient) -> None:
    error = slack_error(lambda: client.chat_postMessage(channel="C1", text="hi", colour="red"))
    assert error.response.status_code == 200
    assert error.response["error"] == "invalid_arguments"
    assert error.response["response_metadata"]["messages"] == [
        "[ERROR] unsupported argument: colour"
    ]


def test_missing_required_argument(client: WebClient) -> None:
    error = slack_error(lambda: client.api_call("chat.postMessage", json={"text": "hi"}))
    assert error.response["error"] == "invalid_arguments"
    assert error.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: channel"
    ]
    error = slack_error(lambda: client.api_call("chat.postEphemeral", json={"channel": "C1"}))
    assert error.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: user"
    ]


def test_newer_documented_arguments_are_accepted(client: WebClient) -> None:
    metadata = {"event_type": "nudge_sent", "event_payload": {"outbox_id": 7}}
    assert client.chat_postMessage(channel="C1", text="hi", metadata=metadata)["ok"]
    assert client.conversations_history(channel="C1", include_all_metadata=True)["ok"]


def test_unknown_method(slack: SlackStandIn, client: WebClient) -> None:
    error = slack_error(lambda: client.api_call("chat.postMassage", json={}))
    assert error.response.status_code == 404
    assert error.response["error"] == "unknown_method"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b"user=U1"),
        ("application/json; charset=utf-8", b'{"user": "U1"}'),
        (
            "multipart/form-data; boundary=XyZ",
            b'--XyZ\r\nContent-Disposition: form-data; name="user"\r\n\r\nU1\r\n--XyZ--\r\n',
        ),
    ],
)
def test_every_body_encoding_slack_accepts(
    slack: SlackStandIn, content_type: str, body: bytes
) -> None:
    headers = {"Content-Type": content_type, "Authorization": f"Bearer {BOT_TOKEN}"}
    status, answer = raw_post(slack.api_url + "users.info", body, headers)
    assert (status, answer["user"]["id"]) == (200, "U1")


def test_token_as_form_field_and_query_string(slack: SlackStandIn) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, answer = raw_post(
        slack.api_url + "users.info", f"token={BOT_TOKEN}&user=U2".encode(), form
    )
    assert answer["user"]["name"] == "bram"
    status, answer = raw_post(slack.api_url + f"users.info?token={BOT_TOKEN}&user=U3", b"", form)
    assert (status, answer["user"]["name"]) == (200, "carla")


def test_malformed_bodies(slack: SlackStandIn) -> None:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {BOT_TOKEN}"}
    assert raw_post(slack.api_url + "auth.test", b"{nope", headers)[1]["error"] == "invalid_json"
    assert raw_post(slack.api_url + "auth.test", b"[1]", headers)[1]["error"] == "json_not_object"
    headers["Content-Type"] = "application/xml"
    assert (
        raw_post(slack.api_url + "auth.test", b"<a/>", headers)[1]["error"] == "invalid_post_type"
    )


def test_json_arguments_in_forms_are_decoded_and_recorded(slack: SlackStandIn) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    body = f"channel=C1&text=hi&blocks={json.dumps(blocks)}".encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Authorization": f"Bearer {BOT_TOKEN}",
    }
    assert raw_post(slack.api_url + "chat.postMessage", body, headers)[1]["ok"]
    assert slack.calls_to("chat.postMessage")[0].args["blocks"] == blocks
    bad = b"channel=C1&text=hi&blocks=[{oops"
    assert (
        raw_post(slack.api_url + "chat.postMessage", bad, headers)[1]["error"]
        == "invalid_blocks_format"
    )


def test_oauth_basic_credentials_are_decoded(slack: SlackStandIn) -> None:
    slack.add_oauth_code("code-1", team_id="T1", bot_token="xoxb-new")
    secret = base64.b64encode(f"{slack.client_id}:{slack.client_secret}".encode()).decode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Authorization": f"Basic {secret}",
    }
    status, answer = raw_post(slack.api_url + "oauth.v2.access", b"code=code-1", headers)
    assert (status, answer["access_token"]) == (200, "xoxb-new")


def test_team_id_is_accepted_everywhere_but_must_match_the_token(client: WebClient) -> None:
    assert client.users_info(user="U1", team_id="T1")["ok"]
    assert client.chat_postMessage(channel="C1", text="hi", team_id="T1")["ok"]
    error = slack_error(lambda: client.users_info(user="U1", team_id="T2"))
    assert error.response["error"] == "team_access_not_granted"


def test_oauth_client_credentials_as_form_fields(slack: SlackStandIn) -> None:
    slack.add_oauth_code("code-2", team_id="T1", bot_token="xoxb-form")
    body = f"client_id={slack.client_id}&client_secret={slack.client_secret}&code=code-2"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, answer = raw_post(slack.api_url + "oauth.v2.access", body.encode(), headers)
    assert (status, answer["access_token"]) == (200, "xoxb-form")
    wrong = "client_id=nope&client_secret=x&code=code-2"
    assert raw_post(slack.api_url + "oauth.v2.access", wrong.encode(), headers)[1]["error"] == (
        "invalid_client_id"
    )

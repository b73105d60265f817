"""oauth.v2.access, apps.connections.open and files.uploadV2's three steps."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import SlackStandIn


def install_client(slack: SlackStandIn) -> WebClient:
    return WebClient(base_url=slack.api_url)


def test_oauth_exchange_installs_the_bot_token(slack: SlackStandIn) -> None:
    slack.add_workspace("T3", name="New Co", bot_token=None, bot_user_id="UBOT3")
    slack.add_oauth_code("code-3", team_id="T3", bot_token="xoxb-3-new", authed_user_id="W3")
    with pytest.raises(SlackApiError):
        WebClient(token="xoxb-3-new", base_url=slack.api_url).auth_test()
    answer = install_client(slack).oauth_v2_access(
        client_id=slack.client_id, client_secret=slack.client_secret, code="code-3"
    )
    assert answer["access_token"] == "xoxb-3-new" and answer["token_type"] == "bot"
    assert answer["team"] == {"name": "New Co", "id": "T3"}
    assert answer["bot_user_id"] == "UBOT3" and answer["app_id"] == slack.app_id
    assert answer["authed_user"] == {"id": "W3"} and answer["is_enterprise_install"] is False
    assert "chat:write" in answer["scope"].split(",")
    assert WebClient(token="xoxb-3-new", base_url=slack.api_url).auth_test()["team_id"] == "T3"
    assert slack.calls_to("oauth.v2.access")[0].team_id == "T3"


@pytest.mark.parametrize(
    ("client_id", "client_secret", "code", "error"),
    [
        ("someone-else", "standin-client-secret", "code-1", "invalid_client_id"),
        (None, "wrong", "code-1", "bad_client_secret"),
        (None, None, "no-such-code", "invalid_code"),
    ],
)
def test_oauth_errors(
    slack: SlackStandIn, client_id: str | None, client_secret: str | None, code: str, error: str
) -> None:
    slack.add_oauth_code("code-1", team_id="T1", bot_token="xoxb-1-again")
    with pytest.raises(SlackApiError) as caught:
        install_client(slack).oauth_v2_access(
            client_id=client_id or slack.client_id,
            client_secret=client_secret or slack.client_secret,
            code=code,
        )
    assert caught.value.response["error"] == error


def test_oauth_code_is_single_use_and_checks_redirect_uri(slack: SlackStandIn) -> None:
    slack.add_oauth_code(
        "code-r",
        team_id="T1",
        bot_token="xoxb-r",
        redirect_uri="https://coach.example/slack/oauth_redirect",
    )
    client = install_client(slack)
    with pytest.raises(SlackApiError) as caught:
        client.oauth_v2_access(
            client_id=slack.client_id,
            client_secret=slack.client_secret,
            code="code-r",
            redirect_uri="https://evil.example/",
        )
    assert caught.value.response["error"] == "bad_redirect_uri"
    ok = client.oauth_v2_access(
        client_id=slack.client_id,
        client_secret=slack.client_secret,
        code="code-r",
        redirect_uri="https://coach.example/slack/oauth_redirect",
    )
    assert ok["access_token"] == "xoxb-r"
    with pytest.raises(SlackApiError) as again:
        client.oauth_v2_access(
            client_id=slack.client_id,
            client_secret=slack.client_secret,
            code="code-r",
            redirect_uri="https://coach.example/slack/oauth_redirect",
        )
    assert again.value.response["error"] == "invalid_code"


def test_reinstall_clears_a_revoked_token(slack: SlackStandIn) -> None:
    slack.revoke_tokens("T1")
    slack.add_oauth_code("code-again", team_id="T1", bot_token="xoxb-1-fresh")
    install_client(slack).oauth_v2_access(
        client_id=slack.client_id, client_secret=slack.client_secret, code="code-again"
    )
    assert WebClient(token="xoxb-1-fresh", base_url=slack.api_url).auth_test()["ok"]


def test_apps_connections_open_needs_a_known_app_token(slack: SlackStandIn) -> None:
    client = install_client(slack)
    for token, error in (
        ("xoxb-1-standin", "not_allowed_token_type"),
        ("xapp-unknown", "invalid_auth"),
    ):
        with pytest.raises(SlackApiError) as caught:
            client.apps_connections_open(app_token=token)
        assert caught.value.response["error"] == error
    slack.add_app_token("xapp-1-known")
    url = client.apps_connections_open(app_token="xapp-1-known")["url"]
    assert url.startswith("ws://127.0.0.1:") and "ticket=" in url


def test_files_upload_v2(slack: SlackStandIn, client: WebClient) -> None:
    answer = client.files_upload_v2(
        channel="C1",
        content="principle,stories\nluisteren,3\n",
        filename="stories.csv",
        title="Verhalen",
        initial_comment="Export",
    )
    file_id = answer["file"]["id"]
    assert answer["file"]["title"] == "Verhalen"
    assert slack.uploaded_file(file_id) == b"principle,stories\nluisteren,3\n"
    (message,) = slack.messages_in("C1")
    assert message["text"] == "Export" and message["files"][0]["name"] == "stories.csv"
    methods = [c.method for c in slack.calls]
    assert methods == ["files.getUploadURLExternal", "files.upload", "files.completeUploadExternal"]


def test_complete_upload_of_a_file_never_uploaded(client: WebClient) -> None:
    upload = client.files_getUploadURLExternal(filename="x.txt", length=3)
    with pytest.raises(SlackApiError) as caught:
        client.files_completeUploadExternal(files=[{"id": upload["file_id"], "title": "x"}])
    assert caught.value.response["error"] == "file_not_found"

"""Installs: the OAuth multi-workspace flow, uninstalls, Socket Mode, and Slack's retries."""

from __future__ import annotations

import re
import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlparse

from cryptography.fernet import Fernet
from sqlalchemy import select, text

from coach.clock import SystemClock
from coach.deps import Deps
from coach.store.models import SlackEvent, Workspace
from slack_standin import SlackStandIn, payloads
from slack_standin.signing import event_request, slash_command_request
from tests.e2e.conftest import (
    BOT_TOKEN,
    SIGNING_SECRET,
    TEAM,
    CoachProcess,
    answer_after_ack,
    coach_env,
    start_coach,
)

NEW_TEAM = "T0NEWCO"
NEW_TOKEN = "xoxb-newco-plaintext-token"


def started(env: dict[str, str]) -> CoachProcess:
    running = start_coach(env, "run", "--host", "127.0.0.1")
    assert running.listening.wait(timeout=30), running.log()
    assert running.url or "Socket Mode" in running.log(), running.log()
    return running


def stopped(running: CoachProcess) -> None:
    code = running.stop()
    if running.process.stdout is not None:
        running.process.stdout.close()
    assert code == 0, running.log()
    assert "stopped" in running.log()


def get(url: str, cookie: str = "") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode()


def coach_reply(
    running: CoachProcess, slack: SlackStandIn, team: str, user: str, channel: str, text_: str
) -> Any:
    fields = slack.slash_command(
        team, user_id=user, channel_id=channel, command="/coach", text=text_
    )
    answered = len(slack.calls_to("response_url"))
    response = running.post(
        slash_command_request(fields, signing_secret=SIGNING_SECRET, now=SystemClock().now())
    )
    assert response.status == 200
    return answer_after_ack(slack, answered)


def event(
    slack: SlackStandIn, team: str, bot_user: str, body: dict[str, Any], event_id: str
) -> dict[str, Any]:
    return payloads.event_callback(
        team_id=team,
        api_app_id=slack.app_id,
        bot_user_id=bot_user,
        event=body,
        event_id=event_id,
        event_time=SystemClock().now(),
    )


def test_oauth_install_stores_tokens_encrypted_and_uninstall_removes_them(
    slack: SlackStandIn, database_url: str, deps: Deps
) -> None:
    slack.add_workspace(NEW_TEAM, name="New Co", bot_token=None, bot_user_id="U0BOTNEW")
    slack.add_user(
        NEW_TEAM, "U0NINA", name="nina", real_name="Nina", tz="Europe/Amsterdam", locale="nl-NL"
    )
    slack.add_channel(NEW_TEAM, "C0NEW", name="new", members=["U0NINA"])
    slack.add_oauth_code("code-123", team_id=NEW_TEAM, bot_token=NEW_TOKEN, authed_user_id="U0NINA")
    env = coach_env(
        slack,
        database_url,
        SLACK_CLIENT_ID=slack.client_id,
        SLACK_CLIENT_SECRET=slack.client_secret,
        COACH_ENCRYPTION_KEY=Fernet.generate_key().decode(),
    )
    del env["SLACK_BOT_TOKEN"]
    running = started(env)
    try:
        status, headers, page = get(running.url + "/slack/install")
        assert status == 200
        state = parse_qs(
            urlparse(
                re.search(r'href="(https://slack.com/oauth/v2/authorize[^"]+)"', page)
                .group(1)
                .replace("&amp;", "&")
            ).query
        )["state"][0]  # type: ignore[union-attr]
        cookie = headers["Set-Cookie"].split(";")[0]
        status, _, page = get(
            f"{running.url}/slack/oauth_redirect?code=code-123&state={state}", cookie
        )
        assert status == 200, page
        assert [c.args.get("code") for c in slack.calls_to("oauth.v2.access")] == ["code-123"]

        with deps.engine.connect() as connection:
            stored = " ".join(
                str(v)
                for row in connection.execute(text("SELECT * FROM slack_installations"))
                for v in row
            )
            stored += " ".join(
                str(v) for row in connection.execute(text("SELECT * FROM slack_bots")) for v in row
            )
        assert NEW_TEAM in stored
        assert NEW_TOKEN not in stored and "xoxb-" not in stored

        reply = coach_reply(running, slack, NEW_TEAM, "U0NINA", "C0NEW", "help")
        assert reply["response_type"] == "ephemeral"
        with deps.unit_of_work() as session:
            workspace = session.get(Workspace, NEW_TEAM)
            assert (
                workspace is not None
                and workspace.name == "New Co"
                and workspace.uninstalled_at is None
            )

        uninstall = event(
            slack,
            NEW_TEAM,
            "U0BOTNEW",
            {"type": "app_uninstalled", "event_ts": "1.2"},
            "EvUNINSTALL",
        )
        assert (
            running.post(
                event_request(uninstall, signing_secret=SIGNING_SECRET, now=SystemClock().now())
            ).status
            == 200
        )
        _wait_until(lambda: _installations(deps) == 0)
        with deps.unit_of_work() as session:
            workspace = session.get(Workspace, NEW_TEAM)
            assert workspace is not None and workspace.uninstalled_at is not None
        refused = coach_reply(running, slack, NEW_TEAM, "U0NINA", "C0NEW", "help")
        assert "/coach pause" not in str(refused)  # not the help: the app is gone there
    finally:
        stopped(running)


def test_a_retried_event_is_processed_once(
    coach: CoachProcess, slack: SlackStandIn, deps: Deps
) -> None:
    envelope = event(
        slack, TEAM, "U0BOTACME", {"type": "app_uninstalled", "event_ts": "1.2"}, "EvONCE"
    )
    assert (
        coach.post(
            event_request(envelope, signing_secret=SIGNING_SECRET, now=SystemClock().now())
        ).status
        == 200
    )
    _wait_until(lambda: _uninstalled(deps, TEAM))
    with deps.unit_of_work() as session:  # put it back, so a second processing would be visible
        workspace = session.get(Workspace, TEAM)
        assert workspace is not None
        workspace.uninstalled_at = None
    for retry in (1, 2):
        request = event_request(
            envelope,
            signing_secret=SIGNING_SECRET,
            now=SystemClock().now(),
            retry_num=retry,
            retry_reason="http_timeout",
        )
        assert coach.post(request).status == 200
    # Redeliveries are recognised after the ack (the check is a write): wait for both.
    _wait_until(lambda: coach.log().count("ignored redelivery of event EvONCE") == 2)
    assert not _uninstalled(deps, TEAM)
    with deps.unit_of_work() as session:
        assert session.scalars(select(SlackEvent.event_id)).all() == ["EvONCE"]


def test_socket_mode_answers_over_the_websocket(slack: SlackStandIn, database_url: str) -> None:
    slack.add_app_token("xapp-1-e2e")
    running = started(coach_env(slack, database_url, SLACK_APP_TOKEN="xapp-1-e2e"))
    try:
        assert slack.socket_wait_connected(timeout=20), running.log()
        fields = slack.slash_command(
            TEAM, user_id="U0ANNA", channel_id="C0NOORD", command="/coach", text="language nl"
        )
        slack.socket_ack(slack.socket_send_slash_command(fields), timeout=10)
        answer = answer_after_ack(slack, 0)
        assert answer is not None and answer["response_type"] == "ephemeral"
        assert "spreek ik Nederlands" in str(answer["blocks"])
    finally:
        stopped(running)


def test_run_refuses_an_outdated_schema(slack: SlackStandIn, fresh_database_url: str) -> None:
    running = start_coach(coach_env(slack, fresh_database_url), "run")
    assert running.process.wait(timeout=30) == 1
    running.listening.wait(timeout=5)
    assert "run `coach migrate` first" in running.log()
    if running.process.stdout is not None:
        running.process.stdout.close()


def test_run_needs_a_signing_secret_in_http_mode(slack: SlackStandIn, database_url: str) -> None:
    env = coach_env(slack, database_url)
    del env["SLACK_SIGNING_SECRET"]
    running = start_coach(env, "run")
    assert running.process.wait(timeout=30) == 2
    running.listening.wait(timeout=5)
    assert "SLACK_SIGNING_SECRET: required in HTTP mode" in running.log()
    if running.process.stdout is not None:
        running.process.stdout.close()


def test_run_says_when_slack_refuses_the_token(slack: SlackStandIn, database_url: str) -> None:
    running = start_coach(coach_env(slack, database_url, SLACK_BOT_TOKEN="xoxb-not-known"), "run")
    assert running.process.wait(timeout=30) == 1
    running.listening.wait(timeout=5)
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in running.log()
    assert BOT_TOKEN not in running.log()
    if running.process.stdout is not None:
        running.process.stdout.close()


def _installations(deps: Deps) -> int:
    with deps.engine.connect() as connection:
        return int(
            connection.execute(text("SELECT count(*) FROM slack_installations")).scalar_one()
        ) + int(connection.execute(text("SELECT count(*) FROM slack_bots")).scalar_one())


def _uninstalled(deps: Deps, team: str) -> bool:
    with deps.unit_of_work() as session:
        workspace = session.get(Workspace, team)
        return workspace is not None and workspace.uninstalled_at is not None


def _wait_until(condition: Any, attempts: int = 100) -> None:
    import threading

    pause = threading.Event()
    for _ in range(attempts):
        if condition():
            return
        pause.wait(0.05)
    raise AssertionError("condition not met in time")

"""manifest.yaml declares exactly what the code handles, with the scopes the app asks for."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from slack_bolt.request import BoltRequest

from coach.clock import FixedClock
from coach.deps import Deps
from coach.render import Prompts
from coach.settings import Settings
from coach.slack import ids
from coach.slack.app import BOT_SCOPES, build_app
from coach.slack.deps import SlackDeps
from slack_standin import SlackStandIn, payloads

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))
SCHEMA = json.loads(
    (ROOT / "tests" / "data" / "slack-manifest.schema.1.0.0.json").read_text(encoding="utf-8")
)

# Surfaces docs/contract.md promises that later issues handle; strict xfails fail the day they land.
PENDING: dict[str, str] = {}  # surfaces declared but not handled yet, with their issue


def test_the_manifest_is_a_valid_slack_manifest() -> None:
    jsonschema.validate(MANIFEST, SCHEMA)
    broken = {**MANIFEST, "features": {**MANIFEST["features"], "slash_commandz": []}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_the_manifest_declares_the_contract_surface() -> None:
    assert {c["command"] for c in MANIFEST["features"]["slash_commands"]} == {
        ids.COACH_COMMAND,
        ids.STORY_COMMAND,
    }
    shortcuts = {(s["type"], s["callback_id"]) for s in MANIFEST["features"]["shortcuts"]}
    assert shortcuts == {("global", ids.SHARE_STORY_SHORTCUT), ("message", ids.SAVE_STORY_SHORTCUT)}
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"message.im" if e == "message" else e for e in ids.EVENTS}
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True


def test_the_app_asks_for_the_manifest_scopes() -> None:
    assert sorted(MANIFEST["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)


def _surfaces() -> list[tuple[str, dict[str, Any]]]:
    at = FixedClock(payloads_time()).now()
    command = payloads.slash_command(
        team_id="T0ACME",
        team_domain="acme",
        channel_id="C0NOORD",
        channel_name="noord",
        user_id="U0ANNA",
        user_name="anna",
        command="",
        text="",
        trigger_id="1.2.3",
        response_url="http://127.0.0.1:9/hooks/x",
        api_app_id="A0COACH001",
    )
    surfaces: list[tuple[str, dict[str, Any]]] = []
    for entry in MANIFEST["features"]["slash_commands"]:
        surfaces.append((f"command:{entry['command']}", {**command, "command": entry["command"]}))
    for entry in MANIFEST["features"]["shortcuts"]:
        if entry["type"] == "global":
            body = payloads.global_shortcut(
                callback_id=entry["callback_id"],
                trigger_id="1.2.3",
                at=at,
                team_id="T0ACME",
                team_domain="acme",
                user_id="U0ANNA",
                user_name="anna",
            )
        else:
            body = payloads.message_shortcut(
                callback_id=entry["callback_id"],
                trigger_id="1.2.3",
                at=at,
                team_id="T0ACME",
                team_domain="acme",
                user_id="U0ANNA",
                user_name="anna",
                channel_id="C0NOORD",
                channel_name="noord",
                message=payloads.user_message(
                    user_id="U0BOB", team_id="T0ACME", text="Klant blij!", ts="1.2"
                ),
                response_url="http://127.0.0.1:9/hooks/x",
            )
        surfaces.append(
            (f"{entry['type']}_shortcut:{entry['callback_id']}", {"payload": json.dumps(body)})
        )
    for name in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        event_type = name.split(".")[0]
        event: dict[str, Any] = {
            "type": event_type,
            "user": "U0ANNA",
            "channel": "D0ANNA",
            "event_ts": "1.2",
        }
        if name == "message.im":
            event.update(channel_type="im", text="hello", ts="1.2")
        if name == "tokens_revoked":
            event["tokens"] = {"oauth": [], "bot": []}
        envelope = payloads.event_callback(
            team_id="T0ACME",
            api_app_id="A0COACH001",
            bot_user_id="U0BOTACME",
            event=event,
            event_id=f"Ev{len(surfaces)}",
            event_time=at,
        )
        surfaces.append((f"event:{name}", envelope))
    return surfaces


def payloads_time() -> Any:
    from datetime import UTC, datetime

    return datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


SURFACES = _surfaces()


@pytest.fixture
def app_under_test(deps: Deps) -> Any:
    with SlackStandIn() as slack:
        slack.add_workspace(
            "T0ACME", name="Acme", bot_token="xoxb-manifest", bot_user_id="U0BOTACME"
        )
        slack.add_user(
            "T0ACME", "U0ANNA", name="anna", real_name="Anna", tz="Europe/Amsterdam", locale="nl-NL"
        )
        settings = Settings(
            _env_file=None,
            database_url=deps.settings.database_url,
            slack_bot_token="xoxb-manifest",
            slack_api_url=slack.api_url,
            slack_signing_secret="s",
        )
        core = Deps(settings=settings, engine=deps.engine, sessions=deps.sessions, clock=deps.clock)
        slack_deps = SlackDeps(core=core, prompts=Prompts())
        app = build_app(slack_deps)
        yield app
        # Work a listener does after its ack finishes before the database goes away.
        app.listener_runner.listener_executor.shutdown(wait=True)
        slack_deps.after_ack.stop()


@pytest.mark.parametrize(
    ("name", "body"),
    [
        pytest.param(
            n,
            b,
            id=n,
            marks=[pytest.mark.xfail(strict=True, reason=PENDING[n])] if n in PENDING else [],
        )
        for n, b in SURFACES
    ],
)
def test_every_declared_surface_has_a_listener(
    app_under_test: Any, name: str, body: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    if ("command" in body and isinstance(body.get("command"), str)) or "payload" in body:
        from urllib.parse import urlencode

        request = BoltRequest(
            body=urlencode(body), headers={"content-type": ["application/x-www-form-urlencoded"]}
        )
    else:
        request = BoltRequest(body=json.dumps(body), headers={"content-type": ["application/json"]})
    with caplog.at_level(logging.INFO, logger="coach.slack.app"):
        response = app_under_test.dispatch(request)
    assert response.status == 200
    assert "no listener for" not in caplog.text, (
        f"{name} is declared in manifest.yaml but nothing handles it"
    )

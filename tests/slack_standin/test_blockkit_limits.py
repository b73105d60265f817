"""Each Block Kit limit Slack enforces is refused with invalid_blocks (messages) or
invalid_arguments (views), naming the offending field; one character less is accepted."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import SlackStandIn
from tests.slack_standin.conftest import START


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def section(text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text), **extra}


def button(text: str = "Go", value: str = "v", action_id: str = "go") -> dict[str, Any]:
    return {"type": "button", "text": plain(text), "value": value, "action_id": action_id}


def option(text: str = "o", value: str = "v") -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def select(options: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "action_id": "pick", **extra}
    if options is not None:
        element["options"] = options
    return element


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


def input_block() -> dict[str, Any]:
    return {"type": "input", "label": plain("Story"), "element": {"type": "plain_text_input"}}


def options(n: int) -> list[dict[str, Any]]:
    return [option(value=str(i)) for i in range(n)]


# (name, blocks at the limit, blocks over it, pointer Slack's message names)
MESSAGE_LIMITS: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]], str]] = [
    ("50 blocks", [section()] * 50, [section()] * 51, "/blocks"),
    ("section text 3000", [section("x" * 3000)], [section("x" * 3001)], "/blocks/0/text/text"),
    (
        "section fields 10",
        [{"type": "section", "fields": [mrkdwn("f")] * 10}],
        [{"type": "section", "fields": [mrkdwn("f")] * 11}],
        "/blocks/0/fields",
    ),
    (
        "section field 2000",
        [{"type": "section", "fields": [mrkdwn("f" * 2000)]}],
        [{"type": "section", "fields": [mrkdwn("f" * 2001)]}],
        "/blocks/0/fields/0/text",
    ),
    (
        "header 150",
        [{"type": "header", "text": plain("h" * 150)}],
        [{"type": "header", "text": plain("h" * 151)}],
        "/blocks/0/text/text",
    ),
    (
        "button text 75",
        [actions(button("b" * 75))],
        [actions(button("b" * 76))],
        "/blocks/0/elements/0/text/text",
    ),
    (
        "button value 2000",
        [actions(button(value="v" * 2000))],
        [actions(button(value="v" * 2001))],
        "/blocks/0/elements/0/value",
    ),
    (
        "action_id 255",
        [actions(button(action_id="a" * 255))],
        [actions(button(action_id="a" * 256))],
        "/blocks/0/elements/0/action_id",
    ),
    (
        "block_id 255",
        [section(block_id="b" * 255)],
        [section(block_id="b" * 256)],
        "/blocks/0/block_id",
    ),
    (
        "block_id unique",
        [section(block_id="one"), section(block_id="two")],
        [section(block_id="one"), section(block_id="one")],
        "/blocks/1/block_id",
    ),
    (
        "action_id unique",
        [actions(button(action_id="a"), button(action_id="b"))],
        [actions(button(action_id="a")), actions(button(action_id="a"))],
        "/blocks/1/elements/0/action_id",
    ),
    (
        "context elements 10",
        [{"type": "context", "elements": [mrkdwn("c")] * 10}],
        [{"type": "context", "elements": [mrkdwn("c")] * 11}],
        "/blocks/0/elements",
    ),
    (
        "option text 75",
        [section(accessory=select([option("o" * 75)]))],
        [section(accessory=select([option("o" * 76)]))],
        "/blocks/0/accessory/options/0/text/text",
    ),
    (
        "options 100",
        [section(accessory=select(options(100)))],
        [section(accessory=select(options(101)))],
        "/blocks/0/accessory/options",
    ),
    (
        "option groups 100",
        [
            section(
                accessory=select(option_groups=[{"label": plain("g"), "options": [option()]}] * 100)
            )
        ],
        [
            section(
                accessory=select(option_groups=[{"label": plain("g"), "options": [option()]}] * 101)
            )
        ],
        "/blocks/0/accessory/option_groups",
    ),
    ("input block in a message", [section()], [input_block()], "/blocks/0/type"),
    (
        "confirm title 100",
        [
            actions(
                {
                    **button(),
                    "confirm": {
                        "title": plain("t" * 100),
                        "text": plain("?"),
                        "confirm": plain("Yes"),
                        "deny": plain("No"),
                    },
                }
            )
        ],
        [
            actions(
                {
                    **button(),
                    "confirm": {
                        "title": plain("t" * 101),
                        "text": plain("?"),
                        "confirm": plain("Yes"),
                        "deny": plain("No"),
                    },
                }
            )
        ],
        "/blocks/0/elements/0/confirm/title/text",
    ),
]


@pytest.mark.parametrize(
    ("name", "fine", "over", "pointer"), MESSAGE_LIMITS, ids=[m[0] for m in MESSAGE_LIMITS]
)
def test_message_block_limits(
    slack: SlackStandIn,
    client: WebClient,
    name: str,
    fine: list[dict[str, Any]],
    over: list[dict[str, Any]],
    pointer: str,
) -> None:
    slack.set_post_message_limits(None)
    assert client.chat_postMessage(channel="C1", text=name, blocks=fine)["ok"]
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text=name, blocks=over)
    answer = caught.value.response
    assert answer["error"] == "invalid_blocks"
    assert any(f"[json-pointer:{pointer}]" in m for m in answer["response_metadata"]["messages"])
    assert all(m.startswith("[ERROR] ") for m in answer["response_metadata"]["messages"])


def test_same_checks_on_update_and_schedule(client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="ok")["ts"]
    for call in (
        lambda: client.chat_update(channel="C1", ts=ts, text="t", blocks=[section("x" * 3001)]),
        lambda: client.chat_scheduleMessage(
            channel="C1",
            post_at=int(START.timestamp()) + 3600,
            text="t",
            blocks=[section("x" * 3001)],
        ),
    ):
        with pytest.raises(SlackApiError) as caught:
            call()
        assert caught.value.response["error"] == "invalid_blocks"


def modal(**changes: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "title": plain("9+ verhaal"),
        "submit": plain("Delen"),
        "close": plain("Annuleren"),
        "blocks": [input_block()],
        "callback_id": "story",
        "private_metadata": "",
    }
    view.update(changes)
    return view


VIEW_LIMITS: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    (
        "100 blocks",
        modal(blocks=[section()] * 100),
        modal(blocks=[section()] * 101),
        "/view/blocks",
    ),
    ("title 24", modal(title=plain("t" * 24)), modal(title=plain("t" * 25)), "/view/title/text"),
    (
        "submit 24",
        modal(submit=plain("s" * 24)),
        modal(submit=plain("s" * 25)),
        "/view/submit/text",
    ),
    ("close 24", modal(close=plain("c" * 24)), modal(close=plain("c" * 25)), "/view/close/text"),
    (
        "private_metadata 3000",
        modal(private_metadata="p" * 3000),
        modal(private_metadata="p" * 3001),
        "/view/private_metadata",
    ),
    (
        "callback_id 255",
        modal(callback_id="c" * 255),
        modal(callback_id="c" * 256),
        "/view/callback_id",
    ),
    (
        "submit needed with inputs",
        modal(),
        {k: v for k, v in modal().items() if k != "submit"},
        "/view/submit",
    ),
]


@pytest.mark.parametrize(
    ("name", "fine", "over", "pointer"), VIEW_LIMITS, ids=[v[0] for v in VIEW_LIMITS]
)
def test_view_limits(
    slack: SlackStandIn,
    client: WebClient,
    name: str,
    fine: dict[str, Any],
    over: dict[str, Any],
    pointer: str,
) -> None:
    assert client.views_open(trigger_id=slack.new_trigger_id("T1", "U1"), view=fine)["ok"]
    with pytest.raises(SlackApiError) as caught:
        client.views_open(trigger_id=slack.new_trigger_id("T1", "U1"), view=over)
    answer = caught.value.response
    assert answer["error"] == "invalid_arguments"
    assert any(f"[json-pointer:{pointer}]" in m for m in answer["response_metadata"]["messages"])


def test_home_tab_allows_100_blocks_and_inputs(client: WebClient) -> None:
    home = {"type": "home", "blocks": [section()] * 99 + [input_block()]}
    assert client.views_publish(user_id="U1", view=home)["ok"]
    with pytest.raises(SlackApiError) as caught:
        client.views_publish(user_id="U1", view={"type": "home", "blocks": [section()] * 101})
    assert caught.value.response["error"] == "invalid_arguments"

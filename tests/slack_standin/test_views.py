"""views.open / push / update / publish, trigger_id rules and view hashes."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import SlackStandIn
from tests.slack_standin.conftest import ManualMonotonic


def modal(title: str = "9+ verhaal", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Vertel"}}],
        **extra,
    }


def error_of(call: Any) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()
    return str(caught.value.response["error"])


def test_views_open_answers_the_view(slack: SlackStandIn, client: WebClient) -> None:
    trigger = slack.new_trigger_id("T1", "U1")
    view = client.views_open(trigger_id=trigger, view=modal(callback_id="story"))["view"]
    assert view["id"].startswith("V") and view["root_view_id"] == view["id"]
    assert view["callback_id"] == "story" and view["state"] == {"values": {}}
    assert view["app_id"] == slack.app_id and view["bot_id"] == "BBOT1" and view["hash"]
    assert slack.view(view["id"]) == modal(callback_id="story")
    assert slack.calls_to("views.open")[0].args["view"]["callback_id"] == "story"


def test_trigger_ids_are_single_use_and_expire(
    slack: SlackStandIn, client: WebClient, monotonic: ManualMonotonic
) -> None:
    trigger = slack.new_trigger_id("T1", "U1")
    client.views_open(trigger_id=trigger, view=modal())
    assert error_of(lambda: client.views_open(trigger_id=trigger, view=modal())) == (
        "exchanged_trigger_id"
    )
    late = slack.new_trigger_id("T1", "U1")
    monotonic.advance(3.01)
    assert (
        error_of(lambda: client.views_open(trigger_id=late, view=modal())) == "expired_trigger_id"
    )
    assert error_of(lambda: client.views_open(trigger_id="1.2.abc", view=modal())) == (
        "invalid_trigger_id"
    )
    other_team = slack.new_trigger_id("T2", "V1")
    assert error_of(lambda: client.views_open(trigger_id=other_team, view=modal())) == (
        "invalid_trigger_id"
    )


def test_an_invalid_view_does_not_use_up_the_trigger(
    slack: SlackStandIn, client: WebClient
) -> None:
    trigger = slack.new_trigger_id("T1", "U1")
    assert error_of(lambda: client.views_open(trigger_id=trigger, view=modal("t" * 25))) == (
        "invalid_arguments"
    )
    assert client.views_open(trigger_id=trigger, view=modal())["ok"]


def test_views_open_refuses_a_home_view(slack: SlackStandIn, client: WebClient) -> None:
    home = {"type": "home", "blocks": []}
    trigger = slack.new_trigger_id("T1", "U1")
    assert error_of(lambda: client.views_open(trigger_id=trigger, view=home)) == "invalid_arguments"


def test_views_push_stacks_up_to_three(slack: SlackStandIn, client: WebClient) -> None:
    root = client.views_open(trigger_id=slack.new_trigger_id("T1", "U1"), view=modal("1"))["view"]
    second = client.views_push(trigger_id=slack.new_trigger_id("T1", "U1"), view=modal("2"))["view"]
    assert (second["root_view_id"], second["previous_view_id"]) == (root["id"], root["id"])
    client.views_push(trigger_id=slack.new_trigger_id("T1", "U1"), view=modal("3"))
    fourth = slack.new_trigger_id("T1", "U1")
    assert error_of(lambda: client.views_push(trigger_id=fourth, view=modal("4"))) == (
        "push_limit_reached"
    )


def test_views_update_by_id_or_external_id_with_hash(
    slack: SlackStandIn, client: WebClient
) -> None:
    opened = client.views_open(
        trigger_id=slack.new_trigger_id("T1", "U1"), view=modal(external_id="story-U1")
    )["view"]
    updated = client.views_update(view_id=opened["id"], view=modal("Bedankt"), hash=opened["hash"])
    assert updated["view"]["title"]["text"] == "Bedankt"
    assert updated["view"]["hash"] != opened["hash"]
    assert updated["view"]["external_id"] == "story-U1"
    stale = opened["hash"]
    assert error_of(
        lambda: client.views_update(view_id=opened["id"], view=modal(), hash=stale)
    ) == ("hash_conflict")
    by_external = client.views_update(external_id="story-U1", view=modal("Weer"))
    assert by_external["view"]["id"] == opened["id"]
    assert error_of(lambda: client.views_update(view_id="V404", view=modal())) == "not_found"


def test_external_ids_are_unique_per_workspace(slack: SlackStandIn, client: WebClient) -> None:
    client.views_open(trigger_id=slack.new_trigger_id("T1", "U1"), view=modal(external_id="x"))
    trigger = slack.new_trigger_id("T1", "U2")
    assert error_of(lambda: client.views_open(trigger_id=trigger, view=modal(external_id="x"))) == (
        "duplicate_external_id"
    )


def test_views_publish_home_tab(slack: SlackStandIn, client: WebClient) -> None:
    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hoi"}}],
    }
    first = client.views_publish(user_id="U1", view=home)["view"]
    assert slack.home_view("T1", "U1") == home
    assert slack.home_view("T1", "U2") is None
    again = client.views_publish(user_id="U1", view=home, hash=first["hash"])["view"]
    assert again["id"] == first["id"]
    stale = first["hash"]
    assert error_of(lambda: client.views_publish(user_id="U1", view=home, hash=stale)) == (
        "hash_conflict"
    )
    assert error_of(lambda: client.views_publish(user_id="V1", view=home)) == "user_not_found"

"""Image blocks: one source, alt text, and a `slack_file` only where its reader can see it."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import SlackStandIn

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def image(**source: Any) -> dict[str, Any]:
    return {"type": "image", "alt_text": "The team's pyramid", **source}


def home(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"type": "home", "blocks": list(blocks)}


def upload(client: WebClient, *, channel: str | None, filename: str = "p.png") -> str:
    answer = client.files_upload_v2(
        channel=channel, content=PNG, filename=filename, title="Pyramid", alt_txt="Pyramid"
    )
    return str(answer["file"]["id"])


def refusal(call: Any) -> list[str]:
    with pytest.raises(SlackApiError) as caught:
        call()
    answer = caught.value.response
    return [answer["error"], *answer.get("response_metadata", {}).get("messages", [])]


def test_a_file_shared_in_the_readers_dm_shows_on_their_home(
    slack: SlackStandIn, client: WebClient
) -> None:
    dm = client.conversations_open(users="U1")["channel"]["id"]
    file_id = upload(client, channel=dm)
    client.views_publish(user_id="U1", view=home(image(slack_file={"id": file_id})))
    assert slack.home_view("T1", "U1")["blocks"][0]["slack_file"] == {"id": file_id}


def test_a_file_shared_nowhere_or_elsewhere_is_refused_as_slack_refuses_it(
    slack: SlackStandIn, client: WebClient
) -> None:
    hidden = upload(client, channel=None)
    problem = refusal(
        lambda: client.views_publish(user_id="U1", view=home(image(slack_file={"id": hidden})))
    )
    assert problem[0] == "invalid_arguments"
    assert "invalid slack file [json-pointer:/view/blocks/0/slack_file]" in problem[1]
    in_team = upload(client, channel="C1")  # U3 is not in C1
    problem = refusal(
        lambda: client.views_publish(user_id="U3", view=home(image(slack_file={"id": in_team})))
    )
    assert "invalid slack file" in problem[1]
    client.views_publish(user_id="U2", view=home(image(slack_file={"id": in_team})))


def test_a_message_may_show_only_files_shared_in_its_channel(
    slack: SlackStandIn, client: WebClient
) -> None:
    in_team = upload(client, channel="C1")
    client.chat_postMessage(
        channel="C1", text="Pyramid", blocks=[image(slack_file={"id": in_team})]
    )
    dm = client.conversations_open(users="U1")["channel"]["id"]
    problem = refusal(
        lambda: client.chat_postMessage(
            channel=dm, text="Pyramid", blocks=[image(slack_file={"id": in_team})]
        )
    )
    assert problem[:2] == [
        "invalid_blocks",
        "[ERROR] invalid slack file [json-pointer:/blocks/0/slack_file]",
    ]


def test_only_images_can_be_shown_and_other_workspaces_files_cannot(
    slack: SlackStandIn, client: WebClient
) -> None:
    text_file = upload(client, channel="C1", filename="stories.csv")
    problem = refusal(
        lambda: client.chat_postMessage(
            channel="C1", text="x", blocks=[image(slack_file={"id": text_file})]
        )
    )
    assert "invalid slack file" in problem[1]
    other = WebClient(token="xoxb-2-standin", base_url=slack.api_url)
    foreign = upload(other, channel="C9")
    problem = refusal(
        lambda: client.chat_postMessage(
            channel="C1", text="x", blocks=[image(slack_file={"id": foreign})]
        )
    )
    assert "invalid slack file" in problem[1]


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            {"type": "image", "image_url": "https://x.invalid/p.png"},
            "missing required field [json-pointer:/view/blocks/0/alt_text]",
        ),
        (
            image(),
            "must provide exactly one of image_url or slack_file [json-pointer:/view/blocks/0]",
        ),
        (
            image(image_url="https://x.invalid/p.png", slack_file={"id": "F1"}),
            "must provide exactly one of image_url or slack_file [json-pointer:/view/blocks/0]",
        ),
        (
            image(slack_file={"id": "F1", "url": "u"}),
            "must have exactly one of id or url [json-pointer:/view/blocks/0/slack_file]",
        ),
        (
            {**image(image_url="https://x.invalid/p.png"), "alt_text": "a" * 2001},
            "must be less than 2001 characters [json-pointer:/view/blocks/0/alt_text]",
        ),
        (
            image(image_url="https://x.invalid/" + "p" * 3000),
            "must be less than 3001 characters [json-pointer:/view/blocks/0/image_url]",
        ),
    ],
)
def test_image_blocks_are_checked_like_slack_checks_them(
    client: WebClient, block: dict[str, Any], message: str
) -> None:
    problem = refusal(lambda: client.views_publish(user_id="U1", view=home(block)))
    assert problem[0] == "invalid_arguments"
    assert any(message in line for line in problem[1:]), problem


def test_a_deleted_file_leaves_its_conversation_and_can_no_longer_be_shown(
    slack: SlackStandIn, client: WebClient
) -> None:
    dm = client.conversations_open(users="U1")["channel"]["id"]
    file_id = upload(client, channel=dm)
    assert [f["id"] for m in slack.messages_in(dm) for f in m.get("files", [])] == [file_id]
    assert client.files_delete(file=file_id)["ok"]
    assert [f["id"] for m in slack.messages_in(dm) for f in m.get("files", [])] == []
    assert slack.uploaded_file(file_id) is None
    problem = refusal(
        lambda: client.views_publish(user_id="U1", view=home(image(slack_file={"id": file_id})))
    )
    assert "invalid slack file" in problem[1]
    assert refusal(lambda: client.files_delete(file=file_id)) == ["file_deleted"]
    assert refusal(lambda: client.files_delete(file="F0NOSUCH")) == ["file_not_found"]

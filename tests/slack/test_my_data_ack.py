"""Listeners answer Slack before they call Slack: `/coach my-data`'s file follows the ack, and a
story form closes before Slack is asked who its colleagues are."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from sqlalchemy import select

from coach.services.people import set_language
from coach.store.models import StoryCredit
from slack_standin import payloads
from tests.slack.conftest import InProcess, after_the_ack
from tests.slack.test_hostile_requests import call


def test_my_data_acks_before_uploading_even_when_slack_is_slow(in_process: InProcess) -> None:
    with in_process.core.unit_of_work() as session:
        set_language(
            session,
            workspace_id="T0ACME",
            user_id="U0ANNA",
            language="en",
            now=in_process.core.clock.now(),
        )
    in_process.slack.delay("conversations.open", seconds=4)
    fields = in_process.slack.slash_command(
        "T0ACME", user_id="U0ANNA", channel_id="C0NOORD", command="/coach", text="my-data"
    )
    started = time.monotonic()
    status, answer = call(
        in_process, urlencode(fields).encode(), "application/x-www-form-urlencoded"
    )
    assert time.monotonic() - started < 3  # Slack's deadline, though Slack is slow right now
    assert status.startswith("200") and not answer  # the answer follows the ack
    after_the_ack(in_process)
    [sending] = in_process.slack.calls_to("response_url")
    assert sending.args["text"].startswith("I'm sending you everything")
    methods = [c.method for c in in_process.slack.calls if c.method != "auth.test"]
    assert methods == [
        "response_url",
        "conversations.open",
        "files.getUploadURLExternal",
        "files.upload",
        "files.completeUploadExternal",
    ]
    [message] = in_process.slack.messages_in(in_process.slack.im_channel_id("T0ACME", "U0ANNA"))
    content = in_process.slack.uploaded_file(message["files"][0]["id"])
    assert content is not None and json.loads(content)["settings"]["language"] == "en"


def test_a_story_form_closes_before_slack_is_asked_about_its_colleagues(
    in_process: InProcess,
) -> None:
    """Liz is new to the coach: users.info (slow right now) is asked only after the ack."""
    slack = in_process.slack
    slack.add_user("T0ACME", "U0LIZ", name="liz", real_name="Liz")
    fields = slack.slash_command(
        "T0ACME", user_id="U0ANNA", channel_id="C0NOORD", command="/9plus", text=""
    )
    call(in_process, urlencode(fields).encode(), "application/x-www-form-urlencoded")
    after_the_ack(in_process)
    view = slack.calls_to("views.open")[-1].response["view"]
    body = payloads.view_submission(
        team_id="T0ACME",
        team_domain="acme",
        user_id="U0ANNA",
        user_name="anna",
        api_app_id=slack.app_id,
        trigger_id=slack.new_trigger_id("T0ACME", "U0ANNA"),
        view=view,
        values={
            "text": {"story_text": {"type": "plain_text_input", "value": "De klant was blij"}},
            "colleagues": {
                "story_colleagues": {"type": "multi_users_select", "selected_users": ["U0LIZ"]}
            },
        },
    )
    slack.delay("users.info", seconds=4)
    started = time.monotonic()
    status, answer = call(
        in_process,
        urlencode({"payload": json.dumps(body)}).encode(),
        "application/x-www-form-urlencoded",
    )
    assert time.monotonic() - started < 3  # Slack's deadline, though Slack is slow right now
    assert status.startswith("200") and answer in (b"", b"null")
    after_the_ack(in_process)
    assert [c.args["user"] for c in slack.calls_to("users.info")] == ["U0LIZ"]
    with in_process.core.unit_of_work() as session:
        assert session.scalars(select(StoryCredit.user_id)).all() == ["U0LIZ"]

"""`/coach my-data` answers Slack before it calls Slack: the file follows the ack."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from coach.services.people import set_language
from tests.slack.conftest import InProcess
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
    assert status.startswith("200")
    assert json.loads(answer)["text"].startswith("I'm sending you everything")
    in_process.app.listener_runner.listener_executor.shutdown(wait=True)  # the work after the ack
    methods = [c.method for c in in_process.slack.calls if c.method != "auth.test"]
    assert methods == [
        "conversations.open",
        "files.getUploadURLExternal",
        "files.upload",
        "files.completeUploadExternal",
    ]
    [message] = in_process.slack.messages_in(in_process.slack.im_channel_id("T0ACME", "U0ANNA"))
    content = in_process.slack.uploaded_file(message["files"][0]["id"])
    assert content is not None and json.loads(content)["settings"]["language"] == "en"

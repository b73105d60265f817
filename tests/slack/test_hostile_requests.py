"""Whatever a signed request holds, the app answers 200 (or a clear reply), never a 500."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from slack_standin.signing import SignedRequest, call_wsgi, sign
from tests.slack.conftest import SECRET, InProcess, after_the_ack

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
known_keys = st.sampled_from(
    [
        "type",
        "team",
        "team_id",
        "user",
        "user_id",
        "event",
        "command",
        "text",
        "actions",
        "view",
        "event_id",
        "api_app_id",
        "trigger_id",
        "callback_id",
        "payload",
        "channel_id",
    ]
)
bodies = st.dictionaries(known_keys, json_values, max_size=8)


def call(in_process: InProcess, body: bytes, content_type: str) -> tuple[str, bytes]:
    request = sign(
        body, content_type=content_type, signing_secret=SECRET, now=in_process.core.clock.now()
    )
    return call_wsgi(in_process.wsgi, request)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies, as_form=st.booleans(), as_payload=st.booleans())
def test_random_payloads_are_acked(
    in_process: InProcess, body: dict[str, Any], as_form: bool, as_payload: bool
) -> None:
    if as_payload:
        raw, content_type = (
            urlencode({"payload": json.dumps(body)}).encode(),
            "application/x-www-form-urlencoded",
        )
    elif as_form:
        fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
        raw, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
    else:
        raw, content_type = json.dumps(body).encode(), "application/json"
    status, answer = call(in_process, raw, content_type)
    assert status.startswith("200"), (status, answer)
    assert b"Traceback" not in answer


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=3000))
def test_any_coach_text_gets_an_ephemeral_answer(in_process: InProcess, text: str) -> None:
    fields = in_process.slack.slash_command(
        "T0ACME", user_id="U0ANNA", channel_id="C0NOORD", command="/coach", text=text
    )
    status, _ = call(in_process, urlencode(fields).encode(), "application/x-www-form-urlencoded")
    assert status.startswith("200")
    after_the_ack(in_process)
    reply = in_process.slack.calls_to("response_url")[-1].args
    assert reply["response_type"] == "ephemeral"
    shown = json.dumps(reply["blocks"])
    assert "<!channel>" not in shown and "<@" not in shown  # whatever was typed, nothing pings


def test_the_ack_does_not_wait_for_slow_slack(in_process: InProcess) -> None:
    """Slack must get its ack within 3 s even when Slack's own API is slow: /coach calls no API,
    and answers through the command's response_url after the ack."""
    for method in (
        "users.info",
        "conversations.open",
        "chat.postMessage",
        "views.open",
        "auth.test",
    ):
        in_process.slack.delay(method, seconds=5)
    fields = in_process.slack.slash_command(
        "T0ACME", user_id="U0ANNA", channel_id="C0NOORD", command="/coach", text="principles"
    )
    started = time.monotonic()  # a duration: how long Slack waits for the ack
    status, _ = call(in_process, urlencode(fields).encode(), "application/x-www-form-urlencoded")
    assert time.monotonic() - started < 3 and status.startswith("200")
    after_the_ack(in_process)
    assert [c.method for c in in_process.slack.calls if c.method != "auth.test"] == ["response_url"]
    assert in_process.slack.calls_to("response_url")[0].args["response_type"] == "ephemeral"


@pytest.mark.parametrize(
    ("body", "timestamp"),
    [
        (b"command=%2Fcoach&text=help", None),  # no timestamp at all
        (b"command=%2Fcoach&text=help", "yesterday"),
        (b"command=%2Fcoach&text=\xff\xfe", "now"),  # not UTF-8
    ],
)
def test_a_request_slack_could_not_have_signed_gets_401(
    in_process: InProcess, body: bytes, timestamp: str | None
) -> None:
    signed = sign(
        body,
        content_type="application/x-www-form-urlencoded",
        signing_secret=SECRET,
        now=in_process.core.clock.now(),
    )
    headers = {k: v for k, v in signed.headers.items() if k != "X-Slack-Request-Timestamp"}
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = (
            signed.headers["X-Slack-Request-Timestamp"] if timestamp == "now" else timestamp
        )
    status, answer = call_wsgi(in_process.wsgi, SignedRequest(body, headers))
    assert status.startswith("401"), (status, answer)


def test_a_coach_command_that_fails_after_its_ack_says_so(in_process: InProcess) -> None:
    """The ack is long gone when /coach's work fails: the apology follows through the
    response_url, as the error handler's would have in the ack."""
    with in_process.core.engine.begin() as connection:
        connection.execute(text("ALTER TABLE people RENAME TO people_away"))
    try:
        fields = in_process.slack.slash_command(
            "T0ACME", user_id="U0ANNA", channel_id="C0NOORD", command="/coach", text="help"
        )
        status, _ = call(
            in_process, urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )
        after_the_ack(in_process)
    finally:
        with in_process.core.engine.begin() as connection:
            connection.execute(text("ALTER TABLE people_away RENAME TO people"))
    assert status.startswith("200")
    [sorry] = in_process.slack.calls_to("response_url")
    assert sorry.args["response_type"] == "ephemeral"
    assert sorry.args["text"].startswith("Something went wrong on my side")

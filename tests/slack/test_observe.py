"""/metrics and /healthz in-process, on the injected clock (no waiting): every kind of request
Slack sends is counted as its kind; a scheduler that stops completing passes is reported."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from prometheus_client.parser import text_string_to_metric_families

from coach.clock import FixedClock
from coach.delivery.passes import build_passes
from coach.delivery.scheduler import start_scheduler, stop_scheduler
from coach.metrics import Metrics
from coach.slack.http import Wsgi, make_wsgi
from slack_standin.signing import call_wsgi, sign
from tests.slack.conftest import SECRET, InProcess

TEAM, USER = {"id": "T0ACME", "domain": "acme"}, {"id": "U0ANNA", "team_id": "T0ACME"}
FORM, JSON = "application/x-www-form-urlencoded", "application/json"


def interactive(payload: dict[str, object]) -> tuple[bytes, str]:
    payload = {"team": TEAM, "user": USER, "api_app_id": "A0COACH", **payload}
    return urlencode({"payload": json.dumps(payload)}).encode(), FORM


REQUESTS = {
    "slash_command": (
        urlencode(
            {"command": "/coach", "text": "help", "team_id": "T0ACME", "user_id": "U0ANNA"}
        ).encode(),
        FORM,
    ),
    "block_action": interactive(
        {"type": "block_actions", "actions": [{"action_id": "no_such", "block_id": "b"}]}
    ),
    "view_submission": interactive(
        {"type": "view_submission", "view": {"id": "V1", "callback_id": "no_such", "state": {}}}
    ),
    "shortcut": interactive({"type": "shortcut", "callback_id": "no_such", "trigger_id": "1.2"}),
    "options": interactive(
        {"type": "block_suggestion", "action_id": "no_such", "block_id": "b", "value": "an"}
    ),
    "event": (
        json.dumps(
            {
                "type": "event_callback",
                "team_id": "T0ACME",
                "event_id": "Ev1",
                "event": {"type": "member_left_channel", "user": "U0ANNA", "channel": "C0X"},
            }
        ).encode(),
        JSON,
    ),
}


@pytest.mark.parametrize("kind", sorted(REQUESTS))
def test_each_kind_of_request_is_counted_as_its_kind(in_process: InProcess, kind: str) -> None:
    wsgi = make_wsgi(in_process.app, in_process.core, SECRET, metrics=Metrics())
    body, content_type = REQUESTS[kind]
    now = in_process.core.clock.now()
    status, _ = call_wsgi(
        wsgi, sign(body, content_type=content_type, signing_secret=SECRET, now=now)
    )
    assert status.startswith("200")
    status, text = get(wsgi, "/metrics")
    counted = {
        (sample.labels["kind"], sample.labels["status"]): sample.value
        for family in text_string_to_metric_families(text.decode())
        for sample in family.samples
        if sample.name == "coach_slack_requests_total"
    }
    assert counted == {(kind, "200"): 1}


def healthz(wsgi: Wsgi) -> tuple[str, bytes]:
    return get(wsgi, "/healthz")


def get(wsgi: Wsgi, path: str) -> tuple[str, bytes]:
    answer: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
    }
    body = b"".join(wsgi(environ, lambda status, _headers: answer.append(status)))
    return answer[0], body


def test_a_scheduler_that_stops_passing_is_reported_stalled(in_process: InProcess) -> None:
    clock = in_process.core.clock
    assert isinstance(clock, FixedClock)
    metrics = Metrics()
    passes = build_passes(in_process.core, metrics)
    assert passes is not None
    stop_scheduler(start_scheduler(passes))  # started here, then no pass completes
    wsgi = make_wsgi(in_process.app, in_process.core, SECRET, metrics=metrics)
    assert healthz(wsgi) == ("200 OK", b"ok")

    clock.advance(timedelta(seconds=59))
    passes.deliver()
    assert healthz(wsgi) == ("200 OK", b"ok")  # a pass may take a while: a minute at least

    clock.advance(timedelta(seconds=32))  # 91 s without planning, 32 s since the last delivery
    assert healthz(wsgi) == ("503 Service Unavailable", b"scheduler stalled")
    passes.plan()
    assert healthz(wsgi) == ("200 OK", b"ok")

    clock.advance(timedelta(seconds=61))  # planning is fine (61 s), delivery is not
    assert healthz(wsgi) == ("503 Service Unavailable", b"scheduler stalled")
    passes.deliver()
    assert healthz(wsgi) == ("200 OK", b"ok")

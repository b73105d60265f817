"""What an operator watches on `coach run`: /metrics in Prometheus' text format, read back with
the client library's own parser, and /healthz when the workspace revokes the bot's token."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from coach.clock import SystemClock
from coach.deps import Deps
from coach.store import outbox
from slack_standin import SlackStandIn, payloads
from slack_standin.signing import event_request, slash_command_request
from tests.e2e.conftest import SIGNING_SECRET, TEAM, CoachProcess

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def get(url: str) -> tuple[int, str, str]:
    """Status, content type and body of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read().decode()


def scrape(coach: CoachProcess) -> Samples:
    status, content_type, text = get(coach.url + "/metrics")
    assert status == 200 and content_type.startswith("text/plain; version=0.0.4"), text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def queue(deps: Deps, key: str, kind: outbox.Kind, user: str, *, due_in: timedelta) -> None:
    now = SystemClock().now()
    queued_at = now - timedelta(minutes=5)
    with deps.unit_of_work() as session:
        outbox.enqueue(
            session,
            [
                outbox.message(
                    workspace_id=TEAM,
                    key=key,
                    kind=kind,
                    channel=user,
                    payload={"text": f"message {key}"},
                    now=queued_at,
                    due_at=now + due_in,
                    expires_at=now + timedelta(days=1),
                )
            ],
        )


def slash_command(coach: CoachProcess, slack: SlackStandIn, **options: object) -> int:
    fields = slack.slash_command(
        TEAM, user_id="U0ANNA", channel_id="C0NOORD", command="/coach", text="help"
    )
    request = slash_command_request(
        fields, signing_secret=SIGNING_SECRET, now=SystemClock().now(), **options
    )
    return coach.post(request).status


def test_metrics_count_requests_deliveries_and_the_backlog(
    coach: CoachProcess, slack: SlackStandIn, deps: Deps
) -> None:
    queue(deps, "saved:1", outbox.Kind.STORY_SAVED, "U0ANNA", due_in=timedelta(0))
    queue(deps, "thanks:1", outbox.Kind.STORY_THANKS, "U0BOB", due_in=timedelta(hours=1))
    assert [slash_command(coach, slack) for _ in range(3)] == [200, 200, 200]
    assert slash_command(coach, slack, wrong_signature=True) == 401

    deadline = time.monotonic() + 30  # the scheduler delivers every 2 s
    samples = scrape(coach)
    while not value(samples, "coach_messages_total", kind="story_saved", outcome="sent"):
        assert time.monotonic() < deadline, f"nothing was delivered:\n{coach.log()}"
        time.sleep(0.2)
        samples = scrape(coach)

    requests = "coach_slack_requests_total"
    assert value(samples, requests, kind="slash_command", status="200") == 3
    assert value(samples, requests, kind="unverified", status="401") == 1
    assert value(samples, "coach_slack_ack_seconds_count", kind="slash_command") == 3
    assert value(samples, "coach_slack_ack_seconds_bucket", kind="slash_command", le="3.0") == 3

    [posted] = slack.calls_to("chat.postMessage")
    assert posted.args["text"] == "message saved:1"
    assert value(samples, "coach_messages_total", kind="story_saved", outcome="sent") == 1
    assert value(samples, "coach_outbox_messages", kind="story_saved") == 0
    assert value(samples, "coach_outbox_oldest_age_seconds", kind="story_saved") == 0
    assert value(samples, "coach_outbox_messages", kind="story_thanks") == 1  # due in an hour
    age = value(samples, "coach_outbox_oldest_age_seconds", kind="story_thanks")
    assert age is not None and 300 <= age < 400
    assert value(samples, "coach_outbox_messages", kind="nudge") == 0

    passes = value(samples, "coach_scheduler_passes_total", job="deliver", outcome="ok")
    assert passes is not None and passes >= 1
    seconds = value(samples, "coach_scheduler_pass_seconds_count", job="deliver")
    assert seconds == passes
    heartbeat = value(samples, "coach_scheduler_last_pass_timestamp_seconds", job="deliver")
    assert heartbeat is not None and abs(time.time() - heartbeat) < 30

    assert get(coach.url + "/healthz")[::2] == (200, "ok")
    # one auth.test for the web lane, the worker's sending and /healthz together
    assert [call.method for call in slack.calls].count("auth.test") == 1


def test_healthz_says_token_revoked_after_slack_revokes_it(
    coach: CoachProcess, slack: SlackStandIn, deps: Deps
) -> None:
    assert get(coach.url + "/healthz")[::2] == (200, "ok")
    now = SystemClock().now()
    revoked = payloads.event_callback(
        team_id=TEAM,
        api_app_id=slack.app_id,
        bot_user_id="U0BOTACME",
        event=payloads.tokens_revoked_event(bot_user_ids=["U0BOTACME"], at=now),
        event_id="EvREVOKED",
        event_time=now,
    )
    response = coach.post(event_request(revoked, signing_secret=SIGNING_SECRET, now=now))
    assert response.status == 200

    deadline = time.monotonic() + 10  # the event is handled after the ack
    while (answer := get(coach.url + "/healthz"))[0] == 200:
        assert time.monotonic() < deadline, coach.log()
        time.sleep(0.1)
    assert answer[::2] == (503, "token revoked")  # nothing else: no workspace, no token

    events = value(scrape(coach), "coach_slack_requests_total", kind="event", status="200")
    assert events == 1

"""`coach run --role`: a web process that only answers Slack and workers that only send, side by
side against one PostgreSQL."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from coach.clock import SystemClock
from coach.deps import Deps
from coach.store import outbox
from coach.store.models import OutboxMessage
from coach.store.workspaces import ensure_workspace
from slack_standin import SlackStandIn
from slack_standin.signing import slash_command_request
from tests.conftest import POSTGRES_URL
from tests.e2e.conftest import (
    SIGNING_SECRET,
    TEAM,
    CoachProcess,
    answer_after_ack,
    coach_env,
    start_coach,
)

PEOPLE = [f"U0W{i:03d}" for i in range(40)]


def queue_thank_yous(slack: SlackStandIn, deps: Deps) -> None:
    """A thank-you for each of 40 people, due now on the real clock the processes run on."""
    now = SystemClock().now()
    for user in PEOPLE:
        slack.add_user(TEAM, user, name=user.lower(), real_name=user, tz="Europe/Amsterdam")
    with deps.unit_of_work() as session:
        ensure_workspace(session, workspace_id=TEAM, now=now)
        outbox.enqueue(
            session,
            [
                outbox.message(
                    workspace_id=TEAM,
                    key=f"thanks:{user}",
                    kind=outbox.Kind.STORY_THANKS,
                    channel=user,
                    payload={"text": "Dank je wel"},
                    now=now,
                    expires_at=now + timedelta(hours=1),
                )
                for user in PEOPLE
            ],
        )


def statuses(deps: Deps) -> Counter[str]:
    with deps.unit_of_work() as session:
        return Counter(session.scalars(select(OutboxMessage.status)))


def wait_for(condition: object, seconds: float) -> bool:
    pause = threading.Event()
    for _ in range(int(seconds / 0.2)):
        if condition():  # type: ignore[operator]
            return True
        pause.wait(0.2)
    return bool(condition())  # type: ignore[operator]


def stop(process: CoachProcess) -> None:
    code = process.stop()
    if process.process.stdout is not None:
        process.process.stdout.close()
    assert code == 0, process.log()


@pytest.mark.skipif(
    not POSTGRES_URL, reason="several processes need PostgreSQL (SQLite mode is one process)"
)
def test_two_workers_and_a_web_process_send_each_message_once(
    slack: SlackStandIn, database_url: str, deps: Deps
) -> None:
    queue_thank_yous(slack, deps)
    slack.delay("chat.postMessage", seconds=0.02)  # both workers busy at once
    env = coach_env(slack, database_url, COACH_SEND_PER_MINUTE="60000")
    web = start_coach(env, "run", "--role", "web", "--host", "127.0.0.1")
    try:
        assert web.listening.wait(timeout=30) and web.url, web.log()
        fields = slack.slash_command(
            TEAM, user_id="U0ANNA", channel_id="C0NOORD", command="/coach", text="help"
        )
        answer = web.post(
            slash_command_request(fields, signing_secret=SIGNING_SECRET, now=SystemClock().now())
        )
        assert answer.status == 200
        assert "/coach pause" in str(answer_after_ack(slack, 0))
        workers = [start_coach(env, "run", "--role", "worker") for _ in range(2)]
        try:
            for worker in workers:
                assert wait_for(lambda w=worker: "worker started" in w.log(), 30), worker.log()
            assert wait_for(lambda: statuses(deps) == {"sent": 40}, 60), statuses(deps)
        finally:
            for worker in workers:
                stop(worker)
    finally:
        stop(web)
    posted = Counter(call.args["channel"] for call in slack.calls_to("chat.postMessage") if call.ok)
    assert posted == dict.fromkeys(PEOPLE, 1)
    with deps.unit_of_work() as session:
        senders = set(session.scalars(select(OutboxMessage.claimed_by)))
    host = socket.gethostname()
    assert senders <= {f"{host}-{w.process.pid}" for w in workers}  # never the web process
    assert "worker started" not in web.log()

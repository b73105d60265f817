"""The outbox's lanes: what a person waits for after a click goes before the morning's bulk."""

from __future__ import annotations

from datetime import timedelta

from coach.deps import Deps
from coach.store import outbox
from coach.store.workspaces import ensure_workspace

TEAM = "T0LANES"


def _queue(deps: Deps, kind: outbox.Kind, key: str, channel: str, minutes_late: int) -> None:
    now = deps.clock.now() + timedelta(minutes=minutes_late)
    with deps.unit_of_work() as session:
        outbox.enqueue(
            session,
            [
                outbox.message(
                    workspace_id=TEAM,
                    key=key,
                    kind=kind,
                    channel=channel,
                    payload={"text": key},
                    now=now,
                    expires_at=now + timedelta(hours=2),
                )
            ],
        )


def _claim(deps: Deps, limit: int, *, minutes: int = 5) -> list[str]:
    with deps.unit_of_work() as session:
        claimed = outbox.claim(
            session,
            workspace_id=TEAM,
            now=deps.clock.now() + timedelta(minutes=minutes),
            limit=limit,
            worker="test",
            lease=timedelta(minutes=2),
        )
    return [row.key for row in claimed]


def test_a_thank_you_queued_after_the_morning_nudges_is_sent_before_them(deps: Deps) -> None:
    with deps.unit_of_work() as session:
        ensure_workspace(session, workspace_id=TEAM, now=deps.clock.now())
    for i in range(20):
        _queue(deps, outbox.Kind.NUDGE, f"nudge:{i}", f"U0P{i:03d}", minutes_late=0)
    _queue(deps, outbox.Kind.STORY_THANKS, "thanks:1", "U0ANNA", minutes_late=1)
    _queue(deps, outbox.Kind.STORY_CONSENT, "consent:1", "U0BOB", minutes_late=2)
    first = _claim(deps, 5)
    assert first[:2] == ["thanks:1", "consent:1"]
    assert first[2:] == ["nudge:0", "nudge:1", "nudge:2"]  # then the bulk, oldest first
    rest = _claim(deps, 100)
    assert rest == [f"nudge:{i}" for i in range(3, 20)]


def test_the_workspace_with_an_interactive_message_is_served_first(deps: Deps) -> None:
    with deps.unit_of_work() as session:
        ensure_workspace(session, workspace_id="T0BIG", now=deps.clock.now())
        ensure_workspace(session, workspace_id=TEAM, now=deps.clock.now())
        outbox.enqueue(
            session,
            [
                outbox.message(
                    workspace_id="T0BIG",
                    key="nudge:big",
                    kind=outbox.Kind.NUDGE,
                    channel="U0BIG",
                    payload={"text": "nudge"},
                    now=deps.clock.now(),
                    expires_at=deps.clock.now() + timedelta(hours=2),
                )
            ],
        )
    _queue(deps, outbox.Kind.STORY_SAVED, "saved:1", "U0ANNA", minutes_late=1)
    with deps.unit_of_work() as session:
        order = outbox.workspaces_with_due(session, now=deps.clock.now() + timedelta(minutes=5))
    assert order == [TEAM, "T0BIG"]

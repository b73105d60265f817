"""What a queue write reports: the sender's counts, a pulse's "your first answer counts" and the
celebration's once-only rows all rest on telling a new row from one that was there."""

from __future__ import annotations

from datetime import timedelta

from coach.clock import FixedClock
from coach.deps import Deps
from coach.store import outbox
from coach.store.models import Workspace


def _row(key: str, clock: FixedClock) -> dict[str, object]:
    now = clock.now()
    return outbox.message(
        workspace_id="T1",
        key=key,
        kind=outbox.Kind.NUDGE,
        channel="U1",
        payload={"text": "hi"},
        now=now,
        expires_at=now + timedelta(hours=2),
    )


def test_a_queued_message_counts_once_and_its_repeat_not_at_all(
    deps: Deps, clock: FixedClock
) -> None:
    with deps.unit_of_work() as session:
        session.add(Workspace(id="T1", created_at=clock.now()))
    with deps.unit_of_work() as session:
        assert outbox.enqueue(session, [_row("a", clock), _row("b", clock)]) == 2
    with deps.unit_of_work() as session:
        assert outbox.enqueue(session, [_row("a", clock), _row("c", clock)]) == 1
        assert outbox.enqueue(session, [_row("c", clock)]) == 0

"""A workspace's retention period: the scheduler deletes intentions older than it, in small
batches; stories stay, and other workspaces keep everything."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from coach.clock import FixedClock
from coach.delivery.passes import build_passes
from coach.delivery.scheduler import start_scheduler, stop_scheduler
from coach.deps import Deps
from coach.services.retention import apply_retention
from coach.settings import Settings
from coach.store.models import Intention, OutboxMessage, Story, Workspace
from tests.seed import seed_workspace

DAYS = 30


def _intentions(deps: Deps) -> set[tuple[str, str]]:
    with deps.unit_of_work() as session:
        rows = session.execute(select(Intention.workspace_id, Intention.text))
        return {(workspace, text) for workspace, text in rows}


def _keep(deps: Deps, workspace_id: str, days: int) -> None:
    with deps.unit_of_work() as session:
        session.execute(
            update(Workspace).where(Workspace.id == workspace_id).values(retention_days=days)
        )


def test_an_intention_a_day_past_the_period_goes_and_one_a_day_inside_stays(
    deps: Deps, clock: FixedClock
) -> None:
    now = clock.now()
    seed_workspace(deps, "T0001", intention_at=now - timedelta(days=DAYS + 1))
    seed_workspace(deps, "T0002", intention_at=now - timedelta(days=DAYS + 1))  # keeps all
    seed_workspace(deps, "T0003", intention_at=now - timedelta(days=DAYS - 1))
    for workspace in ("T0001", "T0003"):
        _keep(deps, workspace, DAYS)
    with deps.unit_of_work() as session:  # T0001's nudge message was sent long ago
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.workspace_id == "T0001")
            .values(status="sent", created_at=now - timedelta(days=DAYS + 1))
        )

    assert apply_retention(deps, batch=1) == 2

    assert _intentions(deps) == {
        ("T0002", "Mevrouw Jansen nabellen"),
        ("T0003", "Mevrouw Jansen nabellen"),
    }
    with deps.unit_of_work() as session:
        assert sorted(session.scalars(select(OutboxMessage.workspace_id))) == ["T0002", "T0003"]
        assert sorted(session.scalars(select(Story.workspace_id))) == ["T0001", "T0002", "T0003"]
    assert apply_retention(deps) == 0


def test_many_old_intentions_go_in_batches(deps: Deps, clock: FixedClock) -> None:
    old = clock.now() - timedelta(days=DAYS + 1)
    for workspace in ("T0001", "T0002", "T0003"):
        seed_workspace(deps, workspace, intention_at=old)
        _keep(deps, workspace, DAYS)
    assert apply_retention(deps, batch=2) == 3
    assert _intentions(deps) == set()


def test_the_scheduler_runs_retention_hourly(deps: Deps) -> None:
    settings = Settings(
        _env_file=None, database_url=deps.settings.database_url, slack_bot_token="xoxb-test"
    )
    passes = build_passes(Deps(settings, deps.engine, deps.sessions, deps.clock))
    assert passes is not None
    scheduler = start_scheduler(passes)
    try:
        job = scheduler.get_job("retention")
        assert job is not None and job.func == passes.forget_expired
        assert job.trigger.interval == timedelta(hours=1)
    finally:
        stop_scheduler(scheduler)

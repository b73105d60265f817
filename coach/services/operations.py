"""What an operator watches, read from the database: the outbox's backlog, a revoked token."""

from __future__ import annotations

from dataclasses import dataclass

from coach.deps import Deps
from coach.store import outbox
from coach.store.workspaces import get_workspace


@dataclass(frozen=True)
class Backlog:
    kind: str
    messages: int
    oldest_age_seconds: float  # since the oldest unsent message was queued; 0 when none


def outbox_backlog(core: Deps) -> list[Backlog]:
    """Every kind of message, waiting ones or not (a kind with none reads 0, not missing)."""
    with core.unit_of_work() as session:
        waiting = {w.kind: w for w in outbox.waiting(session)}
    now = core.clock.now()
    backlog = []
    for kind in sorted({*map(str, outbox.Kind), *waiting}):
        found = waiting.get(kind)
        age = 0.0 if found is None else max((now - found.oldest_queued_at).total_seconds(), 0.0)
        backlog.append(Backlog(kind, 0 if found is None else found.messages, age))
    return backlog


def token_revoked(core: Deps, *, workspace_id: str) -> bool:
    """The workspace uninstalled the app or revoked its bot token (app_uninstalled,
    tokens_revoked, or Slack refusing the token while sending)."""
    with core.unit_of_work() as session:
        workspace = get_workspace(session, workspace_id=workspace_id)
        return workspace is not None and workspace.uninstalled_at is not None

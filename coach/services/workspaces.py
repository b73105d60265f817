"""A workspace's install state, as Slack's events report it."""

from __future__ import annotations

from coach.deps import Deps
from coach.services.scheduled_nudges import withdraw_workspace
from coach.store.workspaces import first_delivery, mark_uninstalled


def first_time(core: Deps, *, event_id: str, workspace_id: str) -> bool:
    """Record an Events API delivery; False when Slack delivered this event before."""
    with core.unit_of_work() as session:
        return first_delivery(
            session, event_id=event_id, workspace_id=workspace_id, now=core.clock.now()
        )


def stop_sending(core: Deps, *, workspace_id: str) -> None:
    """The app was uninstalled or its bot token revoked: nothing more is sent there. Stories
    and catalogue stay until an admin deletes them (a reinstall picks up where it was)."""
    now = core.clock.now()
    with core.unit_of_work() as session:
        mark_uninstalled(session, workspace_id=workspace_id, now=now)
        # Messages planned ahead (nudges, pulse DMs, questions) are withdrawn; those Slack holds
        # are deleted there if the app is installed again (Slack does not post an uninstalled
        # app's messages).
        withdraw_workspace(session, workspace_id=workspace_id, now=now, everything=True)

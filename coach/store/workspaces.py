"""Workspaces and their catalogue admins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coach.store.models import Admin, Person, SlackEvent, Workspace


def get_workspace(session: Session, *, workspace_id: str) -> Workspace | None:
    return session.get(Workspace, workspace_id)


def ensure_workspace(session: Session, *, workspace_id: str, now: datetime) -> Workspace:
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        workspace = Workspace(id=workspace_id, created_at=now, catalog_version=0)
        session.add(workspace)
        session.flush()
    return workspace


def is_listed_admin(session: Session, *, workspace_id: str, user_id: str) -> bool:
    """Added as a catalogue admin with `coach admin add` (Slack's own admins are on people)."""
    return session.get(Admin, (workspace_id, user_id)) is not None


def add_admin(
    session: Session, *, workspace_id: str, user_id: str, added_by: str, now: datetime
) -> bool:
    """Make `user_id` a catalogue admin; False when they already were one."""
    ensure_workspace(session, workspace_id=workspace_id, now=now)
    if session.get(Admin, (workspace_id, user_id)) is not None:
        return False
    session.add(Admin(workspace_id=workspace_id, user_id=user_id, added_by=added_by, added_at=now))
    session.flush()
    return True


def mark_installed(session: Session, *, workspace_id: str, name: str, now: datetime) -> None:
    workspace = ensure_workspace(session, workspace_id=workspace_id, now=now)
    workspace.uninstalled_at = None
    if name:
        workspace.name = name[:200]


def mark_uninstalled(session: Session, *, workspace_id: str, now: datetime) -> None:
    """Stop all sending to the workspace; its stories and catalogue stay until an admin deletes them."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is not None and workspace.uninstalled_at is None:
        workspace.uninstalled_at = now


def first_delivery(session: Session, *, event_id: str, workspace_id: str, now: datetime) -> bool:
    """Record an Events API delivery; False when this event_id was taken in before."""
    if session.get(SlackEvent, event_id) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(SlackEvent(event_id=event_id, workspace_id=workspace_id, received_at=now))
    except IntegrityError:  # a concurrent delivery of the same event won the race
        return False
    return True


def listed_admins(session: Session, *, workspace_id: str) -> list[Admin]:
    """The admins added by hand (`coach admin add`), by user id."""
    return list(
        session.scalars(
            select(Admin).where(Admin.workspace_id == workspace_id).order_by(Admin.user_id)
        )
    )


def slack_admin_ids(session: Session, *, workspace_id: str) -> list[str]:
    """The people Slack last reported as a workspace owner or admin (catalogue admins too)."""
    return list(
        session.scalars(
            select(Person.user_id)
            .where(
                Person.workspace_id == workspace_id,
                Person.slack_admin.is_(True),
                Person.deleted.is_(False),
            )
            .order_by(Person.user_id)
        )
    )


def remove_admin(session: Session, *, workspace_id: str, user_id: str) -> bool:
    """Take `user_id` off the hand-made admin list; False when they were not on it."""
    admin = session.get(Admin, (workspace_id, user_id))
    if admin is None:
        return False
    session.delete(admin)
    session.flush()
    return True

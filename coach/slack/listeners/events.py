"""Events API: uninstalls and revoked tokens stop all sending to a workspace."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from coach.slack.deps import SlackDeps
from coach.store.workspaces import mark_uninstalled


def register(app: App, deps: SlackDeps) -> None:
    def app_uninstalled(context: BoltContext) -> None:
        handle_app_uninstalled(context, deps)

    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        handle_tokens_revoked(event, context, deps)

    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)


def handle_app_uninstalled(context: BoltContext, deps: SlackDeps) -> None:
    team_id = str(context.team_id)
    if deps.installation_store is not None:
        deps.installation_store.delete_all(enterprise_id=context.enterprise_id, team_id=team_id)
    with deps.core.unit_of_work() as session:
        mark_uninstalled(session, workspace_id=team_id, now=deps.core.clock.now())


def handle_tokens_revoked(event: dict[str, Any], context: BoltContext, deps: SlackDeps) -> None:
    tokens = event.get("tokens")
    if not isinstance(tokens, dict) or not tokens.get("bot"):
        return  # only user tokens were revoked; we hold none
    team_id = str(context.team_id)
    if deps.installation_store is not None:
        deps.installation_store.delete_bot(enterprise_id=context.enterprise_id, team_id=team_id)
    with deps.core.unit_of_work() as session:
        mark_uninstalled(session, workspace_id=team_id, now=deps.core.clock.now())

"""Meeting people the coach does not know yet, from Slack, before a service checks them."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from coach.delivery.directory import profile_of
from coach.services.membership import apply_profile
from coach.slack.deps import SlackDeps
from coach.store.models import Person


def learn_people(
    client: WebClient, deps: SlackDeps, workspace_id: str, user_ids: list[str]
) -> None:
    """People chosen in a form (colleagues, leads) whom the coach has not met yet are looked
    up once, so the service can check them (humans of this workspace)."""
    with deps.core.unit_of_work() as session:
        known = set(
            session.scalars(
                select(Person.user_id).where(
                    Person.workspace_id == workspace_id, Person.user_id.in_(user_ids)
                )
            )
        )
    for user_id in [u for u in user_ids if u not in known][:5]:
        try:
            user = client.users_info(user=user_id, include_locale=True)["user"]
        except SlackApiError:
            continue  # not a user of this workspace: validation says so
        if user.get("team_id") not in (None, workspace_id):
            continue
        with deps.core.unit_of_work() as session:
            apply_profile(
                session,
                workspace_id=workspace_id,
                profile=profile_of(user),
                now=deps.core.clock.now(),
            )

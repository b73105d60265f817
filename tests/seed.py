"""One workspace with a row in every table, written straight into the database (no service runs,
so a test of what a command deletes or keeps does not depend on the code it tests)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import insert

from coach.deps import Deps
from coach.store import slack_tables
from coach.store.models import (
    Admin,
    Behaviour,
    CatalogChange,
    CatalogLevel,
    Celebration,
    Intention,
    Nudge,
    OutboxMessage,
    Person,
    PictureFile,
    Principle,
    PulseAnswer,
    PulseStatementAnswer,
    SlackBudget,
    SlackEvent,
    Story,
    StoryCredit,
    StoryDraft,
    Team,
    TeamLead,
    TeamMember,
    TeamPulseSetting,
    Workspace,
)


def seed_workspace(deps: Deps, workspace_id: str, *, intention_at: datetime | None = None) -> None:
    """Workspace `workspace_id`: a catalogue of one principle, team Noord (channel C0NOORD, lead
    U0ANNA, member U0BOB), people U0ANNA and U0BOB (U0BOSS too, a workspace admin in Slack),
    admin U0ANNA, a nudge of U0BOB with his intention and its queued message, a story with a
    credit and a draft, a celebration, an event and an installation."""
    now = deps.clock.now()
    stamps = {"created_at": now, "updated_at": now}
    with deps.unit_of_work() as session:
        session.add(Workspace(id=workspace_id, name=f"Org {workspace_id}", created_at=now))
        session.flush()
        session.add(CatalogLevel(workspace_id=workspace_id, level="operational", name="Basis"))
        principle = Principle(
            workspace_id=workspace_id,
            key="daadkrachtig",
            level="operational",
            position=1,
            name="Daadkrachtig",
            customer_voice="Ze doen wat ze zeggen.",
            hki_question="Hoe kan ik vandaag iets afmaken?",
            **stamps,
        )
        principle.behaviours = [Behaviour(position=1, text="Bel terug binnen een uur.")]
        session.add(principle)
        session.add(
            CatalogChange(
                workspace_id=workspace_id,
                version=1,
                actor="cli",
                at=now,
                action="create",
                subject="daadkrachtig",
            )
        )
        team = Team(
            workspace_id=workspace_id,
            channel_id="C0NOORD",
            name="Noord",
            nudge_time=time(9),
            celebrate_weekday=4,
            celebrate_time=time(16),
            timezone="Europe/Amsterdam",
            holiday_country="NL",
            language="nl",
            **stamps,
        )
        team.leads = [TeamLead(user_id="U0ANNA")]
        session.add(team)
        people = {
            user: Person(
                workspace_id=workspace_id, user_id=user, slack_admin=user == "U0BOSS", **stamps
            )
            for user in ("U0ANNA", "U0BOB", "U0BOSS")
        }
        session.add_all(people.values())
        session.add(
            Admin(workspace_id=workspace_id, user_id="U0ANNA", added_by="cli", added_at=now)
        )
        session.flush()
        session.add(TeamMember(team_id=team.id, user_id="U0BOB", joined_at=now))
        people["U0BOB"].next_nudge_at = now + timedelta(days=1)
        nudge = Nudge(
            workspace_id=workspace_id,
            person_id=people["U0BOB"].id,
            team_id=team.id,
            local_date=date(2026, 11, 24),
            principle_id=principle.id,
            behaviour_id=principle.behaviours[0].id,
            language="nl",
            status="queued",
            **stamps,
        )
        session.add(nudge)
        session.flush()
        session.add(
            Intention(
                workspace_id=workspace_id,
                person_id=people["U0BOB"].id,
                nudge_id=nudge.id,
                text="Mevrouw Jansen nabellen",
                created_at=intention_at or now,
            )
        )
        session.add(
            OutboxMessage(
                workspace_id=workspace_id,
                key=f"nudge:{workspace_id}:{people['U0BOB'].id}:2026-11-24",
                kind="nudge",
                channel="U0BOB",
                payload={"text": "HKI?"},
                person_id=people["U0BOB"].id,
                nudge_id=nudge.id,
                status="pending",
                due_at=now,
                expires_at=now + timedelta(hours=2),
                created_at=now,
            )
        )
        session.add(  # the scheduled-message budget a delivery pass took from
            SlackBudget(
                workspace_id=workspace_id, method="chat.scheduleMessage", tokens=3.0, tokens_at=now
            )
        )
        celebration = Celebration(
            workspace_id=workspace_id,
            team_id=team.id,
            iso_year=2026,
            iso_week=48,
            due_at=now,
            status="planned",
            **stamps,
        )
        session.add(celebration)
        session.flush()
        story = Story(
            workspace_id=workspace_id,
            author_id="U0ANNA",
            filed_by="U0ANNA",
            team_id=team.id,
            principle_id=principle.id,
            text="De lekkage binnen een uur verholpen",
            share=True,
            author_consent="given",
            source="command",
            celebration_id=celebration.id,
            **stamps,
        )
        story.credits = [StoryCredit(user_id="U0BOB")]
        session.add(story)
        session.flush()
        session.add(
            StoryDraft(
                view_id=f"V{workspace_id}",
                workspace_id=workspace_id,
                user_id="U0ANNA",
                source="command",
                story_id=story.id,
                created_at=now,
            )
        )
        session.add(
            SlackEvent(event_id=f"Ev{workspace_id}", workspace_id=workspace_id, received_at=now)
        )
        month = date(now.year, now.month, 1)
        pulse = {"workspace_id": workspace_id, "team_id": team.id}
        session.add(TeamPulseSetting(**pulse, starts=month, enabled=True, statements=True))
        session.add(PulseAnswer(**pulse, month=month, token="a" * 64, score=9))
        session.add(
            PulseStatementAnswer(**pulse, month=month, token="a" * 64, statement="trust", score=4)
        )
        session.add(
            PictureFile(
                workspace_id=workspace_id,
                channel_id=f"D{workspace_id}",
                digest="0" * 64,
                kind=f"pyramid:{team.id}",
                file_id=f"F{workspace_id}",
                title="Noord",
                alt="Noord: onze piramide.",
                reading="De operationele basis draagt.",
                created_at=now,
            )
        )
        naive = now.replace(tzinfo=None)
        install = {
            "client_id": "1.2",
            "app_id": "A1",
            "team_id": workspace_id,
            "is_enterprise_install": False,
            "installed_at": naive,
        }
        session.execute(insert(slack_tables.installations).values(user_id="U0ANNA", **install))
        session.execute(
            insert(slack_tables.bots).values(bot_id="B1", bot_user_id="U0COACH", **install)
        )

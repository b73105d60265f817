"""Everything stored about one person in one workspace: read it all, or delete it all.

The queries behind `/coach my-data` and `/coach forget-me`. Every statement is scoped to the
workspace: the same Slack user id in another workspace is another person.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Row, delete, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from coach.render import slack_escape
from coach.store.models import (
    Admin,
    CatalogChange,
    Celebration,
    Intention,
    Nudge,
    OutboxMessage,
    Person,
    Principle,
    Story,
    StoryCredit,
    StoryDraft,
    Team,
    TeamLead,
    TeamMember,
)
from coach.store.outbox import PENDING, Kind


@dataclass
class PersonalData:
    person: Person | None = None
    admin: Admin | None = None
    memberships: list[tuple[Team, TeamMember]] = field(default_factory=list)
    leads: list[Team] = field(default_factory=list)
    nudges: list[Row[tuple[date, int, str, str]]] = field(default_factory=list)
    # text, outcome, created_at, outcome_at
    intentions: list[Row[tuple[str, str | None, datetime, datetime | None]]] = field(
        default_factory=list
    )
    stories: list[Story] = field(default_factory=list)  # authored or filed by them
    credited: list[Story] = field(default_factory=list)  # others' stories crediting them
    drafts: list[StoryDraft] = field(default_factory=list)
    messages: list[OutboxMessage] = field(default_factory=list)
    celebration_actions: list[Celebration] = field(default_factory=list)
    catalog_changes: list[CatalogChange] = field(default_factory=list)  # edits they made
    principles: dict[int, Principle] = field(default_factory=dict)
    teams: dict[int, Team] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not any(
            (
                self.person,
                self.admin,
                self.memberships,
                self.leads,
                self.nudges,
                self.intentions,
                self.stories,
                self.credited,
                self.drafts,
                self.messages,
                self.celebration_actions,
                self.catalog_changes,
            )
        )


def gather(session: Session, *, workspace_id: str, user_id: str) -> PersonalData:
    data = PersonalData()
    data.person = session.scalar(
        select(Person).where(Person.workspace_id == workspace_id, Person.user_id == user_id)
    )
    data.admin = session.get(Admin, (workspace_id, user_id))
    data.memberships = [
        (row.Team, row.TeamMember)
        for row in session.execute(
            select(Team, TeamMember)
            .join(TeamMember, TeamMember.team_id == Team.id)
            .where(Team.workspace_id == workspace_id, TeamMember.user_id == user_id)
            .order_by(Team.name)
        )
    ]
    data.leads = list(
        session.scalars(
            select(Team)
            .join(TeamLead, TeamLead.team_id == Team.id)
            .where(Team.workspace_id == workspace_id, TeamLead.user_id == user_id)
            .order_by(Team.name)
        )
    )
    if data.person is not None:
        person_id = data.person.id
        # Plain rows, not ORM objects: one per workday of their history, so their cost is what
        # grows with the years; each read is an index search on the person.
        data.nudges = list(
            session.execute(
                select(Nudge.local_date, Nudge.principle_id, Nudge.status, Nudge.language)
                .where(Nudge.person_id == person_id)
                .order_by(Nudge.local_date)
            )
        )
        data.intentions = list(
            session.execute(
                select(
                    Intention.text, Intention.outcome, Intention.created_at, Intention.outcome_at
                )
                .where(Intention.person_id == person_id)
                .order_by(Intention.created_at, Intention.id)
            )
        )
    stories = select(Story).options(selectinload(Story.credits)).order_by(Story.id)
    data.stories = list(
        session.scalars(
            stories.where(
                Story.workspace_id == workspace_id,
                or_(Story.author_id == user_id, Story.filed_by == user_id),
            )
        )
    )
    # Their credits first (ix_story_credits_user), then those stories by id: as one join,
    # PostgreSQL hashed a scan of every story of the workspace.
    credited = list(
        session.scalars(select(StoryCredit.story_id).where(StoryCredit.user_id == user_id))
    )
    data.credited = (
        list(
            session.scalars(
                stories.where(
                    Story.id.in_(credited),
                    Story.workspace_id == workspace_id,
                    Story.author_id != user_id,
                    Story.filed_by != user_id,
                )
            )
        )
        if credited
        else []
    )
    data.drafts = list(
        session.scalars(
            select(StoryDraft)
            .where(
                StoryDraft.workspace_id == workspace_id,
                or_(StoryDraft.user_id == user_id, StoryDraft.credited_author == user_id),
            )
            .order_by(StoryDraft.created_at)
        )
    )
    data.messages = list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.workspace_id == workspace_id, _addressed_to(data.person, user_id))
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )
    data.celebration_actions = list(
        session.scalars(
            select(Celebration)
            .where(Celebration.workspace_id == workspace_id, Celebration.lead_action_by == user_id)
            .order_by(Celebration.iso_year, Celebration.iso_week)
        )
    )
    data.catalog_changes = list(
        session.scalars(
            select(CatalogChange)
            .where(CatalogChange.workspace_id == workspace_id, CatalogChange.actor == user_id)
            .order_by(CatalogChange.at, CatalogChange.id)
        )
    )
    principle_ids = {n.principle_id for n in data.nudges} | {
        s.principle_id for s in [*data.stories, *data.credited] if s.principle_id is not None
    }
    data.principles = {
        p.id: p for p in session.scalars(select(Principle).where(Principle.id.in_(principle_ids)))
    }
    data.teams = {
        t.id: t
        for t in session.scalars(
            select(Team).where(Team.workspace_id == workspace_id).options(selectinload(Team.leads))
        )
    }
    return data


def forget(session: Session, *, workspace_id: str, user_id: str) -> None:
    """Delete what is stored about the person, in the caller's transaction.

    Their person row (settings, time, language, pause) with its nudges, intentions and queued
    messages; the stories they wrote (their credits and edit forms go with them: ON DELETE
    CASCADE); their drafts and drafts crediting them; their credits in others' stories. Stories
    they filed for someone else stay that person's, no longer naming them as the filer. Team
    memberships (read from Slack) and roles an admin gave them (team lead, admin) stay.
    """
    authored = select(Story.id).where(
        Story.workspace_id == workspace_id, Story.author_id == user_id
    )
    _redact_copies(
        session,
        workspace_id,
        list(session.scalars(select(Story.text).where(Story.id.in_(authored)))),
    )
    session.execute(
        update(Celebration)
        .where(Celebration.workspace_id == workspace_id, Celebration.lead_action_by == user_id)
        .values(note=None, lead_action_by=None)
    )
    in_workspace = select(Story.id).where(Story.workspace_id == workspace_id)
    session.execute(
        delete(StoryDraft).where(
            StoryDraft.workspace_id == workspace_id,
            or_(StoryDraft.user_id == user_id, StoryDraft.credited_author == user_id),
        )
    )
    session.execute(
        delete(StoryCredit).where(
            StoryCredit.story_id.in_(in_workspace), StoryCredit.user_id == user_id
        )
    )
    session.execute(
        delete(Story).where(Story.workspace_id == workspace_id, Story.author_id == user_id)
    )
    session.execute(
        update(Story)
        .where(Story.workspace_id == workspace_id, Story.filed_by == user_id)
        .values(filed_by=Story.author_id)
    )
    person = session.scalar(
        select(Person).where(Person.workspace_id == workspace_id, Person.user_id == user_id)
    )
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.workspace_id == workspace_id, _addressed_to(person, user_id)
        )
    )
    if person is not None:
        session.execute(delete(Intention).where(Intention.person_id == person.id))
        session.execute(delete(Nudge).where(Nudge.person_id == person.id))
        session.execute(delete(Person).where(Person.id == person.id))
    session.expire_all()


COPYING_KINDS = (
    Kind.STORY_SAVED,
    Kind.STORY_CONSENT,
    Kind.STORY_THANKS,
    Kind.CELEBRATION,
    Kind.CELEBRATION_REPLY,
    Kind.CELEBRATION_PREVIEW,
)


def _redact_copies(session: Session, workspace_id: str, texts: list[str]) -> None:
    """Messages to others that quote these stories keep no copy of them: kept records (sent,
    failed) lose their content; queued ones are not sent, except a celebration post, which is
    recomposed without them just before it goes out."""
    # The longest line of each story, escaped as the bot re-posts it and as JSON stores it.
    needles = [
        json.dumps(slack_escape(max(text.strip().split("\n"), key=len)), ensure_ascii=False)[1:-1]
        for text in texts
        if text.strip()
    ]
    if not needles:
        return
    rows = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.workspace_id == workspace_id, OutboxMessage.kind.in_(COPYING_KINDS)
        )
    )
    for row in rows:
        blob = json.dumps(row.payload, ensure_ascii=False)
        if not any(needle in blob for needle in needles):
            continue
        if row.status == PENDING and row.kind != Kind.CELEBRATION:
            session.delete(row)
        elif row.status != PENDING:
            row.payload = {"redacted": True}


def _addressed_to(person: Person | None, user_id: str) -> ColumnElement[bool]:
    """Their DMs (a user id as the channel) and anything queued for their person row."""
    if person is None:
        return OutboxMessage.channel == user_id
    return or_(OutboxMessage.channel == user_id, OutboxMessage.person_id == person.id)

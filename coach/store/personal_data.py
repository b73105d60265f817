"""Everything stored about one person in one workspace: read it all, or delete it all.

The queries behind `/coach my-data` and `/coach forget-me`. Every statement is scoped to the
workspace: the same Slack user id in another workspace is another person.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, delete, or_, select, update
from sqlalchemy.orm import Session
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

StoryRow = Row[*tuple[Any, ...]]  # _STORY_COLUMNS, by name


@dataclass
class PersonalData:
    """Plain rows, not ORM objects: what a person has grows with their years of use (a row per
    workday they were asked), and `/coach my-data` reads all of it, so each read is one index
    search on the person returning only the columns shown, and nothing is built per row beyond
    the row itself (no identity map, no loaded payloads or relationships)."""

    person: Person | None = None
    admin: Admin | None = None
    memberships: Sequence[Row[str, str, datetime]] = field(
        default_factory=list
    )  # team, channel, joined
    leads: Sequence[Row[str, str]] = field(default_factory=list)  # team name, channel
    # local_date, principle_id, status, language
    nudges: Sequence[Row[date, int, str, str]] = field(default_factory=list)
    # text, outcome, created_at, outcome_at
    intentions: Sequence[Row[str, str | None, datetime, datetime | None]] = field(
        default_factory=list
    )
    stories: Sequence[StoryRow] = field(default_factory=list)  # authored or filed by them
    credits: dict[int, list[str]] = field(default_factory=dict)  # who their stories credit
    credited: Sequence[StoryRow] = field(default_factory=list)  # others' stories crediting them
    # source, created_at, story_id, edit_of
    drafts: Sequence[Row[str, datetime, int | None, int | None]] = field(default_factory=list)
    # kind, status, created_at, sent_at
    messages: Sequence[Row[str, str, datetime, datetime | None]] = field(default_factory=list)
    # team_id, iso_year, iso_week, lead_action, lead_action_at, note
    celebration_actions: Sequence[Row[int, int, int, str | None, datetime | None, str | None]] = (
        field(default_factory=list)
    )
    catalog_changes: Sequence[Row[datetime, str, str]] = field(
        default_factory=list
    )  # at, action, subject
    principles: dict[int, str] = field(default_factory=dict)  # id -> name
    teams: dict[int, str] = field(default_factory=dict)  # id -> name

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
    # Column reads go to the session's connection: the same transaction, without the ORM's
    # per-row result handling (these selects name no entity, so it would only wrap each row).
    session.flush()  # what this unit of work changed so far is part of it
    rows = session.connection().execute
    data.person = session.scalar(
        select(Person).where(Person.workspace_id == workspace_id, Person.user_id == user_id)
    )
    data.admin = session.get(Admin, (workspace_id, user_id))
    data.memberships = rows(
        select(Team.name, Team.channel_id, TeamMember.joined_at)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(Team.workspace_id == workspace_id, TeamMember.user_id == user_id)
        .order_by(Team.name)
    ).all()
    data.leads = rows(
        select(Team.name, Team.channel_id)
        .join(TeamLead, TeamLead.team_id == Team.id)
        .where(Team.workspace_id == workspace_id, TeamLead.user_id == user_id)
        .order_by(Team.name)
    ).all()
    if data.person is not None:
        person_id = data.person.id
        data.nudges = rows(
            select(Nudge.local_date, Nudge.principle_id, Nudge.status, Nudge.language)
            .where(Nudge.person_id == person_id)
            .order_by(Nudge.local_date)
        ).all()
        data.intentions = rows(
            select(Intention.text, Intention.outcome, Intention.created_at, Intention.outcome_at)
            .where(Intention.person_id == person_id)
            .order_by(Intention.created_at, Intention.id)
        ).all()
    data.stories = rows(
        select(*_STORY_COLUMNS)
        .where(
            Story.workspace_id == workspace_id,
            or_(Story.author_id == user_id, Story.filed_by == user_id),
        )
        .order_by(Story.id)
    ).all()
    # Their credits first (ix_story_credits_user), then those stories by id: as one join,
    # PostgreSQL hashed a scan of every story of the workspace.
    credited = list(
        rows(select(StoryCredit.story_id).where(StoryCredit.user_id == user_id)).scalars()
    )
    data.credited = (
        rows(
            select(*_STORY_COLUMNS)
            .where(
                Story.id.in_(credited),
                Story.workspace_id == workspace_id,
                Story.author_id != user_id,
                Story.filed_by != user_id,
            )
            .order_by(Story.id)
        ).all()
        if credited
        else []
    )
    if data.stories:
        for story_id, credit in rows(
            select(StoryCredit.story_id, StoryCredit.user_id)
            .where(StoryCredit.story_id.in_([s.id for s in data.stories]))
            .order_by(StoryCredit.story_id, StoryCredit.user_id)
        ):
            data.credits.setdefault(story_id, []).append(credit)
    data.drafts = rows(
        select(StoryDraft.source, StoryDraft.created_at, StoryDraft.story_id, StoryDraft.edit_of)
        .where(
            StoryDraft.workspace_id == workspace_id,
            or_(StoryDraft.user_id == user_id, StoryDraft.credited_author == user_id),
        )
        .order_by(StoryDraft.created_at)
    ).all()
    # What was sent, not the payloads: the export lists the messages, it does not repeat them.
    data.messages = rows(
        select(
            OutboxMessage.kind,
            OutboxMessage.status,
            OutboxMessage.created_at,
            OutboxMessage.sent_at,
        )
        .where(OutboxMessage.workspace_id == workspace_id, _addressed_to(data.person, user_id))
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    data.celebration_actions = rows(
        select(
            Celebration.team_id,
            Celebration.iso_year,
            Celebration.iso_week,
            Celebration.lead_action,
            Celebration.lead_action_at,
            Celebration.note,
        )
        .where(Celebration.workspace_id == workspace_id, Celebration.lead_action_by == user_id)
        .order_by(Celebration.iso_year, Celebration.iso_week)
    ).all()
    data.catalog_changes = rows(
        select(CatalogChange.at, CatalogChange.action, CatalogChange.subject)
        .where(CatalogChange.workspace_id == workspace_id, CatalogChange.actor == user_id)
        .order_by(CatalogChange.at, CatalogChange.id)
    ).all()
    principle_ids = {principle_id for _, principle_id, _, _ in data.nudges} | {
        s.principle_id for s in [*data.stories, *data.credited] if s.principle_id is not None
    }
    if principle_ids:
        data.principles = {
            principle_id: name
            for principle_id, name in rows(
                select(Principle.id, Principle.name).where(Principle.id.in_(principle_ids))
            )
        }
    team_ids = {s.team_id for s in data.stories if s.team_id is not None} | {
        c.team_id for c in data.celebration_actions
    }
    if team_ids:
        data.teams = {
            team_id: name
            for team_id, name in rows(
                select(Team.id, Team.name).where(
                    Team.workspace_id == workspace_id, Team.id.in_(team_ids)
                )
            )
        }
    return data


_STORY_COLUMNS = (
    Story.id,
    Story.text,
    Story.principle_id,
    Story.team_id,
    Story.author_id,
    Story.filed_by,
    Story.for_team,
    Story.share,
    Story.author_consent,
    Story.source,
    Story.created_at,
    Story.updated_at,
    Story.celebrated_at,
)


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

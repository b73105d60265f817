"""The database tables, as typed SQLAlchemy 2 models. Every row belongs to one workspace."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from coach.store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SlackId = String(32)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


class Workspace(Base):
    """A Slack workspace (team) and its catalogue's header."""

    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(SlackId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(2), default="nl")
    catalog_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    uninstalled_at: Mapped[datetime | None]
    # chat.postMessage budget shared by every process (a token bucket), and the moment a 429's
    # Retry-After ends: no process sends to this workspace before it.
    send_tokens: Mapped[float] = mapped_column(default=0.0, server_default="0")
    send_tokens_at: Mapped[datetime | None]
    send_parked_until: Mapped[datetime | None]
    # Intentions (what people typed in answer to nudges) older than this many days are deleted
    # by the scheduler; None keeps them. Stories stay until someone deletes them.
    retention_days: Mapped[int | None]


class CatalogLevel(Base):
    """How one organisation names one level of the pyramid."""

    __tablename__ = "catalog_levels"

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(Text)
    translations: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Principle(Base):
    __tablename__ = "principles"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        Index("ix_principles_workspace_active", "workspace_id", "archived_at", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(16))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(60))
    customer_voice: Mapped[str] = mapped_column(Text)
    hki_question: Mapped[str] = mapped_column(String(300))
    translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    archived_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    behaviours: Mapped[list[Behaviour]] = relationship(
        back_populates="principle",
        order_by="Behaviour.position",
        cascade="all, delete-orphan",
    )


class Behaviour(Base):
    """One behaviour example. Examples that leave the catalogue are archived, so history keeps them."""

    __tablename__ = "behaviours"
    __table_args__ = (Index("ix_behaviours_principle", "principle_id", "archived_at", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principle_id: Mapped[int] = mapped_column(ForeignKey("principles.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(300))
    translations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    archived_at: Mapped[datetime | None]

    principle: Mapped[Principle] = relationship(back_populates="behaviours")


class Person(Base):
    """A Slack user as the coach knows them: where they are and how they like to be nudged."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(SlackId)
    tz: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(2))
    nudge_time: Mapped[time | None] = mapped_column(Time)
    paused_until: Mapped[datetime | None]
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # A workspace owner or admin, as Slack last said (users.list / users.info): a catalogue admin.
    slack_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Why Slack cannot deliver to this person (user_not_found, account_inactive, ...): no nudges.
    unreachable: Mapped[str | None] = mapped_column(String(64))
    profile_synced_at: Mapped[datetime | None]
    # The next moment a nudge is due, kept up to date on every change that moves it, so a pass
    # finds what is due with one indexed range query instead of looking at everyone.
    next_nudge_at: Mapped[datetime | None] = mapped_column(index=True)
    # Their own rhythm within the team's workdays: weekdays as digits ("02" = Monday and
    # Wednesday; None: the team's) and how often ("daily", "3x", "weekly"; None: daily).
    weekdays: Mapped[str | None] = mapped_column(String(7))
    rhythm: Mapped[str | None] = mapped_column(String(8))
    # Nudges since their last reaction; at QUIET_LIMIT they are asked about their rhythm once
    # (rhythm_asked_at) and nudged weekly (backed_off) until they answer or react at all.
    quiet_nudges: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    rhythm_asked_at: Mapped[datetime | None]
    backed_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Team(Base):
    """A team is a Slack channel with its own rhythm: nudge time, celebration moment, holidays."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("workspace_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(SlackId)
    name: Mapped[str] = mapped_column(String(80))
    nudge_time: Mapped[time] = mapped_column(Time)
    celebrate_weekday: Mapped[int]  # 0 = Monday, as datetime.weekday()
    celebrate_time: Mapped[time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64))
    holiday_country: Mapped[str] = mapped_column(String(8))
    # The weekdays its members may be nudged on, as digits ("012345": Monday to Saturday);
    # None: Monday to Friday.
    workdays: Mapped[str | None] = mapped_column(String(7))
    language: Mapped[str] = mapped_column(String(2))
    pinned_principle_id: Mapped[int | None] = mapped_column(
        ForeignKey("principles.id", ondelete="SET NULL")
    )
    members_synced_at: Mapped[datetime | None] = mapped_column(index=True)  # stale ones: a sync
    # The planner need not look at this team's celebration before this instant (None: look
    # now, e.g. after its rhythm changed), so a pass reads only teams whose moment is near.
    celebration_check_at: Mapped[datetime | None] = mapped_column(index=True)
    # The team's pyramid in the celebration: "monthly" (the month's first) or "off".
    celebration_picture: Mapped[str] = mapped_column(
        String(8), default="monthly", server_default="monthly"
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    leads: Mapped[list[TeamLead]] = relationship(
        cascade="all, delete-orphan", order_by="TeamLead.user_id"
    )


class TeamLead(Base):
    __tablename__ = "team_leads"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(SlackId, primary_key=True)


class Admin(Base):
    """A catalogue admin added by hand; workspace owners and admins are admins without a row."""

    __tablename__ = "admins"

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(SlackId, primary_key=True)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime]


class CatalogChange(Base):
    """The audit log of the catalogue: who changed what, when, and how it looked before and after."""

    __tablename__ = "catalog_changes"
    __table_args__ = (Index("ix_catalog_changes_workspace_at", "workspace_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    version: Mapped[int]
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SlackEvent(Base):
    """Events API deliveries already taken in, so Slack's retries are processed once."""

    __tablename__ = "slack_events"
    __table_args__ = (Index("ix_slack_events_received_at", "received_at"),)

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(SlackId)
    received_at: Mapped[datetime]


class TeamMember(Base):
    """A human member of a team's channel, as Slack last told us."""

    __tablename__ = "team_members"
    __table_args__ = (Index("ix_team_members_user", "user_id"),)

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(SlackId, primary_key=True)
    joined_at: Mapped[datetime]


class Nudge(Base):
    """One person's HKI question of one local day, and what became of it."""

    __tablename__ = "nudges"
    __table_args__ = (
        UniqueConstraint("person_id", "local_date"),
        # A team's week (celebration counts, the lead's overview), without reading other teams'.
        Index("ix_nudges_team_day", "team_id", "local_date"),
        # Planning: when a person last saw one example, one index probe per example.
        Index("ix_nudges_person_behaviour_day", "person_id", "behaviour_id", "local_date"),
        # Housekeeping's walk over old unanswered nudges (answered ones stay, and are left out).
        Index(
            "ix_nudges_unanswered_day",
            "workspace_id",
            "local_date",
            postgresql_where=text("status <> 'answered'"),
            sqlite_where=text("status <> 'answered'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    local_date: Mapped[date] = mapped_column(Date)
    principle_id: Mapped[int] = mapped_column(ForeignKey("principles.id"))
    behaviour_id: Mapped[int] = mapped_column(ForeignKey("behaviours.id"))
    language: Mapped[str] = mapped_column(String(2))
    # queued, sent, answered, skipped, snoozed, dropped (not sent in time), failed
    status: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str | None] = mapped_column(SlackId)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    # Slack's id while the nudge waits in Slack's queue (chat.scheduleMessage), kept after it posts.
    scheduled_message_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Intention(Base):
    """What a person said they would do today, and later how it went."""

    __tablename__ = "intentions"
    __table_args__ = (
        # A person's latest intentions (their App Home), newest first.
        Index("ix_intentions_person_created", "person_id", "created_at"),
        # Planning's follow-up: a person's recent intentions still without an outcome.
        Index(
            "ix_intentions_open",
            "person_id",
            "created_at",
            postgresql_where=text("outcome IS NULL"),
            sqlite_where=text("outcome IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    nudge_id: Mapped[int] = mapped_column(ForeignKey("nudges.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(16))  # done, not_done, skipped
    created_at: Mapped[datetime]
    outcome_at: Mapped[datetime | None]


class OutboxMessage(Base):
    """A message the bot owes someone. `key` is unique: enqueueing twice inserts nothing.

    pending -> sending (claimed, with a lease) -> sent | failed | dropped; a claim whose lease
    ran out (the process died) is pending again, and is reconciled before it is sent again.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("key"),
        Index("ix_outbox_due", "status", "due_at"),
        Index("ix_outbox_workspace_due", "workspace_id", "status", "due_at"),
        # What is addressed to one person (my-data, forget-me): their DMs and their rows.
        Index("ix_outbox_workspace_channel", "workspace_id", "channel"),
        Index("ix_outbox_person", "person_id"),
        # Deleting a nudge (housekeeping, retention, forget-me) finds its messages to cascade to.
        Index("ix_outbox_nudge", "nudge_id"),
        Index("ix_outbox_lane_due", "status", "lane", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(SlackId)  # a user ID posts to the app's DM with them
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    nudge_id: Mapped[int | None] = mapped_column(ForeignKey("nudges.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    # 0: interactive (a person just clicked or submitted and waits for it); 1: bulk (nudges,
    # celebrations). The sender claims lane 0 first, so 09:00's nudges never delay a thank-you.
    lane: Mapped[int] = mapped_column(SmallInteger, default=1, server_default=text("1"))
    due_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
    sent_channel: Mapped[str | None] = mapped_column(SlackId)
    sent_ts: Mapped[str | None] = mapped_column(String(32))
    # chat.scheduleMessage's id while Slack holds the message (status scheduled or withdrawing).
    scheduled_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]


class SlackBudget(Base):
    """A token bucket shared by every process for one Slack method in one workspace (Slack
    limits each method per workspace), and the moment a 429's Retry-After ends."""

    __tablename__ = "slack_budgets"

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    method: Mapped[str] = mapped_column(String(48), primary_key=True)
    tokens: Mapped[float] = mapped_column(default=0.0, server_default="0")
    tokens_at: Mapped[datetime | None]
    parked_until: Mapped[datetime | None]


class StoryDraft(Base):
    """A story form someone opened: who opened it, from where, prefilled with what.

    The submission is checked against it (same view, same person, same workspace), so a forged
    `view_submission` or tampered `private_metadata` cannot file a story in someone's name.
    """

    __tablename__ = "story_drafts"
    __table_args__ = (Index("ix_story_drafts_created_at", "created_at"),)  # housekeeping

    view_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(SlackId)  # who opened the form (and files the story)
    source: Mapped[str] = mapped_column(String(16))  # command, shortcut, message, nudge, follow_up
    credited_author: Mapped[str | None] = mapped_column(SlackId)  # a message shortcut's author
    message_channel: Mapped[str | None] = mapped_column(SlackId)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"))
    # The form edits this story instead of filing a new one (the author's own, not celebrated).
    edit_of: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]


class Story(Base):
    """A 9+ story: a moment a customer would rate 9 or 10."""

    __tablename__ = "stories"
    __table_args__ = (
        Index("ix_stories_workspace_created", "workspace_id", "created_at"),
        # The lead's overview: a team's stories of the last weeks.
        Index("ix_stories_team_created", "team_id", "created_at"),
        # The celebration and its waiting count: the few stories no celebration showed yet.
        Index(
            "ix_stories_team_uncelebrated",
            "team_id",
            "created_at",
            postgresql_where=text("celebrated_at IS NULL"),
            sqlite_where=text("celebrated_at IS NULL"),
        ),
        # A person's own stories (their App Home, my-data, forget-me): written or filed.
        Index("ix_stories_workspace_author", "workspace_id", "author_id"),
        Index("ix_stories_workspace_filed_by", "workspace_id", "filed_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(SlackId)  # whose story it is
    filed_by: Mapped[str] = mapped_column(SlackId)  # who typed it in (a lead, or the author)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    principle_id: Mapped[int | None] = mapped_column(ForeignKey("principles.id"))
    text: Mapped[str] = mapped_column(Text)
    share: Mapped[bool] = mapped_column(Boolean)  # the filer's choice: celebrate with the team
    # A story saved from someone else's message is shared only once its author agrees.
    author_consent: Mapped[str] = mapped_column(String(8))  # given, pending, refused
    source: Mapped[str] = mapped_column(String(16))
    # A lead filed it for the whole team: the celebration names the team, not one person.
    for_team: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    celebrated_at: Mapped[datetime | None]
    celebration_id: Mapped[int | None] = mapped_column(
        ForeignKey("celebrations.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    credits: Mapped[list[StoryCredit]] = relationship(
        cascade="all, delete-orphan", order_by="StoryCredit.user_id"
    )


class StoryCredit(Base):
    """A colleague who made the story happen (chosen in the form's user select)."""

    __tablename__ = "story_credits"
    __table_args__ = (Index("ix_story_credits_user", "user_id"),)

    story_id: Mapped[int] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(SlackId, primary_key=True)


class Celebration(Base):
    """One team's celebration of one ISO week: planned, previewed to its leads, posted once.

    status: planned -> previewed -> queued -> posted | skipped (a lead chose to) | quiet_sent |
    undeliverable (no members, archived or unknown channel; the leads were told why).
    """

    __tablename__ = "celebrations"
    __table_args__ = (
        UniqueConstraint("team_id", "iso_year", "iso_week"),
        Index("ix_celebrations_due", "status", "due_at"),
        # What one lead did (my-data, forget-me): the few celebrations a lead acted on.
        Index(
            "ix_celebrations_lead_action",
            "workspace_id",
            "lead_action_by",
            postgresql_where=text("lead_action_by IS NOT NULL"),
            sqlite_where=text("lead_action_by IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    iso_year: Mapped[int]
    iso_week: Mapped[int]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)  # the lead's personal note, shown at the top
    # What a lead did with the preview: note, post_now, skip; with who and when (for the record).
    lead_action: Mapped[str | None] = mapped_column(String(16))
    lead_action_by: Mapped[str | None] = mapped_column(SlackId)
    lead_action_at: Mapped[datetime | None]
    problem: Mapped[str | None] = mapped_column(String(64))  # why it could not be posted
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TeamPulseSetting(Base):
    """A team's monthly pulse from the month `starts` on, until a later row: a change made in
    one month applies from the next, so a month never has two rules (or half a pulse)."""

    __tablename__ = "team_pulse_settings"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    starts: Mapped[date] = mapped_column(Date, primary_key=True)  # the first day of a month
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    enabled: Mapped[bool] = mapped_column(Boolean)
    statements: Mapped[bool] = mapped_column(Boolean)  # the three ownership statements too


class PulseAnswer(Base):
    """One anonymous eNPS answer (0-10) of one month: no person, no moment, only the team and a
    token (an HMAC of the person and the month under a key the database does not hold) that
    refuses a second answer. Nobody's forget-me deletes it: it is nobody's any more."""

    __tablename__ = "pulse_answers"
    __table_args__ = (Index("ix_pulse_answers_team_month", "team_id", "month"),)

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    score: Mapped[int]


class PulseStatementAnswer(Base):
    """One anonymous agreement (1-5) with one ownership statement of one month; as anonymous as
    PulseAnswer, and one per token and statement."""

    __tablename__ = "pulse_statement_answers"
    __table_args__ = (Index("ix_pulse_statement_answers_team_month", "team_id", "month"),)

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    statement: Mapped[str] = mapped_column(String(16), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    score: Mapped[int]


class PictureFile(Base):
    """A picture uploaded to Slack and shared in one conversation, by the digest of its data (the
    values and words drawn, the language, the drawing's version): an unchanged picture is shown
    again from its file instead of being drawn and uploaded again."""

    __tablename__ = "picture_files"
    __table_args__ = (
        # The reader's latest picture of a kind: a changed one is uploaded at most once a day.
        Index("ix_picture_files_latest", "workspace_id", "channel_id", "kind", "created_at"),
    )

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[str] = mapped_column(SlackId, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # "pyramid:<team id>", "organisation"
    file_id: Mapped[str] = mapped_column(SlackId)
    # The words of exactly this picture: a re-used older file keeps saying what it shows.
    title: Mapped[str] = mapped_column(String(200))
    alt: Mapped[str] = mapped_column(Text)
    reading: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]

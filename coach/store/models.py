"""The database tables, as typed SQLAlchemy 2 models. Every row belongs to one workspace."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
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
    language: Mapped[str] = mapped_column(String(2))
    pinned_principle_id: Mapped[int | None] = mapped_column(
        ForeignKey("principles.id", ondelete="SET NULL")
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

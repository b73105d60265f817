"""The messages a 9+ story causes, as the outbox knows them: their keys (to drop those not sent
yet), where the filer's confirmation landed, and how it reads after an edit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from coach.services.people import language_of
from coach.store import outbox
from coach.store.catalog import get_principle, principle_text_of
from coach.store.models import Principle, Story


class StoryMessages(Protocol):
    """Composes the DMs a saved story causes (Block Kit lives in the Slack layer)."""

    def saved(self, language: str, principle: str | None, story: Story) -> dict[str, Any]: ...

    def updated(self, language: str, principle: str | None, story: Story) -> dict[str, Any]: ...

    def consent(self, language: str, principle: str | None, story: Story) -> dict[str, Any]: ...

    def thanks(self, language: str, principle: str | None, story: Story) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Confirmation:
    """The story's confirmation DM: where it is (once sent) and, after an edit, what it says."""

    language: str
    channel: str | None
    ts: str | None
    payload: dict[str, Any] | None = None


def reads_now(session: Session, story: Story, messages: StoryMessages) -> Confirmation:
    """The edited story's confirmation as it should read now, and where it is."""
    language = language_of(session, workspace_id=story.workspace_id, user_id=story.filed_by)
    principle = principle_of(session, story)
    name = principle_text_of(principle, language).name if principle else None
    channel, ts = confirmation_at(session, story)
    return Confirmation(language, channel, ts, messages.updated(language, name, story))


def confirmation_at(session: Session, story: Story) -> tuple[str | None, str | None]:
    """Where the confirmation DM landed, as the outbox recorded it (never from a payload)."""
    sent = outbox.sent_message(
        session,
        workspace_id=story.workspace_id,
        key=message_key("saved", story.id, story.filed_by),
    )
    return sent if sent is not None else (None, None)


def message_keys(story: Story) -> list[str]:
    """The outbox keys of every message this story can cause, to drop those not yet sent."""
    return message_keys_of(
        story.id, story.filed_by, story.author_id, [credit.user_id for credit in story.credits]
    )


def message_keys_of(story_id: int, filed_by: str, author_id: str, credited: list[str]) -> list[str]:
    """The same, from a story's plain values (forget-me reads stories as rows)."""
    return [
        message_key("saved", story_id, filed_by),
        message_key("consent", story_id, author_id),
        *(message_key("thanks", story_id, user_id) for user_id in credited),
    ]


def message_key(kind: str, story_id: int, user_id: str) -> str:
    return f"story_{kind}:{story_id}:{user_id}"


def principle_of(session: Session, story: Story) -> Principle | None:
    if story.principle_id is None:
        return None
    return get_principle(session, workspace_id=story.workspace_id, principle_id=story.principle_id)

"""Changing one's own 9+ story afterwards: the edit form's current values, and deleting it.

Every change is checked here, against the story as stored and the person Slack says clicked
(`domain/story_rights.py`): a forged click with someone else's story id changes nothing. The
edit itself is saved by `stories.submit`, through a draft whose `edit_of` names the story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy.orm import Session

from coach.domain.story_rights import Change, may_change
from coach.services.people import language_of
from coach.services.stories import (
    FormChoices,
    form_choices,
    message_key,
    message_keys,
    open_draft,
)
from coach.store import outbox
from coach.store.catalog import principle_text_of
from coach.store.models import Principle, Story, StoryDraft


@dataclass(frozen=True)
class StoryValues:
    """A saved story as the form shows it."""

    text: str
    principle: str | None  # the principle's key; None: not sure
    colleagues: list[str]
    team_id: int | None
    share: bool
    for_team: bool = False


@dataclass(frozen=True)
class EditForm:
    choices: FormChoices
    current: StoryValues


@dataclass(frozen=True)
class Confirmation:
    """The story's confirmation DM: where it is (once sent) and, after an edit, what it says."""

    language: str
    channel: str | None
    ts: str | None
    payload: dict[str, Any] | None = None


class Refused(Exception):
    """The person may not make this change: not their story, or no longer (celebrated)."""

    def __init__(self, reason: Literal["not_yours", "celebrated"], language: str) -> None:
        super().__init__(reason)
        self.reason, self.language = reason, language


class EditMessages(Protocol):
    def updated(self, language: str, principle: str | None, story: Story) -> dict[str, Any]: ...


def edit_form(session: Session, *, workspace_id: str, user_id: str, story_id: int) -> EditForm:
    """The form's choices and the story's current values; raises Refused."""
    story = _story(session, "edit", workspace_id=workspace_id, user_id=user_id, story_id=story_id)
    principle = session.get(Principle, story.principle_id) if story.principle_id else None
    current = StoryValues(
        text=story.text,
        # an archived principle is not among the choices, so the form shows "not sure"
        principle=principle.key if principle is not None else None,
        colleagues=[c.user_id for c in story.credits],
        team_id=story.team_id,
        share=story.share,
        for_team=story.for_team,
    )
    return EditForm(form_choices(session, workspace_id=workspace_id, user_id=user_id), current)


def open_edit(
    session: Session, *, workspace_id: str, user_id: str, story_id: int, view_id: str, now: datetime
) -> None:
    """Remember that this view edits the story: its submission is checked against it."""
    draft = open_draft(
        session,
        workspace_id=workspace_id,
        user_id=user_id,
        view_id=view_id,
        source="edit",
        now=now,
    )
    draft.edit_of = story_id


def edited(
    session: Session, *, workspace_id: str, view_id: str, messages: EditMessages
) -> Confirmation | None:
    """After a submission: the edited story's confirmation as it should read now, if this view
    edited a story (None for a new story)."""
    draft = session.get(StoryDraft, view_id)
    if draft is None or draft.workspace_id != workspace_id or draft.edit_of is None:
        return None
    story = session.get(Story, draft.edit_of)
    if story is None:
        return None
    language = language_of(session, workspace_id=workspace_id, user_id=story.filed_by)
    principle = session.get(Principle, story.principle_id) if story.principle_id else None
    name = principle_text_of(principle, language).name if principle else None
    channel, ts = _confirmation_at(session, story)
    return Confirmation(language, channel, ts, messages.updated(language, name, story))


def delete(session: Session, *, workspace_id: str, user_id: str, story_id: int) -> Confirmation:
    """Delete the story with its credits and unsent messages; raises Refused."""
    story = _story(session, "delete", workspace_id=workspace_id, user_id=user_id, story_id=story_id)
    channel, ts = _confirmation_at(session, story)
    outbox.drop_pending(session, workspace_id=workspace_id, keys=message_keys(story))
    session.delete(story)
    session.flush()
    return Confirmation(
        language_of(session, workspace_id=workspace_id, user_id=user_id), channel, ts
    )


def _story(
    session: Session, change: Change, *, workspace_id: str, user_id: str, story_id: int
) -> Story:
    story = session.get(Story, story_id)
    language = language_of(session, workspace_id=workspace_id, user_id=user_id)
    if story is None or story.workspace_id != workspace_id:
        raise Refused("not_yours", language)
    verdict = may_change(
        change,
        user_id=user_id,
        author_id=story.author_id,
        filed_by=story.filed_by,
        celebrated=story.celebrated_at is not None,
    )
    if verdict != "ok":
        raise Refused(verdict, language)
    return story


def _confirmation_at(session: Session, story: Story) -> tuple[str | None, str | None]:
    """Where the confirmation DM landed, as the outbox recorded it (never from a payload)."""
    sent = outbox.sent_message(
        session,
        workspace_id=story.workspace_id,
        key=message_key("saved", story.id, story.filed_by),
    )
    return sent if sent is not None else (None, None)

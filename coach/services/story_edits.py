"""Changing one's own 9+ story afterwards: the edit form's current values, and deleting it.

Every change is checked here, against the story as stored and the person Slack says clicked
(`domain/story_rights.py`): a forged click with someone else's story id changes nothing. The
edit itself is saved by `stories.submit_story`, through a draft whose `edit_of` names the story.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from coach.deps import Deps
from coach.services.people import language_of
from coach.services.stories import story_to_change
from coach.services.story_form import FormChoices, form_choices
from coach.services.story_messages import Confirmation, confirmation_at, message_keys
from coach.store import outbox
from coach.store.catalog import get_principle
from coach.store.drafts import open_draft
from coach.store.stories import delete_story

logger = logging.getLogger(__name__)


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


def edit_form(core: Deps, *, workspace_id: str, user_id: str, story_id: int) -> EditForm:
    """The form's choices and the story's current values; raises NotYourStory or
    AlreadyCelebrated."""
    with core.unit_of_work() as session:
        story = story_to_change(
            session, "edit", workspace_id=workspace_id, user_id=user_id, story_id=story_id
        )
        principle = (
            get_principle(session, workspace_id=workspace_id, principle_id=story.principle_id)
            if story.principle_id
            else None
        )
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


def remember_edit(
    core: Deps, *, workspace_id: str, user_id: str, story_id: int, view_id: str
) -> None:
    """Remember that this view edits the story: its submission is checked against it."""
    with core.unit_of_work() as session:
        open_draft(
            session,
            workspace_id=workspace_id,
            user_id=user_id,
            view_id=view_id,
            source="edit",
            now=core.clock.now(),
            edit_of=story_id,
        )


def delete(core: Deps, *, workspace_id: str, user_id: str, story_id: int) -> Confirmation:
    """Delete the story with its credits and unsent messages; raises NotYourStory."""
    with core.unit_of_work() as session:
        story = story_to_change(
            session, "delete", workspace_id=workspace_id, user_id=user_id, story_id=story_id
        )
        channel, ts = confirmation_at(session, story)
        outbox.drop_pending(session, workspace_id=workspace_id, keys=message_keys(story))
        delete_story(session, story)
        language = language_of(session, workspace_id=workspace_id, user_id=user_id)
        return Confirmation(language, channel, ts)

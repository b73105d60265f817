"""9+ stories: open the form, check a submission against it, save it whole or not at all, and
queue the messages it causes.

Colleagues the coach has not met yet are credited provisionally (the form must close within
Slack's 3 seconds, so Slack is not asked before): they get no thank-you until
`settle_colleagues` has Slack's word that they are people of this workspace, and are removed
from the story again if not.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from coach.deps import Deps
from coach.domain.story_rights import Change, may_change
from coach.services.chosen_people import LeftOutReason, settle, sort_chosen
from coach.services.membership import Profile
from coach.services.people import language_of
from coach.services.refusals import NotPermitted
from coach.services.rhythm import reacted
from coach.services.story_form import (
    Checked,
    FormChoices,
    PrincipleChoices,
    StoryRejected,
    Submission,
    check,
    form_choices,
)
from coach.services.story_messages import (
    Confirmation,
    StoryMessages,
    message_key,
    principle_of,
    reads_now,
)
from coach.services.story_messages import message_keys as message_keys  # privacy.py's import
from coach.store import outbox
from coach.store.catalog import principle_text_of
from coach.store.drafts import find_draft, open_draft
from coach.store.models import Story, StoryCredit, StoryDraft
from coach.store.people import get_person
from coach.store.stories import add_story, get_story, story_of_author

logger = logging.getLogger(__name__)


class NotYourStory(NotPermitted):
    """Not this person's form or story: a forged or replayed submission, a click with someone
    else's story id, or a story deleted meanwhile. Nothing changes."""


class AlreadyCelebrated(NotPermitted):
    """The story was celebrated: it can no longer be edited (deleting it still can). The person
    is told so, in `language`."""

    def __init__(self, story_id: int, language: str) -> None:
        super().__init__(f"story {story_id} is celebrated")
        self.language = language


@dataclass(frozen=True)
class FromMessage:
    """The Slack message a story form was opened on: its author is credited."""

    author: str | None
    channel: str | None
    ts: str | None


@dataclass(frozen=True)
class StorySaved:
    story_id: int
    language: str  # the filer's
    unconfirmed: tuple[str, ...]  # credited colleagues Slack has yet to confirm
    edited: Confirmation | None = None  # the confirmation as it reads after an edit


@dataclass(frozen=True)
class ColleaguesSettled:
    filer: str  # who filed the story: they are told who was left out
    language: str  # the filer's
    left_out: tuple[tuple[str, LeftOutReason], ...]  # removed from the story again, and why


def story_form(
    core: Deps, *, workspace_id: str, user_id: str, principles: PrincipleChoices | None = None
) -> FormChoices:
    """What the form offers this person: principles, their teams, whether they lead one.
    `principles`: the choices this process keeps per catalogue version."""
    with core.unit_of_work() as session:
        return form_choices(
            session, workspace_id=workspace_id, user_id=user_id, principles=principles
        )


def remember_form(
    core: Deps,
    *,
    workspace_id: str,
    user_id: str,
    view_id: str,
    source: str,
    message: FromMessage | None = None,
) -> None:
    """Record the opened form, so its submission is checked against it."""
    with core.unit_of_work() as session:
        open_draft(
            session,
            workspace_id=workspace_id,
            user_id=user_id,
            view_id=view_id,
            source=source,
            now=core.clock.now(),
            credited_author=message.author if message else None,
            message_channel=message.channel if message else None,
            message_ts=message.ts if message else None,
        )


def submit_story(
    core: Deps,
    *,
    workspace_id: str,
    user_id: str,
    view_id: str,
    submission: Submission,
    messages: StoryMessages,
) -> StorySaved:
    """Save the submitted form (a new story, or the edit of one) in one transaction; raises
    StoryRejected (on the fields) or NotYourStory."""
    with core.unit_of_work() as session:
        story = submit(
            session,
            workspace_id=workspace_id,
            user_id=user_id,
            view_id=view_id,
            submission=submission,
            now=core.clock.now(),
            messages=messages,
        )
        draft = find_draft(session, workspace_id=workspace_id, view_id=view_id)
        credited = [credit.user_id for credit in story.credits]
        filer = get_person(session, workspace_id=workspace_id, user_id=user_id)
        if filer is not None:  # sharing a story is a reaction too: it ends a back-off
            reacted(session, filer, now=core.clock.now())
        return StorySaved(
            story_id=story.id,
            language=language_of(session, workspace_id=workspace_id, user_id=user_id),
            unconfirmed=sort_chosen(
                session, workspace_id=workspace_id, user_ids=credited
            ).unconfirmed,
            edited=reads_now(session, story, messages)
            if draft is not None and draft.edit_of is not None
            else None,
        )


def settle_colleagues(
    core: Deps,
    *,
    workspace_id: str,
    story_id: int,
    found: Mapping[str, Profile | None],
    messages: StoryMessages,
) -> ColleaguesSettled:
    """After the ack: what Slack said about the provisionally credited colleagues (None: not a
    user of this workspace). Confirmed ones are thanked, the others removed from the story."""
    now = core.clock.now()
    with core.unit_of_work() as session:
        story = get_story(session, workspace_id=workspace_id, story_id=story_id)
        if story is None:  # deleted meanwhile
            return ColleaguesSettled("", "en", ())
        settled = settle(session, workspace_id=workspace_id, found=found, now=now)
        gone = {user_id for user_id, _ in settled.left_out}
        story.credits = [c for c in story.credits if c.user_id not in gone]
        thanked = set(_thanked(story))
        _enqueue(
            session,
            story,
            messages,
            now,
            [("thanks", u) for u in settled.confirmed if u in thanked],
        )
        language = language_of(session, workspace_id=workspace_id, user_id=story.filed_by)
        return ColleaguesSettled(story.filed_by, language, settled.left_out)


def submit(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    view_id: str,
    submission: Submission,
    now: datetime,
    messages: StoryMessages,
) -> Story:
    """Save the story and queue its messages, or raise StoryRejected with every problem.

    Messages: a confirmation to the filer; to a credited message author, the question whether
    it may be shared; to credited colleagues (of a shared story), a thank-you. They go through
    the outbox, so they arrive even if Slack is down right now. A repeated delivery of the same
    submission returns the story saved the first time.

    A form opened to edit a story (`draft.edit_of`) changes that story in place instead, if the
    person may still edit it; colleagues it newly thanks get their thank-you.
    """
    draft = find_draft(session, workspace_id=workspace_id, view_id=view_id)
    if draft is None or draft.user_id != user_id:
        logger.warning("refused a story form that %s did not open (view %s)", user_id, view_id)
        raise NotYourStory(f"view {view_id} was not opened by {user_id} in {workspace_id}")
    if draft.story_id is not None:  # a repeated delivery: the story saved the first time
        saved = get_story(session, workspace_id=workspace_id, story_id=draft.story_id)
        if saved is None:
            raise NotYourStory(f"story {draft.story_id} of view {view_id} is gone")
        return saved
    edited = _editable(session, draft, user_id) if draft.edit_of is not None else None
    checked = check(session, workspace_id, user_id, submission)
    if edited is not None:
        # Messages not sent yet are composed again from the edited story (a removed colleague's
        # thank-you, or all of them for a story made private, is not queued again).
        outbox.drop_pending(session, workspace_id=workspace_id, keys=message_keys(edited))
        old_text = edited.text
        _apply_edit(edited, checked, now)
        # Someone else's words, changed after they agreed: they are asked again.
        ask_again = edited.author_id != edited.filed_by and edited.text != old_text
        if ask_again:
            edited.author_consent = "pending"
        draft.story_id = edited.id
        _queue_messages(
            session,
            edited,
            messages,
            now,
            consent_round=f"{now:%Y%m%dT%H%M%S}" if ask_again else None,
            unconfirmed=checked.unconfirmed,
        )
        return edited
    author = draft.credited_author or user_id
    story = add_story(
        session,
        Story(
            workspace_id=workspace_id,
            author_id=author,
            filed_by=user_id,
            team_id=checked.team_id,
            principle_id=checked.principle_id,
            text=checked.text,
            share=submission.share,
            for_team=checked.for_team,
            author_consent="given" if author == user_id else "pending",
            source=draft.source,
            created_at=now,
            updated_at=now,
            credits=[StoryCredit(user_id=c) for c in checked.colleagues if c != author],
        ),
    )
    draft.story_id = story.id
    _queue_messages(session, story, messages, now, unconfirmed=checked.unconfirmed)
    return story


def _editable(session: Session, draft: StoryDraft, user_id: str) -> Story:
    try:
        return story_to_change(
            session,
            "edit",
            workspace_id=draft.workspace_id,
            user_id=user_id,
            story_id=draft.edit_of or 0,
        )
    except AlreadyCelebrated as error:  # celebrated while the form was open: said on the form
        raise StoryRejected(error.language, {"text": "story_celebrated"}) from None


def story_to_change(
    session: Session, change: Change, *, workspace_id: str, user_id: str, story_id: int
) -> Story:
    """The story `user_id` may `change`; NotYourStory for a forged click, someone else's story or
    one deleted meanwhile, AlreadyCelebrated for an edit after its celebration."""
    story = get_story(session, workspace_id=workspace_id, story_id=story_id)
    verdict = (
        "not_yours"
        if story is None
        else may_change(
            change,
            user_id=user_id,
            author_id=story.author_id,
            filed_by=story.filed_by,
            celebrated=story.celebrated_at is not None,
        )
    )
    if story is None or verdict == "not_yours":  # a forged click, or a story deleted meanwhile
        logger.warning("refused a change to story %s by %s", story_id, user_id)
        raise NotYourStory(f"story {story_id} is not {user_id}'s to {change}")
    if verdict == "celebrated":
        language = language_of(session, workspace_id=workspace_id, user_id=user_id)
        raise AlreadyCelebrated(story_id, language)
    return story


def _apply_edit(story: Story, checked: Checked, now: datetime) -> None:
    story.text, story.principle_id, story.team_id = (
        checked.text,
        checked.principle_id,
        checked.team_id,
    )
    story.share, story.for_team, story.updated_at = checked.share, checked.for_team, now
    wanted = [c for c in checked.colleagues if c != story.author_id]
    story.credits = [c for c in story.credits if c.user_id in wanted]
    kept = {c.user_id for c in story.credits}
    story.credits.extend(StoryCredit(user_id=c) for c in wanted if c not in kept)


def _thanked(story: Story) -> list[str]:
    """Who a story thanks: its credited colleagues, if it is shared (the filer knows)."""
    if not story.share:
        return []
    return [c.user_id for c in story.credits if c.user_id != story.filed_by]


def _queue_messages(
    session: Session,
    story: Story,
    messages: StoryMessages,
    now: datetime,
    *,
    consent_round: str | None = None,
    unconfirmed: Collection[str] = (),
) -> None:
    """Everything a saved story says, except thank-yous to colleagues not confirmed yet."""
    recipients = [("saved", story.filed_by)]
    if story.author_consent == "pending":
        recipients.append(("consent", story.author_id))
    recipients += [("thanks", u) for u in _thanked(story) if u not in unconfirmed]
    _enqueue(session, story, messages, now, recipients, consent_round=consent_round)


def _enqueue(
    session: Session,
    story: Story,
    messages: StoryMessages,
    now: datetime,
    recipients: list[tuple[str, str]],
    *,
    consent_round: str | None = None,
) -> None:
    compose = {"saved": messages.saved, "consent": messages.consent, "thanks": messages.thanks}
    principle = principle_of(session, story)
    rows = []
    for kind, user_id in recipients:
        language = language_of(session, workspace_id=story.workspace_id, user_id=user_id)
        name = principle_text_of(principle, language).name if principle is not None else None
        rows.append(
            outbox.message(
                workspace_id=story.workspace_id,
                key=message_key(kind, story.id, user_id)
                + (f":{consent_round}" if kind == "consent" and consent_round else ""),
                kind=outbox.Kind(f"story_{kind}"),
                channel=user_id,
                payload=compose[kind](language, name, story),
                now=now,
                expires_at=now + timedelta(days=2),
            )
        )
    if rows:
        outbox.enqueue(session, rows)


def consent(core: Deps, *, workspace_id: str, user_id: str, story_id: int, given: bool) -> str:
    """The credited author's answer; only they can give it. Returns their language."""
    with core.unit_of_work() as session:
        story = story_of_author(
            session, workspace_id=workspace_id, user_id=user_id, story_id=story_id
        )
        if story is None:
            logger.warning("refused consent on story %s by %s", story_id, user_id)
            raise NotYourStory(f"story {story_id} is not {user_id}'s to consent to")
        story.author_consent, story.updated_at = ("given" if given else "refused"), core.clock.now()
        return language_of(session, workspace_id=workspace_id, user_id=user_id)

"""9+ stories: open the form, check a submission against it, save it whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.catalog.schema import LEVELS
from coach.domain.story_rights import may_change
from coach.services.people import are_people, language_of
from coach.store import outbox
from coach.store.catalog import principle_text_of
from coach.store.models import (
    Principle,
    Story,
    StoryCredit,
    StoryDraft,
    Team,
    TeamLead,
    TeamMember,
)

MAX_STORY = 1000
MAX_CREDITS = 20
NOT_SURE = "not-sure"


@dataclass(frozen=True)
class FormChoices:
    """What the story form offers this person, in their language."""

    language: str
    principles: list[tuple[str, list[tuple[str, str]]]]  # (level, [(principle key, name)])
    teams: list[tuple[int, str]]
    led: list[int]  # teams this person leads: they may file a story for the whole team


@dataclass(frozen=True)
class Submission:
    text: str
    principle: str | None  # a principle key, NOT_SURE or None
    colleagues: list[str]
    team_id: str | None
    share: bool
    for_team: bool = False  # a lead files it for the whole team


class StoryRejected(Exception):
    """The form has problems; `problems` maps each field to what is wrong (a prompt key)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


class UnknownDraft(Exception):
    """No form was opened by this person with this view: a forged or replayed submission."""


def form_choices(session: Session, *, workspace_id: str, user_id: str) -> FormChoices:
    language = language_of(session, workspace_id=workspace_id, user_id=user_id)
    principles = session.scalars(
        select(Principle)
        .where(Principle.workspace_id == workspace_id, Principle.archived_at.is_(None))
        .order_by(Principle.position)
    ).all()
    grouped = [
        (
            level,
            [(p.key, principle_text_of(p, language).name) for p in principles if p.level == level],
        )
        for level in LEVELS
    ]
    return FormChoices(
        language,
        [g for g in grouped if g[1]],
        _teams_of(session, workspace_id, user_id),
        _led(session, workspace_id, user_id),
    )


def open_draft(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    view_id: str,
    source: str,
    now: datetime,
    credited_author: str | None = None,
    message_channel: str | None = None,
    message_ts: str | None = None,
) -> StoryDraft:
    return session.merge(
        StoryDraft(
            view_id=view_id,
            workspace_id=workspace_id,
            user_id=user_id,
            source=source,
            credited_author=credited_author,
            message_channel=message_channel,
            message_ts=message_ts,
            created_at=now,
        )
    )


class StoryMessages(Protocol):
    """Composes the DMs a saved story causes (Block Kit lives in the Slack layer)."""

    def saved(self, language: str, principle: str | None, story: Story) -> dict[str, Any]: ...

    def consent(self, language: str, principle: str | None, story: Story) -> dict[str, Any]: ...

    def thanks(self, language: str, principle: str | None, story: Story) -> dict[str, Any]: ...


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
    draft = session.get(StoryDraft, view_id)
    if draft is None or draft.workspace_id != workspace_id or draft.user_id != user_id:
        raise UnknownDraft(f"view {view_id} was not opened by {user_id} in {workspace_id}")
    if draft.story_id is not None:
        return session.get_one(Story, draft.story_id)
    edited = _editable(session, draft) if draft.edit_of is not None else None
    checked = _check(session, workspace_id, user_id, submission)
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
        session.flush()
        draft.story_id = edited.id
        _queue_messages(
            session,
            edited,
            messages,
            now,
            consent_round=f"{now:%Y%m%dT%H%M%S}" if ask_again else None,
        )
        return edited
    author = draft.credited_author or user_id
    story = Story(
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
    )
    session.add(story)
    session.flush()
    draft.story_id = story.id
    _queue_messages(session, story, messages, now)
    return story


@dataclass(frozen=True)
class _Checked:
    text: str
    principle_id: int | None
    colleagues: list[str]
    team_id: int | None
    share: bool
    for_team: bool


def _editable(session: Session, draft: StoryDraft) -> Story:
    story = session.get(Story, draft.edit_of)
    if story is None or story.workspace_id != draft.workspace_id:
        raise UnknownDraft(f"story {draft.edit_of} is gone")
    verdict = may_change(
        "edit",
        user_id=draft.user_id,
        author_id=story.author_id,
        filed_by=story.filed_by,
        celebrated=story.celebrated_at is not None,
    )
    if verdict == "not_yours":
        raise UnknownDraft(f"story {story.id} is not {draft.user_id}'s to edit")
    if verdict == "celebrated":  # celebrated while the form was open
        raise StoryRejected({"text": "story_celebrated"})
    return story


def _apply_edit(story: Story, checked: _Checked, now: datetime) -> None:
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


def _check(session: Session, workspace_id: str, user_id: str, submission: Submission) -> _Checked:
    """Every field checked; raises StoryRejected with every problem at once."""
    problems: dict[str, str] = {}
    text = submission.text.strip()
    if not "".join(text.split()):
        problems["text"] = "story_empty"
    elif len(text) > MAX_STORY:
        problems["text"] = "story_too_long"
    principle_id = None
    if submission.principle not in (None, NOT_SURE):
        principle_id = session.scalar(
            select(Principle.id).where(
                Principle.workspace_id == workspace_id,
                Principle.key == submission.principle,
                Principle.archived_at.is_(None),
            )
        )
        if principle_id is None:
            problems["principle"] = "story_principle_gone"
    colleagues = list(dict.fromkeys(submission.colleagues))
    if len(colleagues) > MAX_CREDITS or not are_people(
        session, workspace_id=workspace_id, user_ids=colleagues
    ):
        problems["colleagues"] = "story_not_colleagues"
    teams = {team_id for team_id, _ in _teams_of(session, workspace_id, user_id)}
    team_id: int | None = None
    if submission.team_id is not None:
        team_id = int(submission.team_id) if submission.team_id.isdigit() else -1
        if team_id not in teams:
            problems["team"] = "story_team"
    elif len(teams) == 1:
        team_id = next(iter(teams))
    if submission.for_team and team_id not in _led(session, workspace_id, user_id):
        problems["for_team"] = "story_not_lead"  # checked here: the box may be forged
    if problems:
        raise StoryRejected(problems)
    return _Checked(text, principle_id, colleagues, team_id, submission.share, submission.for_team)


def _queue_messages(
    session: Session,
    story: Story,
    messages: StoryMessages,
    now: datetime,
    *,
    consent_round: str | None = None,
) -> None:
    principle = session.get(Principle, story.principle_id) if story.principle_id else None
    recipients = [("saved", story.filed_by, messages.saved)]
    if story.author_consent == "pending":
        recipients.append(("consent", story.author_id, messages.consent))
    if story.share:
        recipients += [
            ("thanks", c.user_id, messages.thanks)
            for c in story.credits
            if c.user_id != story.filed_by
        ]
    rows = []
    for kind, user_id, compose in recipients:
        language = language_of(session, workspace_id=story.workspace_id, user_id=user_id)
        name = principle_text_of(principle, language).name if principle is not None else None
        rows.append(
            outbox.message(
                workspace_id=story.workspace_id,
                key=message_key(kind, story.id, user_id)
                + (f":{consent_round}" if kind == "consent" and consent_round else ""),
                kind=outbox.Kind(f"story_{kind}"),
                channel=user_id,
                payload=compose(language, name, story),
                now=now,
                expires_at=now + timedelta(days=2),
            )
        )
    outbox.enqueue(session, rows)


def message_keys(story: Story) -> list[str]:
    """The outbox keys of every message this story can cause, to drop those not yet sent."""
    return [
        message_key("saved", story.id, story.filed_by),
        message_key("consent", story.id, story.author_id),
        *(message_key("thanks", story.id, credit.user_id) for credit in story.credits),
    ]


def message_key(kind: str, story_id: int, user_id: str) -> str:
    return f"story_{kind}:{story_id}:{user_id}"


def consent(
    session: Session, *, workspace_id: str, user_id: str, story_id: int, given: bool, now: datetime
) -> str:
    """The credited author's answer; only they can give it. Returns their language."""
    story = session.scalar(
        select(Story).where(
            Story.id == story_id, Story.workspace_id == workspace_id, Story.author_id == user_id
        )
    )
    if story is None:
        raise UnknownDraft(f"story {story_id} is not {user_id}'s to consent to")
    story.author_consent, story.updated_at = ("given" if given else "refused"), now
    return language_of(session, workspace_id=workspace_id, user_id=user_id)


def _teams_of(session: Session, workspace_id: str, user_id: str) -> list[tuple[int, str]]:
    member = select(TeamMember.team_id).where(TeamMember.user_id == user_id)
    lead = select(TeamLead.team_id).where(TeamLead.user_id == user_id)
    rows = session.execute(
        select(Team.id, Team.name)
        .where(Team.workspace_id == workspace_id, Team.id.in_(member.union(lead)))
        .order_by(Team.name)
    ).all()
    return [(row.id, row.name) for row in rows]


def _led(session: Session, workspace_id: str, user_id: str) -> list[int]:
    return list(
        session.scalars(
            select(TeamLead.team_id)
            .join(Team, Team.id == TeamLead.team_id)
            .where(Team.workspace_id == workspace_id, TeamLead.user_id == user_id)
        )
    )

"""What a person does with a nudge: answer it, skip it, snooze, or say how yesterday went.

Every function checks that the nudge or intention belongs to the person acting, in their own
workspace: a forged button or view cannot touch someone else's coaching (NotYours, logged here).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach.deps import Deps
from coach.domain.schedule import Every
from coach.domain.team_settings import DEFAULT_TIMEZONE
from coach.services import people, scheduled_nudges
from coach.services.refusals import FormRejected, NotPermitted
from coach.services.rhythm import reacted
from coach.store import outbox
from coach.store.intentions import owned_intention, save_intention
from coach.store.models import Nudge, Person
from coach.store.nudges import nudge_in_thread, owned_nudge
from coach.store.people import get_person

logger = logging.getLogger(__name__)

MAX_INTENTION = 500
SNOOZE_DAYS = 7
Outcome = Literal["done", "not_done", "skipped"]
INTENTION = "intention"  # the answer's one field, for FormRejected


class NotYours(NotPermitted):
    """The nudge or intention does not exist or belongs to someone else."""


class InvalidAnswer(FormRejected):
    """The answer is empty or too long: `problems` is {INTENTION: "empty" | "too_long"}."""


@dataclass(frozen=True)
class NudgeRef:
    nudge_id: int
    language: str
    channel_id: str | None
    message_ts: str | None


@dataclass(frozen=True)
class Answered:
    nudge: NudgeRef
    intention: str  # as stored: whitespace collapsed
    # the nudge message's blocks as we posted them, to rewrite it in place without asking Slack
    # for them (conversations.history is Tier 3); None when no longer stored
    posted_blocks: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class Closed:
    """A nudge skipped or snoozed; `until` is the local day nudges start again after a snooze."""

    language: str
    status: Literal["skipped", "snoozed"]
    until: date | None


@dataclass(frozen=True)
class FollowedUp:
    language: str
    outcome: Outcome
    intention: str  # shown above the story form when it worked


def nudge_to_answer(
    core: Deps,
    *,
    workspace_id: str,
    user_id: str,
    nudge_id: int,
    clicked_in: tuple[str | None, str | None] = (None, None),
) -> NudgeRef:
    """The nudge whose answer modal is about to open (only the person's own). `clicked_in`:
    the (channel, ts) of the clicked message, which tells where a nudge Slack posted from its
    schedule landed."""
    with core.unit_of_work() as session:
        nudge, _ = _owned(session, workspace_id, user_id, nudge_id, "open the answer to")
        scheduled_nudges.learn(session, nudge, channel_id=clicked_in[0], ts=clicked_in[1])
        return _ref(nudge)


def answer(core: Deps, *, workspace_id: str, user_id: str, nudge_id: int, text: str) -> Answered:
    """Store the answer as the day's intention (answering again replaces it)."""
    with core.unit_of_work() as session:
        cleaned, problem = _cleaned(text)
        if problem is not None:
            language = people.language_of(session, workspace_id=workspace_id, user_id=user_id)
            raise InvalidAnswer(language, {INTENTION: problem})
        nudge, person = _owned(session, workspace_id, user_id, nudge_id, "answer")
        return _answer(session, nudge, person, cleaned, core.clock.now())


def answer_in_thread(
    core: Deps, *, workspace_id: str, user_id: str, channel_id: str, thread_ts: str, text: str
) -> Answered | None:
    """A reply in the thread of a nudge counts as its answer; other DMs, and replies that would
    not do as an answer (empty, too long), are not answers."""
    cleaned, problem = _cleaned(text)
    if problem is not None:
        return None
    with core.unit_of_work() as session:
        nudge = nudge_in_thread(
            session,
            workspace_id=workspace_id,
            user_id=user_id,
            channel_id=channel_id,
            thread_ts=thread_ts,
        )
        if nudge is None:  # perhaps a scheduled nudge whose ts is not known yet
            nudge = scheduled_nudges.posted_as(
                session,
                workspace_id=workspace_id,
                user_id=user_id,
                channel_id=channel_id,
                ts=thread_ts,
            )
        if nudge is None:
            return None
        _, person = _owned(session, workspace_id, user_id, nudge.id, "answer")
        return _answer(session, nudge, person, cleaned, core.clock.now())


def skip(core: Deps, *, workspace_id: str, user_id: str, nudge_id: int) -> Closed:
    now = core.clock.now()
    with core.unit_of_work() as session:
        nudge, person = _owned(session, workspace_id, user_id, nudge_id, "skip")
        nudge.status, nudge.updated_at = "skipped", now
        reacted(session, person, now=now)
        return Closed(nudge.language, "skipped", None)


def snooze(core: Deps, *, workspace_id: str, user_id: str, nudge_id: int) -> Closed:
    """No nudges for a week."""
    now = core.clock.now()
    with core.unit_of_work() as session:
        nudge, person = _owned(session, workspace_id, user_id, nudge_id, "snooze")
        reacted(session, person, now=now)
        until = people.pause(
            session, workspace_id=workspace_id, user_id=user_id, days=SNOOZE_DAYS, now=now
        )
        nudge.status, nudge.updated_at = "snoozed", now
        zone = ZoneInfo(person.tz or DEFAULT_TIMEZONE)
        return Closed(nudge.language, "snoozed", until.astimezone(zone).date())


def follow_up(
    core: Deps, *, workspace_id: str, user_id: str, intention_id: int, outcome: Outcome
) -> FollowedUp:
    """Record how an intention went, without judgement."""
    ids = {"workspace_id": workspace_id, "user_id": user_id}
    with core.unit_of_work() as session:
        intention = owned_intention(session, **ids, intention_id=intention_id)
        if intention is None:
            logger.warning(
                "refused follow-up on intention %s by %s in %s", intention_id, user_id, workspace_id
            )
            raise NotYours(f"intention {intention_id} is not {user_id}'s in {workspace_id}")
        intention.outcome, intention.outcome_at = outcome, core.clock.now()
        person = get_person(session, **ids)
        if person is not None:
            reacted(session, person, now=core.clock.now())
            # a nudge planned with this follow-up shows it no more
            scheduled_nudges.withdraw_person(session, person, now=core.clock.now())
        return FollowedUp(people.language_of(session, **ids), outcome, intention.text)


RhythmChoice = Literal["weekly", "daily", "pause"]


@dataclass(frozen=True)
class RhythmChosen:
    language: str
    choice: RhythmChoice


def choose_rhythm(
    core: Deps, *, workspace_id: str, user_id: str, asked: str, choice: RhythmChoice
) -> RhythmChosen:
    """The answer to the question after ignored nudges: weekly, every workday, or a pause until
    they resume. `asked` is whom the question was sent to; it has to be the clicker."""
    if asked != user_id:
        logger.warning("refused rhythm answer for %r by %s in %s", asked, user_id, workspace_id)
        raise NotYours(f"the rhythm question to {asked!r} is not {user_id}'s in {workspace_id}")
    now, ids = core.clock.now(), {"workspace_id": workspace_id, "user_id": user_id}
    with core.unit_of_work() as session:
        if choice == "pause":
            people.pause(session, **ids, days=None, now=now)
        else:
            every: Every = choice
            people.set_rhythm(session, **ids, every=every, now=now)
        return RhythmChosen(people.language_of(session, **ids), choice)


def _cleaned(text: str) -> tuple[str, Literal["empty", "too_long"] | None]:
    cleaned = " ".join(text.split())
    if not cleaned:
        return cleaned, "empty"
    return cleaned, "too_long" if len(cleaned) > MAX_INTENTION else None


def _owned(
    session: Session, workspace_id: str, user_id: str, nudge_id: int, what: str
) -> tuple[Nudge, Person]:
    found = owned_nudge(session, workspace_id=workspace_id, user_id=user_id, nudge_id=nudge_id)
    if found is None:
        logger.warning("refused to %s nudge %s by %s in %s", what, nudge_id, user_id, workspace_id)
        raise NotYours(f"nudge {nudge_id} is not {user_id}'s in {workspace_id}")
    return found


def _answer(session: Session, nudge: Nudge, person: Person, text: str, now: datetime) -> Answered:
    save_intention(
        session,
        workspace_id=nudge.workspace_id,
        person_id=person.id,
        nudge_id=nudge.id,
        text=text,
        now=now,
    )
    nudge.status, nudge.updated_at = "answered", now
    reacted(session, person, now=now)
    # A nudge planned already shows no follow-up for this answer yet: planned again, it will.
    scheduled_nudges.withdraw_person(session, person, now=now)
    posted = None
    if nudge.channel_id is not None and nudge.message_ts is not None:
        posted = outbox.posted_blocks(
            session,
            workspace_id=nudge.workspace_id,
            nudge_id=nudge.id,
            channel=nudge.channel_id,
            ts=nudge.message_ts,
        )
    return Answered(_ref(nudge), text, posted)


def _ref(nudge: Nudge) -> NudgeRef:
    return NudgeRef(nudge.id, nudge.language, nudge.channel_id, nudge.message_ts)

"""`/coach my-data` and `/coach forget-me`: what the coach stores about a person, in one workspace.

Trust and transparency, not control: anyone can see everything stored about them and have it
forgotten. Nothing here looks at another workspace, even for the same Slack user id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from coach.deps import Deps
from coach.domain.pulse import local_today
from coach.services import people
from coach.services.people import language_of
from coach.services.pulse_answers import months_answered
from coach.services.refusals import NotPermitted
from coach.services.scheduled_nudges import withdraw_person
from coach.services.story_messages import message_keys_of
from coach.store import outbox, personal_data
from coach.store.people import get_person
from coach.store.personal_data import StoryRow

logger = logging.getLogger(__name__)

EXPORT_VERSION = 1


@dataclass(frozen=True)
class ForgetSummary:
    """What `/coach forget-me` would delete, counted, for the confirmation."""

    intentions: int
    nudges: int
    stories: int
    credits: int


class NotYou(NotPermitted):
    """Someone confirmed forgetting a person other than themselves."""


@dataclass(frozen=True)
class ForgetAnswered:
    """What became of the forget-me question: `forgotten` False when it was cancelled."""

    language: str
    forgotten: bool


def my_data(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    now: datetime,
    pulse_key: bytes | None = None,
) -> dict[str, Any] | None:
    """Everything stored about the person as plain JSON values, or None when there is nothing.

    Their pulse answers are anonymous, so only the months they answered in are theirs to see:
    found by recomputing their tokens with `pulse_key`, never stored beside them."""
    data = personal_data.gather(session, workspace_id=workspace_id, user_id=user_id)
    if data.is_empty():
        return None
    principles, teams = data.principles, data.teams
    person = data.person
    return {
        "export": {"version": EXPORT_VERSION, "at": _plain(now)},
        "workspace": workspace_id,
        "user": user_id,
        "settings": None
        if person is None
        else {
            "language": person.language,
            "nudge_time": _plain(person.nudge_time),
            "weekdays": person.weekdays,
            "rhythm": person.rhythm,
            "nudges_without_reaction": person.quiet_nudges,
            "asked_about_rhythm_at": _plain(person.rhythm_asked_at),
            "weekly_until_you_react": person.backed_off,
            "paused_until": _plain(person.paused_until),
            "time_zone": person.tz,
            "locale": person.locale,
            "next_nudge_at": _plain(person.next_nudge_at),
            "unreachable": person.unreachable,
            "workspace_admin_in_slack": person.slack_admin,
            "first_seen": _plain(person.created_at),
            "updated": _plain(person.updated_at),
        },
        "catalogue_admin": None
        if data.admin is None
        else {"added_by": data.admin.added_by, "added_at": _plain(data.admin.added_at)},
        "teams": [
            {"team": name, "channel": channel, "joined_at": _plain(joined_at)}
            for name, channel, joined_at in data.memberships
        ],
        "team_lead_of": [{"team": name, "channel": channel} for name, channel in data.leads],
        # These lists are what grows with the years: one dict per plain row, nothing else.
        "nudges": [
            {
                "date": day.isoformat(),
                "principle": principles.get(principle_id),
                "status": status,
                "language": language,
            }
            for day, principle_id, status, language in data.nudges
        ],
        "intentions": [
            {
                "text": text,
                "outcome": outcome,
                "at": _plain(created_at),
                "outcome_at": _plain(outcome_at),
            }
            for text, outcome, created_at, outcome_at in data.intentions
        ],
        "stories": [_story(s, principles, teams, data.credits.get(s.id, [])) for s in data.stories],
        "credited_in": [
            {
                "story": s.id,
                "author": s.author_id,
                "principle": principles.get(s.principle_id),
                "at": _plain(s.created_at),
                # a private story stays its author's: only that it credits you is yours
                "text": s.text if s.share else None,
            }
            for s in data.credited
        ],
        "story_forms_opened": [
            {"source": source, "at": _plain(at), "story": story_id, "edits": edit_of}
            for source, at, story_id, edit_of in data.drafts
        ],
        "messages_to_you": [
            {"kind": kind, "status": status, "queued_at": _plain(at), "sent_at": _plain(sent)}
            for kind, status, at, sent in data.messages
        ],
        "celebration_actions": [
            {
                "team": teams.get(c.team_id),
                "week": f"{c.iso_year}-W{c.iso_week:02d}",
                "action": c.lead_action,
                "at": _plain(c.lead_action_at),
                "note": c.note,
            }
            for c in data.celebration_actions
        ],
        "catalogue_changes_you_made": [
            {"at": _plain(at), "action": action, "principle": subject}
            for at, action, subject in data.catalog_changes
        ],
        "team_pulse_answered_in": []
        if person is None
        else [
            f"{month:%Y-%m}"
            for month in months_answered(
                session, pulse_key, person, local_today(now, person.tz or "UTC")
            )
        ],
    }


def forget_summary(session: Session, *, workspace_id: str, user_id: str) -> ForgetSummary:
    data = personal_data.gather(session, workspace_id=workspace_id, user_id=user_id)
    return ForgetSummary(
        intentions=len(data.intentions),
        nudges=len(data.nudges),
        stories=sum(1 for s in data.stories if s.author_id == user_id),
        credits=len(data.credited),
    )


def forget_me(core: Deps, *, workspace_id: str, user_id: str, confirmed_for: str) -> ForgetAnswered:
    """Delete everything about the person who clicked.

    `confirmed_for` is whom the confirmation was shown to. It only has to agree with the
    clicking user: identity comes from Slack's payload, never from a button's value.
    """
    if confirmed_for != user_id:
        logger.warning("refused forget-me for %r by %s in %s", confirmed_for, user_id, workspace_id)
        raise NotYou(f"{user_id} confirmed forgetting {confirmed_for!r}")
    with core.unit_of_work() as session:
        language = language_of(session, workspace_id=workspace_id, user_id=user_id)
        data = personal_data.gather(session, workspace_id=workspace_id, user_id=user_id)
        keys = [
            key
            for s in data.stories
            if s.author_id == user_id
            for key in message_keys_of(s.id, s.filed_by, s.author_id, data.credits.get(s.id, []))
        ]
        outbox.drop_pending(session, workspace_id=workspace_id, keys=keys)  # e.g. thank-yous
        person = get_person(session, workspace_id=workspace_id, user_id=user_id)
        if person is not None:  # a DM in Slack's queue is deleted there, nothing kept of them
            withdraw_person(session, person, now=core.clock.now(), everything=True)
        personal_data.forget(session, workspace_id=workspace_id, user_id=user_id)
        # Forgetting someone also stops the questions, for good: what is left is a row that says
        # only that (paused until they start again), so member sync, which meets them again in
        # their team's channel, does not start afresh. `/coach resume` is how they opt in again.
        people.pause(
            session, workspace_id=workspace_id, user_id=user_id, days=None, now=core.clock.now()
        )
    return ForgetAnswered(language, forgotten=True)


def keep_me(core: Deps, *, workspace_id: str, user_id: str) -> ForgetAnswered:
    """The forget-me question was cancelled: everything stays."""
    with core.unit_of_work() as session:
        language = language_of(session, workspace_id=workspace_id, user_id=user_id)
    return ForgetAnswered(language, forgotten=False)


def _story(
    story: StoryRow, principles: dict[int, str], teams: dict[int, str], credits: list[str]
) -> dict[str, Any]:
    return {
        "id": story.id,
        "text": story.text,
        "principle": principles.get(story.principle_id),
        "team": teams.get(story.team_id),
        "author": story.author_id,
        "filed_by": story.filed_by,
        "for_team": story.for_team,
        "credits": credits,
        "share": story.share,
        "author_consent": story.author_consent,
        "source": story.source,
        "created_at": _plain(story.created_at),
        "updated_at": _plain(story.updated_at),
        "celebrated_at": _plain(story.celebrated_at),
    }


def _plain(value: datetime | date | time | None) -> str | None:
    return value.isoformat() if value is not None else None

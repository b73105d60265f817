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
from coach.services.stories import message_keys
from coach.store import outbox, personal_data
from coach.store.models import Story
from coach.store.people import get_person

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

    def principle(principle_id: int | None) -> str | None:
        found = data.principles.get(principle_id) if principle_id is not None else None
        return found.name if found is not None else None

    def team(team_id: int | None) -> str | None:
        found = data.teams.get(team_id) if team_id is not None else None
        return found.name if found is not None else None

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
            {"team": t.name, "channel": t.channel_id, "joined_at": _plain(m.joined_at)}
            for t, m in data.memberships
        ],
        "team_lead_of": [{"team": t.name, "channel": t.channel_id} for t in data.leads],
        "nudges": [
            {
                "date": _plain(n.local_date),
                "principle": principle(n.principle_id),
                "status": n.status,
                "language": n.language,
            }
            for n in data.nudges
        ],
        "intentions": [
            {
                "text": i.text,
                "outcome": i.outcome,
                "at": _plain(i.created_at),
                "outcome_at": _plain(i.outcome_at),
            }
            for i in data.intentions
        ],
        "stories": [_story(s, principle(s.principle_id), team(s.team_id)) for s in data.stories],
        "credited_in": [
            {
                "story": s.id,
                "author": s.author_id,
                "principle": principle(s.principle_id),
                "at": _plain(s.created_at),
                # a private story stays its author's: only that it credits you is yours
                "text": s.text if s.share else None,
            }
            for s in data.credited
        ],
        "story_forms_opened": [
            {
                "source": d.source,
                "at": _plain(d.created_at),
                "story": d.story_id,
                "edits": d.edit_of,
            }
            for d in data.drafts
        ],
        "messages_to_you": [
            {
                "kind": m.kind,
                "status": m.status,
                "queued_at": _plain(m.created_at),
                "sent_at": _plain(m.sent_at),
            }
            for m in data.messages
        ],
        "celebration_actions": [
            {
                "team": team(c.team_id),
                "week": f"{c.iso_year}-W{c.iso_week:02d}",
                "action": c.lead_action,
                "at": _plain(c.lead_action_at),
                "note": c.note,
            }
            for c in data.celebration_actions
        ],
        "catalogue_changes_you_made": [
            {"at": _plain(c.at), "action": c.action, "principle": c.subject}
            for c in data.catalog_changes
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
        keys = [key for s in data.stories if s.author_id == user_id for key in message_keys(s)]
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


def _story(story: Story, principle: str | None, team: str | None) -> dict[str, Any]:
    return {
        "id": story.id,
        "text": story.text,
        "principle": principle,
        "team": team,
        "author": story.author_id,
        "filed_by": story.filed_by,
        "for_team": story.for_team,
        "credits": [c.user_id for c in story.credits],
        "share": story.share,
        "author_consent": story.author_consent,
        "source": story.source,
        "created_at": _plain(story.created_at),
        "updated_at": _plain(story.updated_at),
        "celebrated_at": _plain(story.celebrated_at),
    }


def _plain(value: datetime | date | time | None) -> str | None:
    return value.isoformat() if value is not None else None

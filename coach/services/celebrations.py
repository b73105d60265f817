"""Weekly celebrations: plan each team's, preview it to the leads, queue the post, record it.

Exactly one per team per ISO week: the `celebrations` row is unique per (team, year, week) and
its post's outbox key is `celebration:{id}`, so any number of passes and processes queue it once.
A story is celebrated only when the post landed; a post that could not be made leaves every
story for next week's, and the leads hear why.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func, select, update
from sqlalchemy.orm import Session, selectinload

from coach.domain.celebration import (
    LATE_LIMIT,
    MAX_NOTE,
    PREVIEW_AHEAD,
    CelebrationContent,
    CelebrationStory,
    Focus,
    PrincipleInfo,
    group_by_principle,
)
from coach.domain.schedule import celebration_instant, iso_week
from coach.services.nudging import week_focus
from coach.store import outbox
from coach.store.catalog import principle_text_of
from coach.store.db import insert_or_ignore
from coach.store.models import (
    Celebration,
    Intention,
    Nudge,
    Person,
    Principle,
    Story,
    Team,
    TeamLead,
    TeamMember,
    Workspace,
)

# Slack allows about one post per second per channel; a 429 would park the whole workspace.
REPLY_SPACING = timedelta(seconds=1.5)
logger = logging.getLogger(__name__)
OPEN = ("planned", "previewed")  # a lead can still act; the post is not queued yet


class CelebrationMessages(Protocol):
    """Composes the celebration's messages (Block Kit lives in the Slack layer)."""

    def post(self, content: CelebrationContent) -> dict[str, Any]:
        """The channel post, the ids of the stories it shows under "story_ids", and the
        messages for its thread (each with its own "story_ids") under "thread"."""
        ...

    def preview(
        self, content: CelebrationContent, celebration_id: int, due: datetime, tz: str
    ) -> dict[str, Any]: ...

    def problem(
        self, language: str, team_name: str, channel_id: str, reason: str
    ) -> dict[str, Any]: ...


class NotALead(Exception):
    """Only a lead of the celebration's team may change it."""


class TooLate(Exception):
    """The celebration was already posted, queued or skipped."""


class NoteRejected(Exception):
    pass


def plan_celebrations(session: Session, *, now: datetime, messages: CelebrationMessages) -> int:
    """Preview and queue what is due at `now`; returns how many posts were queued."""
    teams = session.scalars(
        select(Team)
        .join(Workspace, Workspace.id == Team.workspace_id)
        .where(Workspace.uninstalled_at.is_(None))
        .order_by(Team.id)
    ).all()
    queued = 0
    for team in teams:
        moment = this_weeks_moment(team, now)
        if moment is None:
            continue
        year, week, due = moment
        if not due - PREVIEW_AHEAD <= now <= due + LATE_LIMIT:
            continue
        celebration = _take(session, team, year, week, due, now)
        if celebration is None:
            continue
        if now < due:
            if celebration.status == "planned":
                _preview(session, celebration, team, now, messages)
        else:
            queued += _queue_post(session, celebration, team, now, messages) == "queued"
    return queued


def this_weeks_moment(team: Team, now: datetime) -> tuple[int, int, datetime] | None:
    """(ISO year, ISO week, the celebration's moment in UTC) for the team's current local week."""
    year, week = iso_week(now.astimezone(ZoneInfo(team.timezone)).date())
    due = celebration_instant(
        year,
        week,
        weekday=team.celebrate_weekday,
        at=team.celebrate_time,
        tz=team.timezone,
        holiday_country=team.holiday_country,
    )
    return None if due is None else (year, week, due)


def _take(
    session: Session, team: Team, year: int, week: int, due: datetime, now: datetime
) -> Celebration | None:
    """This week's celebration, created if absent and locked; None when it is no longer open."""
    insert_or_ignore(
        session,
        Celebration,
        [
            {
                "workspace_id": team.workspace_id,
                "team_id": team.id,
                "iso_year": year,
                "iso_week": week,
                "due_at": due,
                "status": "planned",
                "created_at": now,
                "updated_at": now,
            }
        ],
        unique=["team_id", "iso_year", "iso_week"],
    )
    return session.scalar(
        select(Celebration)
        .where(
            Celebration.team_id == team.id,
            Celebration.iso_year == year,
            Celebration.iso_week == week,
            Celebration.status.in_(OPEN),
        )
        .with_for_update(skip_locked=True)
    )


def _preview(
    session: Session,
    celebration: Celebration,
    team: Team,
    now: datetime,
    messages: CelebrationMessages,
) -> None:
    content = assemble(session, team, celebration, now)
    payload = messages.preview(content, celebration.id, celebration.due_at, team.timezone)
    key = f"celebration_preview:{celebration.id}"
    _to_leads(session, team, key, "celeb_preview", payload, now, expires=celebration.due_at)
    celebration.status, celebration.updated_at = "previewed", now


def _queue_post(
    session: Session,
    celebration: Celebration,
    team: Team,
    now: datetime,
    messages: CelebrationMessages,
) -> str:
    """Queue the post: "queued", "no_members" (the leads are told), or "changed" when a lead
    acted since we read the row (skip, note): then nothing is queued and the next pass looks
    again. The compare-and-set matters on SQLite, where the row lock is a no-op."""
    content = assemble(session, team, celebration, now)
    if content.members == 0:
        _undeliverable(session, celebration, team, "no_members", now, messages)
        return "no_members"
    claimed = session.execute(
        update(Celebration)
        .where(
            Celebration.id == celebration.id,
            Celebration.status.in_(OPEN),
            Celebration.updated_at == celebration.updated_at,
        )
        .values(status="queued", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.expire(celebration)
    if not _changed(claimed):
        return "changed"
    post = outbox.message(
        workspace_id=team.workspace_id,
        key=f"celebration:{celebration.id}",
        kind="celebration",
        channel=team.channel_id,
        payload=messages.post(content),
        now=now,
        expires_at=max(now, celebration.due_at) + LATE_LIMIT,
    )
    outbox.enqueue(session, [post])
    return "queued"


def refresh_post(
    session: Session, row: Any, *, now: datetime, messages: CelebrationMessages
) -> dict[str, Any] | None:
    """The post as it should read now, just before it is sent: a story deleted, made private or
    forgotten since it was queued (Slack was down, the workspace rate-limited) is left out."""
    celebration = _celebration_of(session, row.key)
    if celebration is None or celebration.status != "queued":
        return None
    team = session.get_one(Team, celebration.team_id)
    return messages.post(assemble(session, team, celebration, now))


def refresh_reply(session: Session, row: Any) -> dict[str, Any] | None:
    """A thread reply just before it is sent: stories deleted, made private or forgotten since
    the post went out are taken out of it."""
    payload = dict(row.payload)
    per_block = payload.get("block_story_ids")
    if not isinstance(per_block, list) or len(per_block) != len(payload.get("blocks") or []):
        return None
    wanted = [i for i in per_block if isinstance(i, int)]
    still = set(
        session.scalars(
            select(Story.id).where(
                Story.id.in_(wanted),
                Story.workspace_id == row.workspace_id,
                Story.share.is_(True),
                Story.author_consent == "given",
            )
        )
    )
    if still == set(wanted):
        return None
    keep = [n for n, i in enumerate(per_block) if i is None or i in still]
    payload["blocks"] = [payload["blocks"][n] for n in keep]
    payload["block_story_ids"] = [per_block[n] for n in keep]
    payload["story_ids"] = [i for i in payload["block_story_ids"] if i is not None]
    return payload


def _changed(result: Any) -> bool:
    return bool(result.rowcount)


def assemble(
    session: Session, team: Team, celebration: Celebration, now: datetime
) -> CelebrationContent:
    """What the team's channel will read: every shared, agreed, not yet celebrated story."""
    language = team.language
    stories = session.scalars(
        select(Story)
        .where(
            Story.workspace_id == team.workspace_id,
            Story.team_id == team.id,
            Story.share.is_(True),
            Story.author_consent == "given",
            Story.celebrated_at.is_(None),
            Story.created_at <= now,
        )
        .options(selectinload(Story.credits))
    ).all()
    principles = list(
        session.scalars(
            select(Principle)
            .where(Principle.workspace_id == team.workspace_id)
            .options(selectinload(Principle.behaviours))
        )
    )
    keys = {p.id: p.key for p in principles}
    monday = date.fromisocalendar(celebration.iso_year, celebration.iso_week, 1)
    week = (Nudge.team_id == team.id, Nudge.local_date.between(monday, monday + timedelta(6)))
    per_principle = session.execute(
        select(Nudge.principle_id, func.count())
        .join(Intention, Intention.nudge_id == Nudge.id)
        .where(*week)
        .group_by(Nudge.principle_id)
    ).all()
    participants = session.scalar(
        select(func.count(distinct(Nudge.person_id)))
        .join(Intention, Intention.nudge_id == Nudge.id)
        .where(*week)
    )
    groups = group_by_principle(
        [
            CelebrationStory(
                id=s.id,
                text=s.text,
                author_id=s.author_id,
                for_team=s.for_team,
                credits=tuple(c.user_id for c in s.credits if c.user_id != s.author_id),
                principle_key=keys.get(s.principle_id) if s.principle_id is not None else None,
                created_at=s.created_at,
            )
            for s in stories
        ],
        [
            PrincipleInfo(p.key, p.level, p.position, principle_text_of(p, language).name)
            for p in principles
        ],
        {
            keys[principle_id]: count
            for principle_id, count in per_principle
            if principle_id in keys
        },
    )
    active = [p for p in principles if p.archived_at is None]
    focus = week_focus(session, team, monday + timedelta(7), principles=active)
    next_focus = None
    if focus is not None:
        text = principle_text_of(focus, language)
        next_focus = Focus(text.name, text.hki_question)
    return CelebrationContent(
        language=language,
        team_name=team.name,
        channel_id=team.channel_id,
        iso_week=celebration.iso_week,
        groups=groups,
        participants=int(participants or 0),
        members=member_count(session, team),
        next_focus=next_focus,
        note=celebration.note,
    )


def lead_action(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    celebration_id: int,
    action: str,
    now: datetime,
    messages: CelebrationMessages,
    note: str | None = None,
) -> tuple[str, str]:
    """A lead's choice on the preview: "note" (with the text), "post_now" or "skip".

    Checked here, not in the UI: only a lead of that team, and only while it is open (a
    compare-and-set on the status, so a pass queueing the post at the same moment wins or
    loses cleanly). Returns the team's language and what happened: the action, or "no_members".
    """
    celebration, team = _as_lead(session, workspace_id, user_id, celebration_id)
    if celebration.status not in OPEN:
        raise TooLate(celebration.status, team.language)
    values: dict[str, Any] = {}
    done = action
    if action == "note":
        text = (note or "").strip()
        if len(text) > MAX_NOTE:
            raise NoteRejected("celebration_note_too_long", team.language)
        values["note"] = text or None
    elif action == "post_now":
        done = _queue_post(session, celebration, team, now, messages)
        if done == "changed":
            raise TooLate("changed", team.language)
    elif action == "skip":
        values["status"] = "skipped"
    else:
        raise ValueError(f"unknown celebration action {action!r}")
    record = {"lead_action": action, "lead_action_by": user_id, "lead_action_at": now}
    where = [Celebration.id == celebration_id]
    if values:  # note, skip: only while still open (post_now changed the status itself)
        where.append(Celebration.status.in_(OPEN))
    changed = session.execute(
        update(Celebration)
        .where(*where)
        .values(**values, **record, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.expire(celebration)
    if not _changed(changed):
        raise TooLate("changed", team.language)
    return team.language, done


def note_of(
    session: Session, *, workspace_id: str, user_id: str, celebration_id: int
) -> tuple[str, str | None]:
    """(language, the current note) for the note modal; only for the team's leads."""
    celebration, team = _as_lead(session, workspace_id, user_id, celebration_id)
    if celebration.status not in OPEN:
        raise TooLate(celebration.status, team.language)
    return team.language, celebration.note


def _as_lead(
    session: Session, workspace_id: str, user_id: str, celebration_id: int
) -> tuple[Celebration, Team]:
    celebration = session.scalar(
        select(Celebration)
        .where(Celebration.id == celebration_id, Celebration.workspace_id == workspace_id)
        .with_for_update()
    )
    lead = session.scalar(
        select(TeamLead.user_id).where(
            TeamLead.team_id == (celebration.team_id if celebration else None),
            TeamLead.user_id == user_id,
        )
    )
    if celebration is None or lead is None:
        raise NotALead(f"{user_id} leads no team with celebration {celebration_id}")
    return celebration, session.get_one(Team, celebration.team_id)


def celebration_finished(
    session: Session, finished: list[Any], *, now: datetime, messages: CelebrationMessages
) -> None:
    """Outbox hook for posts: on success the post's stories are celebrated and its thread
    replies queued; on failure the stories wait for next week and the leads hear why."""
    for item in finished:
        celebration = _celebration_of(session, item.key)
        if celebration is None:
            continue
        team = session.get_one(Team, celebration.team_id)
        if item.status != outbox.SENT:
            _undeliverable(session, celebration, team, item.error or item.status, now, messages)
            continue
        celebration.status, celebration.updated_at = "posted", now
        _celebrate(session, celebration, item.payload.get("story_ids"), now)
        replies = [
            outbox.message(
                workspace_id=team.workspace_id,
                key=f"{item.key}:reply:{n}",
                kind="celeb_reply",
                channel=item.channel or team.channel_id,
                payload={**part, "thread_ts": item.ts},
                now=now,
                due_at=now + REPLY_SPACING * n,
                expires_at=now + timedelta(days=1),
            )
            for n, part in enumerate(item.payload.get("thread") or [], start=1)
        ]
        outbox.enqueue(session, replies)


def reply_finished(session: Session, finished: list[Any], *, now: datetime) -> None:
    """Outbox hook for thread replies: their stories are celebrated once they are there; a
    reply that could not be posted leaves its stories for next week."""
    for item in finished:
        if item.status != outbox.SENT:
            logger.warning("celebration reply %s not posted: %s", item.key, item.error)
            continue
        celebration = _celebration_of(session, item.key)
        if celebration is not None:
            _celebrate(session, celebration, item.payload.get("story_ids"), now)


def _celebration_of(session: Session, key: str) -> Celebration | None:
    """The celebration an outbox key belongs to: `celebration:{id}` and `...:reply:{n}`."""
    return session.get(Celebration, int(key.split(":")[1]))


def _celebrate(session: Session, celebration: Celebration, story_ids: Any, now: datetime) -> None:
    ids = [i for i in story_ids or [] if isinstance(i, int)]
    session.execute(
        update(Story)
        .where(
            Story.id.in_(ids),
            Story.workspace_id == celebration.workspace_id,
            Story.celebrated_at.is_(None),
        )
        .values(celebrated_at=now, celebration_id=celebration.id)
        .execution_options(synchronize_session=False)
    )


def _undeliverable(
    session: Session,
    celebration: Celebration,
    team: Team,
    reason: str,
    now: datetime,
    messages: CelebrationMessages,
) -> None:
    celebration.status, celebration.problem, celebration.updated_at = "undeliverable", reason, now
    payload = messages.problem(team.language, team.name, team.channel_id, reason)
    key = f"celebration_problem:{celebration.id}"
    _to_leads(session, team, key, "celeb_problem", payload, now, expires=now + timedelta(days=2))


def _to_leads(
    session: Session,
    team: Team,
    key: str,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    *,
    expires: datetime,
) -> None:
    outbox.enqueue(
        session,
        [
            outbox.message(
                workspace_id=team.workspace_id,
                key=f"{key}:{lead.user_id}",
                kind=kind,
                channel=lead.user_id,
                payload=payload,
                now=now,
                expires_at=expires,
            )
            for lead in team.leads
        ],
    )


def member_count(session: Session, team: Team) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(TeamMember)
            .join(
                Person,
                (Person.workspace_id == team.workspace_id) & (Person.user_id == TeamMember.user_id),
            )
            .where(
                TeamMember.team_id == team.id,
                Person.is_bot.is_(False),
                Person.deleted.is_(False),
            )
        )
        or 0
    )

"""Weekly celebrations: work out what is due, preview it to the leads, queue the post.

Exactly one per team per ISO week: the `celebrations` row is unique per (team, year, week) and
its post's outbox key is `celebration:{id}`, so any number of passes and processes queue it once.
What happens once the post is sent is in celebration_delivery.py; the leads' buttons on the
preview in celebration_actions.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach.deps import Deps
from coach.domain.celebration import (
    LATE_LIMIT,
    PREVIEW_AHEAD,
    CelebrationContent,
    CelebrationStory,
    Focus,
    MinGroup,
    PrincipleInfo,
    group_by_principle,
)
from coach.domain.schedule import celebration_instant, iso_week
from coach.services.nudging import week_focus
from coach.services.pulse_results import closed_month_line
from coach.store import celebrations as store
from coach.store import outbox
from coach.store.catalog import list_principles, principle_text_of
from coach.store.models import Celebration, Team
from coach.store.teams import get_team_by_id

if TYPE_CHECKING:
    from coach.services.pictures import TeamPyramidView


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

    def picture(self, view: TeamPyramidView) -> dict[str, Any]:
        """The team's pyramid as an upload for the celebration's thread ("upload": the PNG in
        base64, its file name, title, alt text and the reading as the comment)."""
        ...


def plan_celebrations(core: Deps, *, messages: CelebrationMessages) -> int:
    """Preview and queue what is due now; returns how many posts were queued.

    Only teams whose stored check moment has come are read (`celebration_check_at`, indexed),
    and each is given its next one, so a pass with nothing due costs the same at any size.
    Each due team in its own transaction: a Friday with a hundred teams never holds one write
    transaction (and its locks) across all of them, and what is done for one team is committed
    even when a later one fails."""
    now = core.clock.now()
    minimum = MinGroup.of(core.settings.coach_min_group)
    due: list[tuple[str, int, tuple[int, int, datetime]]] = []
    with core.unit_of_work() as session:
        later: dict[int, datetime] = {}
        for team in store.teams_to_plan(session, now=now):
            moment = this_weeks_moment(team, now)
            if moment is not None and moment[2] - PREVIEW_AHEAD <= now <= moment[2] + LATE_LIMIT:
                due.append((team.workspace_id, team.id, moment))
            else:
                later[team.id] = next_check(team, now)
        store.set_celebration_checks(session, later)
    queued = 0
    for workspace_id, team_id, (year, week, due_at) in due:
        with core.unit_of_work() as session:
            found = get_team_by_id(session, workspace_id=workspace_id, team_id=team_id)
            if found is None:
                continue
            posted, check = _plan_team(session, found, year, week, due_at, now, messages, minimum)
            queued += posted
            if check is not None:
                store.set_celebration_checks(session, {found.id: check})
    return queued


def next_check(team: Team, now: datetime) -> datetime:
    """When the planner must next look at the team: its next preview time (or now, within a
    celebration's window); a week on when no moment is found in the weeks ahead (holidays)."""
    for ahead in range(9):
        moment = this_weeks_moment(team, now + timedelta(weeks=ahead))
        if moment is not None and now <= moment[2] + LATE_LIMIT:
            return max(moment[2] - PREVIEW_AHEAD, now)
    return now + timedelta(weeks=1)


def _plan_team(
    session: Session,
    team: Team,
    year: int,
    week: int,
    due: datetime,
    now: datetime,
    messages: CelebrationMessages,
    minimum: MinGroup,
) -> tuple[bool, datetime | None]:
    """Preview or queue the team's celebration: whether its post was queued, and when to look
    at the team again (None: on the next pass)."""
    past_window = due + LATE_LIMIT + timedelta(seconds=1)
    celebration = store.take_week(
        session,
        workspace_id=team.workspace_id,
        team_id=team.id,
        iso_year=year,
        iso_week=week,
        due_at=due,
        now=now,
    )
    if celebration is None:  # settled, or another process holds it right now
        status = store.celebration_status(session, team_id=team.id, iso_year=year, iso_week=week)
        return False, None if status in store.OPEN else past_window
    if now < due:
        if celebration.status == "planned":
            _preview(session, celebration, team, now, messages, minimum)
        return False, due
    outcome = queue_post(session, celebration, team, now, messages, minimum)
    return outcome == "queued", None if outcome == "changed" else past_window


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


def _preview(
    session: Session,
    celebration: Celebration,
    team: Team,
    now: datetime,
    messages: CelebrationMessages,
    minimum: MinGroup,
) -> None:
    content = assemble(session, team, celebration, now, minimum)
    payload = messages.preview(content, celebration.id, celebration.due_at, team.timezone)
    key = f"celebration_preview:{celebration.id}"
    _to_leads(session, team, key, outbox.Kind.CELEBRATION_PREVIEW, payload, now, celebration.due_at)
    celebration.status, celebration.updated_at = "previewed", now


def queue_post(
    session: Session,
    celebration: Celebration,
    team: Team,
    now: datetime,
    messages: CelebrationMessages,
    minimum: MinGroup,
) -> str:
    """Queue the post: "queued", "no_members" (the leads are told), or "changed" when a lead
    acted since we read the row (skip, note): then nothing is queued and the next pass looks
    again. The compare-and-set matters on SQLite, where the row lock is a no-op."""
    content = assemble(session, team, celebration, now, minimum)
    if content.members == 0:
        undeliverable(session, celebration, team, "no_members", now, messages)
        return "no_members"
    if not store.claim_for_post(session, celebration, now=now):
        return "changed"
    post = outbox.message(
        workspace_id=team.workspace_id,
        key=f"celebration:{celebration.id}",
        kind=outbox.Kind.CELEBRATION,
        channel=team.channel_id,
        payload=messages.post(content),
        now=now,
        expires_at=max(now, celebration.due_at) + LATE_LIMIT,
    )
    outbox.enqueue(session, [post])
    return "queued"


def assemble(
    session: Session, team: Team, celebration: Celebration, now: datetime, minimum: MinGroup
) -> CelebrationContent:
    """What the team's channel will read: every shared, agreed, not yet celebrated story, and
    only the counts that cover enough people (`minimum`)."""
    language = team.language
    stories = store.stories_to_celebrate(
        session, workspace_id=team.workspace_id, team_id=team.id, now=now
    )
    principles = list_principles(session, workspace_id=team.workspace_id)
    keys = {p.id: p.key for p in principles}
    monday = date.fromisocalendar(celebration.iso_year, celebration.iso_week, 1)
    per_principle, participants = store.intentions_of_week(session, team_id=team.id, monday=monday)
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
        {  # from private answers: only where enough people set one
            keys[principle_id]: count
            for principle_id, (count, people) in per_principle.items()
            if principle_id in keys and minimum.shown(count, people=people, private=True)
        },
    )
    active = [p for p in principles if p.archived_at is None]
    focus = week_focus(session, team, monday + timedelta(7), principles=active)
    members = member_count(session, team)
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
        participants=minimum.shown(participants, people=participants, private=True),
        members=members,
        counted=minimum.shown(members, people=members) is not None,
        next_focus=next_focus,
        note=celebration.note,
        pulse=closed_month_line(
            session,
            team=team,
            day=celebration.due_at.astimezone(ZoneInfo(team.timezone)).date(),
            minimum=minimum,
        ),
    )


def member_count(session: Session, team: Team) -> int:
    return store.member_count(session, workspace_id=team.workspace_id, team_id=team.id)


def undeliverable(
    session: Session,
    celebration: Celebration,
    team: Team,
    reason: str,
    now: datetime,
    messages: CelebrationMessages,
) -> None:
    """The post cannot be made (no members, a channel the bot cannot post in): the stories wait
    for next week and the leads hear why."""
    celebration.status, celebration.problem, celebration.updated_at = "undeliverable", reason, now
    payload = messages.problem(team.language, team.name, team.channel_id, reason)
    key = f"celebration_problem:{celebration.id}"
    expires = now + timedelta(days=2)
    _to_leads(session, team, key, outbox.Kind.CELEBRATION_PROBLEM, payload, now, expires)


def _to_leads(
    session: Session,
    team: Team,
    key: str,
    kind: outbox.Kind,
    payload: dict[str, Any],
    now: datetime,
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

"""A workspace's directory as Slack lists it, stored a chunk at a time: profiles page by page,
then the teams' members, then the next nudge of those whose profile or teams changed. Each
chunk is its own transaction, so a sync of 100,000 people holds a bounded number of rows in
memory and never makes planning wait for the whole directory (issue 12); and a sync that finds
nothing changed (every 6 hours, for every team) reschedules nobody, so its cost is one read and
one compare a person, not the withdrawal checks of rescheduling. The caller
(delivery/directory.py) reads Slack."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from coach.deps import Deps
from coach.services.membership import Profile, profile_into, reschedule_all
from coach.store.memberships import set_members
from coach.store.people import ensure_people
from coach.store.teams import get_team_by_id

CHUNK = 1000  # people per transaction


def store_profiles(core: Deps, *, workspace_id: str, profiles: Collection[Profile]) -> set[str]:
    """What Slack said about these people (one chunk), in one transaction; returns those whose
    nudges it changes (new people included)."""
    now = core.clock.now()
    with core.unit_of_work() as session:
        people = ensure_people(
            session, workspace_id=workspace_id, user_ids=[p.user_id for p in profiles], now=now
        )
        return {p.user_id for p in profiles if profile_into(people[p.user_id], p, now)}


def store_team_members(
    core: Deps, *, workspace_id: str, members: Mapping[int, set[str]], unreadable: Iterable[int]
) -> set[str]:
    """Each team's members (team id -> its channel's human members, as Slack listed them), and
    the teams whose channel could not be read, which keep their members until they are stale
    again; one transaction for these teams. Returns who joined or left one of them."""
    now = core.clock.now()
    moved: set[str] = set()
    with core.unit_of_work() as session:
        for team_id, user_ids in members.items():
            team = get_team_by_id(session, workspace_id=workspace_id, team_id=team_id)
            if team is None:  # an admin removed it (`coach team remove`) while Slack was read
                continue
            ensure_people(session, workspace_id=workspace_id, user_ids=user_ids, now=now)
            moved |= set_members(session, team_id=team.id, user_ids=user_ids, now=now)
            team.members_synced_at = now
        for team_id in unreadable:  # try again after STALE_AFTER, not on every pass
            team = get_team_by_id(session, workspace_id=workspace_id, team_id=team_id)
            if team is not None:
                team.members_synced_at = now
    return moved


def reschedule_people(core: Deps, *, workspace_id: str, user_ids: Iterable[str]) -> None:
    """These people's next nudge from their (new) primary team, a chunk per transaction."""
    ordered = sorted(user_ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        with core.unit_of_work() as session:
            reschedule_all(session, workspace_id=workspace_id, user_ids=chunk, now=core.clock.now())

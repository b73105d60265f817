"""The leads' buttons on a celebration's preview: add a note, post now, skip this week.

Checked here on every click and submission, not by who got the DM: only a lead of that team,
and only while the celebration is open. Each change is a compare-and-set on its status, so a
pass queueing the post at the same moment wins or loses cleanly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coach.deps import Deps
from coach.domain.celebration import MAX_NOTE, MinGroup
from coach.services.celebration_plan import CelebrationMessages, queue_post
from coach.services.refusals import FormRejected, NotPermitted
from coach.store import celebrations as store
from coach.store.models import Celebration, Team
from coach.store.teams import get_team_by_id

logger = logging.getLogger(__name__)
NOTE = "note"  # the note form's one field
DECISIONS = ("post_now", "skip")


class NotALead(NotPermitted):
    """Only a lead of the celebration's team may change it."""


class TooLate(NotPermitted):
    """The celebration was already posted, queued or skipped, or changed while we looked."""

    def __init__(self, status: str, language: str) -> None:
        super().__init__(status, language)
        self.status, self.language = status, language


class NoteRejected(FormRejected):
    """The note cannot be saved: too long, or the celebration closed while it was typed."""


@dataclass(frozen=True)
class NoteForm:
    language: str
    note: str | None  # the current note, to edit


@dataclass(frozen=True)
class Decided:
    """The team's language and what happened: "queued", "no_members", "skip" or "too_late"."""

    language: str
    done: str


def open_note(core: Deps, *, workspace_id: str, user_id: str, celebration_id: int) -> NoteForm:
    """What the note modal shows; raises NotALead or TooLate (then no modal opens)."""
    with core.unit_of_work() as session:
        celebration, team = _open_for(session, workspace_id, user_id, celebration_id, NOTE)
        return NoteForm(team.language, celebration.note)


def save_note(
    core: Deps, *, workspace_id: str, user_id: str, celebration_id: int, note: str
) -> None:
    """Keep the lead's note for the post (empty: none); NoteRejected keeps the form open."""
    try:
        with core.unit_of_work() as session:
            celebration, team = _open_for(session, workspace_id, user_id, celebration_id, NOTE)
            text = note.strip()
            if len(text) > MAX_NOTE:
                raise NoteRejected(team.language, {NOTE: "too_long"})
            values = {"note": text or None}
            _record(session, celebration, team, NOTE, user_id, core.clock.now(), values)
    except TooLate as late:
        raise NoteRejected(late.language, {NOTE: "too_late"}) from late


def decide(
    core: Deps,
    *,
    workspace_id: str,
    user_id: str,
    celebration_id: int,
    action: str,
    messages: CelebrationMessages,
) -> Decided:
    """ "post_now" (queued at once, or the leads hear there are no members) or "skip"; a
    celebration that closed meanwhile answers "too_late". Raises NotALead."""
    if action not in DECISIONS:
        raise ValueError(f"unknown celebration action {action!r}")
    try:
        with core.unit_of_work() as session:
            now = core.clock.now()
            celebration, team = _open_for(session, workspace_id, user_id, celebration_id, action)
            values: dict[str, Any] = {}
            if action == "skip":
                done, values["status"] = "skip", "skipped"
            else:
                minimum = MinGroup.of(core.settings.coach_min_group)
                done = queue_post(session, celebration, team, now, messages, minimum)
                if done == "changed":
                    raise TooLate("changed", team.language)
            _record(session, celebration, team, action, user_id, now, values)
            return Decided(team.language, done)
    except TooLate as late:
        return Decided(late.language, "too_late")


def _open_for(
    session: Session, workspace_id: str, user_id: str, celebration_id: int, action: str
) -> tuple[Celebration, Team]:
    """The celebration (locked) and its team, when the user leads it and it is still open."""
    celebration = store.lock_celebration(
        session, workspace_id=workspace_id, celebration_id=celebration_id
    )
    team = None
    if celebration is not None:
        team = get_team_by_id(session, workspace_id=workspace_id, team_id=celebration.team_id)
    if celebration is None or team is None or user_id not in {lead.user_id for lead in team.leads}:
        logger.warning("refused %s on celebration %s by %s", action, celebration_id, user_id)
        raise NotALead(f"{user_id} leads no team with celebration {celebration_id}")
    if celebration.status not in store.OPEN:
        raise TooLate(celebration.status, team.language)
    return celebration, team


def _record(
    session: Session,
    celebration: Celebration,
    team: Team,
    action: str,
    user_id: str,
    now: datetime,
    values: dict[str, Any],
) -> None:
    """Write the change with who did what; note and skip only while still open (post_now
    changed the status itself)."""
    record = {"lead_action": action, "lead_action_by": user_id, "lead_action_at": now}
    written = store.update_celebration(
        session, celebration, open_only=bool(values), values={**values, **record, "updated_at": now}
    )
    if not written:
        raise TooLate("changed", team.language)

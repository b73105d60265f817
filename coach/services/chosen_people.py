"""People chosen in a form (a story's colleagues, a team's leads) must be humans of this
workspace. What the database knows is decided at once, before Slack gets its answer: a known
bot or deactivated account is refused on the field. Someone the coach has not met yet is
accepted provisionally, so the form closes within Slack's 3 seconds; right after, Slack is asked
who they are (`users.info`, in the Slack layer), and `settle` says who is confirmed and who must
be left out again, and why.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from coach.services.membership import Profile, apply_profile
from coach.store.people import people_of

LeftOutReason = Literal["bot", "deactivated", "elsewhere"]


@dataclass(frozen=True)
class Chosen:
    refused: tuple[str, ...]  # known, and not a human of this workspace
    unconfirmed: tuple[str, ...]  # not known yet: accepted until Slack says otherwise


@dataclass(frozen=True)
class Settled:
    confirmed: tuple[str, ...]
    left_out: tuple[tuple[str, LeftOutReason], ...]  # (user id, why), in the order chosen


def sort_chosen(session: Session, *, workspace_id: str, user_ids: Collection[str]) -> Chosen:
    """Split the chosen people by what the database knows about them."""
    known = {p.user_id: p for p in people_of(session, workspace_id=workspace_id, user_ids=user_ids)}
    return Chosen(
        refused=tuple(u for u in user_ids if u in known and (known[u].is_bot or known[u].deleted)),
        unconfirmed=tuple(u for u in user_ids if u not in known),
    )


def settle(
    session: Session,
    *,
    workspace_id: str,
    found: Mapping[str, Profile | None],
    now: datetime,
) -> Settled:
    """Store what Slack said about each provisionally chosen person (None: Slack does not know
    them in this workspace) and sort them into confirmed and left out."""
    confirmed: list[str] = []
    left_out: list[tuple[str, LeftOutReason]] = []
    for user_id, profile in found.items():
        if profile is None:
            left_out.append((user_id, "elsewhere"))
            continue
        apply_profile(session, workspace_id=workspace_id, profile=profile, now=now)
        if profile.is_bot:
            left_out.append((user_id, "bot"))
        elif profile.deleted:
            left_out.append((user_id, "deactivated"))
        else:
            confirmed.append(user_id)
    return Settled(tuple(confirmed), tuple(left_out))

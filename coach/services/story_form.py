"""What the story form may hold: its choices, a submission, and the checks every field passes
(on the server, since any value of a submitted view may be forged)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from coach.catalog.schema import LEVELS
from coach.services.chosen_people import sort_chosen
from coach.services.people import language_of
from coach.services.refusals import FormRejected
from coach.services.roles import role_of
from coach.store.catalog import active_principle_id, list_principles, principle_text_of
from coach.store.teams import led_team_ids, teams_of_person
from coach.store.workspaces import get_workspace

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


@dataclass(frozen=True)
class Checked:
    """A submission every rule accepts, with ids resolved."""

    text: str
    principle_id: int | None
    colleagues: list[str]
    unconfirmed: tuple[str, ...]  # colleagues the coach has not met yet: Slack is asked next
    team_id: int | None
    share: bool
    for_team: bool


class StoryRejected(FormRejected):
    """The form has problems; `problems` maps each field to what is wrong (a prompt code)."""

    def __init__(self, language: str, problems: Mapping[str, str]) -> None:
        super().__init__(language, problems)


Grouped = list[tuple[str, list[tuple[str, str]]]]


class PrincipleChoices:
    """The form's principles per workspace and language, kept while the catalogue's version
    stays the same: reading and translating the catalogue was most of the cost of opening the
    form (issue 12), and it changes only through `replace_catalog`, which bumps the version in
    the same transaction (the Slack editor and the YAML import alike, in any process).

    The stamp also holds the workspace's creation time: a workspace deleted and installed again
    starts counting versions afresh. One entry per workspace and language; the lists handed
    out are shared, so nobody changes them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[tuple[str, str], tuple[tuple[datetime, int], Grouped]] = {}

    def of(self, session: Session, *, workspace_id: str, language: str) -> Grouped:
        # The version is read before the principles: a change committed in between is then
        # kept under the older version, which no later reader asks for.
        workspace = get_workspace(session, workspace_id=workspace_id)
        if workspace is None:
            return grouped_principles(session, workspace_id=workspace_id, language=language)
        stamp = (workspace.created_at, workspace.catalog_version)
        with self._lock:
            kept = self._kept.get((workspace_id, language))
        if kept is not None and kept[0] == stamp:
            return kept[1]
        grouped = grouped_principles(session, workspace_id=workspace_id, language=language)
        with self._lock:
            self._kept[(workspace_id, language)] = (stamp, grouped)
        return grouped


def grouped_principles(session: Session, *, workspace_id: str, language: str) -> Grouped:
    """The active principles' (key, name) in `language`, by level, levels without any left out."""
    active = [
        p for p in list_principles(session, workspace_id=workspace_id) if p.archived_at is None
    ]
    grouped = [
        (level, [(p.key, principle_text_of(p, language).name) for p in active if p.level == level])
        for level in LEVELS
    ]
    return [g for g in grouped if g[1]]


def form_choices(
    session: Session,
    *,
    workspace_id: str,
    user_id: str,
    principles: PrincipleChoices | None = None,
) -> FormChoices:
    """`principles`: the kept choices of this process (None: read the catalogue)."""
    language = language_of(session, workspace_id=workspace_id, user_id=user_id)
    ids = {"workspace_id": workspace_id, "user_id": user_id}
    grouped = (
        grouped_principles(session, workspace_id=workspace_id, language=language)
        if principles is None
        else principles.of(session, workspace_id=workspace_id, language=language)
    )
    return FormChoices(
        language,
        grouped,
        teams_of_person(session, **ids),
        led_team_ids(session, **ids),
    )


def check(session: Session, workspace_id: str, user_id: str, submission: Submission) -> Checked:
    """Every field checked; raises StoryRejected with every problem at once."""
    problems: dict[str, str] = {}
    text = submission.text.strip()
    if not "".join(text.split()):
        problems["text"] = "story_empty"
    elif len(text) > MAX_STORY:
        problems["text"] = "story_too_long"
    principle_id = None
    if submission.principle not in (None, NOT_SURE):
        principle_id = active_principle_id(
            session, workspace_id=workspace_id, key=submission.principle
        )
        if principle_id is None:
            problems["principle"] = "story_principle_gone"
    colleagues = list(dict.fromkeys(submission.colleagues))
    chosen = sort_chosen(session, workspace_id=workspace_id, user_ids=colleagues)
    if len(colleagues) > MAX_CREDITS or chosen.refused:
        problems["colleagues"] = "story_not_colleagues"
    teams = {
        team_id
        for team_id, _ in teams_of_person(session, workspace_id=workspace_id, user_id=user_id)
    }
    team_id: int | None = None
    if submission.team_id is not None:
        team_id = int(submission.team_id) if submission.team_id.isdigit() else -1
        if team_id not in teams:
            problems["team"] = "story_team"
    elif len(teams) == 1:
        team_id = next(iter(teams))
    led = role_of(session, workspace_id=workspace_id, user_id=user_id).lead_of
    if submission.for_team and team_id not in led:
        problems["for_team"] = "story_not_lead"  # checked here: the box may be forged
    if problems:
        language = language_of(session, workspace_id=workspace_id, user_id=user_id)
        raise StoryRejected(language, problems)
    return Checked(
        text,
        principle_id,
        colleagues,
        chosen.unconfirmed,
        team_id,
        submission.share,
        submission.for_team,
    )

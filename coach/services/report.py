"""`coach report`: the organisation's view and each team's pyramid, as plain values for one page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coach.deps import Deps
from coach.domain.celebration import MinGroup
from coach.services.organisation import OrganisationView, organisation_of
from coach.services.pictures import TeamPyramidView, team_pyramid_of
from coach.store.teams import list_teams
from coach.store.workspaces import get_workspace

MAX_WEEKS = 104


class UnknownWorkspace(LookupError):
    """The workspace has no data in this database."""


@dataclass(frozen=True)
class OrganisationReport:
    view: OrganisationView
    pyramids: tuple[TeamPyramidView, ...]
    made_at: datetime


def organisation_report(core: Deps, *, workspace_id: str, weeks: int) -> OrganisationReport:
    """Everything on the report, in the workspace's language; numbers under the group minimum
    are left out exactly as on the Home tabs."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be 1 to {MAX_WEEKS}")
    now = core.clock.now()
    minimum = MinGroup.of(core.settings.coach_min_group)
    with core.unit_of_work() as session:
        workspace = get_workspace(session, workspace_id=workspace_id)
        if workspace is None:
            raise UnknownWorkspace(workspace_id)
        language = workspace.language
        view = organisation_of(
            session,
            workspace_id=workspace_id,
            now=now,
            weeks=weeks,
            minimum=minimum,
            language=language,
        )
        pyramids = tuple(
            team_pyramid_of(session, team, now=now, minimum=minimum, language=language)
            for team in list_teams(session, workspace_id=workspace_id)
        )
    return OrganisationReport(view, pyramids, now)

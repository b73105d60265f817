"""Pictures into Slack: upload once with files_upload_v2, shared where the reader is, and re-use
the file while the picture is unchanged.

A file uploaded without a channel is seen by nobody but the bot, and an image block that refers
to it is refused (`invalid slack file`). So a lead's Home picture is shared into the lead's DM
with the bot first; the file id is kept per conversation and digest of the picture's data
(services/pictures.py), so an unchanged picture is shown again from the same file, neither drawn
nor posted again.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from coach.deps import Deps
from coach.picture_words import Picture, organisation_picture, pyramid_picture
from coach.services import pictures
from coach.services.home import Home
from coach.services.organisation import OrganisationView
from coach.services.pictures import SharedPicture
from coach.slack.deps import SlackDeps
from coach.slack.picture_blocks import Shown

logger = logging.getLogger(__name__)


def team_pictures(client: WebClient, deps: SlackDeps, home: Home) -> dict[int, Shown]:
    """The pyramid of each team the person leads, drawn and shared in their DM, by team id."""
    shown = {}
    for team in home.teams:
        picture = pyramid_picture(team.pyramid, deps.prompts)
        where = {"workspace_id": home.workspace_id, "user_id": home.user_id}
        if (done := share_in_dm(client, deps.core, **where, picture=picture)) is not None:
            shown[team.team.id] = done
    return shown


def organisation_picture_shown(
    client: WebClient, deps: SlackDeps, home: Home, view: OrganisationView
) -> Shown | None:
    """The organisation's heat map, drawn and shared in the admin's DM."""
    picture = organisation_picture(view, deps.prompts)
    where = {"workspace_id": home.workspace_id, "user_id": home.user_id}
    return share_in_dm(client, deps.core, **where, picture=picture)


def share_in_dm(
    client: WebClient, core: Deps, *, workspace_id: str, user_id: str, picture: Picture
) -> Shown | None:
    """The picture shared in the person's DM with the bot (None: Slack refused, logged)."""
    try:
        channel = str(client.conversations_open(users=user_id)["channel"]["id"])
    except SlackApiError as error:
        logger.warning("no DM with %s for a picture: %s", user_id, error.response.get("error"))
        return None
    return share(client, core, workspace_id=workspace_id, channel_id=channel, picture=picture)


def share(
    client: WebClient,
    core: Deps,
    *,
    workspace_id: str,
    channel_id: str,
    picture: Picture,
    thread_ts: str | None = None,
) -> Shown | None:
    """The picture shared in `channel_id`: the file that already shows it there, or a new upload
    (the only case in which it is drawn)."""
    where = {"workspace_id": workspace_id, "channel_id": channel_id}
    ids = {"digest": picture.digest, "kind": picture.kind}
    shared = pictures.shown_file(core, **where, **ids)
    if shared is None:
        try:
            answer = client.files_upload_v2(
                channel=channel_id,
                content=picture.png.data,
                filename=picture.filename,
                title=picture.title,
                alt_txt=picture.alt,
                thread_ts=thread_ts,
            )
        except SlackApiError as error:
            logger.warning(
                "picture not uploaded to %s: %s", channel_id, error.response.get("error")
            )
            return None
        file_id = str(answer["file"]["id"])
        shared = SharedPicture(file_id, picture.title, picture.alt, picture.reading)
        pictures.file_shown(core, **where, **ids, shared=shared)
    return Shown(shared.file_id, shared.title, shared.alt, shared.reading)

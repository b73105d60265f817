"""Files the bot uploaded, deleted at Slack (housekeeping's superseded pictures).

`files.delete` needs `files:write`, which the bot has for its uploads; a bot may delete the
files it uploaded. Tier 3 (about 50 a minute): a run stops at Slack's first "slow down" and
leaves the rest to the next run, so housekeeping never sleeps on a rate limit.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from coach.delivery.sender import TokenSource

logger = logging.getLogger(__name__)

GONE = frozenset({"file_not_found", "file_deleted"})  # someone deleted it already: done


class SlackFiles:
    def __init__(self, tokens: TokenSource, api_url: str, *, timeout: int = 10) -> None:
        self._tokens, self._api_url, self._timeout = tokens, api_url, timeout

    def delete(self, workspace_id: str, file_ids: Sequence[str]) -> list[str]:
        """The ids done with, in order; stops at a rate limit or a failure that may pass. Without
        a bot token (the app was uninstalled) nothing can be deleted there: every id counts as
        done and its row goes; the files stay in the workspace's DMs with the app."""
        token = self._tokens.bot_token(workspace_id)
        if token is None:
            return list(file_ids)
        client = WebClient(
            token=token, base_url=self._api_url, timeout=self._timeout, retry_handlers=[]
        )
        gone = []
        for file_id in file_ids:
            try:
                client.files_delete(file=file_id)
            except SlackApiError as error:
                code = error.response.get("error")
                if error.response.status_code == 429 or error.response.status_code >= 500:
                    logger.info("files.delete paused in %s: %s", workspace_id, code)
                    break
                if code not in GONE:  # refused for good (e.g. no permission): keep no row
                    logger.warning("file %s not deleted in %s: %s", file_id, workspace_id, code)
            except OSError as error:  # Slack unreachable: the next run tries again
                logger.info("files.delete paused in %s: %s", workspace_id, error)
                break
            gone.append(file_id)
        return gone

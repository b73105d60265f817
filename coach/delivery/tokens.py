"""Which bot token speaks for a workspace: the single install's, or the OAuth store's."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.web import SlackResponse


@dataclass(frozen=True)
class Installed:
    """The workspace SLACK_BOT_TOKEN was installed in, as auth.test tells it."""

    workspace_id: str
    name: str
    answer: SlackResponse  # the whole answer, for Bolt's authorization of each request


def installed_by(client: WebClient) -> Installed:
    """One auth.test: which workspace the client's token speaks for (SlackApiError if refused)."""
    auth = client.auth_test()
    return Installed(str(auth["team_id"]), str(auth.get("team") or ""), auth)


class SingleWorkspaceTokens:
    """SLACK_BOT_TOKEN speaks for its own workspace only: `installed` when `coach run` learned it at
    start, otherwise learned once from auth.test on first use (`coach tick`)."""

    def __init__(self, token: str, api_url: str, installed: Installed | None = None) -> None:
        self._token, self._api_url = token, api_url
        self._team_id: str | None = installed.workspace_id if installed else None
        self._lock = threading.Lock()

    def bot_token(self, workspace_id: str) -> str | None:
        with self._lock:
            if self._team_id is None:
                client = WebClient(token=self._token, base_url=self._api_url)
                self._team_id = installed_by(client).workspace_id
        return self._token if workspace_id == self._team_id else None


class InstalledTokens:
    """Multi-workspace: the bot token the OAuth install stored (decrypted by the store)."""

    def __init__(self, store: InstallationStore) -> None:
        self._store = store

    def bot_token(self, workspace_id: str) -> str | None:
        bot = self._store.find_bot(enterprise_id=None, team_id=workspace_id)
        return None if bot is None else bot.bot_token

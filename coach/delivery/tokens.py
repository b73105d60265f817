"""Which bot token speaks for a workspace: the single install's, or the OAuth store's."""

from __future__ import annotations

import threading

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore


class SingleWorkspaceTokens:
    """SLACK_BOT_TOKEN speaks for its own workspace only (learned once from auth.test)."""

    def __init__(self, token: str, api_url: str) -> None:
        self._token, self._api_url = token, api_url
        self._team_id: str | None = None
        self._lock = threading.Lock()

    def bot_token(self, workspace_id: str) -> str | None:
        with self._lock:
            if self._team_id is None:
                self._team_id = str(
                    WebClient(token=self._token, base_url=self._api_url).auth_test()["team_id"]
                )
        return self._token if workspace_id == self._team_id else None


class InstalledTokens:
    """Multi-workspace: the bot token the OAuth install stored (decrypted by the store)."""

    def __init__(self, store: InstallationStore) -> None:
        self._store = store

    def bot_token(self, workspace_id: str) -> str | None:
        bot = self._store.find_bot(enterprise_id=None, team_id=workspace_id)
        return None if bot is None else bot.bot_token

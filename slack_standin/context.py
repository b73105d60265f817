"""What a Web API method handler gets: the world, the caller, and the stand-in's own addresses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_standin.state import SlackState, Workspace
from slack_standin.wire import Args, Credentials


@dataclass(frozen=True)
class Endpoints:
    """Addresses and app credentials that answers point to or check against."""

    http_base: str  # "http://127.0.0.1:PORT", no trailing slash
    open_socket: Callable[[], str]  # a fresh ws:// URL for apps.connections.open
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class CallContext:
    state: SlackState
    credentials: Credentials
    endpoints: Endpoints
    workspace: Workspace | None = None

    @property
    def team(self) -> Workspace:
        """The caller's workspace (set for every bot-token method)."""
        if self.workspace is None:
            raise RuntimeError("this method needs a bot token")
        return self.workspace


Handler = Callable[[CallContext, Args], dict[str, Any]]

"""One Web API call from bytes to answer: decode, inject faults, authenticate, check arguments
against Slack's spec, rate-limit, run the method, record the call."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_standin import api_chat, api_directory, api_install, api_views
from slack_standin.context import CallContext, Endpoints, Handler
from slack_standin.limits import PostMessageLimiter, PostMessageLimits, TierLimiter, TierLimits
from slack_standin.spec import check_arguments, load_table
from slack_standin.state import SlackState
from slack_standin.transcript import Call, Fault, FaultPlan, Transcript
from slack_standin.wire import (
    ApiError,
    Args,
    Credentials,
    DecodedRequest,
    decode_request,
    invalid_arguments,
)

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Handler] = {
    **api_directory.HANDLERS,
    **api_chat.HANDLERS,
    **api_views.HANDLERS,
    **api_install.HANDLERS,
}
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
CLIENT_CREDENTIAL_METHODS = frozenset({"oauth.v2.access"})
UNPARSABLE_ERRORS = {
    "blocks": "invalid_blocks_format",
    "attachments": "invalid_attachments",
    "metadata": "invalid_metadata_format",
}
SERVER_ERRORS = {500: "internal_error", 502: "bad_gateway", 503: "service_unavailable"}


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class WebApi:
    def __init__(
        self,
        *,
        state: SlackState,
        transcript: Transcript,
        faults: FaultPlan,
        endpoints: Endpoints,
        limits: PostMessageLimits | None,
        sleep: Callable[[float], None],
        tier_limits: TierLimits | None = None,
    ) -> None:
        self.state = state
        self.transcript = transcript
        self.faults = faults
        self.endpoints = endpoints
        self.sleep = sleep
        self.arguments = load_table()
        if self.arguments.keys() != HANDLERS.keys():
            raise RuntimeError("every method needs an argument table entry and a handler")
        self.set_limits(limits)
        self.set_tier_limits(tier_limits)

    def set_limits(self, limits: PostMessageLimits | None) -> None:
        with self.state.lock:
            self.limiter = PostMessageLimiter(limits, self.state.monotonic) if limits else None

    def set_tier_limits(self, limits: TierLimits | None) -> None:
        with self.state.lock:
            self.tiers = TierLimiter(limits, self.state.monotonic) if limits else None

    def handle(
        self, method: str, *, query: str, content_type: str, body: bytes, authorization: str | None
    ) -> Answer:
        args: Args = {}
        team_id: str | None = None
        try:
            if method not in HANDLERS:
                raise ApiError("unknown_method", status=404, req_method=method)
            decoded = decode_request(
                query=query, content_type=content_type, body=body, authorization=authorization
            )
            args = decoded.args
            team_id = self._team_of(decoded.credentials)
            delay, fault = self.faults.take(method)
            if delay:
                self.sleep(delay)
            if fault is not None:
                raise _fault_error(fault)
            with self.state.lock:
                answer = self._answer(method, decoded)
                if method in CLIENT_CREDENTIAL_METHODS:
                    team_id = answer.body["team"]["id"]
        except ApiError as exc:
            answer = Answer(exc.status, exc.body(), exc.headers)
        except Exception as exc:  # a bug in the stand-in: answer like Slack's worst day, loudly
            logger.exception("the Slack stand-in failed on %s", method)
            answer = Answer(500, {"ok": False, "error": "fatal_error", "stand_in_bug": repr(exc)})
        self.transcript.record(
            Call(method, team_id, args, answer.status, answer.body, at=self.state.monotonic())
        )
        return answer

    def _answer(self, method: str, decoded: DecodedRequest) -> Answer:
        self.state.deliver_due()
        ctx = self._authenticate(method, decoded.credentials)
        for name, _ in decoded.unparsable:
            error = UNPARSABLE_ERRORS.get(name)
            if error:
                raise ApiError(error)
            raise invalid_arguments(f"failed to parse {name} as JSON [json-pointer:/{name}]")
        check_arguments(method, decoded.args, self.arguments)
        team_arg = decoded.args.get("team_id")
        if team_arg and ctx.workspace is not None and team_arg != ctx.workspace.team_id:
            raise ApiError("team_access_not_granted")
        if method == "chat.postMessage" and self.limiter is not None:
            self._rate_limit(self.limiter, ctx, decoded.args)
        if self.tiers is not None and ctx.workspace is not None:
            retry_after = self.tiers.retry_after(ctx.workspace.team_id, method)
            if retry_after is not None:
                raise ApiError("ratelimited", status=429, headers={"Retry-After": str(retry_after)})
        return Answer(200, {"ok": True, **HANDLERS[method](ctx, decoded.args)})

    def _authenticate(self, method: str, credentials: Credentials) -> CallContext:
        token = credentials.token
        if method in CLIENT_CREDENTIAL_METHODS:
            return CallContext(self.state, credentials, self.endpoints)
        if method in APP_TOKEN_METHODS:
            if not token:
                raise ApiError("not_authed")
            if not token.startswith("xapp-"):
                raise ApiError("not_allowed_token_type")
            if token not in self.state.app_tokens:
                raise ApiError("invalid_auth")
            return CallContext(self.state, credentials, self.endpoints)
        workspace = self.state.workspace_for_bot_token(token)
        return CallContext(self.state, credentials, self.endpoints, workspace)

    def _rate_limit(self, limiter: PostMessageLimiter, ctx: CallContext, args: Args) -> None:
        try:
            channel_id = self.state.message_target(ctx.team, args.get("channel")).id
        except ApiError:
            return  # the method itself answers channel_not_found
        retry_after = limiter.retry_after(ctx.team.team_id, channel_id)
        if retry_after is not None:
            raise ApiError("ratelimited", status=429, headers={"Retry-After": str(retry_after)})

    def _team_of(self, credentials: Credentials) -> str | None:
        with self.state.lock:
            for workspace in self.state.workspaces.values():
                if credentials.token and workspace.bot_token == credentials.token:
                    return workspace.team_id
        return None


def _fault_error(fault: Fault) -> ApiError:
    if fault.status == 429:
        retry_after = str(fault.retry_after or 1)
        return ApiError("ratelimited", status=429, headers={"Retry-After": retry_after})
    if fault.status != 200:
        return ApiError(SERVER_ERRORS.get(fault.status, "internal_error"), status=fault.status)
    return ApiError(fault.error or "fatal_error")

"""Which arguments each Web API method accepts and requires, from Slack's own OpenAPI spec.

`web_api_args.json` beside this module is derived from slackapi/slack-api-specs
(`web-api/slack_web_openapi_v2.json`, September 2021, MIT licence, notice kept in the file) by
`spec_derive.py`; regenerate it with

    python -m slack_standin.spec_derive ../shared/slack-api-specs/slack_web_openapi_v2.json

and a test re-derives it from the spec so the two cannot drift. The spec predates a few arguments
and methods Slack documents today; those are listed by hand in NEWER_ARGUMENTS and
NOT_IN_SPEC, each with where it is documented.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from slack_standin.wire import Args, invalid_arguments

DATA_FILE = "web_api_args.json"

# The methods the stand-in answers that the 2021 spec describes.
SPEC_METHODS = (
    "auth.test",
    "chat.delete",
    "chat.deleteScheduledMessage",
    "chat.postEphemeral",
    "chat.postMessage",
    "chat.scheduleMessage",
    "chat.scheduledMessages.list",
    "chat.update",
    "conversations.history",
    "conversations.info",
    "conversations.join",
    "conversations.members",
    "conversations.open",
    "conversations.replies",
    "files.delete",
    "oauth.v2.access",
    "users.info",
    "users.list",
    "views.open",
    "views.publish",
    "views.push",
    "views.update",
)

# Arguments Slack documents today that the 2021 spec lacks (method pages on docs.slack.dev, and
# the keyword arguments slack_sdk 3.x sends for them).
NEWER_ARGUMENTS: Mapping[str, frozenset[str]] = {
    # "Using message metadata" (2022); markdown_text (2025) on the chat.* method pages.
    "chat.postMessage": frozenset({"metadata", "markdown_text"}),
    "chat.postEphemeral": frozenset({"markdown_text"}),
    "chat.update": frozenset({"metadata", "markdown_text", "file_ids", "reply_broadcast"}),
    "chat.scheduleMessage": frozenset({"metadata", "markdown_text"}),
    "chat.scheduledMessages.list": frozenset({"team_id"}),
    # include_all_metadata: "Using message metadata"; team_id: org-wide apps.
    "conversations.history": frozenset({"include_all_metadata", "team_id"}),
    "conversations.open": frozenset({"prevent_creation"}),
    "conversations.replies": frozenset({"include_all_metadata", "team_id"}),
    "users.list": frozenset({"team_id"}),
    # interactivity_pointer: views.open / views.push pages (workflow steps).
    "views.open": frozenset({"interactivity_pointer"}),
    "views.push": frozenset({"interactivity_pointer"}),
    # Token rotation: oauth.v2.access page.
    "oauth.v2.access": frozenset({"grant_type", "refresh_token"}),
}


# Accepted by every method: `team_id` names the workspace for org-wide tokens, and Bolt sends it
# on every call its per-request client makes (slack_bolt/app/app.py, _init_context:
# WebClient(team_id=req.context.team_id) adds it as a default parameter).
GENERAL_ARGUMENTS = frozenset({"team_id"})


@dataclass(frozen=True)
class MethodArgs:
    allowed: frozenset[str]
    required: frozenset[str]


# Methods newer than the spec, with their documented arguments (method pages on docs.slack.dev).
NOT_IN_SPEC: Mapping[str, MethodArgs] = {
    # Socket Mode (2020); the token is the app-level token, sent like any other token.
    "apps.connections.open": MethodArgs(frozenset(), frozenset()),
    # files.uploadV2's steps (2024).
    "files.getUploadURLExternal": MethodArgs(
        frozenset({"filename", "length", "alt_txt", "snippet_type"}),
        frozenset({"filename", "length"}),
    ),
    "files.completeUploadExternal": MethodArgs(
        frozenset({"files", "channel_id", "channels", "initial_comment", "thread_ts", "blocks"}),
        frozenset({"files"}),
    ),
}


def load_table() -> dict[str, MethodArgs]:
    """The accepted/required arguments of every method the stand-in answers."""
    text = resources.files("slack_standin").joinpath(DATA_FILE).read_text(encoding="utf-8")
    table: dict[str, MethodArgs] = {}
    for method, entry in json.loads(text)["methods"].items():
        allowed = frozenset(entry["allowed"]) | NEWER_ARGUMENTS.get(method, frozenset())
        table[method] = MethodArgs(allowed | GENERAL_ARGUMENTS, frozenset(entry["required"]))
    for method, arguments in NOT_IN_SPEC.items():
        table[method] = MethodArgs(arguments.allowed | GENERAL_ARGUMENTS, arguments.required)
    return table


def check_arguments(method: str, args: Args, table: Mapping[str, MethodArgs]) -> None:
    """Raise Slack's `invalid_arguments` for unknown or missing arguments."""
    spec = table[method]
    problems = [f"unsupported argument: {name}" for name in sorted(args.keys() - spec.allowed)]
    problems += [
        f"missing required field: {name}"
        for name in sorted(spec.required)
        if args.get(name) in (None, "")
    ]
    if problems:
        raise invalid_arguments(*problems)

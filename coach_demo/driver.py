"""Drive 9+ Coach the way Slack would, in one process: signed requests into the app's WSGI
handler, scheduler passes at chosen instants, and the stand-in's view of what people saw.

The demo plays a week with it; the coaching tests use it as their `World`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App

from coach.clock import FixedClock
from coach.delivery.passes import Passes, PassResult
from coach.delivery.sender import SendConfig
from coach.delivery.tokens import SingleWorkspaceTokens
from coach.deps import Deps
from coach.render import Prompts
from coach.slack import ids
from coach.slack.after_ack import AfterAck
from coach.slack.app import build_app
from coach.slack.deps import SlackDeps
from coach.slack.http import make_wsgi
from slack_standin import payloads
from slack_standin.server import SlackStandIn
from slack_standin.signing import call_wsgi, sign


@dataclass
class Driver:
    slack: SlackStandIn
    deps: Deps
    clock: FixedClock
    passes: Passes
    app: App
    wsgi: Any
    team_id: str
    signing_secret: str
    after_ack: AfterAck
    team_domain: str = "acme"
    _events: Iterator[int] = field(default_factory=count, repr=False)

    @classmethod
    @contextmanager
    def start(
        cls, slack: SlackStandIn, core: Deps, clock: FixedClock, *, team_id: str, per_minute: int
    ) -> Iterator[Driver]:
        """The app and its scheduler passes for one workspace of the stand-in, with the bot
        token and signing secret of `core.settings`; waits for listener work on the way out."""
        settings = core.settings
        assert settings.slack_bot_token is not None and settings.slack_signing_secret is not None  # noqa: S101
        token = settings.slack_bot_token.get_secret_value()
        secret = settings.slack_signing_secret.get_secret_value()
        passes = Passes(
            core,
            SingleWorkspaceTokens(token, slack.api_url),
            Prompts(),
            SendConfig(per_minute=per_minute),
        )
        slack_deps = SlackDeps(core=core, prompts=Prompts())
        app = build_app(slack_deps)
        try:
            yield cls(
                slack,
                core,
                clock,
                passes,
                app,
                make_wsgi(app, core, secret),
                team_id,
                secret,
                slack_deps.after_ack,
            )
        finally:
            app.listener_runner.listener_executor.shutdown(wait=True)
            slack_deps.after_ack.stop()

    def at(self, iso: str) -> PassResult:
        """Move the clock and run one pass, as `coach tick --now ISO` would."""
        self.clock.set(datetime.fromisoformat(iso))
        return self.passes.run_once()

    def dm(self, user: str) -> list[dict[str, Any]]:
        """The app's direct messages with `user`, oldest first."""
        return self.slack.messages_in(self.slack.im_channel_id(self.team_id, user))

    def post(
        self, body: bytes, content_type: str = "application/x-www-form-urlencoded"
    ) -> tuple[str, bytes]:
        """One signed request to /slack/events; returns (status line, body) once the work the
        listener does after its ack has finished too."""
        request = sign(
            body,
            content_type=content_type,
            signing_secret=self.signing_secret,
            now=self.clock.now(),
        )
        answer = call_wsgi(self.wsgi, request)
        runner = self.app.listener_runner
        runner.listener_executor.shutdown(wait=True)
        runner.listener_executor = ThreadPoolExecutor(max_workers=5)
        self.after_ack.drain()
        return answer

    def click(self, user: str, message: dict[str, Any], action_id: str) -> tuple[str, bytes]:
        """`user` presses the button `action_id` on `message` (in their DM with the app)."""
        button = next(
            e
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == action_id
        )
        action = payloads.button_action(
            action_id=action_id,
            block_id=next(
                b["block_id"]
                for b in message["blocks"]
                if b["type"] == "actions" and button in b["elements"]
            ),
            value=button["value"],
            text=button["text"]["text"],
            at=self.clock.now(),
        )
        body = payloads.block_actions(
            team_id=self.team_id,
            team_domain=self.team_domain,
            user_id=user,
            user_name=user.lower(),
            api_app_id=self.slack.app_id,
            trigger_id=self.slack.new_trigger_id(self.team_id, user),
            actions=[action],
            message=message,
            channel={"id": self.slack.im_channel_id(self.team_id, user), "name": "directmessage"},
        )
        return self.post(urlencode({"payload": json.dumps(body)}).encode())

    def submit(self, user: str, view: dict[str, Any], values: dict[str, Any]) -> tuple[str, bytes]:
        """`user` submits the modal `view` with these input `values`."""
        body = payloads.view_submission(
            team_id=self.team_id,
            team_domain=self.team_domain,
            user_id=user,
            user_name=user.lower(),
            api_app_id=self.slack.app_id,
            trigger_id=self.slack.new_trigger_id(self.team_id, user),
            view=view,
            values=values,
        )
        return self.post(urlencode({"payload": json.dumps(body)}).encode())

    def reply(self, user: str, thread_ts: str, text: str) -> tuple[str, bytes]:
        """`user` answers in the thread of one of the app's DMs (a nudge, say)."""
        return self.post(self.dm_event(user, text, thread_ts=thread_ts), "application/json")

    def write(self, user: str, text: str) -> bytes:
        """`user` writes to the app in their DM, not in a thread; returns the event as Slack
        delivered it (post it again to play a redelivery)."""
        envelope = self.dm_event(user, text)
        self.post(envelope, "application/json")
        return envelope

    def dm_event(self, user: str, text: str, *, thread_ts: str | None = None) -> bytes:
        """Post `user`'s message in their DM with the app; the `message.im` event for it."""
        channel = self.slack.im_channel_id(self.team_id, user)
        message = self.slack.post_as_user(channel, user, text, thread_ts=thread_ts)
        event = payloads.message_event(
            user_id=user,
            channel_id=channel,
            channel_type="im",
            text=text,
            ts=str(message["ts"]),
            team_id=self.team_id,
            thread_ts=thread_ts,
        )
        envelope = payloads.event_callback(
            team_id=self.team_id,
            api_app_id=self.slack.app_id,
            bot_user_id=self.slack.state.workspaces[self.team_id].bot_user_id,
            event=event,
            event_id=f"Ev{message['ts'].replace('.', '')}",
            event_time=self.clock.now(),
        )
        return json.dumps(envelope).encode()

    def slash(self, user: str, channel: str, command: str, text: str) -> tuple[str, bytes]:
        fields = self.slack.slash_command(
            self.team_id, user_id=user, channel_id=channel, command=command, text=text
        )
        return self.post(urlencode(fields).encode())

    def coach(self, user: str, channel: str, text: str) -> dict[str, Any]:
        """`user` types `/coach TEXT` in `channel`; returns the answer they see (posted to the
        command's response_url after the ack)."""
        before = len(self.slack.calls_to("response_url"))
        status, _ = self.slash(user, channel, ids.COACH_COMMAND, text)
        assert status.startswith("200"), status  # noqa: S101
        answer: dict[str, Any] = self.slack.calls_to("response_url")[before].args
        return answer

    def open_home(self, user: str) -> dict[str, Any] | None:
        """`user` opens the app's Home tab; returns the view published for them."""
        envelope = payloads.event_callback(
            team_id=self.team_id,
            api_app_id=self.slack.app_id,
            bot_user_id=self.slack.state.workspaces[self.team_id].bot_user_id,
            event=payloads.app_home_opened_event(
                user_id=user,
                channel_id=self.slack.im_channel_id(self.team_id, user),
                tab="home",
                at=self.clock.now(),
                view=self.slack.home_view(self.team_id, user),
            ),
            event_id=f"EvHOME{user}{next(self._events)}",
            event_time=self.clock.now(),
        )
        self.post(json.dumps(envelope).encode(), "application/json")
        return self.slack.home_view(self.team_id, user)

    def act_in_home(self, user: str, action: dict[str, Any]) -> dict[str, Any] | None:
        """`user` uses an element of their Home tab (`action` as Slack sends it); returns the
        view as it is afterwards."""
        view = self.slack.home_view(self.team_id, user)
        if view is None:
            raise ValueError(f"{user} has no home view yet")
        body = payloads.block_actions(
            team_id=self.team_id,
            team_domain=self.team_domain,
            user_id=user,
            user_name=user.lower(),
            api_app_id=self.slack.app_id,
            trigger_id=self.slack.new_trigger_id(self.team_id, user),
            actions=[{"block_id": "home", "action_ts": "1", **action}],
            view={**view, "id": self.slack.state.home_views[(self.team_id, user)]},
        )
        self.post(urlencode({"payload": json.dumps(body)}).encode())
        return self.slack.home_view(self.team_id, user)

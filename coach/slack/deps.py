"""What the Slack listeners need: the core deps plus the prompts and the install stores."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.oauth.installation_store import InstallationStore

from coach.deps import Deps
from coach.in_flight import InFlight
from coach.render import Prompts
from coach.services.story_form import PrincipleChoices
from coach.slack.after_ack import AfterAck
from coach.slack.installs import build_installation_store


@dataclass(frozen=True)
class SlackDeps:
    core: Deps
    prompts: Prompts
    installation_store: InstallationStore | None = None  # OAuth mode only
    after_ack: AfterAck = field(default_factory=AfterAck)  # listeners' work after the ack
    # The story form's principles, kept per catalogue version (services/story_form.py).
    story_principles: PrincipleChoices = field(default_factory=PrincipleChoices)


def make_slack_deps(core: Deps, in_flight: InFlight | None = None) -> SlackDeps:
    """`in_flight`: the requests this process is answering, which the work after acks gives
    way to (and, in `coach run --role all`, the worker's planning)."""
    return SlackDeps(
        core=core,
        prompts=Prompts(),
        installation_store=build_installation_store(core),
        after_ack=AfterAck(in_flight=in_flight),
    )

"""What the Slack listeners need: the core deps plus the prompts and the install stores."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.oauth.installation_store import InstallationStore

from coach.deps import Deps
from coach.render import Prompts
from coach.slack.installs import EncryptedInstallationStore


@dataclass(frozen=True)
class SlackDeps:
    core: Deps
    prompts: Prompts
    installation_store: InstallationStore | None = None  # OAuth mode only


def make_slack_deps(core: Deps) -> SlackDeps:
    settings = core.settings
    store = None
    if settings.oauth_enabled and settings.slack_client_id and settings.coach_encryption_key:
        store = EncryptedInstallationStore(
            client_id=settings.slack_client_id,
            engine=core.engine,
            key=settings.coach_encryption_key.get_secret_value(),
        )
    return SlackDeps(core=core, prompts=Prompts(), installation_store=store)

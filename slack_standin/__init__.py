"""The local Slack stand-in used by `coach demo`, the end-to-end tests and the benchmarks.

See README.md beside this file.
"""

from slack_standin.limits import PostMessageLimits, TierLimits
from slack_standin.server import SlackStandIn
from slack_standin.transcript import Call

__all__ = ["Call", "PostMessageLimits", "SlackStandIn", "TierLimits"]

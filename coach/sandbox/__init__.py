"""The local Slack stand-in used by `coach demo`, the end-to-end tests and the benchmarks.

See README.md beside this file.
"""

from coach.sandbox.limits import PostMessageLimits
from coach.sandbox.server import SlackStandIn
from coach.sandbox.transcript import Call

__all__ = ["Call", "PostMessageLimits", "SlackStandIn"]

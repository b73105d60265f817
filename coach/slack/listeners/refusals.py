"""The one way a listener answers a service's refusal (coach/services/refusals.py)."""

from __future__ import annotations

from collections.abc import Mapping

from slack_bolt import Ack


def ack_field_errors(ack: Ack, errors: Mapping[str, str]) -> None:
    """Keep the submitted modal open with a message under each block: `errors` maps a block id
    to its text, built by the form's own *_blocks module from the FormRejected."""
    ack(response_action="errors", errors=dict(errors))

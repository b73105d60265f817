"""What a service raises when it will not do what it was asked, so listeners answer each kind
the same way (coach/slack/listeners/refusals.py).

- `FormRejected`: the person typed something a rule refuses. The form stays open with a message
  under each field: `problems` maps a field to a problem code the prompts word, in `language`.
- `NotPermitted`: the request is not the caller's to make (a forged or stale click, someone
  else's story, a lead-only button). Nothing changes; the service logs it where it decided.
"""

from __future__ import annotations

from collections.abc import Mapping


class FormRejected(Exception):
    def __init__(self, language: str, problems: Mapping[str, str]) -> None:
        super().__init__(", ".join(f"{field}: {code}" for field, code in problems.items()))
        self.language, self.problems = language, dict(problems)


class NotPermitted(Exception):
    """Not the caller's to do; `reason` says why for the log."""

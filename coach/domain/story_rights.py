"""Who may change a 9+ story, and when: plain values in, a verdict out."""

from __future__ import annotations

from typing import Literal

Change = Literal["edit", "delete"]
Verdict = Literal["ok", "not_yours", "celebrated"]


def may_change(
    change: Change, *, user_id: str, author_id: str, filed_by: str, celebrated: bool
) -> Verdict:
    """Its author and its filer may edit a story until it was celebrated, and delete it always.

    A celebrated story was shown to the team as it was; editing it afterwards would rewrite
    what people saw, but taking one's own story back is always allowed.
    """
    if user_id not in (author_id, filed_by):
        return "not_yours"
    if change == "edit" and celebrated:
        return "celebrated"
    return "ok"

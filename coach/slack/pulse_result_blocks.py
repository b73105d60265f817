"""The team pulse's results as Block Kit text: per team the last twelve months (eNPS beside the
shared stories) and the latest month's ownership averages; for admins each team's latest month.

Pictures: issue 14 builds the plotting code (matplotlib) for the team's pyramid. When it lands,
a picture of a `TeamPulse` (eNPS per month as a line, stories per month as bars) belongs in
`build_pulse_sections`, after each team's text, from that same plotting code: the values are
all in `TeamPulse.months` already. Keep the text: it is the alt text and the fallback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coach.render import Mrkdwn, Prompts
from coach.services.pulse_results import OrganisationLine, PulseMonth, TeamPulse
from coach.slack.blocks import Block, context, pack, section

Say = Callable[..., str]


def build_pulse_sections(
    pulses: tuple[TeamPulse, ...],
    organisation: tuple[OrganisationLine, ...] | None,
    language: str,
    prompts: Prompts,
) -> list[Block]:
    """The pulse part of the App Home: nothing when no team of theirs has a pulse and they are
    no admin (`organisation` None)."""

    def say(part: str, **values: Any) -> str:
        return prompts.render(language, "pulse_results", part=part, **values)

    blocks: list[Block] = []
    for pulse in pulses:
        lines = [say("title", team=pulse.team_name)]
        lines += [_month(month, say) for month in reversed(pulse.months)]
        blocks += [section(chunk) for chunk in pack(["\n".join(lines)])]
        latest = pulse.latest_shown
        if latest is not None and latest.statements:
            blocks.append(context(_statements(latest, say)))
    if organisation is not None and (organisation or pulses):
        lines = [say("organisation")]
        lines += [
            say("organisation_line", team=line.team_name, month=line.month, enps=line.enps)
            for line in organisation
        ] or [say("organisation_none")]
        blocks += [section(chunk) for chunk in pack(["\n".join(lines)])]
    return blocks


def _month(month: PulseMonth, say: Say) -> str:
    return say(
        "month", month=month.month, state=month.state, enps=month.enps, stories=month.stories
    )


def _statements(month: PulseMonth, say: Say) -> str:
    averages = Mrkdwn(
        ", ".join(say("statement", key=key, average=f"{avg:.1f}") for key, avg in month.statements)
    )
    return say("statements", month=month.month, averages=averages)

"""The demo's epilogue: one month of the team pulse, briefly. The lead turns it on after the
week's celebration (from next month); a fifth colleague joins; on the first workday of December
everyone gets the pulse instead of the day's question and taps a score; once it has closed the
App Home shows the team's eNPS, and the next celebration says it in one line."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from coach.domain.team_settings import TeamChanges
from coach.services.teams import update_team

if TYPE_CHECKING:
    from coach_demo.week import _Week

NEWCOMER = "U0LOTTE"
SCORES = {"U0ANNA": 9, "U0BRAM": 10, "U0FATIMA": 8, "U0JOOST": 9, NEWCOMER: 6}  # eNPS +40
PULSE_MARKS = ("📊",)


def play_pulse_month(week: _Week) -> None:
    from coach_demo.week import CHANNEL, LOCALES, TEAM

    o = week.office

    def say(part: str, **values: Any) -> str:
        return html.unescape(week.prompts.render(week.language, "demo_pulse", part=part, **values))

    with o.deps.unit_of_work() as session:
        update_team(
            session,
            workspace_id=TEAM,
            channel_id=CHANNEL,
            changes=TeamChanges(pulse=True),
            now=o.clock.now(),
        )
    o.slack.add_user(TEAM, NEWCOMER, name="lotte", real_name="Lotte", locale=LOCALES[week.language])
    o.slack.add_to_channel(CHANNEL, NEWCOMER)
    week.echo("\n" + say("intro"))
    # Joost goes back to his team's days, so everyone's first day of December is the 1st (a
    # Mon/Wed person would be asked on the 2nd: the pulse comes on a person's first nudge day).
    o.coach("U0JOOST", CHANNEL, "days team")
    o.at("2026-11-30T08:00:00+00:00")  # Monday: a usual question (not shown again)
    week.people[NEWCOMER] = ("Lotte", "planner")
    week.seen = {user: len(o.dm(user)) for user in week.people}
    week.morning("2026-12-01T08:00:00+00:00")  # the first workday of December
    for user, score in SCORES.items():
        o.click(user, week.last_dm(user), f"pulse_answer:enps:{score}")
    names = [(week.people[user][0], score) for user, score in SCORES.items()]
    week.echo("  " + say("taps", taps=names))
    o.at("2026-12-08T08:00:00+00:00")
    week.echo("\n" + say("closed"))
    home = o.open_home("U0ANNA") or {}
    [result] = [b for b in home["blocks"] if "eNPS" in str(b.get("text"))][:1]
    lines = result["text"]["text"].splitlines()
    week.echo(_indent("\n".join(lines[:2]), "    "))
    o.at("2026-12-11T15:00:00+00:00")
    o.at("2026-12-11T15:00:02+00:00")
    week.echo("\n" + say("celebration", channel=week.say("channel")))
    posts = [m for m in o.slack.messages_in(CHANNEL) if m.get("bot_id")]
    pulse = [line for line in week.shown(posts[-1]).splitlines() if line.startswith(PULSE_MARKS)]
    week.echo(_indent("\n".join(pulse), "    "))


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())

"""The admin's part of the App Home and the paging browser behind it: pure Block Kit builders.

However large the catalogue and however many teams or admins, the section stays within 60
blocks: the first principles and teams are listed with their actions, the rest behind "All
principles" / "All teams", a modal that pages through them; the first added admins with a
Remove button each (`coach admin list` has them all). Then the retention period, and the small
dialogs behind a team's menu (rename, remove) and the retention's Change button.
"""

from __future__ import annotations

import json
from typing import Any

from coach.render import Mrkdwn, Prompts, channel_mention, user_mention
from coach.services.admin_home import (
    AdminHome,
    AdminRow,
    PrincipleRow,
    TeamRow,
)
from coach.slack import ids
from coach.slack.blocks import (
    LANGUAGE_NAMES,
    Block,
    button,
    context,
    header,
    option,
    plain,
    section,
)
from coach.slack.catalog_editor_blocks import change_line

MAX_SECTION_BLOCKS = 60
HOME_PRINCIPLES = 20  # rows in the Home tab; at most 6 level headings come with them
HOME_TEAMS = 10
HOME_ADMINS = 6  # added admins with a Remove button; Slack's own admins share one line
SLACK_ADMINS_NAMED = 10
PAGE_ROWS = 40  # rows per page of the browser modal
KINDS = ("principles", "teams")


def build_admin_section(home: AdminHome, prompts: Prompts, language: str) -> list[Block]:
    """The catalogue editor and the teams, for an admin's Home tab: at most 60 blocks."""
    say = _say(prompts, language)
    rows = home.rows
    active = sum(1 for row in rows if not row.archived)
    blocks: list[Block] = [
        header(say("title", name=home.organisation or "9+")),
        context(
            say(
                "summary",
                count=active,
                archived_count=len(rows) - active,
                catalog_version=home.version,
            )
        ),
        _actions(
            "admin_catalog",
            [
                {**button(ids.CATALOG_ADD, say("add"), "add"), "style": "primary"},
                button(ids.CATALOG_CHANGES, say("changes"), "changes"),
            ],
        ),
    ]
    if not rows:
        blocks.append(section(say("no_catalogue")))
    blocks += principle_rows(home, rows[:HOME_PRINCIPLES], prompts, language)
    if len(rows) > HOME_PRINCIPLES:
        blocks.append(
            _with_button(
                "admin_more_principles",
                say("more", count=HOME_PRINCIPLES, limit=len(rows)),
                button(f"{ids.CATALOG_BROWSE}:principles", say("all"), "principles:0"),
            )
        )
    if home.changes:
        blocks.append(
            context(say("latest") + " " + change_line(home.changes[0], language, prompts))
        )
    blocks += [{"type": "divider"}, header(say("teams"))]
    if not home.teams:
        blocks.append(section(say("no_teams")))
    blocks += [team_row(team, prompts, language) for team in home.teams[:HOME_TEAMS]]
    if len(home.teams) > HOME_TEAMS:
        blocks.append(
            _with_button(
                "admin_more_teams",
                say("more_teams", count=len(home.teams) - HOME_TEAMS),
                button(f"{ids.CATALOG_BROWSE}:teams", say("all_teams"), "teams:0"),
            )
        )
    blocks.append(_actions("admin_teams", [button(ids.TEAM_ADD, say("new_team"), "new")]))
    blocks += admin_rows(home.admins, prompts, language)
    blocks.append(retention_row(home.retention_days, prompts, language))
    return blocks[:MAX_SECTION_BLOCKS]


def build_team_section(team: TeamRow, prompts: Prompts, language: str) -> list[Block]:
    """A lead's own team with its settings button (an action id of its own, so it can sit in
    the same Home tab as the admin's list)."""
    label = _say(prompts, language)("settings")
    settings = button(f"{ids.TEAM_SETTINGS}:{team.id}:lead", label, str(team.id))
    return [_with_button(f"lead_team_{team.id}", _team_text(team, prompts, language), settings)]


def build_browser_modal(
    home: AdminHome, kind: str, page: int, prompts: Prompts, language: str
) -> dict[str, Any]:
    """Every principle (or team), PAGE_ROWS a page, with Previous / Next."""
    say = _say(prompts, language)
    kind = kind if kind in KINDS else KINDS[0]
    items = home.rows if kind == "principles" else home.teams
    pages = max(1, -(-len(items) // PAGE_ROWS))
    page = min(max(page, 0), pages - 1)
    shown = items[page * PAGE_ROWS : (page + 1) * PAGE_ROWS]
    blocks: list[Block] = [context(say("page", page=page + 1, pages=pages, limit=len(items)))]
    if kind == "principles":
        blocks += principle_rows(home, shown, prompts, language)  # type: ignore[arg-type]
    else:
        blocks += [team_row(team, prompts, language) for team in shown]  # type: ignore[arg-type]
    paging = []
    if page > 0:
        paging.append(button(ids.CATALOG_BROWSE_PREV, say("previous"), f"{kind}:{page - 1}"))
    if page < pages - 1:
        paging.append(button(ids.CATALOG_BROWSE_NEXT, say("next"), f"{kind}:{page + 1}"))
    if paging:
        blocks.append(_actions("admin_paging", paging))
    return {
        "type": "modal",
        "callback_id": ids.CATALOG_BROWSER_MODAL,
        "title": plain(say("title_" + kind)[:24]),
        "close": plain(say("close")[:24]),
        "private_metadata": json.dumps({"kind": kind, "page": page}),
        "blocks": blocks,
    }


def principle_rows(
    home: AdminHome, rows: tuple[PrincipleRow, ...], prompts: Prompts, language: str
) -> list[Block]:
    """One section per principle with its actions, under a heading per level (and archived)."""
    say = _say(prompts, language)
    groups = {group.level: group for group in home.levels}
    blocks: list[Block] = []
    heading: tuple[str, bool] | None = None
    for row in rows:
        group = groups[row.level]
        if heading != (row.level, row.archived):
            heading = (row.level, row.archived)
            level = group.name or prompts.render(language, "level_names", level=row.level)
            blocks.append(context(say("archived_level" if row.archived else "level", name=level)))
        text = say(
            "row",
            name=row.name,
            count=row.behaviours,
            status="archived" if row.archived else "active",
        )
        block = section(text)
        block["block_id"] = f"admin_p_{row.key}"
        action_id = f"{ids.CATALOG_ROW}:{row.key}"
        if row.archived:
            block["accessory"] = button(action_id, say("restore"), f"restore:{row.key}")
        else:
            keys = [r.key for r in group.active]
            ops = ["edit"]
            if keys[0] != row.key:
                ops.append("up")
            if keys[-1] != row.key:
                ops.append("down")
            ops.append("archive")
            block["accessory"] = {
                "type": "overflow",
                "action_id": action_id,
                "options": [option(say(op), f"{op}:{row.key}") for op in ops],
            }
        blocks.append(block)
    return blocks


def team_row(team: TeamRow, prompts: Prompts, language: str) -> Block:
    """A team in the admin's list, with its menu: settings, rename, remove."""
    menu = {
        "type": "overflow",
        "action_id": f"{ids.TEAM_MENU}:{team.id}",
        "options": [
            option(_say(prompts, language)("settings"), f"settings:{team.id}"),
            option(
                prompts.render(language, "team_rename", part="menu"), f"rename:{team.channel_id}"
            ),
            option(
                prompts.render(language, "team_remove", part="menu"), f"remove:{team.channel_id}"
            ),
        ],
    }
    return _with_button(f"admin_t_{team.id}", _team_text(team, prompts, language), menu)


def admin_rows(admins: tuple[AdminRow, ...], prompts: Prompts, language: str) -> list[Block]:
    """The admins: added ones with a Remove button (behind Slack's confirm dialog), then the
    workspace's owners and admins in Slack, who stay admins, on one line."""

    def say(part: str, **values: Any) -> str:
        return prompts.render(language, "admin_list", part=part, **values)

    blocks: list[Block] = [{"type": "divider"}, header(say("title"))]
    added = [a for a in admins if a.added_by is not None]
    for admin in added[:HOME_ADMINS]:
        who = user_mention(admin.user_id)
        by = (
            Mrkdwn("`coach admin add`")
            if admin.added_by == "cli"
            else _mention(admin.added_by or "")
        )
        status = "both" if admin.through_slack else "added"
        block = section(say("row", who=who, change_who=by, status=status))
        block["block_id"] = f"admin_a_{admin.user_id}"
        if admin.removable:
            remove = button(f"{ids.ADMIN_REMOVE}:{admin.user_id}", say("remove"), admin.user_id)
            remove["confirm"] = _confirm(
                say("confirm_title"), say("confirm_text", who=who), say("remove"), say("cancel")
            )
            block["accessory"] = remove
        blocks.append(block)
    if len(added) > HOME_ADMINS:
        blocks.append(context(say("more", count=len(added) - HOME_ADMINS)))
    slack = [a.user_id for a in admins if a.added_by is None]
    named = Mrkdwn(", ".join(user_mention(u) for u in slack[:SLACK_ADMINS_NAMED]))
    blocks.append(
        context(
            say("through_slack", leads=named, count=len(slack) - len(slack[:SLACK_ADMINS_NAMED]))
        )
    )
    return blocks


def retention_row(days: int | None, prompts: Prompts, language: str) -> Block:
    say = retention_say(prompts, language)
    return _with_button(
        "admin_retention",
        say("line", count=days),
        button(ids.RETENTION_EDIT, say("change"), "edit"),
    )


def _team_text(team: TeamRow, prompts: Prompts, language: str) -> str:
    say = _say(prompts, language)
    return str(
        say(
            "team",
            team=team.name,
            channel=channel_mention(team.channel_id),
            leads=Mrkdwn(", ".join(user_mention(lead) for lead in team.leads)),
            time=f"{team.nudge_time:%H:%M}",
            weekday=team.celebrate_weekday,
            at=f"{team.celebrate_time:%H:%M}",
            zone=team.timezone,
            language=LANGUAGE_NAMES.get(team.language, team.language),
            country=team.holiday_country,
            principle=team.pinned,
        )
    )


def _confirm(title: str, text: str, yes: str, no: str) -> dict[str, Any]:
    """Slack's own "are you sure?" dialog on a button."""
    return {
        "title": plain(title[:100]),
        "text": {"type": "mrkdwn", "text": text[:300]},
        "confirm": plain(yes[:30]),
        "deny": plain(no[:30]),
        "style": "danger",
    }


def _mention(user_id: str) -> str:
    return user_mention(user_id) if user_id.isalnum() else user_id


def retention_say(prompts: Prompts, language: str) -> Any:
    def say(part: str, **values: Any) -> str:
        return prompts.render(language, "retention", part=part, **values)

    return say


def _with_button(block_id: str, text: str, button: dict[str, Any]) -> Block:
    return {**section(text), "block_id": block_id, "accessory": button}


def _actions(block_id: str, elements: list[dict[str, Any]]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": elements}


def _say(prompts: Prompts, language: str) -> Any:
    def say(part: str, **values: Any) -> str:
        return prompts.render(language, "admin_home", part=part, **values)

    return say

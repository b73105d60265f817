"""The team modal (create a team from a channel, or change its settings) and reading it back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coach.catalog.schema import LEVELS
from coach.domain.team_settings import CELEBRATION_PICTURES, MAX_TEAM_NAME, WEEKDAY_NAMES
from coach.render import Prompts, channel_mention, user_mention
from coach.services.chosen_people import LeftOutReason
from coach.services.team_setup import (
    NO_PIN,
    PULSE_CHOICES,
    TeamForm,
    TeamInput,
    TeamRejected,
    TeamSaved,
)
from coach.slack import ids
from coach.slack.blocks import (
    LANGUAGE_NAMES,
    Block,
    context,
    input_block,
    option,
    plain,
    text_message,
)

FIELDS = (  # field -> block id (the action id is the same)
    "channel",
    "name",
    "leads",
    "nudge_time",
    "celebrate_day",
    "celebrate_time",
    "timezone",
    "language",
    "holiday_country",
    "workdays",
    "pin",
    "pulse",
    "celebration_picture",
)


def block_id(field: str) -> str:
    return f"team_{field}"


def build_team_modal(form: TeamForm, prompts: Prompts) -> dict[str, Any]:
    lang, current = form.language, form.current

    def say(part: str, **values: Any) -> str:
        return prompts.render(lang, "team_setup", part=part, **values)

    blocks: list[Block] = []
    if form.team_id is None:
        blocks.append(
            _input(
                "channel",
                say("channel"),
                {
                    "type": "conversations_select",
                    "filter": {
                        "include": ["public", "private"],
                        "exclude_bot_users": True,
                        "exclude_external_shared_channels": True,
                    },
                },
                hint=say("channel_hint"),
            )
        )
    elif current.channel_id:
        blocks.append(context(say("channel_is", channel=channel_mention(current.channel_id))))
    if form.admin:  # a team's name and leads are for admins to change
        blocks.append(
            _input(
                "name",
                say("name"),
                {"type": "plain_text_input", "max_length": MAX_TEAM_NAME, **_initial(current.name)},
            )
        )
        leads: dict[str, Any] = {"type": "multi_users_select"}
        if current.leads:
            leads["initial_users"] = list(current.leads)
        blocks.append(_input("leads", say("leads"), leads, hint=say("leads_hint"), optional=True))
    blocks.append(_time("nudge_time", say("nudge_time"), current.nudge_time))
    days = [
        option(say("weekday", weekday=index), name.lower())
        for index, name in enumerate(WEEKDAY_NAMES)
    ]
    blocks.append(_select("celebrate_day", say("celebrate_day"), days, current.celebrate_day))
    blocks.append(_time("celebrate_time", say("celebrate_time"), current.celebrate_time))
    blocks.append(
        _input(
            "timezone",
            say("timezone"),
            {"type": "plain_text_input", "max_length": 64, **_initial(current.timezone)},
            hint=say("timezone_hint"),
        )
    )
    languages = [option(name, code) for code, name in LANGUAGE_NAMES.items()]
    blocks.append(_select("language", say("language"), languages, current.language))
    blocks.append(
        _input(
            "holiday_country",
            say("holiday_country"),
            {"type": "plain_text_input", "max_length": 8, **_initial(current.holiday_country)},
            hint=say("holiday_hint"),
        )
    )
    blocks.append(_workdays(current.workdays, say, prompts, lang))
    blocks.append(_pin_select(form, say))
    blocks.append(_pulse_select(form, prompts))
    blocks.append(_picture_select(form, prompts))
    return {
        "type": "modal",
        "callback_id": ids.TEAM_MODAL,
        "private_metadata": "" if form.team_id is None else str(form.team_id),
        "title": plain(say("title_new" if form.team_id is None else "title_edit")[:24]),
        "submit": plain(say("save")[:24]),
        "close": plain(say("cancel")[:24]),
        "blocks": blocks,
    }


def _workdays(chosen: str | None, say: Any, prompts: Prompts, language: str) -> Block:
    """The team's workdays as checkboxes: the days its members may be nudged on."""
    days = [option(say("weekday", weekday=index), str(index)) for index in range(7)]
    element: dict[str, Any] = {"type": "checkboxes", "options": days}
    initial = [o for o in days if o["value"] in (chosen or "")]
    if initial:
        element["initial_options"] = initial
    label = prompts.render(language, "team_workdays", part="label")
    hint = prompts.render(language, "team_workdays", part="hint")
    return _input("workdays", label, element, hint=hint, optional=True)


def read_team_input(view: dict[str, Any]) -> TeamInput:
    values = (view.get("state") or {}).get("values") or {}

    def element(field: str) -> dict[str, Any]:
        found = (values.get(block_id(field)) or {}).get(block_id(field))
        return found if isinstance(found, dict) else {}

    def text(field: str, key: str = "value") -> str | None:
        value = element(field).get(key)
        return value if isinstance(value, str) else None

    def chosen(field: str) -> str | None:
        value = (element(field).get("selected_option") or {}).get("value")
        return value if isinstance(value, str) else None

    users = element("leads").get("selected_users")
    ticked = element("workdays").get("selected_options")
    workdays = (
        "".join(
            str(o.get("value"))
            for o in ticked
            if isinstance(o, dict) and isinstance(o.get("value"), str)
        )
        if isinstance(ticked, list)
        else None
    )
    return TeamInput(
        channel_id=text("channel", "selected_conversation"),
        name=text("name"),
        leads=tuple(u for u in users if isinstance(u, str)) if isinstance(users, list) else (),
        nudge_time=text("nudge_time", "selected_time"),
        celebrate_day=chosen("celebrate_day"),
        celebrate_time=text("celebrate_time", "selected_time"),
        timezone=text("timezone"),
        language=chosen("language"),
        holiday_country=text("holiday_country"),
        workdays=workdays,
        pin=chosen("pin"),
        pulse=chosen("pulse"),
        celebration_picture=chosen("celebration_picture"),
    )


def team_errors(rejected: TeamRejected, prompts: Prompts) -> dict[str, str]:
    """A refused team form's problems under their fields, in the person's language."""
    return {
        block_id(field if field in FIELDS else "name"): prompts.render(
            rejected.language, "team_problem", code=code, part=field
        )
        for field, code in rejected.problems.items()
    }


def build_team_created(prompts: Prompts, saved: TeamSaved, outcome: str) -> dict[str, Any]:
    """The DM to the admin who created a team: ready, and whether the bot is in its channel
    (`outcome` as `join_channel` returns it)."""
    text = prompts.render(
        saved.language,
        "team_created",
        part=outcome,
        team=saved.name,
        channel=channel_mention(saved.channel_id),
    )
    return text_message(text)


def build_left_out_of_team(
    prompts: Prompts, language: str, team: str, left_out: Sequence[tuple[str, LeftOutReason]]
) -> dict[str, Any]:
    """The DM to the admin naming the chosen leads who are not leads after all, and why."""
    text = "\n".join(
        prompts.render(
            language, "left_out", part="team", team=team, who=user_mention(user), reason=reason
        )
        for user, reason in left_out
    )
    return text_message(text)


def _pin_select(form: TeamForm, say: Any) -> Block:
    rotate = option(say("pin_none"), NO_PIN)
    options = {pin.key: option(pin.name, pin.key) for pin in form.pins}
    element: dict[str, Any] = {"type": "static_select"}
    if form.pins:
        element["option_groups"] = [{"label": plain(say("pin_rotation")[:75]), "options": [rotate]}]
        for level in LEVELS:
            group = [options[p.key] for p in form.pins if p.level == level]
            if group:
                label = say("pin_level", level=level)
                element["option_groups"].append({"label": plain(label[:75]), "options": group})
    else:
        element["options"] = [rotate]
    element["initial_option"] = options.get(form.current.pin or "", rotate)
    return _input("pin", say("pin"), element, hint=say("pin_hint"))


def _pulse_select(form: TeamForm, prompts: Prompts) -> Block:
    def say(part: str) -> str:
        return prompts.render(form.language, "team_pulse", part=part)

    options = [option(say(choice), choice) for choice in PULSE_CHOICES]
    return _select("pulse", say("label"), options, form.current.pulse, hint=say("hint"))


def _picture_select(form: TeamForm, prompts: Prompts) -> Block:
    def say(part: str) -> str:
        return prompts.render(form.language, "team_celebration_picture", part=part)

    options = [option(say(choice), choice) for choice in CELEBRATION_PICTURES]
    current = form.current.celebration_picture
    return _select("celebration_picture", say("label"), options, current, hint=say("hint"))


def _time(field: str, label: str, value: str | None) -> Block:
    element: dict[str, Any] = {"type": "timepicker"}
    if value:
        element["initial_time"] = value
    return _input(field, label, element)


def _select(
    field: str,
    label: str,
    options: list[dict[str, Any]],
    value: str | None,
    *,
    hint: str | None = None,
) -> Block:
    element: dict[str, Any] = {"type": "static_select", "options": options}
    initial = next((o for o in options if o["value"] == value), None)
    if initial is not None:
        element["initial_option"] = initial
    return _input(field, label, element, hint=hint)


def _input(
    field: str,
    label: str,
    element: dict[str, Any],
    *,
    hint: str | None = None,
    optional: bool = False,
) -> Block:
    """An input whose block and action ids are both the field's."""
    element = {**element, "action_id": block_id(field)}
    return input_block(block_id(field), label, element, hint=hint, optional=optional)


def _initial(value: str | None) -> dict[str, str]:
    return {"initial_value": value} if value else {}

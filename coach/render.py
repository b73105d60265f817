"""The one Jinja2 environment over prompts/: every wording the bot sends comes from there.

Every `{{ value }}` is escaped for Slack mrkdwn on its way out (`finalize`), so text that people
typed (stories, catalogue texts, names) can never become `<!channel>`, a mention or a link.
Markup the bot builds on purpose, such as a mention of a chosen user, is wrapped in `Mrkdwn`.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from coach.catalog.schema import LANGUAGES

PROMPTS_PACKAGE = "coach.prompts"  # prompts/ at the repository's top, shipped inside the wheel


class Mrkdwn(str):
    """Text that is already valid Slack mrkdwn and must not be escaped again."""

    __slots__ = ()


def slack_escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def user_mention(user_id: str) -> Mrkdwn:
    if not user_id.isalnum():
        raise ValueError(f"{user_id!r} is not a Slack user ID")
    return Mrkdwn(f"<@{user_id}>")


def channel_mention(channel_id: str) -> Mrkdwn:
    if not channel_id.isalnum():
        raise ValueError(f"{channel_id!r} is not a Slack channel ID")
    return Mrkdwn(f"<#{channel_id}>")


def quote(text: str) -> Mrkdwn:
    """Typed text as a mrkdwn block quote, every line of it, escaped."""
    return Mrkdwn("\n".join(">" + line for line in slack_escape(text).split("\n")))


def _finalize(value: Any) -> Any:
    if isinstance(value, Mrkdwn):
        return value
    if isinstance(value, str):
        return slack_escape(value)
    return value


class Prompts:
    def __init__(self) -> None:
        # An installed wheel unpacks its package data as files, so the plain file loader works
        # there and in an editable checkout alike.
        self._env = Environment(
            loader=FileSystemLoader(str(resources.files(PROMPTS_PACKAGE))),
            undefined=StrictUndefined,
            autoescape=False,  # noqa: S701 - Slack mrkdwn, not HTML: `finalize` escapes for Slack
            finalize=_finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,  # templates do not change under a running process: no stat per render
        )
        self._text = self._env.overlay(finalize=None)

    def render_text(self, language: str, template: str, /, **values: Any) -> str:
        """The same wording as plain text, nothing escaped: for what is not Slack mrkdwn (a
        picture's labels, which matplotlib draws literally; the HTML report, which escapes for
        HTML itself)."""
        if language not in LANGUAGES:
            raise ValueError(f"no prompts in {language!r}")
        return self._text.get_template(f"{language}/{template}.j2").render(**values).strip()

    def render(self, language: str, template: str, /, **values: Any) -> str:
        if language not in LANGUAGES:
            raise ValueError(f"no prompts in {language!r}")
        return self._env.get_template(f"{language}/{template}.j2").render(**values).strip()

    def names(self, language: str) -> list[str]:
        prefix = f"{language}/"
        return sorted(
            name.removeprefix(prefix).removesuffix(".j2")
            for name in self._env.list_templates(extensions=["j2"])
            if name.startswith(prefix)
        )

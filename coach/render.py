"""The one Jinja2 environment over prompts/: every wording the bot sends comes from there.

Templates are language-neutral (`prompts/NAME.j2`); their wording is English msgids marked with
`_()`, `ngettext()` and `pgettext()`, translated through gettext catalogues compiled from
`prompts/locale/LANG/LC_MESSAGES/coach.po` (docs/architecture.md, "Wording"). English is the
source language and needs no catalogue; any other language falls back to English message by
message, so a partial catalogue (German) works.

Every `{{ value }}` is escaped for Slack mrkdwn on its way out (`finalize`), so text that people
typed (stories, catalogue texts, names) can never become `<!channel>`, a mention or a link.
Markup the bot builds on purpose, such as a mention of a chosen user, is wrapped in `Mrkdwn`.
A translated message is trusted markup; the values put into it are escaped the same way.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

PROMPTS_PACKAGE = "coach.prompts"  # prompts/ at the repository's top, shipped inside the wheel
DOMAIN = "coach"  # prompts/locale/LANG/LC_MESSAGES/coach.mo
SOURCE_LANGUAGE = "en"  # the msgids are English


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


def _fill(message: str, values: Mapping[str, Any], escape: bool = True) -> Mrkdwn:
    # Jinja's "newstyle" gettext: a message is always %-formatted (a literal % is written %%),
    # with each value escaped as `{{ value }}` would be (unless the text is not mrkdwn at all).
    if not escape:
        return Mrkdwn(message % values)
    return Mrkdwn(message % {name: _finalize(value) for name, value in values.items()})


def _gettext_functions(
    catalogue: gettext.NullTranslations, escape: bool = True
) -> dict[str, Callable[..., Mrkdwn]]:
    """What `_()`, `ngettext()`, `pgettext()` and `{% trans %}` call in a template."""

    def gettext_(message: str, /, **values: Any) -> Mrkdwn:
        return _fill(catalogue.gettext(message), values, escape)

    def ngettext_(singular: str, plural: str, n: int, /, **values: Any) -> Mrkdwn:
        return _fill(catalogue.ngettext(singular, plural, n), {"num": n, **values}, escape)

    def pgettext_(context: str, message: str, /, **values: Any) -> Mrkdwn:
        return _fill(catalogue.pgettext(context, message), values, escape)

    def npgettext_(context: str, singular: str, plural: str, n: int, /, **values: Any) -> Mrkdwn:
        return _fill(
            catalogue.npgettext(context, singular, plural, n), {"num": n, **values}, escape
        )

    return {
        "_": gettext_,
        "gettext": gettext_,
        "ngettext": ngettext_,
        "pgettext": pgettext_,
        "npgettext": npgettext_,
    }


class MissingCatalogue(RuntimeError):
    """A language's .po is there but its compiled .mo is not: the build step did not run."""


class Prompts:
    def __init__(self) -> None:
        root = resources.files(PROMPTS_PACKAGE)
        # An installed wheel unpacks its package data as files, so the plain file loader works
        # there and in an editable checkout alike.
        self._env = Environment(
            loader=FileSystemLoader(str(root)),
            extensions=["jinja2.ext.i18n"],
            undefined=StrictUndefined,
            autoescape=False,  # noqa: S701 - Slack mrkdwn, not HTML: `finalize` escapes for Slack
            finalize=_finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,  # templates do not change under a running process: no stat per render
        )
        # The gettext functions come with each render, for its language; this only switches
        # `{% trans %}` to the keyword form those functions take.
        self._env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
        self._text = self._env.overlay(finalize=None, cache_size=400)  # its own compiled templates
        locale = root / "locale"
        english = gettext.NullTranslations()
        self._functions = {SOURCE_LANGUAGE: _gettext_functions(english)}
        self._plain = {SOURCE_LANGUAGE: _gettext_functions(english, escape=False)}
        for folder in locale.iterdir() if locale.is_dir() else ():
            if folder.name.startswith(("_", ".")):
                continue
            catalogue = _catalogue(str(locale), folder.name)
            self._functions[folder.name] = _gettext_functions(catalogue)
            self._plain[folder.name] = _gettext_functions(catalogue, escape=False)

    @property
    def languages(self) -> list[str]:
        """English and every language with a catalogue under prompts/locale/."""
        return sorted(self._functions)

    def render(self, language: str, template: str, /, **values: Any) -> str:
        functions = self._functions.get(language)
        if functions is None:
            raise ValueError(f"no prompts in {language!r}")
        return self._env.get_template(f"{template}.j2").render(**values, **functions).strip()

    def render_text(self, language: str, template: str, /, **values: Any) -> str:
        """The same wording as plain text, nothing escaped: for what is not Slack mrkdwn (a
        picture's labels, which matplotlib draws literally; the HTML report, which escapes for
        HTML itself)."""
        functions = self._plain.get(language)
        if functions is None:
            raise ValueError(f"no prompts in {language!r}")
        return self._text.get_template(f"{template}.j2").render(**values, **functions).strip()

    def names(self) -> list[str]:
        return sorted(
            name.removesuffix(".j2") for name in self._env.list_templates(extensions=["j2"])
        )


def _catalogue(locale_dir: str, language: str) -> gettext.NullTranslations:
    try:
        catalogue: gettext.NullTranslations = gettext.translation(
            DOMAIN, locale_dir, languages=[language]
        )
    except FileNotFoundError as missing:
        raise MissingCatalogue(
            f"prompts/locale/{language} has no compiled {DOMAIN}.mo: reinstall "
            "(`pip install -e .` compiles the catalogues) or run `bash .ci/messages`"
        ) from missing
    return catalogue  # a message it lacks reads as its msgid: English

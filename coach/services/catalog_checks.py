"""The editor's side of the one rule set: an edited catalogue goes through the same CatalogSpec
and `cross_checks` as a YAML file (coach/catalog/schema.py); pydantic's error locations and the
cross-checks' paths become problems on the editor's fields, with a code the prompts word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from coach.catalog.schema import CatalogSpec, PrincipleSpec, cross_checks

CATALOGUE = "catalogue"  # the field of problems about the catalogue as a whole


@dataclass(frozen=True)
class Problem:
    """One field's problem: `field` is "level", "name", ..., "en.name", ... or "catalogue"."""

    field: str
    code: str  # required, too_long, too_many, choose, duplicate_name, ..., invalid
    limit: int = 0
    count: int = 0
    line: int = 0


class CatalogProblems(Exception):
    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(problems)
        self.problems = problems


def checked_catalog(
    base: dict[str, Any], ordered: list[dict[str, Any]], subject: str | None
) -> CatalogSpec:
    """The catalogue with `ordered` principles, or CatalogProblems with the subject's problems.

    The subject goes last in the copy that is checked, so a rule between two principles (the
    same name twice) is reported on the one being edited, whichever comes first in the file.
    """
    probe = [p for p in ordered if p["id"] != subject] + [p for p in ordered if p["id"] == subject]
    at = len(probe) - 1 if subject is not None else None
    try:
        checked = CatalogSpec.model_validate({**base, "principles": probe})
    except ValidationError as error:
        raise CatalogProblems(_first_per_field(_problem(e, at) for e in error.errors())) from None
    crossed = [
        _cross_problem(path, checked.principles[at])
        for path, _ in cross_checks(checked)
        if at is not None and path[:2] == ("principles", at)
    ]
    if crossed:
        raise CatalogProblems(_first_per_field(crossed))
    return CatalogSpec.model_validate({**base, "principles": ordered})


def _problem(error: ErrorDetails, at: int | None) -> Problem:
    loc = tuple(error["loc"])
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    if loc == ("principles",):
        if kind == "too_short":
            return Problem(CATALOGUE, "last_principle")
        return Problem(CATALOGUE, "too_many_principles", limit=int(ctx.get("max_length", 0)))
    if at is None or loc[:2] != ("principles", at) or len(loc) < 3:
        return Problem(CATALOGUE, "invalid")
    rest = loc[2:]
    if rest[0] == "translations":
        if len(rest) < 3 or rest[2] == "[key]":
            return Problem(CATALOGUE, "invalid")
        name, line_at = f"{rest[1]}.{rest[2]}", rest[3:4]
    else:
        name, line_at = ("name" if rest[0] == "id" else str(rest[0])), rest[1:2]
    line = line_at[0] + 1 if line_at and isinstance(line_at[0], int) else 0
    if kind == "string_too_long":
        length = len(given) if isinstance(given, str) else 0
        return Problem(
            name, "too_long", limit=int(ctx.get("max_length", 0)), count=length, line=line
        )
    if kind == "too_long":
        limit, count = int(ctx.get("max_length", 0)), int(ctx.get("actual_length") or 0)
        return Problem(name, "too_many", limit=limit, count=count)
    if kind in ("missing", "string_type", "string_too_short", "too_short", "list_type"):
        return Problem(name, "required", line=line)
    if kind == "literal_error":
        return Problem(name, "choose")
    return Problem(name, "invalid", line=line)


def _cross_problem(path: tuple[str | int, ...], principle: PrincipleSpec) -> Problem:
    rest = path[2:]
    if rest[0] in ("id", "name"):
        return Problem("name", "duplicate_name")
    if rest[0] == "behaviours":
        line = rest[1] + 1 if len(rest) > 1 and isinstance(rest[1], int) else 0
        return Problem("behaviours", "duplicate_behaviour", line=line)
    lang = str(rest[1])
    if len(rest) > 2:  # a variant's examples do not line up with the original's
        have = len(principle.translations[lang].behaviours)  # type: ignore[index]
        return Problem(
            f"{lang}.behaviours", "behaviour_count", limit=len(principle.behaviours), count=have
        )
    return Problem(f"{lang}.name", "own_language")


def _first_per_field(problems: Any) -> tuple[Problem, ...]:
    found: dict[str, Problem] = {}
    for problem in problems:
        found.setdefault(problem.field, problem)
    return tuple(found.values())

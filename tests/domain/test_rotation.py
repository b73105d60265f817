"""The principle of the week and the next behaviour example."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.catalog.schema import LEVELS
from coach.domain.rotation import (
    FocusCandidate,
    focus_principle,
    next_behaviour,
    rotation_order,
    week_index,
)

# Listed out of order on purpose: the rotation must not depend on it.
CATALOGUE = (
    FocusCandidate("purpose", "meaning", 0),
    FocusCandidate("listen", "relational", 5),
    FocusCandidate("on-time", "operational", 2),
    FocusCandidate("thank", "relational", 1),
    FocusCandidate("tidy", "operational", 0),
)
ORDER = ["tidy", "on-time", "thank", "listen", "purpose"]


def weeks_from(monday: date, count: int) -> list[tuple[int, int]]:
    weeks = [(monday + timedelta(weeks=n)).isocalendar() for n in range(count)]
    return [(week.year, week.week) for week in weeks]


def focus(
    principles: tuple[FocusCandidate, ...] | list[FocusCandidate],
    week: tuple[int, int],
    pinned: str | None = None,
) -> str | None:
    return focus_principle(principles, iso_year=week[0], iso_week=week[1], pinned=pinned)


def test_rotation_order_is_operational_relational_meaning() -> None:
    assert [p.id for p in rotation_order(CATALOGUE)] == ORDER


def test_week_index_counts_weeks_without_gaps() -> None:
    assert week_index(2001, 1) == 0
    assert week_index(2001, 2) == 1
    assert week_index(2000, 52) == -1
    assert week_index(2027, 1) == week_index(2026, 53) + 1
    assert week_index(2021, 1) == week_index(2020, 53) + 1
    assert week_index(2026, 1) == week_index(2025, 52) + 1


def test_one_principle_per_week_in_order() -> None:
    # 2001-W01 is week 0 of the rotation.
    weeks = weeks_from(date(2001, 1, 1), 7)
    assert [focus(CATALOGUE, week) for week in weeks] == [*ORDER, "tidy", "on-time"]


def test_week_53_continues_into_the_next_year_without_a_jump_or_repeat() -> None:
    weeks = weeks_from(date(2026, 12, 7), 8)  # 2026-W50 .. 2027-W04
    assert weeks[3:5] == [(2026, 53), (2027, 1)]
    places = [ORDER.index(str(focus(CATALOGUE, week))) for week in weeks]
    assert all((b - a) % len(ORDER) == 1 for a, b in pairwise(places))


def test_pinned_principle_wins() -> None:
    for week in weeks_from(date(2026, 1, 5), 6):
        assert focus(CATALOGUE, week, pinned="listen") == "listen"


def test_a_pinned_principle_that_was_archived_no_longer_counts() -> None:
    active = [p for p in CATALOGUE if p.id != "listen"]
    for week in weeks_from(date(2026, 1, 5), 6):
        assert focus(active, week, pinned="listen") == focus(active, week)
        assert focus(active, week) != "listen"


def test_archived_principles_drop_out_of_the_rotation() -> None:
    active = [p for p in CATALOGUE if p.id != "thank"]
    weeks = weeks_from(date(2001, 1, 1), 4)
    assert [focus(active, week) for week in weeks] == ["tidy", "on-time", "listen", "purpose"]


def test_empty_catalogue_has_no_focus() -> None:
    assert focus([], (2026, 10)) is None
    assert focus([], (2026, 10), pinned="tidy") is None


def test_unknown_level_and_week_are_refused() -> None:
    with pytest.raises(ValueError, match="level 'spiritual'"):
        focus([FocusCandidate("x", "spiritual", 0)], (2026, 10))
    with pytest.raises(ValueError):
        focus(CATALOGUE, (2025, 53), pinned="tidy")  # 2025 has 52 ISO weeks


candidates = st.lists(
    st.builds(
        FocusCandidate,
        id=st.text("abcdefgh", min_size=1, max_size=4),
        level=st.sampled_from(LEVELS),
        position=st.integers(0, 20),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda p: p.id,
)
mondays = st.dates(date(1990, 1, 1), date(2090, 1, 1)).map(
    lambda d: d - timedelta(days=d.weekday())
)


@given(principles=candidates, start=mondays, data=st.data())
def test_every_principle_once_per_round_in_order_whatever_the_input_order(
    principles: list[FocusCandidate], start: date, data: st.DataObject
) -> None:
    order = [p.id for p in rotation_order(principles)]
    shuffled = data.draw(st.permutations(principles))
    seen = [focus(shuffled, week) for week in weeks_from(start, 2 * len(order))]
    first = order.index(str(seen[0]))
    assert seen == (order[first:] + order[:first]) * 2
    # and the order is by level, then position
    ranks = [(LEVELS.index(p.level), p.position) for p in rotation_order(principles)]
    assert ranks == sorted(ranks)


def test_next_behaviour_goes_round_in_catalogue_order() -> None:
    ids = [10, 20, 30]
    assert next_behaviour(ids, []) == 10
    assert next_behaviour(ids, [10]) == 20
    assert next_behaviour(ids, [10, 20]) == 30
    assert next_behaviour(ids, [10, 20, 30]) == 10
    assert next_behaviour(ids, [10, 20, 30, 10]) == 20


def test_examples_no_longer_current_are_ignored() -> None:
    assert next_behaviour([10, 20, 30], [99, 10, 98]) == 20
    assert next_behaviour([10, 30], [10, 20]) == 30  # 20 was removed


def test_a_new_example_comes_next_then_the_rounds_carry_on() -> None:
    ids = [10, 20, 30, 40]  # 40 was added mid-round
    shown = [10, 20, 30, 10]
    for _ in range(8):
        shown.append(next_behaviour(ids, shown))
    assert shown[4:] == [40, 20, 30, 10, 40, 20, 30, 10]


def test_reordering_after_a_full_round_keeps_the_persons_order() -> None:
    assert next_behaviour([30, 20, 10], []) == 30
    assert next_behaviour([30, 20, 10], [10, 20, 30]) == 10


def test_a_single_example_is_always_the_one() -> None:
    assert next_behaviour([7], [7, 7, 7]) == 7


def test_next_behaviour_refuses_bad_lists() -> None:
    with pytest.raises(ValueError, match="at least one"):
        next_behaviour([], [])
    with pytest.raises(ValueError, match="repeat"):
        next_behaviour([1, 2, 1], [])


behaviour_lists = st.lists(st.integers(0, 15), min_size=1, max_size=8, unique=True)
histories = st.lists(st.integers(0, 20), max_size=30)  # overlaps, repeats and stale ids


@given(ids=behaviour_lists, rounds=st.integers(1, 4))
def test_from_scratch_the_rounds_follow_catalogue_order(ids: list[int], rounds: int) -> None:
    shown: list[int] = []
    for _ in range(rounds * len(ids)):
        shown.append(next_behaviour(ids, shown))
    assert shown == ids * rounds


@given(ids=behaviour_lists, history=histories)
def test_no_example_repeats_before_all_were_shown(ids: list[int], history: list[int]) -> None:
    pick = next_behaviour(ids, history)
    assert pick in ids
    if pick in history:
        since = history[len(history) - history[::-1].index(pick) :]
        assert set(ids) - {pick} <= set(since)
    else:
        assert pick == next(i for i in ids if i not in history)


@given(ids=behaviour_lists, history=histories)
def test_whatever_came_before_every_next_round_shows_each_example_once(
    ids: list[int], history: list[int]
) -> None:
    shown = list(history)
    for _ in range(3 * len(ids)):
        shown.append(next_behaviour(ids, shown))
    picks = shown[len(history) :]
    for start in range(len(picks) - len(ids) + 1):
        assert sorted(picks[start : start + len(ids)]) == sorted(ids)

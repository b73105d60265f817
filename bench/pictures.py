"""How long one picture takes to draw, per kind of picture (target: under 300 ms each).

    .venv/bin/python bench/pictures.py [--runs 30]

Draws each picture `--runs` times after one warm-up (fonts and matplotlib's caches, as in a
running `coach run`) and prints p50 / p95 / max in milliseconds, the PNG's size, and the ratio
of the CPU p50 to drawing an empty 1000-pixel figure (the floor matplotlib itself sets).
Then what an App Home visit with unchanged data costs instead: the picture's words and the
digest of its data (the drawing is skipped when a file already shows that digest).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from coach.domain.celebration import MinGroup
from coach.domain.pyramid import PrincipleTally, team_pyramid
from coach.picture_words import Picture, organisation_picture, pyramid_picture
from coach.pictures import Png
from coach.pictures.canvas import figure, png
from coach.render import Prompts
from coach.services.organisation import OrganisationView, TeamLine
from coach.services.pictures import TeamPyramidView

LEVELS = ("operational", "relational", "meaning")
TARGET_MS = 300.0


def pyramid(principles: int, members: int) -> Callable[[], Png]:
    return lambda: pyramid_words(principles, members)().png


def pyramid_words(principles: int, members: int) -> Callable[[], Picture]:
    prompts = Prompts()
    minimum = MinGroup.of(3)
    tallies = [
        PrincipleTally(
            f"p{n}", LEVELS[n % 3], n, f"Principle number {n} with a long name", n % 7, n, 6
        )
        for n in range(principles)
    ]
    view = TeamPyramidView(
        1,
        "Klantenservice Noord",
        "nl",
        8,
        41,
        48,
        {},
        minimum,
        team_pyramid(tallies, members=members, minimum=minimum),
    )
    return lambda: pyramid_picture(view, prompts)


def organisation(teams: int, principles: int) -> Callable[[], Png]:
    return lambda: organisation_words(teams, principles)().png


def organisation_words(teams: int, principles: int) -> Callable[[], Picture]:
    prompts = Prompts()
    view = OrganisationView(
        organisation="Technisch Dienstverlener X",
        language="nl",
        weeks=12,
        first_week=37,
        last_week=48,
        principles=tuple(f"Principle number {n} with a long name" for n in range(principles)),
        teams=tuple(
            TeamLine(
                f"Team {t}",
                f"C{t:08d}",
                tuple(None if t % 7 == 3 else (t * p) % 9 for p in range(principles)),
                None if t % 7 == 3 else 12,
                8,
            )
            for t in range(teams)
        ),
        untouched=(),
        top=(),
        minimum=MinGroup.of(3),
    )
    return lambda: organisation_picture(view, prompts)


def empty() -> Png:
    return png(figure(800))


def measure(draw: Callable[[], Any], runs: int) -> tuple[list[float], list[float], int]:
    """Wall and CPU milliseconds per drawing: on a shared machine the CPU time is the figure
    that does not depend on what the neighbours run."""
    draw()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = draw()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu, len(result.data) if isinstance(result, Png) else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    floor = statistics.median(measure(empty, runs)[1])
    cases: dict[str, Callable[[], Png]] = {
        "empty figure (floor)": empty,
        "pyramid, sample catalogue size (7 principles)": pyramid(7, 12),
        "pyramid, 30 principles": pyramid(30, 12),
        "pyramid, team of 2 (numbers left out)": pyramid(9, 2),
        "heat map, 8 teams x 7 principles": organisation(8, 7),
        "heat map, 30 teams x 20 principles": organisation(30, 20),
    }
    print(
        f"{'picture':<44} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'cpu p50':>7} {'PNG kB':>7}"
        f" {'x floor':>7}"
    )
    worst_wall = worst_cpu = 0.0
    for name, draw in cases.items():
        wall, cpu, size = measure(draw, runs)
        p50, p95 = statistics.median(wall), statistics.quantiles(wall, n=20)[-1]
        cpu50 = statistics.median(cpu)
        worst_wall, worst_cpu = max(worst_wall, p95), max(worst_cpu, cpu50)
        print(
            f"{name:<44} {p50:7.1f} {p95:7.1f} {max(wall):7.1f} {cpu50:7.1f} {size / 1024:7.1f}"
            f" {cpu50 / floor:7.2f}"
        )
    print(f"\n{'unchanged picture on a Home visit':<44} {'cpu p50':>7} {'drawn':>7} {'ratio':>7}")
    for name, words, draw in (
        ("pyramid (7 principles): words + data digest", pyramid_words(7, 12), pyramid(7, 12)),
        ("heat map (8 x 7): words + data digest", organisation_words(8, 7), organisation(8, 7)),
    ):
        cheap = statistics.median(measure(words, runs)[1])
        full = statistics.median(measure(draw, runs)[1])
        print(f"{name:<44} {cheap:7.2f} {full:7.1f} {full / cheap:7.0f}")
    load = os.getloadavg()[0]
    print(
        f"worst CPU p50 {worst_cpu:.1f} ms against the {TARGET_MS:.0f} ms target: "
        f"{'met' if worst_cpu < TARGET_MS else 'MISSED'}; worst wall p95 {worst_wall:.1f} ms "
        f"at a load average of {load:.1f} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()

"""Where one input flips a decision: the nearest value, within its declared range, at which
the winner changes, with everything else held.

A tornado chart shows how far an outcome moves when an input moves by a fixed share; a
reader deciding also wants the threshold itself ("above 3.1M requests a month, the answer
changes"). The search scans a geometric grid over the input's declared interval and then
bisects between the last value that keeps the winner and the first that does not, so it
finds the flip nearest to the reader's value on each side without assuming the outcome is
monotone in the input beyond that point.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from tradeoffs._errors import InvalidParameterError
from tradeoffs._spec import HasInputs, Interval, Spec

S = TypeVar("S", bound=HasInputs)

GRID_POINTS = 48
"""Grid points over an input's whole declared range (geometric: inputs span decades)."""
BISECTIONS = 40
"""Halvings between the last grid point that keeps the winner and the first that does not."""


@dataclass(frozen=True)
class Flip:
    """The winner changes from ``before`` to ``after`` when the input crosses ``value``."""

    parameter: str
    value: Decimal | int
    """The first value (moving away from the reader's) at which ``after`` wins."""
    before: str
    after: str


def _grid(interval: Interval) -> list[Decimal]:
    """Values across the interval in ascending order, geometric between its ends (a zero end
    is reached through the smallest positive grid value); the caller walks them outwards
    from the reader's value."""
    low = max(interval.low, Decimal("1e-6") if not interval.integer else Decimal(1))
    high = interval.high
    step = (math.log(float(high)) - math.log(float(low))) / GRID_POINTS
    points = [Decimal(str(float(low) * math.exp(step * i))) for i in range(GRID_POINTS + 1)]
    points = [min(max(p, interval.low), interval.high) for p in points]
    if interval.low <= 0 < low and not interval.low_open:
        points.insert(0, interval.low)
    return points


def _as_input(interval: Interval, value: Decimal) -> Decimal | int:
    return int(value.to_integral_value()) if interval.integer else value


def nearest_flips(
    spec: Spec[S, Any],
    scenario: S,
    name: str,
    winner: Callable[[S], str],
) -> tuple[Flip | None, Flip | None]:
    """The nearest flip below and above the scenario's value of ``name`` (None on a side
    where the winner never changes inside the declared range, or where the combination of
    inputs stops being valid first)."""
    constraint = spec.param(name).constraint
    assert isinstance(constraint, Interval), f"{name} is not a numeric input"
    current = Decimal(getattr(scenario, name))
    base = winner(scenario)

    def at(value: Decimal) -> str | None:
        try:
            return winner(spec.rebuild(scenario, **{name: _as_input(constraint, value)}))
        except InvalidParameterError:
            return None

    grid = _grid(constraint)
    below = [p for p in reversed(grid) if p < current]
    above = [p for p in grid if p > current]
    return (
        _walk(name, constraint, current, below, base, at),
        _walk(name, constraint, current, above, base, at),
    )


def _walk(
    name: str,
    interval: Interval,
    current: Decimal,
    points: list[Decimal],
    base: str,
    at: Callable[[Decimal], str | None],
) -> Flip | None:
    """Step outwards until the winner changes, then bisect back to the crossing."""
    same = current
    for point in points:
        found = at(point)
        if found is None:
            return None
        if found != base:
            return _bisect(name, interval, same, point, base, found, at)
        same = point
    return None


def _bisect(
    name: str,
    interval: Interval,
    same: Decimal,
    other: Decimal,
    base: str,
    found: str,
    at: Callable[[Decimal], str | None],
) -> Flip:
    for _ in range(BISECTIONS):
        middle = (same + other) / 2
        if interval.integer:
            middle = middle.to_integral_value()
            if middle in (same, other):
                break
        outcome = at(middle)
        if outcome is None or outcome == base:
            same = middle
        else:
            other, found = middle, outcome
    return Flip(name, _as_input(interval, other), base, found)

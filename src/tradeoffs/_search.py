"""The smallest whole number at which a monotone test passes: doubling, then bisection."""

from __future__ import annotations

from collections.abc import Callable


def smallest_passing(passes: Callable[[int], bool], start: int, limit: int) -> int | None:
    """The smallest n in [start, limit] with ``passes(n)``, for a test that stays passed once
    it passes (more servers, more validation items); None if ``passes(limit)`` fails.

    Doubling from ``start`` brackets the answer, bisection finds it: about 2·log2(n) tests
    whatever n is."""
    if passes(start):
        return start
    low = high = start
    while not passes(high):
        if high >= limit:
            return None
        low, high = high, min(limit, high * 2)
    while high - low > 1:  # invariant: low fails, high passes
        middle = (low + high) // 2
        if passes(middle):
            high = middle
        else:
            low = middle
    return high

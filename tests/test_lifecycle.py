"""Model lifecycles: the shutdown table, snapshot matching and whole months to a shutdown."""

from __future__ import annotations

import datetime as dt

import pytest

from tradeoffs import _lifecycle, build_vs_buy
from tradeoffs.evidence import load_registry


def test_every_successor_is_priced_and_named_in_the_registry() -> None:
    statement = load_registry().claim(_lifecycle.MIGRATION_CLAIM).statement
    for row in _lifecycle.retiring_models():
        assert build_vs_buy.api_price(row.successor).model == row.successor
        assert _lifecycle.retirement(row.successor) is None, "a successor must not retire too"
        assert row.successor in statement
        assert row.shutdown == load_registry().figure(row.claim, "shutdown").date


@pytest.mark.parametrize(
    ("model", "retires"),
    [
        ("gpt-4o-mini", True),
        ("gpt-4o-mini-2024-07-18", True),
        ("gpt-4o", True),
        ("gpt-4.1", True),
        ("gpt-4.1-nano", False),
        ("gpt-5.4-mini", False),
        ("gpt-4o-mini-tts", False),
    ],
)
def test_snapshots_match_their_model_and_nothing_else(model: str, retires: bool) -> None:
    assert (_lifecycle.retirement(model) is not None) == retires


@pytest.mark.parametrize(
    ("start", "day", "months"),
    [
        (dt.date(2026, 11, 30), dt.date(2027, 1, 14), 1),
        (dt.date(2026, 11, 14), dt.date(2027, 1, 14), 2),
        (dt.date(2026, 11, 22), dt.date(2027, 1, 14), 1),
        (dt.date(2027, 1, 14), dt.date(2027, 1, 14), 0),
        (dt.date(2027, 3, 1), dt.date(2027, 1, 14), 0),
        (dt.date(2026, 1, 1), dt.date(2027, 1, 14), 12),
    ],
)
def test_whole_months_before_a_shutdown(start: dt.date, day: dt.date, months: int) -> None:
    assert _lifecycle.months_until(start, day) == months

"""Money conventions shared by every trade-off: exact decimals, cloud-style months."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    getcontext,
    localcontext,
)
from typing import Any, TypeVar, cast

HOURS_PER_MONTH = Decimal(730)
"""Cloud price lists count a month as 730 hours (365 days x 24 / 12)."""
DAYS_PER_YEAR = 365
MONTHS_PER_YEAR = 12
CENT = Decimal("0.01")


def monthly(daily: Decimal) -> Decimal:
    """A daily amount over an average month (365/12 days); multiplying first keeps it exact."""
    return daily * DAYS_PER_YEAR / MONTHS_PER_YEAR


def cents(amount: Decimal) -> Decimal:
    """Rounded to the cent, half up, as an invoice would."""
    return rounded(amount, CENT, ROUND_HALF_UP)


EXACT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""Decimal's documented default context, fixed: a caller's own ``decimal`` settings (fewer
digits, other rounding) must not change a cost the handbook computes."""

F = TypeVar("F", bound=Callable[..., Any])


def exact(function: F) -> F:
    """Run ``function`` in :data:`EXACT`, whatever context the caller has set."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with localcontext(EXACT):
            return function(*args, **kwargs)

    return cast(F, wrapper)


def rounded(amount: Decimal, step: Decimal | str, rounding: str | None = None) -> Decimal:
    """``amount`` to a multiple of ``step``. An amount with more digits before the point than
    the context holds is whole far beyond ``step`` already, and is returned as it is (quantize
    would raise instead)."""
    step = Decimal(step)
    exponent = step.as_tuple().exponent
    assert isinstance(exponent, int)
    if amount.is_finite() and amount.adjusted() - exponent + 1 > getcontext().prec:
        return amount
    return amount.quantize(step, rounding=rounding)

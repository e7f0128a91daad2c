"""Boundary checks in the scikit-learn style: one sentence naming the parameter, the valid
range and the value received, so that the CLI can print it as is and a notebook user can act
on it without reading a traceback."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from tradeoffs._errors import InvalidParameterError

Real = int | float | Decimal | str


def to_decimal(name: str, value: object) -> Decimal:
    """``value`` as an exact Decimal, refusing booleans, NaN, infinities and non-numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise InvalidParameterError(f"{name} must be a number; got {value!r}.")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidParameterError(f"{name} must be a finite number; got {value!r}.")
    try:
        # str() first so that 0.1 becomes Decimal("0.1"), not its binary approximation.
        number = Decimal(str(value).strip().replace("_", ""))
    except InvalidOperation:
        raise InvalidParameterError(f"{name} must be a number; got {value!r}.") from None
    if not number.is_finite():
        raise InvalidParameterError(f"{name} must be a finite number; got {value!r}.")
    return number


def check_range(
    name: str,
    value: object,
    *,
    low: Decimal | int | None = None,
    high: Decimal | int | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
) -> Decimal:
    """Validate ``value`` against an interval and return it as a Decimal."""
    number = to_decimal(name, value)
    ok = True
    if low is not None:
        ok &= number >= low if low_inclusive else number > low
    if high is not None:
        ok &= number <= high if high_inclusive else number < high
    if integer and number != number.to_integral_value():
        ok = False
    if not ok:
        raise InvalidParameterError(
            f"{name} must be {_describe_range(low, high, low_inclusive, high_inclusive, integer)}; "
            f"got {value!r}."
        )
    return number


def _describe_range(
    low: Decimal | int | None,
    high: Decimal | int | None,
    low_inclusive: bool,
    high_inclusive: bool,
    integer: bool,
) -> str:
    kind = "a whole number" if integer else "a number"
    if low is not None and high is not None:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        return f"{kind} in {left}{low}, {high}{right}"
    if low is not None:
        return f"{kind} {'>=' if low_inclusive else '>'} {low}"
    if high is not None:
        return f"{kind} {'<=' if high_inclusive else '<'} {high}"
    return kind


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    """Validate that ``value`` is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise InvalidParameterError(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return value


def check_positive(name: str, value: object) -> Decimal:
    """A finite number > 0."""
    return check_range(name, value, low=0, low_inclusive=False)


def check_count(name: str, value: object, low: int = 0) -> int:
    """A whole number >= ``low``."""
    return int(check_range(name, value, low=low, integer=True))

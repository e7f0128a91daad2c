"""Money conventions shared by every trade-off: exact decimals, cloud-style months."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)

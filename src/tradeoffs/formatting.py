"""How numbers read on the site, in decision records and in playbook tables: one place, one
style. Public, so a reader's own notebook can format its results the way the handbook does."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from tradeoffs._money import CENT, rounded
from tradeoffs.evidence import Figure, Unit


def usd(amount: Decimal | int) -> str:
    """Dollars to the cent: ``$5,931.25``, ``-$98,400.00``; whole amounts keep their cents."""
    exact = rounded(Decimal(amount), CENT, ROUND_HALF_UP)
    return f"-${-exact:,}" if exact < 0 else f"${exact:,}"


def plain(number: Decimal | int) -> str:
    """A number without trailing zeros and with thousands separators: ``3,400.4``."""
    d = Decimal(number)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    text = f"{d:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def significant(number: Decimal | int, digits: int = 3) -> str:
    """A threshold found by search, to ``digits`` significant figures: ``1,390,000``."""
    d = Decimal(number)
    if d == 0:
        return "0"
    exponent = d.adjusted() - digits + 1
    return plain(d.scaleb(-exponent).to_integral_value().scaleb(exponent))


def threshold(number: Decimal | int) -> str:
    """A counted input exactly (``2,195`` tokens), a measured one to three figures."""
    return plain(number) if isinstance(number, int) else significant(number)


def price(amount: Decimal) -> str:
    """A unit price with at least cents, keeping finer digits: ``$0.60``, ``$0.075``."""
    text = plain(amount)
    if "." not in text:
        return f"${text}.00" if Decimal(amount) < 1000 else f"${text}"
    decimals = len(text.split(".")[1])
    return "$" + (text + "0" if decimals == 1 else text)


def share(fraction: Decimal) -> str:
    """A fraction as a percentage with one decimal: ``33.1%``."""
    return f"{rounded(fraction * 100, '0.1', ROUND_HALF_UP)}%"


_SUFFIX = {
    Unit.USD_PER_MTOK: " per million tokens",
    Unit.USD_PER_GPU_HOUR: " per GPU-hour",
    Unit.USD_PER_HOUR: " an hour",
    Unit.USD_PER_YEAR: " a year",
    Unit.USD_PER_MONTH: " a month",
    Unit.PERCENT: "%",
    Unit.PERCENTAGE_POINTS: " points",
    Unit.REQUESTS_PER_DAY: " requests a day",
    Unit.TOKENS_PER_SECOND: " tokens/s",
    Unit.TOKENS: " tokens",
    Unit.MULTIPLIER: "×",
    Unit.RATIO: "×",
    Unit.FTE: " FTE",
    Unit.WEEKS: " weeks",
    Unit.MONTHS: " months",
    Unit.HOURS: " hours",
    Unit.MINUTES: " minutes",
    Unit.MILLISECONDS: " ms",
    Unit.REQUESTS_PER_SECOND: " requests/s",
    Unit.GPUS: " GPUs",
    Unit.GIGABYTES: " GB",
    Unit.GIGABYTES_PER_SECOND: " GB/s",
    Unit.TERAFLOPS: " TFLOPS",
    Unit.SECONDS: " s",
}
_MONEY = {
    Unit.USD,
    Unit.USD_PER_MTOK,
    Unit.USD_PER_GPU_HOUR,
    Unit.USD_PER_HOUR,
    Unit.USD_PER_YEAR,
    Unit.USD_PER_MONTH,
}


def figure_text(fig: Figure) -> str:
    """A registry figure as a reader sees it: ``$0.15 per million tokens``, ``20–30%``."""
    if fig.unit is Unit.DATE:
        assert fig.date is not None
        return fig.date.isoformat()
    number = price if fig.unit in _MONEY else plain
    if fig.value is not None:
        core = number(fig.value)
    else:
        assert fig.low is not None and fig.high is not None
        core = f"{number(fig.low)}–{plain(fig.high)}"
    suffix = _SUFFIX.get(fig.unit, "")
    if (
        fig.value == 1
        and suffix.endswith("s")
        and fig.unit in (Unit.HOURS, Unit.MINUTES, Unit.WEEKS, Unit.MONTHS)
    ):
        suffix = suffix[:-1]
    if suffix in ("%", "×"):
        return core + suffix
    if fig.unit is Unit.COUNT:
        return core
    return core + suffix

"""Model complexity vs maintainability: is the extra accuracy worth what it costs to keep?

The value side is the accuracy gain priced per decision: ``gain (points) x value of one
point on one decision x decisions a month``. The cost side is what the complex model adds
every year (engineering hours for maintenance and retraining, compute, and the expected cost
of incidents) plus what it costs to build once. The ledger that measures the gain, its
spread and the models' churn lives in :mod:`tradeoffs._ledger`; pass one as ``ledger`` and
its measured gain becomes the default ``accuracy_gain_points``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from tradeoffs._errors import InvalidParameterError
from tradeoffs._ledger import CONFIDENCE, Comparison, Entry, Interval, compare, ledger
from tradeoffs._money import MONTHS_PER_YEAR, exact, rounded
from tradeoffs._record import Record
from tradeoffs._recorded import provenance as timing_source
from tradeoffs._spec import (
    PLAIN,
    PRICE,
    USD,
    USD_CENTS,
    CliHook,
    Custom,
    Derived,
    Fixed,
    Format,
    FromRegistry,
    Inputs,
    Origin,
    Param,
    Result,
    Rule,
    Spec,
    between,
    rules,
    takes,
)
from tradeoffs.formatting import plain, price, usd

__all__ = [
    "Comparison",
    "Decision",
    "Entry",
    "Interval",
    "Scenario",
    "compare",
    "decide",
    "ledger",
    "measured_gain_points",
    "net_annual_usd",
    "record",
    "scenario",
    "sensitivity",
    "timing_source",
]

SLUG = "complexity"
WORK_HOURS_PER_YEAR = 52 * 40

Recommendation = Literal["simple", "complex"]
Ledger = tuple[Entry, Entry]
"""The simple and the complex model, measured the same way (:func:`ledger`)."""


# --- Inputs ------------------------------------------------------------------------------------


def measured_gain_points(measured: Ledger) -> float:
    """The complex model's accuracy over the simple one's, in points, to two decimals."""
    simple, complex_ = measured
    return round((complex_.accuracy - simple.accuracy) * 100, 2)


def _read_ledger(name: str, raw: object) -> Ledger:
    if (
        isinstance(raw, tuple | list)
        and len(raw) == 2
        and all(isinstance(entry, Entry) for entry in raw)
    ):
        splits = {len(e.accuracy_by_split) for e in raw} | {
            len(e.churn_bootstrap_by_split) for e in raw
        }
        if len(splits) != 1 or splits.pop() < 2:
            raise InvalidParameterError(
                f"{name} must carry per-split measurements for both models, on the same two "
                "or more splits (ledger() measures ten), so that the gain has an interval."
            )
        return (raw[0], raw[1])
    raise InvalidParameterError(
        f"{name} must be a measured ledger, the (simple, complex) pair that ledger() returns; "
        f"got {raw!r}."
    )


GAIN_DEFAULT = FromRegistry("assume-complexity.accuracy_gain_points")


@dataclass(frozen=True)
class _MeasuredOrRegistry(Derived):
    """The measured gain when a ledger is given, else the registry's assumption; its help
    reads the registry figure instead of restating it."""

    def describe(self) -> str:
        return f"{GAIN_DEFAULT.describe()}; {self.text}"


def _gain(values: Mapping[str, Any]) -> tuple[Any, Origin]:
    measured: Ledger | None = values["ledger"]
    if measured is None:
        return GAIN_DEFAULT.resolve(values)
    return measured_gain_points(measured), Origin(note="measured ledger")


def _money(name: str, label: str, high: int, key: str, help_text: str, fmt: Format) -> Param:
    """A non-negative amount whose default is an ``assume-complexity`` figure."""
    return Param(
        name, label, between(0, high), FromRegistry(f"assume-complexity.{key}"), help_text, fmt
    )


PARAMS: tuple[Param, ...] = (
    Param(
        "ledger",
        "Measured ledger",
        Custom("a measured ledger, the (simple, complex) pair that ledger() returns", _read_ledger),
        Fixed(None, "not measured"),
        "a measured ledger whose gain is the default accuracy gain",
        in_record=False,
        on_cli=False,
    ),
    Param(
        "accuracy_gain_points",
        "Accuracy gain (points)",
        between(-100, 100),
        _MeasuredOrRegistry("the measured gain with --measure", _gain),
        "accuracy the complex model adds, in percentage points",
    ),
    _money(
        "value_per_point_usd",
        "Value of one point on one decision",
        1_000_000,
        "value_per_point_usd",
        "what one point of accuracy is worth on one decision, USD",
        PRICE,
    ),
    _money(
        "decisions_per_month",
        "Decisions a month",
        10**12,
        "decisions_per_month",
        "decisions a month",
        PLAIN,
    ),
    _money(
        "extra_maintenance_hours_per_month",
        "Extra maintenance hours a month",
        1_000_000,
        "maintenance_hours_per_month",
        "extra engineering hours a month to maintain and retrain",
        PLAIN,
    ),
    Param(
        "engineer_hourly_usd",
        "Engineer cost an hour",
        between(0, 100_000),
        FromRegistry("assume-staff.loaded_annual_usd", divide_by=WORK_HOURS_PER_YEAR),
        "loaded engineer cost an hour, USD",
        fmt=USD_CENTS,
    ),
    _money(
        "extra_compute_monthly_usd",
        "Extra compute a month",
        100_000_000,
        "compute_monthly_usd",
        "extra compute a month, USD",
        USD,
    ),
    _money(
        "extra_incidents_per_year",
        "Extra incidents a year",
        1_000_000,
        "incidents_per_year",
        "extra incidents a year from the complex model's churn",
        PLAIN,
    ),
    _money(
        "incident_cost_usd",
        "Cost of an incident",
        1_000_000_000,
        "incident_cost_usd",
        "cost of one incident, USD",
        USD,
    ),
    _money(
        "build_hours",
        "Hours to build the complex model",
        10_000_000,
        "build_hours",
        "engineering hours to build the complex model",
        PLAIN,
    ),
)
"""Every input, declared once: the command's options, validation and the record read it."""


@dataclass(frozen=True)
class Scenario:
    """Every input of the comparison (see :data:`PARAMS`); build one with :func:`scenario`,
    which validates and fills defaults; the constructor does not."""

    ledger: Ledger | None
    """The measured ledger the gain came from, when one was given."""
    accuracy_gain_points: Decimal
    value_per_point_usd: Decimal
    """What one percentage point of accuracy is worth on one decision."""
    decisions_per_month: Decimal
    extra_maintenance_hours_per_month: Decimal
    engineer_hourly_usd: Decimal
    extra_compute_monthly_usd: Decimal
    extra_incidents_per_year: Decimal
    incident_cost_usd: Decimal
    build_hours: Decimal
    inputs: Inputs = field(compare=False, repr=False)

    @cached_property
    def comparison(self) -> Comparison | None:
        """The measured ledger's paired intervals (None without a ledger); computed once,
        since the decision, its reason and several record rows all read them."""
        return None if self.ledger is None else compare(*self.ledger)

    @property
    def gain_interval(self) -> Interval | None:
        """The measured gain's interval in points, when the gain in use is the measured one
        (a gain the reader gives is theirs, and has no interval here)."""
        if self.comparison is None or self.inputs.origins["accuracy_gain_points"].given:
            return None
        return self.comparison.gain_points


def _build(inputs: Inputs) -> Scenario:
    return Scenario(**inputs.values, inputs=inputs)


def scenario(**inputs: object) -> Scenario:
    """A validated :class:`Scenario`; any input not given takes its declared default
    (:data:`PARAMS`)."""
    return SPEC.scenario(**inputs)


# --- The economics -----------------------------------------------------------------------------


def annual_value_usd(s: Scenario) -> Decimal:
    """What the accuracy gain earns in a year (negative when the complex model is worse)."""
    return s.accuracy_gain_points * s.value_per_point_usd * s.decisions_per_month * MONTHS_PER_YEAR


def annual_cost_usd(s: Scenario) -> Decimal:
    """What the complex model adds each year: people, compute and incidents."""
    people = s.extra_maintenance_hours_per_month * s.engineer_hourly_usd * MONTHS_PER_YEAR
    compute = s.extra_compute_monthly_usd * MONTHS_PER_YEAR
    incidents = s.extra_incidents_per_year * s.incident_cost_usd
    return people + compute + incidents


def net_annual_usd(s: Scenario) -> Decimal:
    """Value minus running cost, per year, before the one-off build."""
    return annual_value_usd(s) - annual_cost_usd(s)


def build_usd(s: Scenario) -> Decimal:
    return s.build_hours * s.engineer_hourly_usd


def payback_months(s: Scenario) -> Decimal | None:
    """Months for the net monthly value to repay the build; None if it never does."""
    monthly = net_annual_usd(s) / MONTHS_PER_YEAR
    if monthly <= 0:
        return None
    return build_usd(s) / monthly


def break_even_value_per_point_usd(s: Scenario) -> Decimal | None:
    """The value of one point on one decision at which the complex model's gain pays for its
    yearly cost; None when there is no gain to price."""
    per_unit = s.accuracy_gain_points * s.decisions_per_month * MONTHS_PER_YEAR
    if per_unit <= 0:
        return None
    return annual_cost_usd(s) / per_unit


# --- The decision ------------------------------------------------------------------------------


RULES: dict[str, Rule] = rules(SLUG)
"""The page's numbered rules (titles in ``data/rules.toml``)."""


@dataclass(frozen=True)
class Decision:
    scenario: Scenario
    annual_value_usd: Decimal
    annual_cost_usd: Decimal
    net_annual_usd: Decimal
    build_usd: Decimal
    payback_months: Decimal | None
    break_even_value_per_point_usd: Decimal | None
    recommendation: Recommendation
    rule: Rule
    reason: str
    net_annual_usd_at_ends: tuple[Decimal, Decimal] | None = None
    """Net a year with the gain at its interval's low and high end (None: no interval)."""

    @property
    def measurable_gain(self) -> bool:
        """False when the measured gain's interval includes zero."""
        interval = self.scenario.gain_interval
        return interval is None or not interval.spans_zero


def _points(gain: Decimal) -> str:
    return f"{plain(gain)} point" + ("" if abs(gain) == 1 else "s")


def _months(payback: Decimal) -> str:
    return plain(rounded(payback, "0.1"))


def _reason(s: Scenario, pays: bool) -> str:
    """Why: the gain's yearly value against the upkeep, the payback and the break-even."""
    value, cost, net = usd(annual_value_usd(s)), usd(annual_cost_usd(s)), usd(net_annual_usd(s))
    payback = payback_months(s)
    gain = _points(s.accuracy_gain_points)
    if pays and payback is not None:
        return (
            f"A gain of {gain} earns {value} a year against {cost} of extra upkeep: "
            f"{net} net, repaying the build in {_months(payback)} months."
        )
    if s.accuracy_gain_points <= 0:
        return (
            f"The complex model gains {gain}: there is nothing to pay for its {cost} a year "
            "of extra upkeep."
        )
    repay = "" if payback is None else f", {_months(payback)} months to repay the build"
    be = break_even_value_per_point_usd(s)
    at = price(rounded(be, "0.0001")) if be is not None else "no value"
    return (
        f"A gain of {gain} earns {value} a year against {cost} of extra upkeep ({net} net"
        f"{repay}); it breaks even at {at} per point per decision."
    )


def _at_gain(s: Scenario, points: float) -> Decimal:
    return net_annual_usd(replace(s, accuracy_gain_points=Decimal(str(round(points, 2)))))


def _no_measurable_gain(interval: Interval) -> str:
    return (
        f"The measured gain, {_interval_text(interval)}, includes zero: there is no measurable "
        "gain to pay for the complex model's upkeep, so keep the simple one (measure on more "
        "data, or on your own, before spending on it)."
    )


def _interval_text(interval: Interval) -> str:
    return (
        f"{interval.mean:+.2f} points ({CONFIDENCE:.0%} interval {interval.low:+.2f} to "
        f"{interval.high:+.2f})"
    )


@takes(Scenario, "scenario()")
@exact
def decide(s: Scenario) -> Decision:
    """Complex only when the gain is measurably above zero (when measured), its yearly value
    exceeds its yearly cost and it repays the build within a year; otherwise simple."""
    payback = payback_months(s)
    interval = s.gain_interval
    measurable = interval is None or not interval.spans_zero
    pays = measurable and payback is not None and payback <= MONTHS_PER_YEAR
    recommendation: Recommendation = "complex" if pays else "simple"
    ends = None if interval is None else (_at_gain(s, interval.low), _at_gain(s, interval.high))
    rule = RULES["CPX-2" if pays else ("CPX-1" if measurable else "CPX-6")]
    reason = _reason(s, pays) if measurable or interval is None else _no_measurable_gain(interval)
    return Decision(
        scenario=s,
        annual_value_usd=annual_value_usd(s),
        annual_cost_usd=annual_cost_usd(s),
        net_annual_usd=net_annual_usd(s),
        build_usd=build_usd(s),
        payback_months=payback,
        break_even_value_per_point_usd=break_even_value_per_point_usd(s),
        recommendation=recommendation,
        rule=rule,
        reason=reason,
        net_annual_usd_at_ends=ends,
    )


SENSITIVITY_INPUTS = {
    "accuracy_gain_points": "accuracy gain",
    "value_per_point_usd": "value of a point",
    "decisions_per_month": "decisions a month",
    "extra_maintenance_hours_per_month": "maintenance hours",
    "engineer_hourly_usd": "engineer cost an hour",
    "extra_compute_monthly_usd": "extra compute",
    "extra_incidents_per_year": "extra incidents",
}


def sensitivity(
    s: Scenario, spread: Decimal = Decimal("0.5")
) -> list[tuple[str, Decimal, Decimal]]:
    """Net annual value with each input at (1 - spread) and (1 + spread), others held."""
    rows = []
    for name, label in SENSITIVITY_INPUTS.items():
        low = net_annual_usd(replace(s, **{name: getattr(s, name) * (1 - spread)}))
        high = net_annual_usd(replace(s, **{name: getattr(s, name) * (1 + spread)}))
        rows.append((label, low, high))
    return rows


# --- The decision record -----------------------------------------------------------------------


def _quantized(places: str) -> Any:
    return lambda d: None if d is None else rounded(d, places)


_payback = _quantized("0.1")
_break_even = _quantized("0.000001")


def _value_text(d: Decision) -> str:
    interval = d.scenario.gain_interval
    if interval is not None and interval.spans_zero:
        return f"no measurable gain: {_interval_text(interval)}"
    return usd(rounded(d.annual_value_usd, "0.01"))


def _gain_end(side: int) -> Callable[[Decision], Decimal | None]:
    def pick(d: Decision) -> Decimal | None:
        interval = d.scenario.gain_interval
        if interval is None:
            return None
        return rounded(Decimal(str((interval.low, interval.high)[side])), "0.01")

    return pick


def _net_end(side: int) -> Callable[[Decision], Decimal | None]:
    def pick(d: Decision) -> Decimal | None:
        ends = d.net_annual_usd_at_ends
        return None if ends is None else rounded(ends[side], "0.01")

    return pick


def _measured(d: Decision) -> bool:
    return d.scenario.gain_interval is not None


def _gain_end_result(side: int) -> Result[Decision]:
    """The measured gain's interval end (0: low, 1: high), only in measured records."""
    end = ("low", "high")[side]
    return Result(
        f"accuracy_gain_ci_{end}",
        f"Measured gain, {CONFIDENCE:.0%} interval {end} (points)",
        _gain_end(side),
        shown=lambda d: f"{_gain_end(side)(d):+.2f}",
        when=_measured,
    )


RESULTS: tuple[Result[Decision], ...] = (
    Result(
        "annual_value_usd",
        "Value of the gain a year",
        lambda d: d.annual_value_usd,
        USD_CENTS,
        shown=_value_text,
    ),
    *(_gain_end_result(side) for side in (0, 1)),
    Result(
        "net_annual_usd_low",
        "Net a year with the gain at its low end",
        _net_end(0),
        USD_CENTS,
        when=_measured,
    ),
    Result(
        "net_annual_usd_high",
        "Net a year with the gain at its high end",
        _net_end(1),
        USD_CENTS,
        when=_measured,
    ),
    Result("annual_cost_usd", "Extra upkeep a year", lambda d: d.annual_cost_usd, USD_CENTS),
    Result("net_annual_usd", "Net a year", lambda d: d.net_annual_usd, USD_CENTS),
    Result("build_usd", "Build, once", lambda d: d.build_usd, USD_CENTS),
    Result(
        "payback_months",
        "Months to repay the build",
        lambda d: _payback(d.payback_months),
        shown=lambda d: "never" if d.payback_months is None else _months(d.payback_months),
    ),
    Result(
        "break_even_value_per_point_usd",
        "Break-even value of a point per decision",
        lambda d: _break_even(d.break_even_value_per_point_usd),
        shown=lambda d: (
            "none (no gain)"
            if d.break_even_value_per_point_usd is None
            else price(_break_even(d.break_even_value_per_point_usd))
        ),
    ),
)
"""Every output of the record, declared once: text table, JSON keys and Markdown rows."""


LEDGER_COLUMNS: tuple[tuple[str, str, str], ...] = (
    # (heading, Entry field, format)
    ("accuracy", "accuracy", ".1%"),
    ("± sd", "accuracy_sd", ".1%"),
    ("train s", "training_seconds", ".3f"),
    ("latency ms", "latency_ms", ".2f"),
    ("size KB", "size_kb", ".0f"),
    ("hyperparams", "hyperparameters", ""),
    ("features", "features", ""),
    ("churn: reseed", "churn_reseed", ".1%"),
    ("churn: bootstrap", "churn_bootstrap", ".1%"),
    ("churn: drift", "churn_feature_shift", ".2%"),
)


def ledger_table(entries: Ledger) -> str:
    """The measured ledger as a plain-text table (printed before the record's text)."""
    rows = [("", *(heading for heading, _, _ in LEDGER_COLUMNS))]
    for e in entries:
        rows.append((e.description, *(format(getattr(e, k), f) for _, k, f in LEDGER_COLUMNS)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def comparison_lines(c: Comparison) -> str:
    """The paired intervals under the ledger table: the gain, and churn per model with the
    difference."""

    def pct(i: Interval, signed: bool = False) -> str:
        sign = "+" if signed else ""
        return f"{i.mean:{sign}.2%} ({i.low:{sign}.2%} to {i.high:{sign}.2%})"

    lines = [f"Accuracy gain, complex minus simple: {_interval_text(c.gain_points)}"]
    for label, (simple, complex_, diff) in (
        ("bootstrap retrain", c.churn_bootstrap),
        ("retrain with another seed", c.churn_reseed),
    ):
        lines.append(
            f"Churn, {label}: simple {pct(simple)}, complex {pct(complex_)}, "
            f"difference {pct(diff, signed=True)}"
        )
    return "\n".join(lines)


def _comparison_json(c: Comparison) -> dict[str, object]:
    def interval(i: Interval) -> dict[str, float]:
        return {"mean": i.mean, "low": i.low, "high": i.high}

    churn = {
        label: dict(zip(("simple", "complex", "difference"), map(interval, trio), strict=True))
        for label, trio in (("bootstrap", c.churn_bootstrap), ("reseed", c.churn_reseed))
    }
    return {
        "accuracy_gain_points": interval(c.gain_points),
        "confidence": CONFIDENCE,
        "churn": churn,
    }


@takes(Decision, "decide()")
def record(d: Decision) -> Record:
    """The decision as a :class:`~tradeoffs._record.Record`; a measured ledger is printed
    before the text table, with its paired intervals, and kept under ``ledger`` and
    ``comparison`` in the JSON."""
    measured, comparison = d.scenario.ledger, d.scenario.comparison
    claims = ["C1", "C2", "C3", "C5", "C6", "assume-complexity"]
    extra: dict[str, object] = {"measurable_gain": d.measurable_gain}
    preamble = ""
    if measured is not None and comparison is not None:
        claims.append("method-corrected-resampled-t")
        extra |= {
            "ledger": [asdict(e) for e in measured],
            "comparison": _comparison_json(comparison),
        }
        preamble = ledger_table(measured) + "\n\n" + comparison_lines(comparison)
    result: Record = SPEC.record(
        d, claims=claims, json_extra=extra, preamble=preamble, warnings=_assumed_gain_note(d)
    )
    return result


ASSUMED_GAIN_NOTE = (
    "The accuracy gain here is the handbook's assumption, not a measurement: the playbook "
    "always measures it on a demo dataset (so does --measure), and its answer can differ. "
    "Give your own measured gain with --accuracy-gain-points."
)


def _assumed_gain_note(d: Decision) -> tuple[str, ...]:
    """Why the command and the notebook can disagree at their defaults: one assumes the
    gain, the other measures it."""
    origin = d.scenario.inputs.origins["accuracy_gain_points"]
    return () if origin.given or d.scenario.ledger is not None else (ASSUMED_GAIN_NOTE,)


def _measure(raw: object, given: dict[str, object]) -> None:
    """``--measure``: measure the ledger, whose gain is used unless the gain is given."""
    given["ledger"] = ledger()


SPEC: Spec[Scenario, Decision] = Spec(
    slug=SLUG,
    title="Model complexity vs maintainability: is the gain worth the upkeep?",
    params=PARAMS,
    build=_build,
    results=RESULTS,
    rules=RULES,
    fires=("CPX-1", "CPX-2", "CPX-6"),
    hooks=(
        CliHook(
            "measure",
            "measure the ledger (accuracy, churn, latency, size...) of a simple and a complex "
            "model on scikit-learn's breast-cancer data, and use the measured gain unless "
            "--accuracy-gain-points is given",
            _measure,
            flag=True,
            progress="Measuring the ledger (two models, ten splits, a few seconds)...",
        ),
    ),
)
"""Model complexity, declared: inputs, results and rules (see :mod:`tradeoffs._spec`)."""

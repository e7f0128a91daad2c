"""Model complexity vs maintainability: is the extra accuracy worth what it costs to keep?

The value side is the accuracy gain priced per decision: ``gain (points) x value of one
point on one decision x decisions a month``. The cost side is what the complex model adds
every year (engineering hours for maintenance and retraining, compute, and the expected cost
of incidents) plus what it costs to build once. The ledger that measures the gain, its
spread and the models' churn lives in :mod:`tradeoffs._ledger`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from tradeoffs._ledger import Entry, ledger
from tradeoffs._money import MONTHS_PER_YEAR, cents
from tradeoffs._record import Record, Row
from tradeoffs._recorded import provenance as timing_source
from tradeoffs._validation import check_range
from tradeoffs.evidence import value, value_or
from tradeoffs.formatting import plain, price, usd

__all__ = [
    "Decision",
    "Entry",
    "Scenario",
    "decide",
    "ledger",
    "net_annual_usd",
    "record",
    "scenario",
    "sensitivity",
    "timing_source",
]

SLUG = "complexity"
WORK_HOURS_PER_YEAR = 52 * 40

Recommendation = Literal["simple", "complex"]


@dataclass(frozen=True)
class Scenario:
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


def scenario(
    *,
    accuracy_gain_points: object = None,
    value_per_point_usd: object = None,
    decisions_per_month: object = None,
    extra_maintenance_hours_per_month: object = None,
    engineer_hourly_usd: object = None,
    extra_compute_monthly_usd: object = None,
    extra_incidents_per_year: object = None,
    incident_cost_usd: object = None,
    build_hours: object = None,
) -> Scenario:
    """A validated :class:`Scenario`; any input left as None takes its registry default."""
    hourly = (
        engineer_hourly_usd
        if engineer_hourly_usd is not None
        else value("assume-staff.loaded_annual_usd") / WORK_HOURS_PER_YEAR
    )

    def money(name: str, given: object, ref: str) -> Decimal:
        return check_range(name, value_or(given, ref), low=0)

    return Scenario(
        accuracy_gain_points=check_range(
            "accuracy_gain_points",
            value_or(accuracy_gain_points, "assume-complexity.accuracy_gain_points"),
            low=-100,
            high=100,
        ),
        value_per_point_usd=money(
            "value_per_point_usd", value_per_point_usd, "assume-complexity.value_per_point_usd"
        ),
        decisions_per_month=money(
            "decisions_per_month", decisions_per_month, "assume-complexity.decisions_per_month"
        ),
        extra_maintenance_hours_per_month=money(
            "extra_maintenance_hours_per_month",
            extra_maintenance_hours_per_month,
            "assume-complexity.maintenance_hours_per_month",
        ),
        engineer_hourly_usd=check_range("engineer_hourly_usd", hourly, low=0),
        extra_compute_monthly_usd=money(
            "extra_compute_monthly_usd",
            extra_compute_monthly_usd,
            "assume-complexity.compute_monthly_usd",
        ),
        extra_incidents_per_year=money(
            "extra_incidents_per_year",
            extra_incidents_per_year,
            "assume-complexity.incidents_per_year",
        ),
        incident_cost_usd=money(
            "incident_cost_usd", incident_cost_usd, "assume-complexity.incident_cost_usd"
        ),
        build_hours=money("build_hours", build_hours, "assume-complexity.build_hours"),
    )


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


@dataclass(frozen=True)
class Rule:
    id: str
    title: str


RULES = {
    r.id: r
    for r in (
        Rule("CPX-1", "Default to the simple model; the complex one must pay for its upkeep"),
        Rule(
            "CPX-2",
            "Adopt the complex model when its measured gain is worth more than its yearly cost",
        ),
        Rule("CPX-3", "Measure churn before you ship: changing anything changes everything"),
        Rule("CPX-4", "Name who owns the model a year from now"),
        Rule("CPX-5", "Count data dependencies as debt"),
        Rule("CPX-6", "Measure the gain with its spread, not on one split"),
    )
}


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


def _points(gain: Decimal) -> str:
    return f"{plain(gain)} point" + ("" if abs(gain) == 1 else "s")


def decide(s: Scenario) -> Decision:
    """Complex only when the gain's yearly value exceeds its yearly cost and repays the build
    within a year; otherwise simple."""
    net = net_annual_usd(s)
    payback = payback_months(s)
    be = break_even_value_per_point_usd(s)
    pays = payback is not None and payback <= MONTHS_PER_YEAR
    if pays:
        recommendation: Recommendation = "complex"
        rule = RULES["CPX-2"]
        assert payback is not None
        reason = (
            f"A gain of {_points(s.accuracy_gain_points)} earns "
            f"{usd(annual_value_usd(s))} a year against {usd(annual_cost_usd(s))} of extra "
            f"upkeep: {usd(net)} net, repaying the build in "
            f"{plain(payback.quantize(Decimal('0.1')))} months."
        )
    else:
        recommendation, rule = "simple", RULES["CPX-1"]
        if s.accuracy_gain_points <= 0:
            reason = (
                f"The complex model gains {_points(s.accuracy_gain_points)}: there is "
                f"nothing to pay for its {usd(annual_cost_usd(s))} a year of extra upkeep."
            )
        else:
            reason = (
                f"A gain of {_points(s.accuracy_gain_points)} earns "
                f"{usd(annual_value_usd(s))} a year against {usd(annual_cost_usd(s))} of "
                f"extra upkeep ({usd(net)} net"
                + (
                    ""
                    if payback is None
                    else f", {plain(payback.quantize(Decimal('0.1')))} months to repay the build"
                )
                + "); it breaks even at "
                f"{price(be.quantize(Decimal('0.0001'))) if be is not None else 'no value'} "
                "per point per decision."
            )
    return Decision(
        s,
        annual_value_usd(s),
        annual_cost_usd(s),
        net,
        build_usd(s),
        payback,
        be,
        recommendation,
        rule,
        reason,
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


def record(d: Decision, measured: tuple[Entry, Entry] | None = None) -> Record:
    s = d.scenario
    defaults = scenario()

    def src(attr: str, ref: str = "assume-complexity") -> str:
        return ref if getattr(s, attr) == getattr(defaults, attr) else ""

    inputs = (
        Row(
            "accuracy_gain_points",
            "Accuracy gain (points)",
            s.accuracy_gain_points,
            plain(s.accuracy_gain_points),
            src("accuracy_gain_points"),
        ),
        Row(
            "value_per_point_usd",
            "Value of one point on one decision",
            s.value_per_point_usd,
            price(s.value_per_point_usd),
            src("value_per_point_usd"),
        ),
        Row(
            "decisions_per_month",
            "Decisions a month",
            s.decisions_per_month,
            plain(s.decisions_per_month),
            src("decisions_per_month"),
        ),
        Row(
            "extra_maintenance_hours_per_month",
            "Extra maintenance hours a month",
            s.extra_maintenance_hours_per_month,
            plain(s.extra_maintenance_hours_per_month),
            src("extra_maintenance_hours_per_month"),
        ),
        Row(
            "engineer_hourly_usd",
            "Engineer cost an hour",
            cents(s.engineer_hourly_usd),
            usd(s.engineer_hourly_usd),
            src("engineer_hourly_usd", "assume-staff"),
        ),
        Row(
            "extra_compute_monthly_usd",
            "Extra compute a month",
            s.extra_compute_monthly_usd,
            usd(s.extra_compute_monthly_usd),
            src("extra_compute_monthly_usd"),
        ),
        Row(
            "extra_incidents_per_year",
            "Extra incidents a year",
            s.extra_incidents_per_year,
            plain(s.extra_incidents_per_year),
            src("extra_incidents_per_year"),
        ),
        Row(
            "incident_cost_usd",
            "Cost of an incident",
            s.incident_cost_usd,
            usd(s.incident_cost_usd),
            src("incident_cost_usd"),
        ),
        Row(
            "build_hours",
            "Hours to build the complex model",
            s.build_hours,
            plain(s.build_hours),
            src("build_hours"),
        ),
    )
    be = d.break_even_value_per_point_usd
    results = (
        Row(
            "annual_value_usd",
            "Value of the gain a year",
            cents(d.annual_value_usd),
            usd(d.annual_value_usd),
        ),
        Row(
            "annual_cost_usd",
            "Extra upkeep a year",
            cents(d.annual_cost_usd),
            usd(d.annual_cost_usd),
        ),
        Row("net_annual_usd", "Net a year", cents(d.net_annual_usd), usd(d.net_annual_usd)),
        Row("build_usd", "Build, once", cents(d.build_usd), usd(d.build_usd)),
        Row(
            "payback_months",
            "Months to repay the build",
            None if d.payback_months is None else d.payback_months.quantize(Decimal("0.1")),
            "never"
            if d.payback_months is None
            else plain(d.payback_months.quantize(Decimal("0.1"))),
        ),
        Row(
            "break_even_value_per_point_usd",
            "Break-even value of a point per decision",
            None if be is None else be.quantize(Decimal("0.000001")),
            "none (no gain)" if be is None else price(be.quantize(Decimal("0.000001"))),
        ),
    )
    extra: dict[str, object] = {}
    if measured is not None:
        extra["ledger"] = [e.__dict__ for e in measured]
    return Record(
        slug=SLUG,
        title="Model complexity vs maintainability: is the gain worth the upkeep?",
        inputs=inputs,
        results=results,
        recommendation=d.recommendation,
        rule_id=d.rule.id,
        rule_title=d.rule.title,
        reason=d.reason,
        claims=("C1", "C2", "C3", "C5", "C6", "assume-complexity"),
        json_extra=extra,
    )

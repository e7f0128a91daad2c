"""Model complexity: the economics by hand, their invariants, and the measured ledger."""

from __future__ import annotations

from dataclasses import asdict, replace
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradeoffs import InvalidParameterError
from tradeoffs import _ledger as ledger
from tradeoffs import complexity as cpx


def case(**overrides: object) -> cpx.Scenario:
    base: dict[str, object] = dict(
        accuracy_gain_points=2,
        value_per_point_usd="0.01",
        decisions_per_month=100_000,
        extra_maintenance_hours_per_month=10,
        engineer_hourly_usd=100,
        extra_compute_monthly_usd=300,
        extra_incidents_per_year=1,
        incident_cost_usd=4000,
        build_hours=40,
    )
    return cpx.scenario(**{**base, **overrides})


def test_economics_by_hand() -> None:
    s = case()
    # value: 2 points x $0.01 x 100,000 decisions x 12 months = $24,000 a year
    assert cpx.annual_value_usd(s) == 24_000
    # cost: 10 h x $100 x 12 + $300 x 12 + 1 x $4,000 = $12,000 + $3,600 + $4,000
    assert cpx.annual_cost_usd(s) == 19_600
    assert cpx.net_annual_usd(s) == 4_400
    # build $4,000 repaid by $4,400 / 12 a month: 10.909... months
    assert cpx.payback_months(s) == Decimal(4000) / (Decimal(4400) / 12)
    # break-even: $19,600 / (2 x 100,000 x 12) = $0.008166... per point per decision
    assert cpx.break_even_value_per_point_usd(s) == Decimal(19_600) / 2_400_000
    d = cpx.decide(s)
    assert (d.recommendation, d.rule.id) == ("complex", "CPX-2")


def test_no_gain_means_simple_and_no_break_even() -> None:
    s = case(accuracy_gain_points=-0.8)
    assert cpx.break_even_value_per_point_usd(s) is None
    assert cpx.payback_months(s) is None
    d = cpx.decide(s)
    assert (d.recommendation, d.rule.id) == ("simple", "CPX-1")


def test_slow_payback_is_simple() -> None:
    d = cpx.decide(case(build_hours=200))  # $20,000 build at $367 net a month
    assert d.payback_months is not None and d.payback_months > 12
    assert d.recommendation == "simple"


def test_default_engineer_cost_comes_from_the_staff_assumption() -> None:
    s = cpx.scenario()
    assert s.engineer_hourly_usd == (Decimal(200_000) / 2080).quantize(Decimal("1e-12"))
    rows = {row.key: row for row in cpx.record(cpx.decide(s)).inputs}
    assert rows["engineer_hourly_usd"].value == Decimal("96.15")  # kept to the cent
    assert rows["engineer_hourly_usd"].claim == "assume-staff"
    assert rows["accuracy_gain_points"].claim == "assume-complexity"
    assert "ledger" not in rows


def entry(name: str, accuracy: float) -> ledger.Entry:
    """A ledger line measured on three splits, whose mean accuracy is ``accuracy``."""
    splits = (accuracy - 0.004, accuracy, accuracy + 0.004)
    return ledger.Entry(
        name,
        name.title(),
        accuracy,
        0.01,
        0.1,
        0.2,
        3.0,
        5,
        30,
        0.0,
        0.01,
        0.002,
        accuracy_by_split=splits,
        churn_bootstrap_by_split=(0.01, 0.012, 0.008),
        churn_reseed_by_split=(0.0, 0.0, 0.0),
    )


MEASURED = (entry("simple", 0.95), entry("complex", 0.9712))


def test_a_measured_ledger_gives_the_default_gain() -> None:
    s = cpx.scenario(ledger=MEASURED)
    assert s.accuracy_gain_points == Decimal("2.12")
    record = cpx.record(cpx.decide(s))
    rows = {row.key: row for row in record.inputs}
    assert rows["accuracy_gain_points"].source == "measured ledger"
    assert record.json_extra["ledger"] == [asdict(e) for e in MEASURED]
    assert "Simple" in record.preamble and "churn: bootstrap" in record.preamble


def test_a_given_gain_wins_over_the_measured_one() -> None:
    s = cpx.scenario(ledger=MEASURED, accuracy_gain_points=1.5)
    assert s.accuracy_gain_points == Decimal("1.5")
    assert cpx.record(cpx.decide(s)).inputs[0].source == "given"
    assert cpx.SPEC.rebuild(s, build_hours=10).accuracy_gain_points == Decimal("1.5")
    again = cpx.SPEC.rebuild(cpx.scenario(ledger=MEASURED), build_hours=10)
    assert again.ledger == MEASURED and again.accuracy_gain_points == Decimal("2.12")


def test_without_a_ledger_the_record_has_no_ledger() -> None:
    record = cpx.record(cpx.decide(cpx.scenario()))
    assert record.preamble == "" and "ledger" not in record.json_extra


@settings(max_examples=80)
@given(st.decimals("-5", "10", places=2), st.decimals("0", "10", places=2))
def test_a_bigger_gain_never_lowers_net_value(gain: Decimal, extra: Decimal) -> None:
    s = case(accuracy_gain_points=gain)
    assert cpx.net_annual_usd(replace(s, accuracy_gain_points=gain + extra)) >= (
        cpx.net_annual_usd(s)
    )


@settings(max_examples=80)
@given(st.decimals("0", "200", places=1), st.decimals("0", "200", places=1))
def test_more_maintenance_never_raises_net_value(hours: Decimal, extra: Decimal) -> None:
    s = case(extra_maintenance_hours_per_month=hours)
    more = replace(s, extra_maintenance_hours_per_month=hours + extra)
    assert cpx.net_annual_usd(more) <= cpx.net_annual_usd(s)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"accuracy_gain_points": 150}, "accuracy_gain_points must be a number in [-100, 100]"),
        (
            {"decisions_per_month": -1},
            "decisions_per_month must be a number in [0, 1,000,000,000,000]; got -1.",
        ),
        ({"value_per_point_usd": "nan"}, "value_per_point_usd must be a finite number in [0, "),
        ({"build_hours": "soon"}, "build_hours must be a number in [0, 10,000,000]; got 'soon'."),
        ({"build_hours": 1e8}, "build_hours must be a number in [0, 10,000,000]"),
        ({"engineer_hourly_usd": True}, "engineer_hourly_usd must be a number in [0, 100,000]"),
        ({"ledger": "measured"}, "ledger must be a measured ledger, the (simple, complex) pair"),
        ({"no_such_input": 1}, "no_such_input is not an input of complexity; the inputs are"),
    ],
)
def test_bad_input_is_one_clear_sentence(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        case(**overrides)
    assert str(err.value).startswith(message)


def test_a_retrain_that_differs_only_by_seed_is_measured_and_bootstrap_churns() -> None:
    x_tr, x_te, y_tr, _ = ledger._split(0)
    for make in (ledger.simple_model, ledger.complex_model):
        first = make(7).fit(x_tr, y_tr)
        assert ledger.churn(first, make(7).fit(x_tr, y_tr), x_te) == 0.0
    entry = ledger.measure("complex", seeds=(0, 1))
    x_tr1, x_te1, y_tr1, _ = ledger._split(1)
    by_hand = ledger.churn(
        ledger.complex_model(1).fit(x_tr1, y_tr1),
        ledger.complex_model(1 + ledger.RESEED_OFFSET).fit(x_tr1, y_tr1),
        x_te1,
    )
    assert entry.churn_reseed_by_split[1] == by_hand
    assert entry.churn_bootstrap > 0.0
    assert len(entry.churn_bootstrap_by_split) == len(entry.accuracy_by_split) == 2


def test_without_the_correction_the_interval_is_scipys_paired_t() -> None:
    """An independent reference: SciPy's paired t-test gives the same interval when the
    Nadeau-Bengio correction is switched off, and the correction only widens it."""
    from scipy import stats

    rng = np.random.default_rng(3)
    a, b = rng.normal(0.95, 0.01, 10), rng.normal(0.96, 0.01, 10)
    plain = ledger.resampled_interval(list(b - a), test_share=0.0)
    ci = stats.ttest_rel(b, a).confidence_interval(0.95)
    assert (plain.low, plain.high) == pytest.approx((ci.low, ci.high), rel=1e-9)
    corrected = ledger.resampled_interval(list(b - a), test_share=0.3)
    width = (corrected.high - corrected.low) / (plain.high - plain.low)
    assert width == pytest.approx(np.sqrt((1 / 10 + 0.3 / 0.7) / (1 / 10)), rel=1e-9)


def test_the_corrected_interval_covers_the_true_gain_in_a_simulation() -> None:
    """Per-split differences that share a component (as overlapping training sets do): the
    corrected interval covers the true mean at least at its nominal rate, the naive one not."""
    rng = np.random.default_rng(0)
    covered = {0.0: 0, 0.3: 0}
    trials = 400
    rho = 0.3  # Nadeau and Bengio's model: splits correlate by the test share
    for _ in range(trials):
        shared = rng.normal(0, np.sqrt(rho) * 0.01)  # what every split's training data shares
        diffs = 0.0 + shared + rng.normal(0, np.sqrt(1 - rho) * 0.01, 10)
        for share in covered:
            i = ledger.resampled_interval(list(diffs), test_share=share)
            covered[share] += i.low <= 0.0 <= i.high
    assert covered[0.3] / trials >= 0.93
    assert covered[0.0] / trials < 0.9


def test_a_measured_gain_whose_interval_spans_zero_keeps_the_simple_model() -> None:
    measured = ledger.ledger()
    interval = ledger.compare(*measured).gain_points
    assert interval.spans_zero  # the bundled data: the complex model is not measurably better
    d = cpx.decide(cpx.scenario(ledger=measured, value_per_point_usd=1000))
    assert d.recommendation == "simple" and d.rule.id == "CPX-6"
    assert not d.measurable_gain and "no measurable gain" in d.reason
    assert d.net_annual_usd_at_ends is not None
    low, high = d.net_annual_usd_at_ends
    assert low < 0 < high  # at a high enough value per point the high end would pay
    rows = {r.key: r for r in cpx.record(d).results}
    assert "no measurable gain" in rows["annual_value_usd"].shown
    given = cpx.decide(cpx.scenario(ledger=measured, accuracy_gain_points=2))
    assert given.scenario.gain_interval is None and given.measurable_gain


def test_ledger_measures_both_models() -> None:
    simple, complex_ = ledger.ledger(seeds=(0, 1, 2))
    assert 0.9 < simple.accuracy <= 1 and 0.9 < complex_.accuracy <= 1
    assert simple.features == complex_.features == 30
    assert complex_.size_kb > simple.size_kb
    assert complex_.hyperparameters > simple.hyperparameters
    assert simple.training_seconds > 0 and simple.latency_ms > 0


def test_the_command_says_when_its_gain_is_assumed_and_the_notebook_measures() -> None:
    assumed = cpx.record(cpx.decide(cpx.scenario()))
    assert cpx.ASSUMED_GAIN_NOTE in assumed.warnings
    given = cpx.record(cpx.decide(cpx.scenario(accuracy_gain_points=2)))
    assert cpx.ASSUMED_GAIN_NOTE not in given.warnings

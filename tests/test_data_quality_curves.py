"""Data quantity vs quality: the fitted curves, their bands and the decisions, each checked
against an independent reference (SciPy's curve_fit, a fresh experiment with other seeds, the
plan carried out directly on the data)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests._cli import run
from tradeoffs import InvalidParameterError
from tradeoffs import _noise as noise
from tradeoffs import data_quality as dq
from tradeoffs._learning_curve import EXPONENTS, fit_power_law


def _law(n: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    out: np.ndarray = a - b * np.power(n, -c)
    return out


@pytest.mark.parametrize(("a", "b", "c", "ceiling"), [(0.95, 2.0, 0.6, 1.0), (0.9, 1.0, 0.3, 0.9)])
def test_the_power_law_fit_matches_scipy_curve_fit(
    a: float, b: float, c: float, ceiling: float
) -> None:
    """On noisy points of a known curve, the profile fit's squared error is curve_fit's or
    lower (within a grid step), under the same bounds."""
    from scipy.optimize import curve_fit

    n = np.array([50.0, 100, 200, 400, 800, 1347])
    rng = np.random.default_rng(1)
    y = _law(n, a, b, c) + rng.normal(0, 0.01, size=len(n))
    fa, fb, fc = (float(v[0]) for v in fit_power_law(n, y, ceiling))
    (sa, sb, sc), _ = curve_fit(
        _law, n, y, p0=(min(ceiling, 0.9), 1, 0.5), bounds=((0, 0, 0.02), (ceiling, 100, 3))
    )
    ours = float(np.sum((_law(n, fa, fb, fc) - y) ** 2))
    theirs = float(np.sum((_law(n, sa, sb, sc) - y) ** 2))
    assert ours <= theirs * 1.01 + 1e-9
    assert fa <= ceiling and fb >= 0


def test_the_fit_recovers_an_exact_curve() -> None:
    n = np.array([50.0, 100, 200, 400, 800, 1347])
    c = float(EXPONENTS[120])  # an exponent on the grid
    a, b, fc = fit_power_law(n, _law(n, 0.93, 1.5, c), 1.0)
    assert (float(a[0]), float(b[0]), float(fc[0])) == pytest.approx((0.93, 1.5, c), rel=1e-6)


@pytest.fixture(scope="module")
def binary() -> dq.Reference:
    return dq.reference(0, 2)


@pytest.fixture(scope="module")
def pair() -> dq.Reference:
    return dq.reference(0, 10, noise.Noise.pair(10))


def test_ceilings_stay_below_the_best_measurement_plus_the_margin(binary: dq.Reference) -> None:
    """The issue: both fitted ceilings sat at their bound of 100%."""
    for ref in (dq.reference(), binary):
        surface = ref.surface
        best = max(
            np.mean([p.accuracy for p in ref.points if (p.n, p.noise_rate) == (n, r)])
            for n in surface.sizes
            for r in surface.rates
        )
        assert surface.best_measured == pytest.approx(best)
        assert surface.ceiling_bound == pytest.approx(min(1, best + dq.ceiling_margin()))
        assert max(surface.ceilings) <= surface.ceiling_bound < 1
        assert float(np.max(surface.refits[0])) <= surface.ceiling_bound
        assert ref.predict(10**9, 0.0) <= surface.ceiling_bound
        limits = surface.limits  # with unlimited labels: never better with more noise
        assert all(a >= b - 1e-12 for a, b in itertools.pairwise(limits))
        for rate in surface.pinned:  # a ceiling the data could not place borrows a cleaner one
            assert limits[surface.rates.index(rate)] < surface.ceiling_bound


def test_bands_widen_beyond_the_measured_sizes_and_are_never_clipped() -> None:
    ref = dq.reference()
    largest = ref.surface.sizes[-1]
    for rate in (0.0, 0.2):
        widths = [np.subtract(*ref.band(n, rate)[::-1]) for n in (largest, 10 * largest, 10**5)]
        assert widths[0] < widths[1] <= widths[2]
        for n in (largest, 10**5, 10**8):
            low, high = ref.band(n, rate)
            assert low < ref.predict(n, rate) < high < 1  # not held at 100%


@settings(max_examples=40, deadline=None)
@given(st.floats(1, 1e6), st.floats(1, 10), st.floats(0, 0.4), st.floats(0, 0.1))
def test_accuracy_grows_with_labels_and_never_with_noise(
    n: float, factor: float, rate: float, more: float
) -> None:
    ref = dq.reference()
    assert ref.predict(n * factor, rate) >= ref.predict(n, rate) - 1e-12
    assert ref.predict(n, min(rate + more, 0.4)) <= ref.predict(n, rate) + 1e-12


def _means(points: list[noise.CurvePoint]) -> dict[tuple[float, int], tuple[float, float]]:
    """Mean and standard error of each measured cell."""
    cells: dict[tuple[float, int], list[float]] = {}
    for p in points:
        cells.setdefault((p.noise_rate, p.n), []).append(p.accuracy)
    return {
        k: (float(np.mean(v)), float(np.std(v, ddof=1) / np.sqrt(len(v)))) for k, v in cells.items()
    }


@pytest.mark.parametrize("case", ["binary", "pair"])
def test_bands_cover_a_fresh_experiment(case: str, request: pytest.FixtureRequest) -> None:
    """The same curves measured again with other seeds (the reference): the 90% bands hold
    their means (allowing for the fresh means' own error) in at least 80% of the cells, and
    at 40% pair noise the band sits on the measurement (the issue: 65.1% measured against a
    band of 87.5-97.0%)."""
    ref: dq.Reference = request.getfixturevalue(case)
    surface = ref.surface
    fresh = noise.learning_curves(
        noise.digits(0, ref.classes), surface.sizes, surface.rates, (ref.noise,), 5, seed=7
    )
    covered = []
    for (rate, n), (mean, error) in _means(fresh).items():
        low, high = ref.band(n, rate)
        covered.append(low - 1.645 * error <= mean <= high + 1.645 * error)
    assert sum(covered) >= 0.8 * len(covered), f"{sum(covered)} of {len(covered)}"
    mean, error = _means(fresh)[(0.4, surface.sizes[-1])]
    low, high = ref.band(surface.sizes[-1], 0.4)
    assert low - 2 * error <= mean <= high + 2 * error


def _simulated(s: dq.Scenario, p: dq.Plan, repeats: int = 20) -> tuple[float, float]:
    trial = noise.PlanTrial(
        s.labels,
        float(s.noise_rate),
        p.reviewed_labels,
        float(s.review_hit_rate),
        p.new_labels,
        float(s.new_label_noise),
    )
    scores = noise.simulate_plan(noise.digits(0, s.classes), s.noise, trial, repeats, seed=3)
    return float(np.mean(scores)), float(np.std(scores, ddof=1) / np.sqrt(repeats))


def test_the_binary_case_ranks_plans_as_the_experiment_does() -> None:
    """The issue's case: two classes, the default labels, noise and prices. Carried out on
    the data, reviewing every label beats spending half on reviews (91.74% against 91.13%
    in the issue); the calculator must rank them the same way and recommend reviewing."""
    s = dq.scenario(classes=2)
    d = dq.decide(s)
    review, half = d.plans[-1], d.plans[5]
    (review_sim, review_err), (half_sim, half_err) = _simulated(s, review), _simulated(s, half)
    assert review_sim - half_sim > 2 * np.hypot(review_err, half_err)  # the experiment's order
    assert review.expected_accuracy > half.expected_accuracy
    assert d.recommendation == "clean" and d.chosen is review


@pytest.mark.parametrize(
    ("classes", "kind", "rate"), [(2, "uniform", 0.2), (10, "pair", 0.3), (10, "pair", 0.4)]
)
def test_plans_rank_as_when_carried_out(classes: int, kind: str, rate: float) -> None:
    """Plans small enough to carry out on the digits (800 labels, $400): wherever the
    experiment separates two plans, the calculator orders them the same way, and its choice
    is the experiment's best or within the experiment's error of it."""
    s = dq.scenario(
        classes=classes,
        noise_type=kind,
        labels=800,
        noise_rate=rate,
        budget_usd=400,
        new_label_usd=1,
        review_label_usd="0.5",
    )
    d = dq.decide(s)
    plans = [d.plans[0], d.plans[5], d.plans[-1]]
    sims = [_simulated(s, p) for p in plans]
    for i, (p, (mean_p, err_p)) in enumerate(zip(plans, sims, strict=True)):
        for q, (mean_q, err_q) in zip(plans[i + 1 :], sims[i + 1 :], strict=True):
            if abs(mean_p - mean_q) > 2 * np.hypot(err_p, err_q):
                assert (p.expected_accuracy > q.expected_accuracy) == (mean_p > mean_q)
    best_mean, best_err = max(sims)
    chosen_mean, chosen_err = sims[plans.index(d.chosen)] if d.chosen in plans else max(sims)
    assert chosen_mean >= best_mean - 2 * np.hypot(best_err, chosen_err)


def test_overlapping_bands_say_so_and_name_the_cheaper() -> None:
    """600 labels: every plan from 60% review up reviews all of them and spends less. All
    review and 90% review cannot be told apart, and all review costs $50 less."""
    d = dq.decide(dq.scenario(labels=600, budget_usd=500, new_label_usd=1, review_label_usd="0.5"))
    assert d.compared is not None and not d.measurable
    assert d.best.accuracy_low <= d.compared.accuracy_high  # the bands overlap
    assert "no measurable difference" in d.reason and "pilot both" in d.reason
    assert d.chosen.cost_usd == min(d.best.cost_usd, d.compared.cost_usd) < d.scenario.budget_usd
    assert f"'{d.chosen.name}' is" in d.reason and "the cheaper" in d.reason
    assert min(p.cost_usd for p in d.plans) == Decimal("300.00")


def test_a_hundred_thousand_labels_show_no_measurable_difference() -> None:
    """The issue: at 100k labels every plan predicted 99.64% and 'all review' won by 1e-6."""
    d = dq.decide(dq.scenario(labels=100_000))
    assert not d.measurable
    assert "no measurable difference" in d.reason
    assert all(p.accuracy_high >= d.best.accuracy_low for p in d.plans)
    assert d.recommendation == "collect"  # same cost, same prediction: new labels


def test_a_clear_winner_is_named_only_when_its_band_clears_the_others() -> None:
    """40% pair noise: reviewing every label clears every other plan's band."""
    d = dq.decide(dq.scenario(noise_type="pair", noise_rate=0.4))
    assert d.measurable and d.chosen is d.best is d.plans[-1]
    assert all(d.best.accuracy_low > p.accuracy_high for p in d.plans if p is not d.best)
    assert "clear of every other plan's band" in d.reason
    assert "no measurable difference" not in d.reason


def test_decide_refuses_curves_measured_for_another_task() -> None:
    s = dq.scenario(classes=2)
    with pytest.raises(InvalidParameterError, match="needs reference curves for 2 classes"):
        dq.decide(s, dq.reference())
    noisy = dq.scenario(classes=2, noise_rate=0.45)
    with pytest.raises(InvalidParameterError, match="measured up to 45% noise"):
        dq.decide(noisy, dq.reference(0, 2))
    ref = dq.reference_for(noisy)
    assert ref.surface.rates[-1] == pytest.approx(0.5)
    assert dq.decide(noisy, ref).plans[0].noise_after == pytest.approx(0.45)


def test_rates_reach_the_noisiest_labels_and_stop_where_the_pattern_does() -> None:
    uniform = noise.Noise.uniform(10)
    assert dq.rates_for(uniform, 0.2) == (0.0, 0.1, 0.2, 0.3, 0.4)
    assert dq.rates_for(uniform, 0.43) == (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
    assert dq.rates_for(uniform, 0.95)[-2:] == (0.9, 0.95)
    narrow, _ = noise.Noise.from_matrix(np.array([[0.6, 0.4], [0.1, 0.9]]))  # max rate 0.625
    assert dq.rates_for(narrow, 0.25) == (0.0, 0.1, 0.2, 0.3, 0.4)
    tight, _ = noise.Noise.from_matrix(np.array([[0.4, 0.6, 0], [0, 1, 0], [0, 0, 1]]))
    assert tight.max_rate == pytest.approx(1 / 3)  # beyond it, class 0 keeps no right label
    assert dq.rates_for(tight, 0.2) == pytest.approx((0.0, 0.1, 0.2, 0.3, 1 / 3))


def test_the_library_limits_threads_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside every model fit and cleanlab's search, each numeric library runs one thread,
    even when the caller allows more (the issue: 28-154 s on two cores by default)."""
    import cleanlab.filter
    from threadpoolctl import threadpool_info, threadpool_limits

    seen: list[int] = []

    def watch(function: Any) -> Any:
        def watched(*args: Any, **kwargs: Any) -> Any:
            seen.append(max(pool["num_threads"] for pool in threadpool_info()))
            return function(*args, **kwargs)

        return watched

    monkeypatch.setattr(noise, "accuracy", watch(noise.accuracy))
    monkeypatch.setattr(
        cleanlab.filter, "find_label_issues", watch(cleanlab.filter.find_label_issues)
    )
    data = noise.digits(0, 2)
    with threadpool_limits(limits=2):
        assert max(pool["num_threads"] for pool in threadpool_info()) == 2
        dq.build_reference(data, rates=(0.0, 0.2), repeats=2)
        trial = noise.PlanTrial(100, 0.2, 50, 0.2, 50, 0.2)
        noise.simulate_plan(data, noise.Noise.uniform(2), trial, 2)
        probabilities = np.full((len(data.y_train), 2), 0.5)
        probabilities[np.arange(len(data.y_train)), data.y_train] = 0.9
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        dq.estimate_noise(list(data.y_train), probabilities)
    assert len(seen) > 10 and set(seen) == {1}


def test_the_default_command_is_fast_without_thread_variables() -> None:
    """The issue's budget: under 20 s on a two-core machine with no thread variable set."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tradeoffs.cli import main; sys.exit(main())",
            "data-quality",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 20, f"{elapsed:.1f} s"


def test_every_output_states_the_assumptions_once() -> None:
    text = run("data-quality", "--classes", "2").stdout
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == len(set(lines)), "a line printed twice"
    assert "digits as 2 classes (digit mod 2)" in text
    for label in dq.ASSUMPTION_LABELS.values():
        assert label in text
    data = json.loads(run("data-quality", "--classes", "2", "--format", "json").stdout)
    assert data["model"]["classes"] == 2 and data["inputs"]["classes"] == 2
    assert "uniform" in data["noise_model"] and "ceiling" in data["learning_curve"]
    assert data["model"]["ceiling_bound"] < 1
    assert data["recommended_plan"] == "all review" and data["recommendation"] == "clean"
    md = run("data-quality", "--noise-type", "pair", "--format", "md").stdout
    assert "| Assumed: noise | pair: every wrong label of a class is the next class" in md


def test_a_matrix_file_sets_the_task(tmp_path: Path) -> None:
    path = tmp_path / "confusion.csv"
    path.write_text("cat,dog,fox\n0.8,0.15,0.05\n0.1,0.9,0\n0,0.3,0.7\n", encoding="utf-8")
    data = json.loads(run("data-quality", "--noise-matrix", str(path), "--format", "json").stdout)
    assert data["inputs"]["classes"] == 3 and data["inputs"]["noise_type"] == "matrix"
    assert data["inputs"]["noise_rate"] == pytest.approx(0.2)
    assert data["inputs"]["noise_matrix"] == "0.8, 0.15, 0.05; 0.1, 0.9, 0; 0, 0.3, 0.7"
    path.write_text("0.8,0.2\n0.1,0.8\n", encoding="utf-8")
    result = run("data-quality", "--noise-matrix", str(path))
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("tradeoffs data-quality: error: --noise-matrix must have rows")
    assert f"'{path}', row 2 sums to 0.9." in line
    result = run("data-quality", "--noise-type", "matrix")
    assert result.returncode == 2
    assert "--noise-type matrix needs --noise-matrix" in result.stderr

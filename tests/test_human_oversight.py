"""Automation vs human oversight: the bound, the guarantee's coverage, costs and CSVs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradeoffs import InvalidParameterError
from tradeoffs import human_oversight as hitl


@pytest.mark.parametrize(
    ("errors", "n", "delta", "expected"),
    [
        (0, 10, 0.05, 1 - 0.05 ** (1 / 10)),  # closed form when no errors: 0.2589
        (5, 10, 0.025, 0.8129),  # the upper end of the classic 95% interval for 5/10
        (1, 20, 0.025, 0.2487),  # 95% interval for 1/20 is (0.0013, 0.2487)
        (10, 100, 0.025, 0.1762),  # 95% interval for 10/100 is (0.0490, 0.1762)
    ],
)
def test_clopper_pearson_matches_known_values(
    errors: int, n: int, delta: float, expected: float
) -> None:
    assert hitl.clopper_pearson_upper(errors, n, delta) == pytest.approx(expected, abs=1e-4)


def test_bound_edges() -> None:
    assert hitl.clopper_pearson_upper(0, 0, 0.1) == 1.0
    assert hitl.clopper_pearson_upper(7, 7, 0.1) == 1.0
    assert hitl.min_items(0.01, 0.1) == 230  # 1 - 0.1^(1/230) < 0.01 <= 1 - 0.1^(1/229)


def test_risk_coverage_counts() -> None:
    conf = [0.99, 0.95, 0.9, 0.8, 0.6]
    right = [True, True, False, True, False]
    curve = hitl.risk_coverage(conf, right, 0.1)
    assert list(curve.thresholds) == [0.99, 0.95, 0.9, 0.8, 0.6]  # the data's, most confident first
    at = {float(t): i for i, t in enumerate(curve.thresholds)}
    i = at[0.9]
    assert (curve.automated[i], curve.errors[i]) == (3, 1)
    assert curve.coverage[i] == pytest.approx(0.6) and curve.risk[i] == pytest.approx(1 / 3)
    assert curve.automated[at[0.6]] == 5 and curve.automated[at[0.99]] == 1
    grid = hitl.risk_coverage(conf, right, 0.1, thresholds=[1.0, 0.0])
    assert list(grid.automated) == [0, 5]


def test_candidate_thresholds_are_thinned_by_rank() -> None:
    conf = np.linspace(0, 1, 5000)
    thresholds = hitl.candidate_thresholds(conf)
    assert len(thresholds) <= hitl.MAX_THRESHOLDS
    assert thresholds[0] == 1.0 and thresholds[-1] == 0.0
    assert np.all(np.diff(thresholds) < 0)


def issue_case() -> hitl.Scores:
    """30 items at 0.999, all right; 1,970 between 0.80 and 0.99, 2% of them wrong."""
    rng = np.random.default_rng(15)
    top = np.full(30, 0.999)
    rest = rng.uniform(0.80, 0.99, size=1970)
    wrong = np.zeros(1970, dtype=bool)
    wrong[rng.choice(1970, size=round(0.02 * 1970), replace=False)] = True
    return hitl.Scores(
        np.concatenate([top, rest]), np.concatenate([np.ones(30, bool), ~wrong]), "case"
    )


def test_only_a_certified_threshold_is_recommended() -> None:
    """A threshold skipped for having too few items was never tested: it must not be chosen
    even when it is the cheapest (it was, at 0.995 with a 7.39% bound, before)."""
    d = hitl.decide(
        hitl.scenario(
            scores=issue_case(),
            target_error=0.05,
            review_usd=1,
            error_usd=1000,
            reviewer_error_rate=0,
        )
    )
    assert d.threshold is not None and d.automated_error_upper_bound is not None
    assert d.automated_error_upper_bound <= 0.05
    curve = d.curve
    i = list(curve.thresholds).index(d.threshold)
    assert curve.automated[i] >= hitl.min_items(0.05, d.scenario.delta)


def test_confidences_crowded_near_one_keep_their_resolution() -> None:
    """LLM-like scores in (0.995, 1) and a 0.1% target: the data's own thresholds certify a
    positive automation rate, where a fixed 0.005 grid sees a single step."""
    rng = np.random.default_rng(3)
    n = 20_000
    conf = 0.995 + 0.005 * rng.beta(5, 1, size=n)
    error_rate = np.where(conf > 0.999, 0.00002, 0.01)
    right = rng.uniform(size=n) >= error_rate
    d = hitl.decide(
        hitl.scenario(scores=hitl.Scores(conf, right, "llm"), target_error=0.001, error_usd=1000)
    )
    assert d.automation_rate > 0.3
    assert d.automated_error_upper_bound is not None and d.automated_error_upper_bound <= 0.001
    grid = hitl.risk_coverage(conf, right, d.scenario.delta, thresholds=[1.0, 0.995])
    assert hitl.guaranteed_index(grid, 0.001, d.scenario.delta) is None


def simulate(rng: np.random.Generator, n: int) -> hitl.Scores:
    """Perfectly calibrated scores: confidence ~ U(0.5, 1), right with that probability."""
    conf = rng.uniform(0.5, 1.0, size=n)
    return hitl.Scores(conf, rng.uniform(size=n) < conf, "simulated")


def true_error(threshold: float) -> float:
    """E[1 - c | c >= t] for c ~ U(0.5, 1): (1 - t) / 2."""
    return (1 - threshold) / 2


def test_guarantee_holds_in_at_least_one_minus_delta_of_validation_sets() -> None:
    rng = np.random.default_rng(2024)
    target, delta, trials = 0.05, 0.1, 300
    misses = certified = 0
    for _ in range(trials):
        d = hitl.decide(hitl.scenario(scores=simulate(rng, 1500), target_error=target, delta=delta))
        if d.guaranteed_threshold is None:
            continue
        certified += 1
        misses += true_error(d.guaranteed_threshold) > target
    # Fixed-sequence testing stops at the first failure, so it certifies nothing in some runs
    # (measured: 190 of 300 certified, 3 misses among them, seed 2024).
    assert certified > trials / 2
    # At most about delta of the runs may miss; three binomial standard deviations of slack.
    assert misses <= delta * trials + 3 * (trials * delta * (1 - delta)) ** 0.5


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 500), st.integers(0, 500))
def test_a_costlier_error_never_lowers_the_threshold(cost: int, extra: int) -> None:
    scores = simulate(np.random.default_rng(7), 3000)
    low = hitl.decide(hitl.scenario(scores=scores, target_error=0.1, error_usd=cost))
    high = hitl.decide(hitl.scenario(scores=scores, target_error=0.1, error_usd=cost + extra))
    assert low.threshold is not None and high.threshold is not None
    assert high.threshold >= low.threshold


@settings(max_examples=30, deadline=None)
@given(st.decimals("0", "20", places=2), st.decimals("0", "20", places=2))
def test_cheaper_review_never_lowers_the_reviewed_share(review: Decimal, cut: Decimal) -> None:
    scores = simulate(np.random.default_rng(8), 3000)
    dear = hitl.decide(hitl.scenario(scores=scores, target_error=0.1, review_usd=review + cut))
    cheap = hitl.decide(hitl.scenario(scores=scores, target_error=0.1, review_usd=review))
    assert 1 - cheap.automation_rate >= 1 - dear.automation_rate


def test_nothing_certified_means_review_everything() -> None:
    scores = simulate(np.random.default_rng(1), 100)  # too few items for a 1% bound
    d = hitl.decide(hitl.scenario(scores=scores, target_error=0.01))
    assert d.threshold is None and d.level == "review everything"
    assert d.rule.id == "HITL-1" or d.rule.id == "HITL-4"


def test_capacity_shortfall_is_reported_with_the_threshold_that_fits() -> None:
    scores = simulate(np.random.default_rng(3), 3000)
    d = hitl.decide(
        hitl.scenario(scores=scores, target_error=0.05, reviewers=1, daily_volume=100_000)
    )
    assert not d.fits_team and d.rule.id == "HITL-4"
    assert d.team_threshold is not None and "would fit the team" in d.reason
    automated = np.asarray(scores.confidence) >= d.team_threshold
    hours_at = hitl.review_hours(float(np.mean(automated)), d.scenario)
    assert hours_at <= d.team_hours_per_day


def test_demo_guarantee_holds_on_the_fresh_split() -> None:
    validation, fresh = hitl.demo_scores(0)
    d = hitl.decide(hitl.scenario())
    assert d.validation_items == validation.n == 539
    assert d.scenario.scores is validation and hitl.scenario() == d.scenario
    assert d.threshold is not None
    automated = fresh.confidence >= d.threshold
    assert 1 - fresh.correct[automated].mean() <= d.scenario.target_error


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("conf,correct\n0.9,1\n", "missing 'confidence'"),
        ("confidence\n0.9\n", "missing 'correct'"),
        (
            "confidence,correct\n0.9,1\nhigh,1\n",
            "scores row 3, column 'confidence': must be a number in [0, 1]; got 'high'.",
        ),
        ("confidence,correct\n1.2,1\n", "scores row 2, column 'confidence'"),
        ("confidence,correct\nnan,1\n", "scores row 2, column 'confidence'"),
        (
            "confidence,correct\n0.5,maybe\n",
            "scores row 2, column 'correct': must be 1, 0, true or false; got 'maybe'.",
        ),
        ("confidence,correct\n", "scores must hold at least one row"),
    ],
)
def test_bad_csv_names_row_and_column(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(content)
    with pytest.raises(InvalidParameterError) as err:
        hitl.read_scores(str(path))
    assert message in str(err.value)


def test_good_csv(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_text("confidence,correct\n0.9,1\n0.4,false\n0.7,TRUE\n")
    scores = hitl.read_scores(str(path))
    assert scores.confidence.tolist() == [0.9, 0.4, 0.7]
    assert scores.correct.tolist() == [True, False, True]
    assert scores.source == str(path)
    s = hitl.scenario(scores=str(path))
    assert s.scores.source == str(path) and s.inputs.origins["scores"].given


def test_scores_from_python_are_checked_and_kept_read_only() -> None:
    s = hitl.scenario(scores=hitl.Scores([0.9, 0.2], [1, 0], "two items"))
    assert s.scores.confidence.tolist() == [0.9, 0.2]
    assert s.scores.correct.tolist() == [True, False]
    with pytest.raises(ValueError, match="read-only"):
        s.scores.confidence[0] = 0.5  # type: ignore[index]
    record = hitl.record(hitl.decide(s))
    rows = {row.key: row for row in record.inputs}
    assert rows["scores"].value == "two items" and rows["scores"].source == "given"
    assert rows["validation_items"].value == 2


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (hitl.Scores([0.9, 0.8], [True]), "scores must hold one 'correct' flag per confidence"),
        (hitl.Scores([0.9, 1.5], [True, False]), "scores item 1, confidence: must be a number"),
        (hitl.Scores([float("nan")], [True]), "scores item 0, confidence: must be a number"),
        (hitl.Scores([], []), "scores must hold at least one item; got none."),
        (hitl.Scores([0.9], [2]), "scores must hold 'correct' flags that are true/false or 1/0"),
        (3, "scores must be a Scores object or the path of a CSV file"),
        ("no-such-file.csv", "scores must be a readable CSV file; got 'no-such-file.csv'."),
    ],
)
def test_bad_scores_are_one_clear_sentence(scores: object, message: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        hitl.scenario(scores=scores)
    assert str(err.value).startswith(message), str(err.value)


def test_defaults_cite_the_registry_and_the_demo_scores() -> None:
    record = hitl.record(hitl.decide(hitl.scenario()))
    rows = {row.key: row for row in record.inputs}
    assert rows["scores"].value == hitl.DEMO_SOURCE
    assert rows["scores"].source == "the handbook's demo scores"
    assert rows["validation_items"].source == "counted in the scores"
    for name in ("target_error", "delta", "reviewer_error_rate", "daily_volume", "reviewers"):
        assert rows[name].claim == "assume-oversight", name
    assert rows["target_error"].shown == "1.00%" and rows["delta"].shown == "10%"
    assert all(row.source != "given" for row in record.inputs)
    assert record.reason.endswith("re-check it when the data drifts.")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target_error": 0}, "target_error must be a number in [0.000001, 1); got 0."),
        ({"delta": 1}, "delta must be a number in [0.000001, 1); got 1."),
        ({"reviewer_error_rate": 1.5}, "reviewer_error_rate must be a number in [0, 1]"),
        ({"reviewers": -1}, "reviewers must be a whole number in [0, 10,000,000]; got -1."),
        ({"reviews_per_hour": 0}, "reviews_per_hour must be a number in [0.1, 100,000]; got 0."),
    ],
)
def test_bad_input_is_one_clear_sentence(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        hitl.scenario(**overrides)
    assert str(err.value).startswith(message)


def test_automated_items_needed_is_the_first_size_whose_bound_passes() -> None:
    assert hitl.automated_items_needed(0.0, 0.01, 0.1) == hitl.min_items(0.01, 0.1)
    assert hitl.automated_items_needed(0.02, 0.02, 0.1) is None
    n = hitl.automated_items_needed(0.005, 0.01, 0.1)
    assert n is not None
    assert hitl.clopper_pearson_upper(round(0.005 * n), n, 0.1) <= 0.01
    assert hitl.clopper_pearson_upper(round(0.005 * (n - 1)), n - 1, 0.1) > 0.01


def test_the_record_says_how_often_a_set_this_size_certifies_nothing() -> None:
    small = hitl.decide(
        hitl.scenario(scores=simulate(np.random.default_rng(1), 100), target_error=0.01)
    )
    assert small.power.p_certify_nothing == 1.0
    large = hitl.decide(
        hitl.scenario(scores=simulate(np.random.default_rng(1), 5000), target_error=0.05)
    )
    assert large.power.p_certify_nothing < small.power.p_certify_nothing
    needed = large.power.validation_items_needed
    assert needed is None or needed > 0
    keys = {row.key for row in hitl.record(large).results}
    assert {"p_certify_nothing", "validation_items_needed"} <= keys


def grouped_file(tmp_path: Path) -> Path:
    """A large group the model serves well and a small one where it is overconfident."""
    rng = np.random.default_rng(11)
    rows = ["confidence,correct,region"]
    for region, n, error in (("north", 40_000, 0.0005), ("south", 1_200, 0.06)):
        conf = rng.uniform(0.9, 1.0, size=n)
        right = rng.uniform(size=n) >= error
        rows += [f"{c:.6f},{int(r)},{region}" for c, r in zip(conf, right, strict=True)]
    path = tmp_path / "grouped.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_subgroups_are_each_certified_and_the_worst_is_reported(tmp_path: Path) -> None:
    path = grouped_file(tmp_path)
    pooled = hitl.decide(hitl.scenario(scores=str(path), target_error=0.02))
    assert pooled.threshold is not None  # the pooled error (about 0.2%) passes
    south = np.asarray(pooled.scenario.scores.confidence)[40_000:] >= pooled.threshold
    wrong = ~np.asarray(pooled.scenario.scores.correct)[40_000:]
    assert wrong[south].mean() > 0.02  # but the small group's automated error does not
    grouped = hitl.decide(hitl.scenario(scores=str(path), target_error=0.02, group="region"))
    assert [g.name for g in grouped.groups] == ["north", "south"]
    assert grouped.threshold is None or grouped.automation_rate < pooled.automation_rate
    if grouped.threshold is not None:
        i = list(grouped.curve.thresholds).index(grouped.threshold)
        assert all(i in g.certified for g in grouped.groups)
    record = hitl.record(grouped)
    assert [g["group"] for g in record.json_extra["groups"]] == ["north", "south"]
    assert "subgroups" in grouped.reason


def test_a_group_needs_a_scores_file_with_that_column(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match="group must name a column of a scores file"):
        hitl.scenario(group="region")
    with pytest.raises(InvalidParameterError, match="group must be a column of"):
        hitl.scenario(scores=str(grouped_file(tmp_path)), group="nope")

"""Data quantity vs quality: exact noise, reproducible experiments, and the calculator."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests._cli import run
from tradeoffs import InvalidParameterError
from tradeoffs import _noise as noise
from tradeoffs import data_quality as dq
from tradeoffs._spec import Noted
from tradeoffs.evidence import value

LABELS = np.repeat(np.arange(10), 100)  # ten classes of a hundred


@pytest.mark.parametrize("rate", [0.0, 0.05, 0.2, 0.33, 0.4, 0.9])
def test_uniform_noise_flips_exactly_the_rate(rate: float) -> None:
    noisy = noise.inject_uniform(LABELS, rate, 10, seed=3)
    assert int(np.sum(noisy != LABELS)) == round(rate * len(LABELS))
    assert set(np.unique(noisy)) <= set(range(10))


@pytest.mark.parametrize("rate", [0.1, 0.25, 0.4])
def test_pair_noise_flips_each_class_to_its_neighbour(rate: float) -> None:
    noisy = noise.inject_pair(LABELS, rate, 10, seed=3)
    flipped = noisy != LABELS
    assert int(flipped.sum()) == 10 * round(rate * 100)
    for c in range(10):
        members = c == LABELS
        assert int(flipped[members].sum()) == round(rate * 100)
        assert set(noisy[members & flipped]) == {(c + 1) % 10}


def test_matrix_noise_follows_the_matrix_row_by_row() -> None:
    """Each class loses exactly its row's wrong share; where the wrong labels go matches the
    row's off-diagonal shares (counted on many labels: the law of large numbers is the
    reference)."""
    matrix = np.array([[0.7, 0.2, 0.1], [0.05, 0.9, 0.05], [0.0, 0.4, 0.6]])
    labels = np.repeat(np.arange(3), 20_000)
    pattern, own_rate = noise.Noise.from_matrix(matrix)
    assert own_rate == pytest.approx((0.3 + 0.1 + 0.4) / 3)
    np.testing.assert_allclose(pattern.transition(own_rate), matrix, atol=1e-12)
    noisy = noise.inject(labels, own_rate, pattern, seed=4)
    for c in range(3):
        row = np.bincount(noisy[labels == c], minlength=3) / 20_000
        assert row[c] == pytest.approx(matrix[c, c], abs=1e-4)  # exact count, rounded
        np.testing.assert_allclose(row, matrix[c], atol=0.01)
    assert not np.any(noisy[labels == 2] == 0)  # a zero share is never drawn


def test_uniform_and_pair_transitions_are_their_closed_forms() -> None:
    k, r = 4, 0.3
    uniform = noise.Noise.uniform(k).transition(r)
    np.testing.assert_allclose(uniform, (1 - r) * np.eye(k) + r / (k - 1) * (1 - np.eye(k)))
    pair = noise.Noise.pair(k).transition(r)
    np.testing.assert_allclose(pair, (1 - r) * np.eye(k) + r * np.roll(np.eye(k), 1, axis=1))
    assert noise.Noise.uniform(k).max_rate == noise.Noise.pair(k).max_rate == 1.0


def test_digits_as_k_classes_group_the_digits() -> None:
    two = noise.digits(0, 2)
    ten = noise.digits(0)
    assert two.n_classes == 2 and set(np.unique(two.y_train)) == {0, 1}
    np.testing.assert_array_equal(two.y_train, ten.y_train % 2)  # the same split, grouped
    with pytest.raises(ValueError, match=r"n_classes must be in \[2, 10\]; got 11"):
        noise.digits(0, 11)


def test_noise_is_seeded() -> None:
    a = noise.inject_uniform(LABELS, 0.3, 10, seed=1)
    assert np.array_equal(a, noise.inject_uniform(LABELS, 0.3, 10, seed=1))
    assert not np.array_equal(a, noise.inject_uniform(LABELS, 0.3, 10, seed=2))


def test_bad_rate_is_refused() -> None:
    with pytest.raises(ValueError, match=r"rate must be in \[0, 1\); got 1.0"):
        noise.inject_uniform(LABELS, 1.0, 10, seed=0)


@pytest.fixture(scope="module")
def digits() -> noise.Dataset:
    return noise.digits(0)


def test_learning_curves_are_reproducible(digits: noise.Dataset) -> None:
    args = (digits, (100, 400), (0.0, 0.3), ("uniform",), 2)
    first = noise.learning_curves(*args, seed=5)
    assert first == noise.learning_curves(*args, seed=5)
    assert first != noise.learning_curves(*args, seed=6)


def test_noise_lowers_accuracy_and_structured_noise_more(digits: noise.Dataset) -> None:
    full = (len(digits.y_train),)

    def mean(kind: noise.NoiseKind, rate: float) -> float:
        pts = noise.learning_curves(digits, full, (rate,), (kind,), 2, seed=0)
        return float(np.mean([p.accuracy for p in pts]))

    clean, uniform, structured = (
        mean("uniform", 0.0),
        mean("uniform", 0.4),
        mean("pair", 0.4),
    )
    assert clean > uniform > structured
    assert uniform > 0.85 and structured < 0.75  # random noise is tolerated far better


def test_cleanlab_finds_most_injected_errors(digits: noise.Dataset) -> None:
    """Measured on digits with 20% uniform noise, seed 0: precision 0.91, recall 0.89.
    The floors leave room for library updates, not for a detector that stopped working."""
    d = noise.detect_with_cleanlab(digits, 0.2, seed=0)
    assert d.true_errors == round(0.2 * len(digits.y_train))
    assert d.recall >= 0.80
    assert d.precision >= 0.80
    assert d.accuracy_relabelled > d.accuracy_noisy
    # the precision a reader can estimate without the truth is close to the true one
    assert d.estimated_precision == pytest.approx(d.precision, abs=0.08)
    assert d.model_accuracy > dq.detector_floor()


def test_dilution_hurts_a_linear_model() -> None:
    """What the page reports: unlike Rolnick et al.'s deep networks, the playbook's linear
    model loses much of its accuracy when clean labels are diluted by random ones (measured:
    0.87 with none, 0.51 at 20 per clean one, seed 0)."""
    results = dict(noise.dilution(noise.synthetic(seed=0), 400, (0, 1, 20), seed=0))
    assert results[0] > 0.8
    assert results[0] > results[1] > results[20]
    assert results[20] < results[0] - 0.2


def test_fitted_curves_track_the_measured_means() -> None:
    """Each rate's curve against the mean of its draws (the data it was fitted on), from
    400 examples up: within a point and a half on average, and never past the ceiling."""
    ref = dq.reference()
    means: dict[tuple[float, int], list[float]] = {}
    for p in ref.points:
        means.setdefault((p.noise_rate, p.n), []).append(p.accuracy)
    errors = [
        abs(float(np.mean(v)) - ref.predict(n, rate)) for (rate, n), v in means.items() if n >= 400
    ]
    assert float(np.mean(errors)) < 0.015
    low, high = ref.band(1000, 0.2)
    assert low < ref.predict(1000, 0.2) < high


def test_no_noise_never_recommends_cleaning() -> None:
    d = dq.decide(dq.scenario(noise_rate=0, budget_usd=500, new_label_usd=1, review_label_usd=1))
    assert d.recommendation == "collect" and d.best.review_share == 0


def test_heavy_uniform_noise_with_equal_costs_prefers_review() -> None:
    d = dq.decide(dq.scenario(noise_rate=0.4, budget_usd=500, new_label_usd=1, review_label_usd=1))
    assert d.recommendation == "clean"
    assert d.best.expected_accuracy > d.plans[0].expected_accuracy


def test_plan_arithmetic() -> None:
    s = dq.scenario(
        labels=1000,
        noise_rate=0.2,
        budget_usd=500,
        new_label_usd=1,
        review_label_usd=Decimal("0.5"),
        review_hit_rate=0.9,
    )
    p = dq.plan(s, 5, dq.reference())
    # $250 reviews 500 labels, finding 450 wrong ones (only 200 exist); $250 buys 250 labels
    assert (p.reviewed_labels, p.new_labels, p.labels_after) == (500, 250, 1250)
    assert p.noise_after == pytest.approx((200 - 200 + 250 * 0.2) / 1250)
    assert p.cost_usd == Decimal("500.00")


def test_review_stops_at_the_labels_that_exist() -> None:
    """600 labels and $360 of review at $0.50 would buy 720 reviews: 600 are done, and the
    other $60 is not spent."""
    s = dq.scenario(labels=600, budget_usd=400, new_label_usd=1, review_label_usd="0.5")
    d = dq.decide(s)
    for p in d.plans:
        assert p.reviewed_labels <= 600
        assert p.cost_usd <= s.budget_usd
    ninety = d.plans[9]
    assert (ninety.reviewed_labels, ninety.new_labels) == (600, 40)
    assert ninety.cost_usd == Decimal("340.00")  # $300 of review + $40 of labels
    assert d.plans[-1].cost_usd == Decimal("300.00")


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 5_000),
    st.integers(0, 10_000),
    st.decimals("0.01", "5", places=2),
    st.decimals("0.01", "5", places=2),
)
def test_no_plan_reviews_more_than_exists_or_spends_more_than_the_budget(
    labels: int, budget: int, new: Decimal, review: Decimal
) -> None:
    s = dq.scenario(labels=labels, budget_usd=budget, new_label_usd=new, review_label_usd=review)
    for step in range(dq.MIX_STEPS):
        p = dq.plan(s, step, dq.reference())
        assert 0 <= p.reviewed_labels <= labels
        assert p.cost_usd == p.reviewed_labels * review + p.new_labels * new <= budget
        assert p.accuracy_low <= p.expected_accuracy <= p.accuracy_high < 1


@settings(max_examples=25, deadline=None)
@given(
    st.integers(10, 100_000),
    st.integers(0, 100_000),
    st.decimals("0.01", "20", places=2),
    st.decimals("0.01", "20", places=2),
    st.floats(0, 1),
)
def test_zero_noise_never_recommends_cleaning_for_any_prices(
    labels: int, budget: int, new: Decimal, review: Decimal, hit: float
) -> None:
    d = dq.decide(
        dq.scenario(
            labels=labels,
            noise_rate=0,
            budget_usd=budget,
            new_label_usd=new,
            review_label_usd=review,
            review_hit_rate=hit,
        )
    )
    assert d.recommendation == "collect"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"noise_rate": 1.5}, "noise_rate must be a number in [0, 1); got 1.5."),
        ({"noise_rate": -0.1}, "noise_rate must be a number in [0, 1); got -0.1."),
        ({"labels": 0}, "labels must be a whole number in [1, 1,000,000,000]; got 0."),
        ({"labels": 2.5}, "labels must be a whole number in [1, 1,000,000,000]; got 2.5."),
        ({"budget_usd": -1}, "budget_usd must be a number in [0, 1,000,000,000]; got -1."),
        ({"new_label_usd": 0}, "new_label_usd must be a number in [0.001, 10,000]; got 0."),
        ({"review_label_usd": "cheap"}, "review_label_usd must be a number in [0.001, 10,000]"),
        ({"review_hit_rate": 1.1}, "review_hit_rate must be a number in [0, 1]; got 1.1."),
        ({"new_label_noise": 1}, "new_label_noise must be a number in [0, 1); got 1."),
        (
            {"noise_rate": 0.3, "review_hit_rate": 0.1},
            "review_hit_rate must be at least the noise rate (0.3)",
        ),
        ({"no_such_input": 1}, "no_such_input is not an input of data-quality; the inputs are"),
        ({"classes": 1}, "classes must be a whole number in [2, 10]; got 1."),
        ({"classes": 11}, "classes must be a whole number in [2, 10]; got 11."),
        ({"noise_type": "gaussian"}, "noise_type must be one of uniform, pair, matrix"),
        ({"noise_type": "matrix"}, "noise_type matrix needs noise_matrix"),
        (
            {"noise_type": "pair", "noise_matrix": "0.9,0.1;0.2,0.8"},
            "noise_matrix must come with noise_type matrix; got noise_type 'pair'.",
        ),
        (
            {"noise_matrix": "0.9,0.1;0.2,0.8", "classes": 3},
            "classes must be 2 to match noise_matrix (2 x 2); got 3.",
        ),
        (
            {"noise_matrix": "0.9,0.1;0.2,0.8", "noise_rate": 0.8},
            "noise_rate must be at most 0.75 with this noise matrix",
        ),
        (
            {"noise_matrix": "0.9,0.1;0.3,0.8"},
            "noise_matrix must have rows that sum to 1 (within 0.001); '0.9,0.1;0.3,0.8', "
            "row 2 sums to 1.1.",
        ),
        (
            {"noise_matrix": "0.9,0.1;0.2,x"},
            "noise_matrix must hold shares in [0, 1]; '0.9,0.1;0.2,x', row 2, column 2 is 'x'.",
        ),
        (
            {"noise_matrix": "0.9,0.1,0;0.2,0.8,0"},
            "noise_matrix must be a square matrix of 2 to 10 classes",
        ),
        ({"noise_matrix": "1,0;0,1"}, "noise_matrix must have some wrong labels off its"),
        ({"detector_accuracy": 1.5}, "detector_accuracy must be a number in [0, 1]; got 1.5."),
    ],
)
def test_bad_input_is_one_clear_sentence(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        dq.scenario(**overrides)
    assert str(err.value).startswith(message)


def test_defaults_come_from_the_registry_and_follow_the_noise_rate() -> None:
    s = dq.scenario()
    assert s.labels == value("assume-labels.labels")
    assert s.noise_rate == value("assume-labels.noise_rate_percent") / 100
    assert s.budget_usd == value("assume-labels.budget_usd")
    assert s.review_hit_rate == s.new_label_noise == s.noise_rate
    noisier = dq.SPEC.rebuild(s, noise_rate="0.35")
    assert noisier.review_hit_rate == noisier.new_label_noise == Decimal("0.35")


def test_the_record_cites_every_default_and_says_given_only_for_given() -> None:
    s = dq.scenario(noise_rate=0.3, labels=5000, budget_usd=2000)
    rows = {row.key: row for row in dq.record(dq.decide(s)).inputs}
    assert [rows[k].source for k in ("labels", "noise_rate", "budget_usd")] == ["given"] * 3
    assert rows["new_label_usd"].claim == rows["review_label_usd"].claim == "assume-labels"
    assert rows["review_hit_rate"].source == "the noise rate (random review)"
    assert rows["new_label_noise"].value == Decimal("0.3")
    assert {"assume-labels", dq.CURVE_CLAIM} <= set(dq.record(dq.decide(s)).claims)


def test_cleaner_new_labels_favour_collecting() -> None:
    """New labels from a careful vendor (no noise) against reviews at random."""
    equal = dict(noise_rate=0.2, budget_usd=500, new_label_usd=1, review_label_usd=1)
    as_noisy = dq.plan(dq.scenario(**equal), 0, dq.reference())
    clean = dq.plan(dq.scenario(**equal, new_label_noise=0), 0, dq.reference())
    assert clean.noise_after < as_noisy.noise_after
    assert clean.noise_after == pytest.approx(200 / 1500)


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("label,p0,p1\n0,0.9,0.1\n1,abc,0.5\n", "row 2 (line 3), column 2 ('p0') is 'abc'"),
        ("label,p0,p1\n0,0.9,0.1\n\n1,0.2,nan\n", "row 2 (line 4), column 3 ('p1') is 'nan'"),
        ("label,p0,p1\n0,1.5,0.1\n", "row 1 (line 2), column 2 ('p0') is '1.5'"),
        (
            "p0,label,p1\n0.1,2,0.9\n",
            "labels in 0..1; {path} row 1 (line 2), column 'label' is '2'",
        ),
        ("label,p0,p1\n0.5,0.5,0.5\n", "column 'label' is '0.5'"),
        ("label,p0,p1\n0,0.9\n", "3 values in every row, one per column; {path} row 1 (line 2)"),
        ("x,p0,p1\n0,0.9,0.1\n", "one 'label' column"),
        ("", "one 'label' column"),
        ("label,p0\n0,1\n", "at least two; {path} has 1."),
        ("label,p0,p1\n", "rows of labels; {path} has none."),
    ],
)
def test_a_bad_label_file_names_the_file_row_and_column(
    tmp_path: Path, text: str, message: str
) -> None:
    path = _csv(tmp_path, text)
    with pytest.raises(InvalidParameterError) as err:
        dq.read_label_csv(path)
    assert str(err.value).startswith("estimate_from must ")
    assert message.format(path=f"'{path}'") in str(err.value)
    assert f"'{path}'" in str(err.value)


def test_the_label_file_reader_keeps_labels_and_probabilities(tmp_path: Path) -> None:
    path = _csv(tmp_path, "\ufeffp0,p1,label\n0.9,0.1,0\n0.2,0.8,1\n")  # a BOM, label last
    assert dq.read_label_csv(path) == ([0, 1], [[0.9, 0.1], [0.2, 0.8]])


def test_estimate_from_fills_the_noise_rate_and_what_it_implies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = dq.NoiseEstimate(
        rows=3, classes=2, flagged=1, noise_rate=0.25, precision=0.8, model_accuracy=0.9
    )
    monkeypatch.setattr(dq, "estimate_noise", lambda labels, probabilities: found)
    path = _csv(tmp_path, "label,p0,p1\n0,0.9,0.1\n1,0.2,0.8\n1,0.6,0.4\n")
    given: dict[str, object] = {}
    dq.ESTIMATE_FROM.apply(str(path), given)
    name = path.name
    assert given == {
        "noise_rate": Noted(0.25, f"cleanlab's estimate from {name}: 1 of 3 labels flagged"),
        "labels": Noted(3, f"rows of {name}"),
        "classes": Noted(2, f"probability columns of {name}"),
        "review_hit_rate": Noted(
            0.8, f"cleanlab's estimated precision of its flags in {name} (at least the noise rate)"
        ),
        "detector_accuracy": Noted(0.9, f"the model's out-of-sample accuracy on {name}"),
    }
    given = {"labels": "5000", "review_hit_rate": "0.5"}
    dq.ESTIMATE_FROM.apply(str(path), given)
    assert given["labels"] == "5000" and given["review_hit_rate"] == "0.5"
    d = dq.decide(dq.scenario(**given))
    assert not d.warnings or "unreliable" not in d.warnings[0]  # 90% is above the floor
    sources = {row.key: row.source for row in dq.record(d).inputs}
    assert sources["noise_rate"] == f"cleanlab's estimate from {name}: 1 of 3 labels flagged"
    assert sources["labels"] == sources["review_hit_rate"] == "given"


def test_estimate_from_refuses_more_classes_than_the_reference_has(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = dq.NoiseEstimate(
        rows=3, classes=12, flagged=1, noise_rate=0.25, precision=0.8, model_accuracy=0.9
    )
    monkeypatch.setattr(dq, "estimate_noise", lambda labels, probabilities: found)
    path = _csv(tmp_path, "label,p0,p1\n0,0.9,0.1\n")
    with pytest.raises(InvalidParameterError, match=r"must have 2 to 10 classes .* has 12"):
        dq.ESTIMATE_FROM.apply(str(path), {})
    given: dict[str, object] = {"classes": "10"}  # the nearest the reference offers
    dq.ESTIMATE_FROM.apply(str(path), given)
    assert given["classes"] == "10"


def test_estimate_from_bad_file_exits_2_with_one_line(tmp_path: Path) -> None:
    path = _csv(tmp_path, "label,p0,p1\n0,0.9,0.1\n1,x,0.5\n")
    result = run("data-quality", "--estimate-from", str(path))
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("tradeoffs data-quality: error: --estimate-from must hold")
    assert f"'{path}' row 2 (line 3), column 2 ('p0') is 'x'" in line


def test_estimate_noise_from_probabilities(digits: noise.Dataset) -> None:
    from sklearn.model_selection import cross_val_predict

    noisy = noise.inject_uniform(digits.y_train, 0.15, 10, seed=1)
    probs = cross_val_predict(noise.model(), digits.x_train, noisy, cv=3, method="predict_proba")
    estimate = dq.estimate_noise(list(noisy), probs)
    assert estimate.noise_rate == pytest.approx(0.15, abs=0.04)
    assert Counter(noisy != digits.y_train)[True] == round(0.15 * len(noisy))
    # the independent reference: what the flags really are, and what the model really does
    flagged = estimate.flagged
    assert flagged == round(estimate.noise_rate * len(noisy))
    assert estimate.model_accuracy == pytest.approx(np.mean(probs.argmax(axis=1) == noisy))
    assert estimate.classes == 10 and estimate.rows == len(noisy)


def _weak_model_file(digits: noise.Dataset, tmp_path: Path) -> Path:
    """The issue's case: 5% of labels wrong, probabilities from a model that sees only the
    top two rows of pixels (about half of its predictions agree with the labels)."""
    from sklearn.model_selection import cross_val_predict

    noisy = noise.inject_uniform(digits.y_train, 0.05, 10, seed=1)
    probs = cross_val_predict(
        noise.model(), digits.x_train[:, :16], noisy, cv=3, method="predict_proba"
    )
    lines = ["label," + ",".join(f"p{k}" for k in range(10))]
    lines += [
        f"{y}," + ",".join(f"{p:.6f}" for p in row) for y, row in zip(noisy, probs, strict=True)
    ]
    return _csv(tmp_path, "\n".join(lines))


def test_a_weak_model_gets_its_noise_estimate_flagged(
    digits: noise.Dataset, tmp_path: Path
) -> None:
    path = _weak_model_file(digits, tmp_path)
    given: dict[str, object] = {}
    dq.ESTIMATE_FROM.apply(str(path), given)
    estimate = given["noise_rate"]
    assert isinstance(estimate, Noted) and float(estimate.value) > 0.2  # far from the true 5%
    accuracy = given["detector_accuracy"]
    assert isinstance(accuracy, Noted) and float(accuracy.value) < dq.detector_floor()
    record = dq.record(dq.decide(dq.scenario(**given)))
    (warning,) = [w for w in record.warnings if "unreliable" in w]
    assert f"{dq.detector_floor():.0%} floor" in warning
    rows = {row.key: row for row in record.inputs}
    assert float(rows["detector_accuracy"].value) == pytest.approx(float(accuracy.value))
    result = run("data-quality", "--estimate-from", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert any("unreliable" in w for w in json.loads(result.stdout)["warnings"])

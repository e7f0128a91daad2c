"""A complexity ledger, measured: what a simple and a complex model cost besides accuracy.

Both models learn scikit-learn's breast-cancer data (569 cases, 30 features, a yes/no
decision; nothing is downloaded). Besides accuracy and its spread over train/test splits,
the ledger measures training time, prediction latency, serialized size, hyperparameters,
input features, and *prediction churn*: the share of decisions that change when the model is
retrained on a bootstrap resample of the same data, when it is retrained on the same data
with another seed, or when one input feature drifts slightly. Churn is CACE ("changing
anything changes everything") made into a number.

Every figure is measured on ten train/test splits, so each comes with an interval; the
accuracy gain and the churn difference are paired (same splits, same resamples) and their
intervals use Nadeau and Bengio's correction for splits that share training data.
"""

from __future__ import annotations

import pickle
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tradeoffs import _recorded

SEEDS = tuple(range(10))
"""Train/test splits: each seed draws its own stratified 70/30 split."""
BOOTSTRAPS = 3
"""Bootstrap retrains per split, for churn (the same resamples for both models)."""
TEST_SHARE = 0.3
RESEED_OFFSET = 1000
"""A retrain that differs only by its random seed uses ``seed + RESEED_OFFSET``."""
SHIFT_SD = 0.1
"""How far one feature drifts, in its own standard deviations."""
CONFIDENCE = 0.95


def simple_model(seed: int) -> Any:
    """A standardised logistic regression: the model a newcomer can read and retrain."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=seed))


def complex_model(seed: int) -> Any:
    """Gradient-boosted trees: often more accurate, with many more moving parts."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=100, random_state=seed)


MODELS: dict[str, Callable[[int], Any]] = {"simple": simple_model, "complex": complex_model}
DESCRIPTIONS = {"simple": "Logistic regression", "complex": "Gradient-boosted trees"}


@dataclass(frozen=True)
class Entry:
    """One model's line in the ledger (means over the seeds unless named otherwise)."""

    name: str
    description: str
    accuracy: float
    accuracy_sd: float
    training_seconds: float
    latency_ms: float
    size_kb: float
    hyperparameters: int
    features: int
    churn_reseed: float
    """Decisions that change when the model is retrained on the same data with another seed."""
    churn_bootstrap: float
    churn_feature_shift: float
    accuracy_by_split: tuple[float, ...] = ()
    churn_bootstrap_by_split: tuple[float, ...] = ()
    """Per split, the mean churn over its bootstrap retrains."""
    churn_reseed_by_split: tuple[float, ...] = ()


def _split(seed: int) -> tuple[Any, Any, Any, Any]:
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split

    x, y = load_breast_cancer(return_X_y=True)
    out: tuple[Any, Any, Any, Any] = tuple(
        train_test_split(x, y, test_size=TEST_SHARE, random_state=seed, stratify=y)
    )
    return out


def churn(a: Any, b: Any, x: Any) -> float:
    """Share of rows on which two fitted models decide differently."""
    return float(np.mean(a.predict(x) != b.predict(x)))


def _hyperparameters(model: Any) -> int:
    final = model.steps[-1][1] if hasattr(model, "steps") else model
    return len(final.get_params(deep=False))


def _latency_ms(model: Any, rows: Any, repeats: int = 100) -> float:
    model.predict(rows[:1])
    times = []
    for i in range(repeats):
        row = rows[i % len(rows) : i % len(rows) + 1]
        started = time.perf_counter()
        model.predict(row)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _feature_shift_churn(model: Any, x_train: Any, x_test: Any) -> float:
    """Mean over features of the churn when that one feature drifts by SHIFT_SD of its sd."""
    sd = x_train.std(axis=0)
    base = model.predict(x_test)
    rates = []
    for j in range(x_test.shape[1]):
        shifted = x_test.copy()
        shifted[:, j] += SHIFT_SD * sd[j]
        rates.append(float(np.mean(model.predict(shifted) != base)))
    return float(np.mean(rates))


def _bootstrap_churn(
    make: Callable[[int], Any], model: Any, split: tuple[Any, ...], seed: int
) -> float:
    """Mean churn over :data:`BOOTSTRAPS` retrains on resamples of the training set; the
    resamples depend only on the seed, so both models see the same ones (a paired design)."""
    x_tr, x_te, y_tr, _ = split
    rates = []
    for r in range(BOOTSTRAPS):
        pick = np.random.default_rng([seed, r]).integers(0, len(y_tr), size=len(y_tr))
        rates.append(churn(model, make(seed).fit(x_tr[pick], y_tr[pick]), x_te))
    return float(np.mean(rates))


def measure(name: str, seeds: tuple[int, ...] = SEEDS) -> Entry:
    """Measure one model of :data:`MODELS` over ``seeds`` (each its own train/test split)."""
    from threadpoolctl import threadpool_limits

    make = MODELS[name]
    acc, fit_s, reseed, boot, shift, lat = [], [], [], [], [], []
    model: Any = None
    with threadpool_limits(limits=1):
        for seed in seeds:
            split = _split(seed)
            x_tr, x_te, y_tr, y_te = split
            started = time.perf_counter()
            model = make(seed).fit(x_tr, y_tr)
            fit_s.append(time.perf_counter() - started)
            acc.append(float(model.score(x_te, y_te)))
            reseed.append(churn(model, make(seed + RESEED_OFFSET).fit(x_tr, y_tr), x_te))
            boot.append(_bootstrap_churn(make, model, split, seed))
            shift.append(_feature_shift_churn(model, x_tr, x_te))
            lat.append(_latency_ms(model, x_te))
    if _recorded.active():
        timing = _recorded.load()["ledger"][name]
        fit_s, lat = [timing["training_seconds"]], [timing["latency_ms"]]
    return Entry(
        name=name,
        description=DESCRIPTIONS[name],
        accuracy=statistics.mean(acc),
        accuracy_sd=statistics.stdev(acc) if len(acc) > 1 else 0.0,
        training_seconds=statistics.median(fit_s),
        latency_ms=statistics.median(lat),
        size_kb=len(pickle.dumps(model)) / 1024,
        hyperparameters=_hyperparameters(model),
        features=int(model.n_features_in_),
        churn_reseed=statistics.mean(reseed),
        churn_bootstrap=statistics.mean(boot),
        churn_feature_shift=statistics.mean(shift),
        accuracy_by_split=tuple(acc),
        churn_bootstrap_by_split=tuple(boot),
        churn_reseed_by_split=tuple(reseed),
    )


def ledger(seeds: tuple[int, ...] = SEEDS) -> tuple[Entry, Entry]:
    """The simple and the complex model, measured the same way."""
    return measure("simple", seeds), measure("complex", seeds)


# --- Intervals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A mean over splits with its two-sided confidence interval."""

    mean: float
    low: float
    high: float

    @property
    def spans_zero(self) -> bool:
        return self.low <= 0 <= self.high


def resampled_interval(
    values: Sequence[float],
    test_share: float = TEST_SHARE,
    confidence: float = CONFIDENCE,
) -> Interval:
    """The mean of per-split values and its interval by Nadeau and Bengio's corrected
    resampled t: repeated random splits share training data, so the naive variance s²/J is
    too small; the correction inflates it to (1/J + n_test/n_train) s². With
    ``test_share=0`` this is the plain paired t interval."""
    from scipy import stats

    data = np.asarray(values, dtype=float)
    n = len(data)
    mean = float(data.mean())
    if n < 2:
        return Interval(mean, mean, mean)
    ratio = test_share / (1 - test_share)
    se = float(np.sqrt((1 / n + ratio) * data.var(ddof=1)))
    half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * se
    return Interval(mean, mean - half, mean + half)


@dataclass(frozen=True)
class Comparison:
    """The complex model against the simple one, split by split: the accuracy gain (in
    points) and churn, each with its interval."""

    gain_points: Interval
    churn_bootstrap: tuple[Interval, Interval, Interval]
    """Simple, complex, and complex minus simple."""
    churn_reseed: tuple[Interval, Interval, Interval]


def compare(simple: Entry, complex_: Entry) -> Comparison:
    """Paired intervals: both models were measured on the same splits and resamples."""

    def rate(values: Sequence[float]) -> Interval:  # a share of decisions lies in [0, 1]
        i = resampled_interval(values)
        return Interval(i.mean, max(0.0, i.low), min(1.0, i.high))

    def paired(a: Sequence[float], b: Sequence[float]) -> tuple[Interval, Interval, Interval]:
        diff = [y - x for x, y in zip(a, b, strict=True)]
        return rate(a), rate(b), resampled_interval(diff)

    gains = [
        (c - s) * 100
        for s, c in zip(simple.accuracy_by_split, complex_.accuracy_by_split, strict=True)
    ]
    return Comparison(
        gain_points=resampled_interval(gains),
        churn_bootstrap=paired(simple.churn_bootstrap_by_split, complex_.churn_bootstrap_by_split),
        churn_reseed=paired(simple.churn_reseed_by_split, complex_.churn_reseed_by_split),
    )

"""A complexity ledger, measured: what a simple and a complex model cost besides accuracy.

Both models learn scikit-learn's breast-cancer data (569 cases, 30 features, a yes/no
decision; nothing is downloaded). Besides accuracy and its spread over train/test splits,
the ledger measures training time, prediction latency, serialized size, hyperparameters,
input features, and *prediction churn*: the share of decisions that change when the model is
retrained on a bootstrap resample of the same data, or when one input feature drifts
slightly. Churn is CACE ("changing anything changes everything") made into a number.
"""

from __future__ import annotations

import pickle
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tradeoffs import _recorded

SEEDS = (0, 1, 2, 3, 4)
SHIFT_SD = 0.1
"""How far one feature drifts, in its own standard deviations."""


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
    churn_same_seed: float
    churn_bootstrap: float
    churn_feature_shift: float


def _split(seed: int) -> tuple[Any, Any, Any, Any]:
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split

    x, y = load_breast_cancer(return_X_y=True)
    out: tuple[Any, Any, Any, Any] = tuple(
        train_test_split(x, y, test_size=0.3, random_state=seed, stratify=y)
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


def measure(name: str, seeds: tuple[int, ...] = SEEDS) -> Entry:
    """Measure one model of :data:`MODELS` over ``seeds`` (each its own train/test split)."""
    from threadpoolctl import threadpool_limits

    make = MODELS[name]
    acc, fit_s, same, boot, shift, lat = [], [], [], [], [], []
    model: Any = None
    with threadpool_limits(limits=1):
        for seed in seeds:
            x_tr, x_te, y_tr, y_te = _split(seed)
            started = time.perf_counter()
            model = make(seed).fit(x_tr, y_tr)
            fit_s.append(time.perf_counter() - started)
            acc.append(float(model.score(x_te, y_te)))
            same.append(churn(model, make(seed).fit(x_tr, y_tr), x_te))
            rng = np.random.default_rng(seed + 100)
            pick = rng.integers(0, len(y_tr), size=len(y_tr))
            boot.append(churn(model, make(seed).fit(x_tr[pick], y_tr[pick]), x_te))
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
        churn_same_seed=statistics.mean(same),
        churn_bootstrap=statistics.mean(boot),
        churn_feature_shift=statistics.mean(shift),
    )


def ledger(seeds: tuple[int, ...] = SEEDS) -> tuple[Entry, Entry]:
    """The simple and the complex model, measured the same way."""
    return measure("simple", seeds), measure("complex", seeds)

"""Measure, don't assume: serve a small real model at growing batch sizes on this machine.

The model is a scikit-learn gradient-boosted classifier on synthetic data (nothing is
downloaded). Timings are wall-clock medians over repeats, so they vary a little from run to
run and a lot from machine to machine: that is the point, they are *yours*.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tradeoffs import _recorded

BATCH_SIZES = tuple(2**k for k in range(11))
"""1, 2, 4 ... 1024."""


@dataclass(frozen=True)
class BatchTiming:
    """One batch size: the median time of a batch, and what it implies per request."""

    batch_size: int
    seconds_per_batch: float

    @property
    def throughput_per_second(self) -> float:
        return self.batch_size / self.seconds_per_batch

    @property
    def latency_ms(self) -> float:
        """A request's latency when it waits for its whole batch to be served."""
        return self.seconds_per_batch * 1000


def demo_model(seed: int = 0, rows: int = 2048, features: int = 20) -> tuple[Any, Any]:
    """A trained classifier and a pool of rows to serve, built in about a second."""
    from sklearn.datasets import make_classification
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y = make_classification(
        n_samples=rows, n_features=features, n_informative=10, random_state=seed
    )
    model = HistGradientBoostingClassifier(max_iter=40, random_state=seed).fit(x, y)
    return model, x


def _one_thread() -> Any:
    """Serve with one thread, as one replica serving one request at a time does. It also keeps
    the timings honest on a busy machine, where OpenMP threads waiting for a free core would
    otherwise turn a sub-millisecond prediction into hundreds of milliseconds."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def time_batches(
    model: Any, pool: Any, batch_sizes: Sequence[int] = BATCH_SIZES, budget_s: float = 2.0
) -> list[BatchTiming]:
    """Median wall-clock time of ``model.predict`` on batches of each size.

    Each size gets an equal share of ``budget_s`` (at least three repeats), so the whole
    sweep takes about as long whatever the machine's speed.
    """
    if _recorded.active():
        recorded = dict(map(tuple, _recorded.load()["batch_seconds"]))
        return [BatchTiming(size, float(recorded[size])) for size in batch_sizes]
    if max(batch_sizes) > len(pool):
        raise ValueError(f"pool has {len(pool)} rows; the largest batch needs {max(batch_sizes)}")
    share = budget_s / len(batch_sizes)
    timings = []
    with _one_thread():
        for size in batch_sizes:
            timings.append(BatchTiming(size, _median_time(model, pool[:size], share)))
    return timings


def _median_time(model: Any, batch: Any, budget_s: float) -> float:
    model.predict(batch)  # warm-up: first calls pay for allocation and caches
    samples: list[float] = []
    spent = 0.0
    while len(samples) < 3 or (spent < budget_s and len(samples) < 200):
        started = time.perf_counter()
        model.predict(batch)
        elapsed = time.perf_counter() - started
        samples.append(elapsed)
        spent += elapsed
    return statistics.median(samples)


def service_times(model: Any, pool: Any, count: int = 300) -> np.ndarray:
    """Wall-clock seconds of ``count`` single-request predictions: a service-time sample."""
    if _recorded.active():
        return np.array(_recorded.load()["service_seconds"][:count], dtype=float)
    out = np.empty(count)
    with _one_thread():
        model.predict(pool[:1])
        for i in range(count):
            row = pool[i % len(pool) : i % len(pool) + 1]
            started = time.perf_counter()
            model.predict(row)
            out[i] = time.perf_counter() - started
    return out

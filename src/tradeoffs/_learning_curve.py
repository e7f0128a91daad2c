"""Learning curves measured at several noise rates, fitted, and given honest bands.

At each measured noise rate, test accuracy is fitted as ``a - b * n^(-c)`` on the mean of the
experiment's repeats at each training size, with the ceiling ``a`` at most the best accuracy
measured plus a stated margin: a curve may not promise more than the data showed, and never
100% because a power law can. Between measured rates, accuracy is interpolated linearly, and
a noisier rate is never predicted to be more accurate than a cleaner one at the same size
(noise does not help). Nothing is assumed about how noise and size trade: each rate has its
own curve, so structured noise, which caps accuracy, is fitted as well as random noise.

Bands come from the fit's own uncertainty: the repeats of every rate are resampled with
replacement and the curves refitted, hundreds of times; a 90% band spans the middle of the
refits' predictions (percentiles widened for the few repeats, :attr:`Surface.tail`), and is
widened further where the curve misses its own measurements. It is narrow where many points
agree and widens outside the measured sizes, where the refits' exponents and ceilings
disagree. It is never clipped: every refit obeys the ceiling bound, so no band reaches 100%
unless the data nearly did.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

EXPONENTS: FloatArray = np.geomspace(0.02, 3.0, 200)
"""The exponents ``c`` tried: from a nearly flat curve to one that saturates within a few
dozen examples. For each, ``a`` and ``b`` have a closed-form least-squares solution."""

BAND_LEVEL = 0.90
"""The bands' intended coverage of the mean accuracy."""


def fit_power_law(
    sizes: FloatArray, accuracy: FloatArray, ceiling: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Least-squares ``a - b * n^(-c)`` for each row of ``accuracy`` (draws x sizes), with
    ``b >= 0`` (accuracy does not fall with data) and ``a <= ceiling``.

    Why not ``scipy.optimize.curve_fit`` in a loop: for a fixed exponent the model is linear
    in ``a`` and ``b``, so every exponent on a fine grid is solved at once for every bootstrap
    draw (profile least squares), in milliseconds instead of seconds, and without a starting
    point that could stall. The tests check it finds curve_fit's optimum or a better one.
    """
    y = np.atleast_2d(np.asarray(accuracy, dtype=float))
    x = np.power(np.asarray(sizes, dtype=float)[None, :], -EXPONENTS[:, None])  # exps x sizes
    x_mean = x.mean(axis=1)
    x_dev = x - x_mean[:, None]
    y_mean = y.mean(axis=1)
    slope = np.einsum("gj,bj->bg", x_dev, y) / (x_dev**2).sum(axis=1)  # draws x exps
    b = np.maximum(-slope, 0.0)
    a = y_mean[:, None] + b * x_mean[None, :]
    too_high = a > ceiling
    b_capped = np.maximum(np.einsum("gj,bj->bg", x, ceiling - y) / (x**2).sum(axis=1), 0.0)
    a = np.where(too_high, ceiling, a)
    b = np.where(too_high, b_capped, b)
    residual = a[:, :, None] - b[:, :, None] * x[None, :, :] - y[:, None, :]
    best = np.argmin((residual**2).sum(axis=2), axis=1)
    rows = np.arange(len(y))
    return a[rows, best], b[rows, best], EXPONENTS[best]


@dataclass(frozen=True, eq=False)
class Surface:
    """Accuracy against training size and noise rate: one fitted curve per measured rate,
    refits on resampled repeats for the bands."""

    sizes: tuple[int, ...]
    rates: tuple[float, ...]
    best_measured: float
    """The highest mean accuracy measured at any size and rate."""
    margin: float
    """How far above the best measurement a ceiling may go (a stated assumption)."""
    centre: tuple[FloatArray, FloatArray, FloatArray]
    """``a``, ``b``, ``c`` of each rate's curve (arrays over rates)."""
    refits: tuple[FloatArray, FloatArray, FloatArray]
    """The same on every bootstrap draw (arrays rates x draws)."""
    repeats: int
    """Draws measured at each size and rate."""
    misfit: FloatArray
    """Per rate and size, how far the measured mean sits from its curve beyond what the
    repeats' spread explains (root of the excess squared residual; 0 where the curve fits)."""

    @property
    def ceiling_bound(self) -> float:
        return min(1.0, self.best_measured + self.margin)

    @property
    def ceilings(self) -> tuple[float, ...]:
        """Each rate's fitted ceiling ``a`` (the centre fit)."""
        return tuple(float(v) for v in self.centre[0])

    @property
    def limits(self) -> tuple[float, ...]:
        """What each rate's prediction approaches with unlimited labels: its ceiling, or a
        cleaner rate's when that is lower (noise never helps)."""
        return tuple(self.predict(1e12, r) for r in self.rates)

    @property
    def pinned(self) -> tuple[float, ...]:
        """The rates whose fitted ceiling sits at the bound: their curves were still rising
        at the largest size, so the data cannot place the ceiling."""
        bound = self.ceiling_bound
        return tuple(r for r, a in zip(self.rates, self.ceilings, strict=True) if a >= bound - 1e-9)

    def _at(self, n: float, rate: float, a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
        if not 0 <= rate <= self.rates[-1] + 1e-9:
            raise ValueError(
                f"noise rate {rate:.4g} is outside the measured rates (0 to {self.rates[-1]:g})"
            )
        curves = a - b * np.power(max(float(n), 1.0), -c)  # rates (x draws)
        curves = np.minimum.accumulate(curves, axis=0)  # noise never helps
        low = min(int(np.searchsorted(self.rates, rate, side="right")) - 1, len(self.rates) - 2)
        share = (rate - self.rates[low]) / (self.rates[low + 1] - self.rates[low])
        out: FloatArray = curves[low] * (1 - share) + curves[low + 1] * share
        return out

    def predict(self, n: float, rate: float) -> float:
        """The centre prediction: accuracy with ``n`` training labels at ``rate`` noise."""
        return float(self._at(n, rate, *self.centre))

    def draws(self, n: float, rate: float) -> FloatArray:
        """The prediction of every bootstrap refit."""
        return self._at(n, rate, *self.refits)

    @property
    def tail(self) -> float:
        """The share of refits left out on each side of a band: the "expanded percentile"
        correction for few draws (Hesterberg 2015), ``Phi(-sqrt(R/(R-1)) t[R-1])``, which
        turns 5th-95th percentiles into about the 1st-99th with five draws, since a
        bootstrap of five draws sees less spread than there is."""
        from scipy.stats import t

        r = self.repeats
        z = math.sqrt(r / (r - 1)) * float(t.ppf(1 - (1 - BAND_LEVEL) / 2, r - 1))
        return NormalDist().cdf(-z)

    def band(self, n: float, rate: float) -> tuple[float, float]:
        """The 90% band of the prediction: the refits' percentiles (:attr:`tail`), widened
        in quadrature by the curve's lack of fit near ``n`` (:attr:`misfit`)."""
        tail = self.tail
        low, high = np.percentile(self.draws(n, rate), [tail * 100, 100 - tail * 100])
        centre = self.predict(n, rate)
        extra = NormalDist().inv_cdf(1 - (1 - BAND_LEVEL) / 2) * self.lack_of_fit(n, rate)
        below = math.hypot(max(centre - float(low), 0.0), extra)
        above = math.hypot(max(float(high) - centre, 0.0), extra)
        return centre - below, centre + above

    def lack_of_fit(self, n: float, rate: float) -> float:
        """The misfit at the measured sizes around ``n`` (interpolated in log size, held
        beyond the ends) and rates around ``rate``."""
        logs = np.log(np.asarray(self.sizes, dtype=float))
        at_n = np.array([np.interp(math.log(max(n, 1.0)), logs, row) for row in self.misfit])
        return float(np.interp(rate, self.rates, at_n))

    def samples_for(
        self, target: float, rate: float, edge: Literal["centre", "low", "high"] = "centre"
    ) -> float | None:
        """Training labels needed to reach ``target`` at ``rate`` by the centre curve or an
        edge of its band (None: never, within a billion). Accuracy grows with labels, so a
        bisection on the log of the size finds it."""
        from scipy.optimize import brentq

        def accuracy(n: float) -> float:
            if edge == "centre":
                return self.predict(n, rate)
            return self.band(n, rate)[0 if edge == "low" else 1]

        if accuracy(1.0) >= target:
            return 1.0
        if accuracy(1e9) < target:
            return None
        root = brentq(lambda log_n: accuracy(math.exp(log_n)) - target, 0.0, math.log(1e9))
        return float(math.ceil(math.exp(root)))


def fit_surface(
    sizes: tuple[int, ...],
    rates: tuple[float, ...],
    accuracy: FloatArray,
    margin: float,
    resamples: int = 400,
    seed: int = 0,
) -> Surface:
    """Fit a :class:`Surface` on ``accuracy`` measured as rates x repeats x sizes.

    A bootstrap draw resamples the repeats of each rate with replacement (a repeat is one
    whole learning curve: its sizes share a subsample and a noise draw, so they move
    together) and refits every rate's curve on the draw's means."""
    acc = np.asarray(accuracy, dtype=float)
    if acc.shape[0] != len(rates) or acc.shape[2] != len(sizes) or len(rates) < 2:
        raise ValueError(f"accuracy must be {len(rates)} rates x repeats x {len(sizes)} sizes")
    best = float(acc.mean(axis=1).max())
    ceiling = min(1.0, best + margin)
    n = np.asarray(sizes, dtype=float)
    rng = np.random.default_rng(seed)
    repeats = acc.shape[1]
    centre, refits, misfit = [], [], []
    for per_rate in acc:
        means = per_rate.mean(axis=0)
        a, b, c = fit_power_law(n, means, ceiling)
        centre.append((a, b, c))
        sampling = per_rate.var(axis=0, ddof=1) / repeats if repeats > 1 else 0.0
        residual = means - (a[0] - b[0] * np.power(n, -c[0]))
        misfit.append(np.sqrt(np.maximum(residual**2 - sampling, 0.0)))
        pick = rng.integers(0, repeats, size=(resamples, repeats))
        refits.append(fit_power_law(n, per_rate[pick].mean(axis=1), ceiling))
    return Surface(
        tuple(sizes),
        tuple(rates),
        best,
        margin,
        tuple(np.array([f[k][0] for f in centre]) for k in range(3)),  # type: ignore[arg-type]
        tuple(np.array([f[k] for f in refits]) for k in range(3)),  # type: ignore[arg-type]
        repeats,
        np.array(misfit),
    )

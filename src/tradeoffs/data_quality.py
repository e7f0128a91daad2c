"""Data quantity vs quality: clean the labels you have, or collect more?

The experiments (:mod:`tradeoffs._noise`) measure how label noise bends learning curves. The
calculator turns them into a plan for a budget: every dollar can buy a new label (as noisy as
the ones you have) or a review of an existing one (which fixes it when it was wrong).

How noise and size trade, the model we fit: with K classes and a share p of labels flipped
uniformly at random, a label still points to its true class more often than to any other by
``1 - pK/(K-1)``; the information in n such labels is taken to be that of
``n_eff = n (1 - pK/(K-1))^2`` clean ones (the binary case gives the familiar ``(1 - 2p)^2``).
Accuracy is fitted as ``a - b * n_eff^(-c)`` on the measured curves of every noise rate at
once, and the playbook shows how well that one curve fits them. It is the handbook's
modelling assumption, not a sourced law: it ranks plans on the reference data; it does not
forecast your model's accuracy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

import numpy as np

from tradeoffs._errors import InvalidParameterError
from tradeoffs._noise import CurvePoint, Dataset, learning_curves
from tradeoffs._record import Record, Row
from tradeoffs._validation import check_count, check_positive, check_range
from tradeoffs.evidence import value, value_or
from tradeoffs.formatting import plain, share, usd

SLUG = "data-quality"
REFERENCE_SIZES = (50, 100, 200, 400, 800, 1347)
REFERENCE_RATES = (0.0, 0.1, 0.2, 0.3, 0.4)
REFERENCE_REPEATS = 3
MIX_STEPS = 11
"""Plans tried between all-new and all-review: 0%, 10% ... 100% of the budget on review."""

Recommendation = Literal["clean", "collect", "mix"]


def effective_size(n: float, noise_rate: float, n_classes: int) -> float:
    """Clean-label equivalent of n labels with a share ``noise_rate`` flipped uniformly."""
    signal = max(0.0, 1.0 - noise_rate * n_classes / (n_classes - 1))
    return n * signal * signal


@dataclass(frozen=True)
class Curve:
    """accuracy = ceiling - scale * n_eff^(-exponent), fitted on measured points."""

    ceiling: float
    scale: float
    exponent: float
    n_classes: int

    def accuracy(self, n: float, noise_rate: float) -> float:
        n_eff = max(effective_size(n, noise_rate, self.n_classes), 1.0)
        predicted = self.ceiling - self.scale * math.pow(n_eff, -self.exponent)
        return max(0.0, min(1.0, predicted))


def fit_curve(points: Sequence[CurvePoint], n_classes: int) -> Curve:
    """Least-squares fit of the power law on effective size (SciPy)."""
    from scipy.optimize import curve_fit

    n_eff = np.array([max(effective_size(p.n, p.noise_rate, n_classes), 1.0) for p in points])
    acc = np.array([p.accuracy for p in points])

    def law(x: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
        out: np.ndarray = a - b * np.power(x, -c)
        return out

    (a, b, c), _ = curve_fit(
        law,
        n_eff,
        acc,
        p0=(1.0, 1.0, 0.5),
        bounds=((0.0, 0.0, 0.01), (1.0, 100.0, 3.0)),
        maxfev=20_000,
    )
    return Curve(float(a), float(b), float(c), n_classes)


@dataclass(frozen=True)
class Reference:
    """The measured curves, the fitted curve and refits on bootstrap resamples (the band)."""

    dataset: str
    points: tuple[CurvePoint, ...]
    curve: Curve
    bootstrap: tuple[Curve, ...]
    residual_sd: float
    """Spread of measured accuracy around the fitted curve (points of 200+ examples): the
    model's own error, which a bootstrap of its parameters alone would hide."""

    def band(self, n: float, noise_rate: float) -> tuple[float, float]:
        """A 90% band: bootstrap refits' 5th-95th percentiles, widened by the curve's residual
        spread (1.645 standard deviations)."""
        preds = [c.accuracy(n, noise_rate) for c in self.bootstrap]
        margin = 1.645 * self.residual_sd
        low = float(np.percentile(preds, 5)) - margin
        high = float(np.percentile(preds, 95)) + margin
        return max(0.0, low), min(1.0, high)


def build_reference(data: Dataset, seed: int = 0, resamples: int = 30) -> Reference:
    """Measure uniform-noise learning curves on ``data`` and fit the size-noise curve."""
    points = learning_curves(
        data, REFERENCE_SIZES, REFERENCE_RATES, ("uniform",), REFERENCE_REPEATS, seed
    )
    curve = fit_curve(points, data.n_classes)
    rng = np.random.default_rng(seed)
    boots = []
    for _ in range(resamples):
        pick = rng.integers(0, len(points), size=len(points))
        boots.append(fit_curve([points[i] for i in pick], data.n_classes))
    residuals = [p.accuracy - curve.accuracy(p.n, p.noise_rate) for p in points if p.n >= 200]
    return Reference(data.name, tuple(points), curve, tuple(boots), float(np.std(residuals)))


@cache
def reference(seed: int = 0) -> Reference:
    """The reference curves on scikit-learn's digits, measured once per process."""
    from tradeoffs._noise import digits

    return build_reference(digits(seed), seed)


# --- The calculator ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    labels: int
    noise_rate: Decimal
    budget_usd: Decimal
    new_label_usd: Decimal
    review_label_usd: Decimal
    review_hit_rate: Decimal
    """Share of reviewed labels that turn out to be wrong: the noise rate when review picks
    labels at random, higher when a detector such as cleanlab ranks them first."""
    new_label_noise: Decimal


def scenario(
    *,
    labels: object = None,
    noise_rate: object = None,
    budget_usd: object = None,
    new_label_usd: object = None,
    review_label_usd: object = None,
    review_hit_rate: object = None,
    new_label_noise: object = None,
) -> Scenario:
    """A validated :class:`Scenario`; any input left as None takes its registry default.

    Without a ``review_hit_rate``, review is assumed to pick labels at random (hit rate =
    noise rate); new labels are assumed as noisy as the current ones.
    """
    if noise_rate is None:  # the registry states it in percent
        noise_rate = value("assume-labels.noise_rate_percent") / 100
    noise = check_range("noise_rate", noise_rate, low=0, high=1, high_inclusive=False)
    hit = (
        noise
        if review_hit_rate is None
        else check_range("review_hit_rate", review_hit_rate, low=0, high=1)
    )
    if hit < noise:
        raise InvalidParameterError(
            f"review_hit_rate must be at least the noise rate ({plain(noise)}), since random "
            f"review already finds that share; got {review_hit_rate!r}."
        )
    return Scenario(
        labels=check_count("labels", value_or(labels, "assume-labels.labels"), low=1),
        noise_rate=noise,
        budget_usd=check_range(
            "budget_usd", value_or(budget_usd, "assume-labels.budget_usd"), low=0
        ),
        new_label_usd=check_positive(
            "new_label_usd", value_or(new_label_usd, "assume-labels.new_label_usd")
        ),
        review_label_usd=check_positive(
            "review_label_usd", value_or(review_label_usd, "assume-labels.review_label_usd")
        ),
        review_hit_rate=hit,
        new_label_noise=noise
        if new_label_noise is None
        else check_range("new_label_noise", new_label_noise, low=0, high=1, high_inclusive=False),
    )


@dataclass(frozen=True)
class Plan:
    name: str
    review_share: float
    new_labels: int
    reviewed_labels: int
    labels_after: int
    noise_after: float
    expected_accuracy: float
    accuracy_low: float
    accuracy_high: float


def plan(s: Scenario, review_share: float, ref: Reference) -> Plan:
    """Spend ``review_share`` of the budget on reviews and the rest on new labels."""
    review_budget = s.budget_usd * Decimal(str(review_share))
    reviewed = min(s.labels, int(review_budget / s.review_label_usd))
    new = int((s.budget_usd - review_budget) / s.new_label_usd)
    wrong_now = float(s.noise_rate) * s.labels
    fixed = min(wrong_now, reviewed * float(s.review_hit_rate))
    wrong_after = wrong_now - fixed + new * float(s.new_label_noise)
    total = s.labels + new
    noise_after = wrong_after / total
    low, high = ref.band(total, noise_after)
    name = (
        "all review"
        if review_share == 1
        else "all new labels"
        if review_share == 0
        else f"{round(review_share * 100)}% review"
    )
    return Plan(
        name,
        review_share,
        new,
        reviewed,
        total,
        noise_after,
        ref.curve.accuracy(total, noise_after),
        low,
        high,
    )


@dataclass(frozen=True)
class Rule:
    id: str
    title: str


RULES = {
    r.id: r
    for r in (
        Rule("DQ-1", "Measure the noise before buying more data"),
        Rule("DQ-2", "When labels are noisy, review before you collect"),
        Rule("DQ-3", "Uniform noise is tolerable; hunt structured noise"),
        Rule("DQ-4", "Clean the test set first"),
        Rule("DQ-5", "Keep data you can explain; a swamp costs more than it teaches"),
        Rule("DQ-6", "Let a detector choose what humans review"),
    )
}


@dataclass(frozen=True)
class Decision:
    scenario: Scenario
    plans: tuple[Plan, ...]
    best: Plan
    recommendation: Recommendation
    rule: Rule
    reason: str
    reference: str


def decide(s: Scenario, ref: Reference | None = None) -> Decision:
    """Try every mix from all-new to all-review and keep the highest expected accuracy.

    Ties go to collecting: new labels also grow the data for the next model.
    """
    reference_ = ref or reference()
    plans = tuple(plan(s, i / (MIX_STEPS - 1), reference_) for i in range(MIX_STEPS))
    best = max(plans, key=lambda p: (round(p.expected_accuracy, 6), -p.review_share))
    if best.review_share == 0:
        recommendation: Recommendation = "collect"
        rule = RULES["DQ-1"]
    elif best.review_share == 1:
        recommendation, rule = "clean", RULES["DQ-2"]
    else:
        recommendation, rule = "mix", RULES["DQ-6"]
    collect = plans[0]
    setting = (
        f"With {plain(s.labels)} labels at {share(s.noise_rate)} noise and {usd(s.budget_usd)}"
    )
    band = f"(band {best.accuracy_low:.1%}–{best.accuracy_high:.1%})"
    if best is collect:
        reason = (
            f"{setting}, new labels predict the most: {best.expected_accuracy:.1%} {band}; "
            "review fixes too few labels to pay."
        )
    else:
        reason = (
            f"{setting}, '{best.name}' predicts {best.expected_accuracy:.1%} accuracy "
            f"{band} against {collect.expected_accuracy:.1%} for spending it all on new "
            "labels."
        )
        if best.accuracy_low <= collect.accuracy_high:
            reason += (
                " The bands overlap, so the difference is within the model's error: "
                "confirm it on a sample of your own data."
            )
    return Decision(s, plans, best, recommendation, rule, reason, reference_.dataset)


def estimate_noise(labels: Sequence[int], probabilities: Sequence[Sequence[float]]) -> float:
    """Share of labels cleanlab flags as likely wrong, from out-of-sample probabilities."""
    from cleanlab.filter import find_label_issues

    flagged = find_label_issues(np.asarray(labels), np.asarray(probabilities))
    return float(np.mean(flagged))


def record(d: Decision) -> Record:
    s = d.scenario
    inputs = (
        Row("labels", "Labelled examples", s.labels, plain(s.labels)),
        Row("noise_rate", "Estimated noise rate", s.noise_rate, share(s.noise_rate)),
        Row("budget_usd", "Budget", s.budget_usd, usd(s.budget_usd)),
        Row("new_label_usd", "Cost of a new label", s.new_label_usd, usd(s.new_label_usd)),
        Row(
            "review_label_usd",
            "Cost of reviewing a label",
            s.review_label_usd,
            usd(s.review_label_usd),
        ),
        Row(
            "review_hit_rate",
            "Share of reviewed labels that are wrong",
            s.review_hit_rate,
            share(s.review_hit_rate),
        ),
    )
    shown = {
        "expected_accuracy_all_new": d.plans[0],
        "expected_accuracy_all_review": d.plans[-1],
        "expected_accuracy_best": d.best,
    }
    results = tuple(
        Row(
            key,
            f"{p.name} ({'best' if p is d.best else 'for comparison'})",
            round(p.expected_accuracy, 4),
            f"{p.expected_accuracy:.1%} ({p.accuracy_low:.1%}–{p.accuracy_high:.1%}); "
            f"{p.new_labels:,} new, {p.reviewed_labels:,} reviewed",
        )
        for key, p in shown.items()
    )
    plans = [
        {
            "name": p.name,
            "review_share": p.review_share,
            "new_labels": p.new_labels,
            "reviewed_labels": p.reviewed_labels,
            "noise_after": round(p.noise_after, 4),
            "expected_accuracy": round(p.expected_accuracy, 4),
            "accuracy_low": round(p.accuracy_low, 4),
            "accuracy_high": round(p.accuracy_high, 4),
        }
        for p in d.plans
    ]
    return Record(
        slug=SLUG,
        title="Data quantity vs quality: clean or collect",
        inputs=inputs,
        results=results,
        recommendation=d.recommendation,
        rule_id=d.rule.id,
        rule_title=d.rule.title,
        reason=d.reason + f" Predicted on the reference curve ({d.reference}); use it to rank "
        "plans, not as a forecast of your model's accuracy.",
        claims=("D1", "D2", "assume-labels"),
        json_extra={"plans": plans, "best_plan": d.best.name},
    )


def samples_for_accuracy(curve: Curve, target: float, noise_rate: float) -> float | None:
    """Training examples needed to reach ``target`` at ``noise_rate`` (None: unreachable)."""
    gap = curve.ceiling - target
    if gap <= 0:
        return None
    n_eff = (curve.scale / gap) ** (1 / curve.exponent)
    signal = effective_size(1.0, noise_rate, curve.n_classes)
    return None if signal <= 0 else math.ceil(n_eff / signal)

"""Automation vs human oversight: which decisions to automate, with a statistical guarantee.

From a validation set of (model confidence, was the model right) pairs:

* the **risk-coverage curve**: among items whose confidence is at least a threshold, the share
  automated (coverage) and the error rate (risk);
* a **guaranteed threshold**: thresholds are tested from the most confident down, in an order
  fixed before looking at the data (fixed-sequence testing, as in Learn-then-Test). A threshold
  passes when the exact one-sided Clopper-Pearson upper bound of its error rate, at confidence
  1 - delta, is at most the target; testing stops at the first failure. The last threshold that
  passed keeps the automated error at or below the target with probability at least
  1 - delta, *provided new items are exchangeable with the validation set* (same distribution,
  no drift);
* the **cost** of each threshold, the **reviewer hours** it needs, and the oversight level it
  amounts to.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt

from tradeoffs._errors import InvalidParameterError
from tradeoffs._record import Record, Row
from tradeoffs._validation import check_count, check_positive, check_range
from tradeoffs.evidence import value_or
from tradeoffs.formatting import plain, usd

SLUG = "human-oversight"
GRID = tuple(round(i / 1000, 3) for i in range(1000, -1, -5))
"""Thresholds tested, from 1.0 down to 0.0 in steps of 0.005: fixed before seeing any data."""
HOURS_PER_REVIEWER_DAY = 8

Level = Literal["review everything", "selective review", "monitor only"]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def clopper_pearson_upper(errors: int, n: int, delta: float) -> float:
    """Exact one-sided upper confidence bound (level 1 - delta) of a binomial proportion."""
    from scipy.stats import beta

    if n == 0 or errors >= n:
        return 1.0
    return float(beta.ppf(1 - delta, errors + 1, n - errors))


def _upper_bounds(
    errors: npt.NDArray[np.int_], n: npt.NDArray[np.int_], delta: float
) -> FloatArray:
    from scipy.stats import beta

    out = np.ones(len(n))
    ok = (n > 0) & (errors < n)
    out[ok] = beta.ppf(1 - delta, errors[ok] + 1, n[ok] - errors[ok])
    return out


@dataclass(frozen=True)
class Curve:
    """Risk and coverage at every threshold of :data:`GRID`, with the guarantee's bounds."""

    thresholds: FloatArray
    automated: npt.NDArray[np.int_]
    errors: npt.NDArray[np.int_]
    upper: FloatArray
    n: int

    @property
    def coverage(self) -> FloatArray:
        out: FloatArray = self.automated / self.n
        return out

    @property
    def risk(self) -> FloatArray:
        out: FloatArray = np.where(
            self.automated > 0, self.errors / np.maximum(self.automated, 1), 0.0
        )
        return out


def risk_coverage(
    confidence: Sequence[float] | FloatArray, correct: Sequence[bool] | BoolArray, delta: float
) -> Curve:
    """Coverage, risk and the (1 - delta) upper bound of risk at every grid threshold."""
    conf = np.asarray(confidence, dtype=float)
    wrong = ~np.asarray(correct, dtype=bool)
    order = np.argsort(-conf, kind="stable")
    conf_sorted, wrong_sorted = conf[order], wrong[order]
    cumulative_errors = np.concatenate([[0], np.cumsum(wrong_sorted)])
    thresholds = np.array(GRID)
    # number of items with confidence >= t, found in the descending-sorted confidences
    automated = np.searchsorted(-conf_sorted, -thresholds, side="right")
    errors = cumulative_errors[automated]
    return Curve(thresholds, automated, errors, _upper_bounds(errors, automated, delta), len(conf))


def min_items(target: float, delta: float) -> int:
    """The fewest automated items whose bound can reach ``target``: even with no errors the
    Clopper-Pearson bound is 1 - delta^(1/n), which needs n >= log(delta) / log(1 - target)."""
    return math.ceil(math.log(delta) / math.log(1 - target))


def guaranteed_index(curve: Curve, target: float, delta: float) -> int | None:
    """Fixed-sequence testing down the grid: the last index whose bound is within target.

    Thresholds that automate too few items for any bound to pass (:func:`min_items`) are
    skipped rather than tested: which ones they are depends only on the confidences, never on
    whether the model was right, so the sequence of tests stays fixed with respect to the
    outcomes it tests, and skipping them cannot make a later test easier to pass.
    """
    floor = min_items(target, delta)
    passed = None
    for i in range(len(curve.thresholds)):
        if curve.automated[i] < floor:
            continue
        if curve.upper[i] > target:
            break
        passed = i
    return passed


# --- Costs, capacity and the decision -------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    target_error: float
    delta: float
    review_usd: Decimal
    error_usd: Decimal
    reviewer_error_rate: float
    daily_volume: Decimal
    reviews_per_hour: Decimal
    reviewers: int


def scenario(
    *,
    target_error: object = None,
    delta: object = None,
    review_usd: object = None,
    error_usd: object = None,
    reviewer_error_rate: object = None,
    daily_volume: object = None,
    reviews_per_hour: object = None,
    reviewers: object = None,
) -> Scenario:
    """A validated :class:`Scenario`; any input left as None takes its registry default."""
    return Scenario(
        target_error=float(
            check_range(
                "target_error",
                value_or(target_error, "assume-oversight.target_error"),
                low=0,
                high=1,
                low_inclusive=False,
                high_inclusive=False,
            )
        ),
        delta=float(
            check_range(
                "delta",
                value_or(delta, "assume-oversight.delta"),
                low=0,
                high=1,
                low_inclusive=False,
                high_inclusive=False,
            )
        ),
        review_usd=check_range(
            "review_usd", value_or(review_usd, "assume-oversight.review_usd"), low=0
        ),
        error_usd=check_range(
            "error_usd", value_or(error_usd, "assume-oversight.error_usd"), low=0
        ),
        reviewer_error_rate=float(
            check_range(
                "reviewer_error_rate",
                value_or(reviewer_error_rate, "assume-oversight.reviewer_error_rate"),
                low=0,
                high=1,
            )
        ),
        daily_volume=check_positive(
            "daily_volume", value_or(daily_volume, "assume-oversight.daily_volume")
        ),
        reviews_per_hour=check_positive(
            "reviews_per_hour", value_or(reviews_per_hour, "assume-oversight.reviews_per_hour")
        ),
        reviewers=check_count("reviewers", value_or(reviewers, "assume-oversight.reviewers")),
    )


def cost_per_item(curve: Curve, s: Scenario) -> FloatArray:
    """Expected cost per item at every threshold: automated errors, reviews, reviewer errors."""
    per_review = float(s.review_usd) + s.reviewer_error_rate * float(s.error_usd)
    out: FloatArray = (
        curve.coverage * curve.risk * float(s.error_usd) + (1 - curve.coverage) * per_review
    )
    return out


def review_hours(coverage: float | FloatArray, s: Scenario) -> float | FloatArray:
    """Reviewer hours a day to review everything not automated."""
    return float(s.daily_volume) * (1 - coverage) / float(s.reviews_per_hour)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str


RULES = {
    r.id: r
    for r in (
        Rule("HITL-1", "Automate only what you can certify: a threshold with an error bound"),
        Rule("HITL-2", "Review where the model is unsure; automate the rest"),
        Rule("HITL-3", "Price both errors: the model's and the reviewer's"),
        Rule("HITL-4", "Staff the queue: the threshold must fit the team's hours"),
        Rule("HITL-5", "Know what the law asks, and what it does not"),
        Rule("HITL-6", "Re-check the guarantee when the data drifts"),
    )
}


@dataclass(frozen=True)
class Decision:
    scenario: Scenario
    curve: Curve
    guaranteed_threshold: float | None
    threshold: float | None
    """The chosen threshold: the cheapest among the certified ones (None: review all)."""
    automation_rate: float
    automated_error: float
    automated_error_upper_bound: float | None
    expected_cost_per_item_usd: float
    review_hours_per_day: float
    team_hours_per_day: float
    fits_team: bool
    team_threshold: float | None
    """The highest threshold whose review load fits the team (None: none fits)."""
    team_threshold_certified: bool
    level: Level
    rule: Rule
    reason: str


def decide(
    confidence: Sequence[float] | FloatArray, correct: Sequence[bool] | BoolArray, s: Scenario
) -> Decision:
    """Choose the cheapest certified threshold and check the review queue against the team."""
    curve = risk_coverage(confidence, correct, s.delta)
    guaranteed = guaranteed_index(curve, s.target_error, s.delta)
    costs = cost_per_item(curve, s)
    team = s.reviewers * HOURS_PER_REVIEWER_DAY
    hours = np.asarray(review_hours(curve.coverage, s))
    fitting = [i for i in range(len(GRID)) if hours[i] <= team]
    team_index = fitting[0] if fitting else None
    chosen: int | None = None
    threshold_text = ""
    if guaranteed is None:
        coverage, risk, upper = 0.0, 0.0, None
        per_item = float(s.review_usd) + s.reviewer_error_rate * float(s.error_usd)
    else:
        chosen = int(np.argmin(costs[: guaranteed + 1]))
        threshold_text = f"{GRID[chosen]:.3f}"
        coverage, risk = float(curve.coverage[chosen]), float(curve.risk[chosen])
        upper, per_item = float(curve.upper[chosen]), float(costs[chosen])
    needed = float(review_hours(coverage, s))
    fits = needed <= team
    level: Level = (
        "review everything"
        if coverage == 0
        else "monitor only"
        if coverage == 1
        else "selective review"
    )
    if guaranteed is None:
        rule = RULES["HITL-1"]
        reason = (
            f"No threshold keeps the automated error below {s.target_error:.1%} with "
            f"{1 - s.delta:.0%} confidence on {curve.n:,} validation items: review "
            "everything, or gather more validation data."
        )
    else:
        rule = RULES["HITL-2"]
        reason = (
            f"Automate items with confidence of at least {threshold_text}: "
            f"{coverage:.1%} of items, with an automated error of {risk:.2%} (at most "
            f"{upper:.2%} with {1 - s.delta:.0%} confidence, target {s.target_error:.1%}), "
            f"for {usd(Decimal(str(round(per_item, 4))))} per item."
        )
    if not fits:
        rule = RULES["HITL-4"]
        extra = f" The review queue needs {needed:,.1f} hours a day against the team's {team:,}: "
        if team_index is None:
            extra += "no threshold fits; add reviewers or cut the volume."
        else:
            certified = guaranteed is not None and team_index <= guaranteed
            extra += (
                f"a threshold of {GRID[team_index]:.3f} would fit the team"
                + ("" if certified else ", but it is not certified at the target")
                + "."
            )
        reason += extra
    return Decision(
        scenario=s,
        curve=curve,
        guaranteed_threshold=None if guaranteed is None else GRID[guaranteed],
        threshold=None if chosen is None else GRID[chosen],
        automation_rate=coverage,
        automated_error=risk,
        automated_error_upper_bound=upper,
        expected_cost_per_item_usd=per_item,
        review_hours_per_day=needed,
        team_hours_per_day=float(team),
        fits_team=fits,
        team_threshold=None if team_index is None else GRID[team_index],
        team_threshold_certified=(
            team_index is not None and guaranteed is not None and team_index <= guaranteed
        ),
        level=level,
        rule=rule,
        reason=reason,
    )


# --- A demonstration model -------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    """Confidence and correctness of a model on a held-out split."""

    confidence: FloatArray
    correct: BoolArray


def demo_scores(seed: int = 0) -> tuple[Scores, Scores]:
    """A logistic regression on scikit-learn's digits, scored on two disjoint held-out
    splits: a validation split to choose the threshold, and a fresh one to check it."""
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x_tr, x_rest, y_tr, y_rest = train_test_split(
        x / 16.0, y, test_size=0.6, random_state=seed, stratify=y
    )
    x_val, x_new, y_val, y_new = train_test_split(
        x_rest, y_rest, test_size=0.5, random_state=seed, stratify=y_rest
    )
    model = LogisticRegression(max_iter=300).fit(x_tr, y_tr)

    def score(xs: FloatArray, ys: npt.NDArray[np.int_]) -> Scores:
        probs = model.predict_proba(xs)
        return Scores(probs.max(axis=1), model.classes_[probs.argmax(axis=1)] == ys)

    return score(x_val, y_val), score(x_new, y_new)


def read_scores(path: str) -> Scores:
    """A CSV with columns ``confidence`` (0 to 1) and ``correct`` (1/0 or true/false); errors
    name the row and the column."""
    import csv
    from pathlib import Path

    file = Path(path)
    if not file.is_file():
        raise InvalidParameterError(f"scores must be a readable CSV file; got '{path}'.")
    with file.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        columns = reader.fieldnames or []
        missing = [c for c in ("confidence", "correct") if c not in columns]
        if missing:
            raise InvalidParameterError(
                f"scores must have columns 'confidence' and 'correct'; missing {missing[0]!r} "
                f"(columns: {columns})."
            )
        conf, right = [], []
        for row_number, row in enumerate(reader, start=2):
            raw = (row["confidence"] or "").strip()
            try:
                c = float(raw)
            except ValueError:
                c = float("nan")
            if not 0.0 <= c <= 1.0:
                raise InvalidParameterError(
                    f"scores row {row_number}, column 'confidence': must be a number in "
                    f"[0, 1]; got {raw!r}."
                )
            flag = (row["correct"] or "").strip().lower()
            if flag not in ("1", "0", "true", "false"):
                raise InvalidParameterError(
                    f"scores row {row_number}, column 'correct': must be 1, 0, true or false; "
                    f"got {row['correct']!r}."
                )
            conf.append(c)
            right.append(flag in ("1", "true"))
    if not conf:
        raise InvalidParameterError(f"scores must hold at least one row; got none in '{path}'.")
    return Scores(np.array(conf), np.array(right))


def record(d: Decision, source: str) -> Record:
    s = d.scenario
    inputs = (
        Row("scores", "Validation scores", source, source),
        Row("validation_items", "Validation items", d.curve.n, f"{d.curve.n:,}"),
        Row("target_error", "Target automated error", s.target_error, f"{s.target_error:.2%}"),
        Row("delta", "Risk of missing the target (delta)", s.delta, f"{s.delta:.0%}"),
        Row("review_usd", "Cost of a review", s.review_usd, usd(s.review_usd)),
        Row("error_usd", "Cost of an error", s.error_usd, usd(s.error_usd)),
        Row(
            "reviewer_error_rate",
            "Reviewer error rate",
            s.reviewer_error_rate,
            f"{s.reviewer_error_rate:.1%}",
        ),
        Row("daily_volume", "Items a day", s.daily_volume, plain(s.daily_volume)),
        Row(
            "reviews_per_hour",
            "Reviews an hour per reviewer",
            s.reviews_per_hour,
            plain(s.reviews_per_hour),
        ),
        Row("reviewers", "Reviewers", s.reviewers, str(s.reviewers)),
    )
    results = (
        Row(
            "threshold",
            "Confidence threshold",
            d.threshold,
            "none: review everything" if d.threshold is None else f"{d.threshold:.3f}",
        ),
        Row(
            "guaranteed_threshold",
            "Lowest certified threshold",
            d.guaranteed_threshold,
            "none" if d.guaranteed_threshold is None else f"{d.guaranteed_threshold:.3f}",
        ),
        Row(
            "automation_rate",
            "Share automated",
            round(d.automation_rate, 4),
            f"{d.automation_rate:.1%}",
        ),
        Row(
            "automated_error",
            "Automated error on validation",
            round(d.automated_error, 5),
            f"{d.automated_error:.2%}",
        ),
        Row(
            "automated_error_upper_bound",
            "Automated error, upper bound",
            None
            if d.automated_error_upper_bound is None
            else round(d.automated_error_upper_bound, 5),
            "n/a"
            if d.automated_error_upper_bound is None
            else f"{d.automated_error_upper_bound:.2%} ({1 - s.delta:.0%} confidence)",
        ),
        Row(
            "expected_cost_per_item_usd",
            "Expected cost per item",
            round(d.expected_cost_per_item_usd, 6),
            f"${d.expected_cost_per_item_usd:,.4f}",
        ),
        Row(
            "review_hours_per_day",
            "Review hours a day",
            round(d.review_hours_per_day, 2),
            f"{d.review_hours_per_day:,.1f} (team: {d.team_hours_per_day:,.0f})",
        ),
        Row("fits_team", "Fits the team", d.fits_team, "yes" if d.fits_team else "NO"),
        Row("level", "Oversight level", d.level, d.level),
    )
    return Record(
        slug=SLUG,
        title="Automation vs human oversight: what to automate, with a guarantee",
        inputs=inputs,
        results=results,
        recommendation=d.level,
        rule_id=d.rule.id,
        rule_title=d.rule.title,
        reason=d.reason + " The guarantee assumes new items are exchangeable with the "
        "validation set; re-check it when the data drifts.",
        claims=("G1", "G2", "G3", "G4", "G5", "assume-oversight"),
        json_extra={
            "team_threshold": d.team_threshold,
            "team_threshold_certified": d.team_threshold_certified,
        },
    )

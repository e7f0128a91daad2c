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

The validation scores are an input like the others (:data:`PARAMS`): a :class:`Scores` object
from Python, or the path of a CSV file from the command line; without them, the handbook's demo
model's scores are used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from tradeoffs._errors import InvalidParameterError
from tradeoffs._money import exact
from tradeoffs._record import Record, Row
from tradeoffs._search import smallest_passing
from tradeoffs._spec import (
    TEXT,
    USD,
    Custom,
    Derived,
    Fixed,
    Format,
    FromRegistry,
    Inputs,
    Origin,
    Param,
    Result,
    Rule,
    Spec,
    Text,
    between,
    percent,
    positive,
    rules,
    takes,
    whole,
)
from tradeoffs.formatting import usd

SLUG = "human-oversight"
MAX_THRESHOLDS = 400
"""Candidate thresholds tested at most: the distinct confidences, thinned evenly by rank."""
HOURS_PER_REVIEWER_DAY = 8
DEMO_SOURCE = "demo: logistic regression on scikit-learn digits (pass --scores FILE.csv)"
"""How a record names the demo model's validation scores."""
EXCHANGEABLE = (
    " The guarantee assumes new items are exchangeable with the validation set; re-check it "
    "when the data drifts."
)

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


def candidate_thresholds(confidence: Sequence[float] | FloatArray) -> FloatArray:
    """The thresholds to test, most confident first: the data's own distinct confidences
    (thinned evenly by rank to at most :data:`MAX_THRESHOLDS`), so that resolution follows
    the data; confidences crowded near 1, as LLM scores often are, keep their resolution.

    They depend on the confidences only, never on which items were right, so testing them in
    this fixed order is a valid fixed-sequence (Learn-then-Test) procedure."""
    distinct = np.unique(np.asarray(confidence, dtype=float))[::-1]
    if len(distinct) > MAX_THRESHOLDS:
        ranks = np.unique(np.linspace(0, len(distinct) - 1, MAX_THRESHOLDS).round().astype(int))
        distinct = distinct[ranks]
    out: FloatArray = distinct
    return out


@dataclass(frozen=True)
class Curve:
    """Risk and coverage at every candidate threshold, with the guarantee's bounds."""

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
    confidence: Sequence[float] | FloatArray,
    correct: Sequence[bool] | BoolArray,
    delta: float,
    thresholds: Sequence[float] | FloatArray | None = None,
) -> Curve:
    """Coverage, risk and the (1 - delta) upper bound of risk at every candidate threshold
    (default: :func:`candidate_thresholds` of the confidences), most confident first."""
    conf = np.asarray(confidence, dtype=float)
    wrong = ~np.asarray(correct, dtype=bool)
    order = np.argsort(-conf, kind="stable")
    conf_sorted, wrong_sorted = conf[order], wrong[order]
    cumulative_errors = np.concatenate([[0], np.cumsum(wrong_sorted)])
    thresholds = np.asarray(
        candidate_thresholds(conf) if thresholds is None else thresholds, dtype=float
    )
    # number of items with confidence >= t, found in the descending-sorted confidences
    automated = np.searchsorted(-conf_sorted, -thresholds, side="right")
    errors = cumulative_errors[automated]
    return Curve(thresholds, automated, errors, _upper_bounds(errors, automated, delta), len(conf))


def min_items(target: float, delta: float) -> int:
    """The fewest automated items whose bound can reach ``target``: even with no errors the
    Clopper-Pearson bound is 1 - delta^(1/n), which needs n >= log(delta) / log(1 - target)."""
    return math.ceil(math.log(delta) / math.log(1 - target))


def certified_indices(curve: Curve, target: float, delta: float) -> list[int]:
    """Every threshold that was tested and passed: only these may be recommended (one
    skipped for having too few items was never tested, whatever its cost)."""
    last = guaranteed_index(curve, target, delta)
    if last is None:
        return []
    floor = min_items(target, delta)
    return [i for i in range(last + 1) if curve.automated[i] >= floor]


def guaranteed_index(curve: Curve, target: float, delta: float) -> int | None:
    """Fixed-sequence testing down the thresholds: the last index whose bound is within target.

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


# --- Subgroups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupCurve:
    """One subgroup's risk and bounds at the pooled candidate thresholds."""

    name: str
    curve: Curve
    certified: frozenset[int]


def group_curves(s: Scenario, pooled: Curve) -> list[GroupCurve]:
    """Each subgroup tested on its own at the pooled thresholds, with the risk of missing the
    target split evenly across the groups (Bonferroni), so that every group's guarantee holds
    together with probability at least 1 - delta."""
    groups = s.scores.groups
    if groups is None:
        return []
    names = sorted(set(groups))
    delta = s.delta / len(names)
    labels = np.asarray(groups)
    conf, right = np.asarray(s.scores.confidence), np.asarray(s.scores.correct)
    out = []
    for name in names:
        mask = labels == name
        curve = risk_coverage(conf[mask], right[mask], delta, thresholds=pooled.thresholds)
        out.append(
            GroupCurve(name, curve, frozenset(certified_indices(curve, s.target_error, delta)))
        )
    return out


def certified_everywhere(s: Scenario, pooled: Curve, groups: Sequence[GroupCurve]) -> list[int]:
    """The thresholds that may be recommended: certified on the pooled set, and in every
    subgroup when there are subgroups."""
    if not groups:
        return certified_indices(pooled, s.target_error, s.delta)
    common = frozenset.intersection(*(g.certified for g in groups))
    return sorted(common)


def _groups_json(d: Decision) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for g in d.groups:
        at = None if d.threshold is None else list(g.curve.thresholds).index(d.threshold)
        out.append(
            {
                "group": g.name,
                "items": g.curve.n,
                "certified": at is not None and at in g.certified,
                "automated_error_upper_bound": None
                if at is None
                else round(float(g.curve.upper[at]), 5),
            }
        )
    return out


# --- Power: what the validation set can certify -----------------------------------------------

BOOTSTRAP_SETS = 200
"""Resampled validation sets used to estimate the chance of certifying nothing."""


def automated_items_needed(error_rate: float, target: float, delta: float) -> int | None:
    """The fewest automated validation items at which a threshold with this observed error
    rate would pass: the Clopper-Pearson bound of round(rate x n) errors in n items reaches
    the target. None when the rate itself is not below the target."""
    if error_rate >= target:
        return None

    def passes(n: int) -> bool:  # the bound falls as n grows at a fixed rate (up to rounding)
        return clopper_pearson_upper(round(error_rate * n), n, delta) <= target

    return smallest_passing(passes, max(1, min_items(target, delta)), 10**9)


@dataclass(frozen=True)
class Power:
    """How much more validation data would certify more automation, and how often a set of
    this size certifies nothing at all."""

    automation_rate: float
    """The highest automation rate whose observed error is under the target."""
    validation_items_needed: int | None
    """Validation items for that rate to pass, if its observed error holds (None: none)."""
    p_certify_nothing: float


def certification_power(s: Scenario, curve: Curve) -> Power:
    """The most automation the observed errors allow, the data it would take to certify
    it, and the chance (by resampling the validation set) of certifying nothing."""
    below = [i for i in range(len(curve.thresholds)) if curve.risk[i] < s.target_error]
    best = max(below, key=lambda i: curve.coverage[i], default=None)
    rate, needed = 0.0, None
    if best is not None and curve.coverage[best] > 0:
        rate = float(curve.coverage[best])
        automated = automated_items_needed(float(curve.risk[best]), s.target_error, s.delta)
        needed = None if automated is None else math.ceil(automated / rate)
    return Power(rate, needed, _p_certify_nothing(s, curve.n))


def _p_certify_nothing(s: Scenario, n: int) -> float:
    rng = np.random.default_rng(0)
    conf, right = np.asarray(s.scores.confidence), np.asarray(s.scores.correct)
    nothing = 0
    for _ in range(BOOTSTRAP_SETS):
        pick = rng.integers(0, n, size=n)
        resampled = risk_coverage(conf[pick], right[pick], s.delta)
        nothing += guaranteed_index(resampled, s.target_error, s.delta) is None
    return nothing / BOOTSTRAP_SETS


# --- The validation scores ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Scores:
    """Confidence and correctness of a model on a held-out split, and where they came from.

    ``confidence`` holds numbers in [0, 1], ``correct`` one flag per item (the model was
    right). Passed as the ``scores`` input, they are checked and copied into read-only arrays.
    """

    confidence: FloatArray | Sequence[float]
    correct: BoolArray | Sequence[bool]
    source: str = "arrays given in Python"
    """How a record names them: a file's path, or what the arrays are."""
    groups: Sequence[str] | None = None
    """A subgroup per item (a region, a customer tier): each is certified on its own."""

    @property
    def n(self) -> int:
        return len(self.confidence)


def _frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


def _checked_scores(name: str, scores: Scores) -> Scores:
    """The same scores as read-only arrays, or a one-sentence refusal."""
    try:
        conf = np.array(scores.confidence, dtype=float).ravel()
        right = np.asarray(scores.correct).ravel()
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{name} must hold numbers in [0, 1] as confidence; got {scores.confidence!r}."
        ) from None
    if len(conf) == 0:
        raise InvalidParameterError(f"{name} must hold at least one item; got none.")
    if len(right) != len(conf):
        raise InvalidParameterError(
            f"{name} must hold one 'correct' flag per confidence; got {len(right):,} flags "
            f"for {len(conf):,} confidences."
        )
    bad = np.flatnonzero(~((conf >= 0) & (conf <= 1)))  # NaN fails both comparisons
    if len(bad):
        raise InvalidParameterError(
            f"{name} item {bad[0]}, confidence: must be a number in [0, 1]; "
            f"got {float(conf[bad[0]])!r}."
        )
    if right.dtype != np.bool_ and not np.isin(right, (0, 1)).all():
        raise InvalidParameterError(
            f"{name} must hold 'correct' flags that are true/false or 1/0; item "
            f"{_first_bad_flag(right)} is {str(right[_first_bad_flag(right)])!r}."
        )
    groups = None if scores.groups is None else tuple(str(g) for g in scores.groups)
    if groups is not None and len(groups) != len(conf):
        raise InvalidParameterError(
            f"{name} must hold one group per item; got {len(groups):,} groups for "
            f"{len(conf):,} items."
        )
    if _read_only(scores.confidence, np.float64) and _read_only(scores.correct, np.bool_):
        return scores  # already checked: scenarios built from the same scores compare equal
    return Scores(_frozen(conf), _frozen(right.astype(bool)), scores.source, groups)


def _read_only(array: object, dtype: type[np.generic]) -> bool:
    return isinstance(array, np.ndarray) and array.dtype == dtype and not array.flags.writeable


def _read_scores(name: str, raw: object) -> Scores:
    """A :class:`Scores` object from Python, or the path of a CSV file from the command line."""
    if isinstance(raw, Scores):
        return _checked_scores(name, raw)
    if isinstance(raw, str | Path):
        return read_scores(str(raw), name)
    raise InvalidParameterError(
        f"{name} must be a Scores object or the path of a CSV file with columns 'confidence' "
        f"and 'correct'; got {raw!r}."
    )


def demo_scores(seed: int = 0) -> tuple[Scores, Scores]:
    """A logistic regression on scikit-learn's digits, scored on two disjoint held-out
    splits: a validation split to choose the threshold, and a fresh one to check it.
    Computed once per seed; the arrays are read-only."""
    return _demo_scores(seed)


@cache
def _demo_scores(seed: int) -> tuple[Scores, Scores]:
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

    def score(xs: FloatArray, ys: npt.NDArray[np.int_], source: str) -> Scores:
        probs = model.predict_proba(xs)
        right = model.classes_[probs.argmax(axis=1)] == ys
        return Scores(_frozen(probs.max(axis=1)), _frozen(right), source)

    fresh = "demo: fresh split of scikit-learn digits"
    return score(x_val, y_val, DEMO_SOURCE), score(x_new, y_new, fresh)


def _demo(values: Mapping[str, Any]) -> tuple[Any, Origin]:
    return demo_scores()[0], Origin(note="the handbook's demo scores")


def _first_bad_flag(right: Any) -> int:
    return int(np.flatnonzero(~np.isin(right, (0, 1)))[0])


def read_scores(path: str, name: str = "scores") -> Scores:
    """A CSV with columns ``confidence`` (0 to 1) and ``correct`` (1/0 or true/false); errors
    name the row and the column."""
    from tradeoffs._files import read_table

    columns, rows = read_table(name, path)
    return _scores_from_csv(columns, rows, path, name)


def _scores_from_csv(
    columns: list[str], rows: list[dict[str, str | None]], path: str, name: str
) -> Scores:
    """Confidence and correctness, row by row; a bad cell is named by its row and column."""
    missing = [c for c in ("confidence", "correct") if c not in columns]
    if missing:
        raise InvalidParameterError(
            f"{name} must have columns 'confidence' and 'correct'; missing {missing[0]!r} "
            f"(columns: {columns})."
        )
    conf, right = [], []
    for row_number, row in enumerate(rows, start=2):
        raw = (row["confidence"] or "").strip()
        try:
            c = float(raw)
        except ValueError:
            c = float("nan")
        if not 0.0 <= c <= 1.0:
            raise InvalidParameterError(
                f"{name} row {row_number}, column 'confidence': must be a number in "
                f"[0, 1]; got {raw!r}."
            )
        flag = (row["correct"] or "").strip().lower()
        if flag not in ("1", "0", "true", "false"):
            raise InvalidParameterError(
                f"{name} row {row_number}, column 'correct': must be 1, 0, true or false; "
                f"got {row['correct']!r}."
            )
        conf.append(c)
        right.append(flag in ("1", "true"))
    if not conf:
        raise InvalidParameterError(f"{name} must hold at least one row; got none in {path!r}.")
    return Scores(_frozen(np.array(conf)), _frozen(np.array(right)), path)


# --- Inputs -----------------------------------------------------------------------------------


def _source(scores: Scores) -> str:
    return scores.source


def _from_registry(key: str) -> FromRegistry:
    return FromRegistry(f"assume-oversight.{key}")


PARAMS: tuple[Param, ...] = (
    Param(
        "scores",
        "Validation scores",
        Custom(
            "a Scores object, or a CSV file with columns 'confidence' and 'correct'",
            _read_scores,
            bad=("no-such-file.csv", ""),
        ),
        Derived(
            "the handbook's demo scores, a logistic regression on scikit-learn's digits", _demo
        ),
        "validation scores: columns 'confidence' (0 to 1) and 'correct' (1/0 or true/false), "
        "one row per item",
        fmt=Format(_source, _source),
        metavar="FILE.csv",
    ),
    Param(
        "group",
        "Subgroup column",
        Text("a column of the scores file naming each item's subgroup", optional=True),
        Fixed(None, "pooled: no subgroups"),
        "certify the threshold in every subgroup named by this column of the scores file, and "
        "report the worst; the pooled guarantee says nothing about any one group",
        fmt=TEXT,
        metavar="COLUMN",
    ),
    Param(
        "daily_volume",
        "Items a day",
        positive(10**12),
        _from_registry("daily_volume"),
        "items a day",
    ),
    Param(
        "target_error",
        "Target automated error",
        between("0.000001", 1, high_open=True),
        _from_registry("target_error"),
        "automated error rate to stay under",
        fmt=percent(2),
        cast=float,
    ),
    Param(
        "delta",
        "Risk of missing the target (delta)",
        between("0.000001", 1, high_open=True),
        _from_registry("delta"),
        "accepted risk that the guarantee fails",
        fmt=percent(0),
        cast=float,
    ),
    Param(
        "review_usd",
        "Cost of a review",
        between(0, 1_000_000),
        _from_registry("review_usd"),
        "cost of one human review, USD",
        fmt=USD,
    ),
    Param(
        "error_usd",
        "Cost of an error",
        between(0, 1_000_000_000),
        _from_registry("error_usd"),
        "cost of one wrong decision, USD",
        fmt=USD,
    ),
    Param(
        "reviewer_error_rate",
        "Reviewer error rate",
        between(0, 1),
        _from_registry("reviewer_error_rate"),
        "share of reviews that are wrong",
        fmt=percent(1),
        cast=float,
    ),
    Param(
        "reviews_per_hour",
        "Reviews an hour per reviewer",
        between("0.1", 100_000),
        _from_registry("reviews_per_hour"),
        "reviews one person does an hour",
    ),
    Param(
        "reviewers",
        "Reviewers",
        whole(0, 10_000_000),
        _from_registry("reviewers"),
        f"people reviewing, {HOURS_PER_REVIEWER_DAY} hours a day each",
    ),
)
"""Every input, declared once: the command's options, validation and the record read it.

``daily_volume`` comes before the target so that every declared interval starts with an input
whose lowest valid value is a meaningful scenario (see ``tests/test_spec.py``)."""


@dataclass(frozen=True)
class Scenario:
    """Every input of the decision (see :data:`PARAMS`); build one with :func:`scenario`,
    which validates and fills defaults; the constructor does not."""

    scores: Scores
    group: str | None
    daily_volume: Decimal
    target_error: float
    delta: float
    review_usd: Decimal
    error_usd: Decimal
    reviewer_error_rate: float
    reviews_per_hour: Decimal
    reviewers: int
    inputs: Inputs = field(compare=False, repr=False)


def _build(inputs: Inputs) -> Scenario:
    values = dict(inputs.values)
    if values["group"] is not None:
        values["scores"] = _with_groups(values["scores"], values["group"])
    return Scenario(**values, inputs=inputs)


def _with_groups(scores: Scores, column: str) -> Scores:
    """The scores with each item's subgroup read from ``column`` of the file they came from."""
    from tradeoffs._files import read_table

    path = Path(scores.source)
    if scores.source == DEMO_SOURCE or not path.is_file():
        raise InvalidParameterError(
            f"group must name a column of a scores file given with scores; got {column!r} "
            f"with scores from {scores.source!r}."
        )
    columns, rows = read_table("scores", scores.source)
    if column not in columns:
        raise InvalidParameterError(
            f"group must be a column of {scores.source!r} ({', '.join(columns)}); got {column!r}."
        )
    groups = tuple((row[column] or "").strip() for row in rows)
    return _checked_scores(
        "scores", Scores(scores.confidence, scores.correct, scores.source, groups)
    )


def scenario(**inputs: object) -> Scenario:
    """A validated :class:`Scenario`; any input not given takes its declared default
    (:data:`PARAMS`): the registry's ``assume-oversight`` figures and the demo scores."""
    return SPEC.scenario(**inputs)


# --- Costs, capacity and the decision -------------------------------------------------------


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


RULES: dict[str, Rule] = rules(SLUG)
"""The page's numbered rules (titles in ``data/rules.toml``)."""


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
    groups: tuple[GroupCurve, ...] = ()
    """Each subgroup's curve, when the scores name subgroups."""

    @property
    def recommendation(self) -> Level:
        return self.level

    @property
    def validation_items(self) -> int:
        return self.curve.n

    @cached_property
    def power(self) -> Power:
        """Resampling takes a second: computed when a record or a reader asks for it."""
        return certification_power(self.scenario, self.curve)


def _level(coverage: float) -> Level:
    if coverage == 0:
        return "review everything"
    return "monitor only" if coverage == 1 else "selective review"


def _t(threshold: float) -> str:
    """A threshold as tested: never rounded, since a lower one would automate more items."""
    return f"{threshold:.6g}"


def _capacity_reason(
    needed: float,
    team: int,
    team_index: int | None,
    certified: Sequence[int],
    thresholds: FloatArray,
) -> str:
    """Why the review queue does not fit the team, and which threshold would."""
    extra = f" The review queue needs {needed:,.1f} hours a day against the team's {team:,}: "
    if team_index is None:
        return extra + "no threshold fits; add reviewers or cut the volume."
    return (
        extra
        + f"a threshold of {_t(thresholds[team_index])} would fit the team"
        + ("" if team_index in certified else ", but it is not certified at the target")
        + "."
    )


@takes(Scenario, "scenario()")
@exact
def decide(s: Scenario) -> Decision:
    """Choose the cheapest certified threshold on the scenario's validation scores and check
    the review queue against the team."""
    curve = risk_coverage(s.scores.confidence, s.scores.correct, s.delta)
    groups = group_curves(s, curve)
    certified = certified_everywhere(s, curve, groups)
    guaranteed = certified[-1] if certified else None
    costs = cost_per_item(curve, s)
    team = s.reviewers * HOURS_PER_REVIEWER_DAY
    hours = np.asarray(review_hours(curve.coverage, s))
    fitting = [i for i in range(len(curve.thresholds)) if hours[i] <= team]
    team_index = fitting[0] if fitting else None
    chosen: int | None = None
    if guaranteed is None:
        coverage, risk, upper = 0.0, 0.0, None
        per_item = float(s.review_usd) + s.reviewer_error_rate * float(s.error_usd)
        rule = RULES["HITL-1"]
        reason = (
            f"No threshold keeps the automated error below {s.target_error:.1%} with "
            f"{1 - s.delta:.0%} confidence on {curve.n:,} validation items: review "
            "everything, or gather more validation data."
        )
    else:
        chosen = min(certified, key=lambda i: float(costs[i]))  # only what passed the test
        coverage, risk = float(curve.coverage[chosen]), float(curve.risk[chosen])
        upper, per_item = float(curve.upper[chosen]), float(costs[chosen])
        upper = max([upper, *(float(g.curve.upper[chosen]) for g in groups)])  # the worst
        rule = RULES["HITL-2"]
        reason = (
            f"Automate items with confidence of at least {_t(curve.thresholds[chosen])}: "
            f"{coverage:.1%} of items, with an automated error of {risk:.2%} (at most "
            f"{upper:.2%} with {1 - s.delta:.0%} confidence, target {s.target_error:.1%}), "
            f"for {usd(Decimal(str(round(per_item, 4))))} per item."
        )
    needed = float(review_hours(coverage, s))
    fits = needed <= team
    if not fits:
        rule = RULES["HITL-4"]
        reason += _capacity_reason(needed, team, team_index, certified, curve.thresholds)
    return Decision(
        scenario=s,
        curve=curve,
        guaranteed_threshold=None if guaranteed is None else float(curve.thresholds[guaranteed]),
        threshold=None if chosen is None else float(curve.thresholds[chosen]),
        automation_rate=coverage,
        automated_error=risk,
        automated_error_upper_bound=upper,
        expected_cost_per_item_usd=per_item,
        review_hours_per_day=needed,
        team_hours_per_day=float(team),
        fits_team=fits,
        team_threshold=None if team_index is None else float(curve.thresholds[team_index]),
        team_threshold_certified=team_index is not None and team_index in certified,
        level=_level(coverage),
        rule=rule,
        reason=reason + _groups_reason(groups, chosen),
        groups=tuple(groups),
    )


def _groups_reason(groups: Sequence[GroupCurve], chosen: int | None) -> str:
    if not groups:
        return ""
    if chosen is None:
        return (
            f" Each of {len(groups)} subgroups was tested on its own (the risk split evenly "
            "across them); a threshold must pass in every one."
        )
    return (
        f" Certified in each of {len(groups)} subgroups on its own (the risk split evenly "
        "across them); the bound shown is the worst group's."
    )


# --- The decision record ------------------------------------------------------------------------


def _threshold_text(d: Decision) -> str:
    return "none: review everything" if d.threshold is None else _t(d.threshold)


def _bound_text(d: Decision) -> str:
    bound = d.automated_error_upper_bound
    if bound is None:
        return "n/a"
    return f"{bound:.2%} ({1 - d.scenario.delta:.0%} confidence)"


def _rounded(places: int) -> Format:
    """A float kept in records rounded to ``places`` decimals."""
    return Format(str, lambda v: round(v, places))


THRESHOLD = Format(_t)

RESULTS: tuple[Result[Decision], ...] = (
    Result("threshold", "Confidence threshold", lambda d: d.threshold, THRESHOLD, _threshold_text),
    Result(
        "guaranteed_threshold",
        "Lowest certified threshold",
        lambda d: d.guaranteed_threshold,
        THRESHOLD,
    ),
    Result(
        "automation_rate",
        "Share automated",
        lambda d: d.automation_rate,
        Format(lambda v: f"{v:.1%}", lambda v: round(v, 4)),
    ),
    Result(
        "automated_error",
        "Automated error on validation",
        lambda d: d.automated_error,
        Format(lambda v: f"{v:.2%}", lambda v: round(v, 5)),
    ),
    Result(
        "automated_error_upper_bound",
        "Automated error, upper bound",
        lambda d: d.automated_error_upper_bound,
        _rounded(5),
        _bound_text,
    ),
    Result(
        "expected_cost_per_item_usd",
        "Expected cost per item",
        lambda d: d.expected_cost_per_item_usd,
        Format(lambda v: f"${v:,.4f}", lambda v: round(v, 6)),
    ),
    Result(
        "review_hours_per_day",
        "Review hours a day",
        lambda d: d.review_hours_per_day,
        _rounded(2),
        lambda d: f"{d.review_hours_per_day:,.1f} (team: {d.team_hours_per_day:,.0f})",
    ),
    Result(
        "fits_team",
        "Fits the team",
        lambda d: d.fits_team,
        Format(lambda v: "yes" if v else "NO"),
    ),
    Result("level", "Oversight level", lambda d: d.level, Format(str)),
    Result(
        "p_certify_nothing",
        "Chance a validation set this size certifies nothing",
        lambda d: d.power.p_certify_nothing,
        Format(lambda v: f"{v:.0%} (resampled)", lambda v: round(v, 3)),
    ),
    Result(
        "validation_items_needed",
        lambda d: f"Validation items to certify {d.power.automation_rate:.1%} automated",
        lambda d: d.power.validation_items_needed,
        shown=lambda d: (
            "no automation rate has an observed error under the target"
            if d.power.validation_items_needed is None
            else f"{d.power.validation_items_needed:,} (you have {d.validation_items:,})"
        ),
    ),
)
"""Every output of the record, declared once: text table, JSON keys and Markdown rows."""


@takes(Decision, "decide()")
def record(d: Decision) -> Record:
    """The decision as a :class:`~tradeoffs._record.Record` for the CLI and design reviews."""
    n = d.validation_items
    counted = Row("validation_items", "Validation items", n, f"{n:,}", note="counted in the scores")
    result: Record = SPEC.record(
        d,
        claims=("G1", "G2", "G3", "G4", "G5", "assume-oversight"),
        extra_inputs=(counted,),
        json_extra={
            "team_threshold": d.team_threshold,
            "team_threshold_certified": d.team_threshold_certified,
            **({"groups": _groups_json(d)} if d.groups else {}),
        },
        reason=d.reason + EXCHANGEABLE,
    )
    return result


SPEC: Spec[Scenario, Decision] = Spec(
    slug=SLUG,
    title="Automation vs human oversight: what to automate, with a guarantee",
    params=PARAMS,
    build=_build,
    results=RESULTS,
    rules=RULES,
    fires=("HITL-1", "HITL-2", "HITL-4"),
)
"""Automation vs human oversight, declared: inputs, results and rules (see
:mod:`tradeoffs._spec`)."""

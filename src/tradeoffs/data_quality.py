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
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from tradeoffs._errors import InvalidParameterError
from tradeoffs._money import exact
from tradeoffs._noise import CurvePoint, Dataset, learning_curves, single_threaded
from tradeoffs._record import Record
from tradeoffs._spec import (
    SHARE,
    USD,
    CliHook,
    Derived,
    FromRegistry,
    Inputs,
    Noted,
    Origin,
    Param,
    Result,
    Rule,
    Spec,
    between,
    rules,
    takes,
    whole,
)
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


@single_threaded
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


def _the_noise_rate(note: str) -> Callable[[Mapping[str, Any]], tuple[Any, Origin]]:
    """A default equal to the noise rate declared before it, with what that assumes."""

    def compute(values: Mapping[str, Any]) -> tuple[Any, Origin]:
        return values["noise_rate"], Origin(note=note)

    return compute


PARAMS: tuple[Param, ...] = (
    Param(
        "labels",
        "Labelled examples",
        whole(1, 1_000_000_000),
        FromRegistry("assume-labels.labels"),
        "labelled examples you have (with --estimate-from: the CSV's rows)",
    ),
    Param(
        "noise_rate",
        "Estimated noise rate",
        between(0, 1, high_open=True),
        FromRegistry("assume-labels.noise_rate_percent", divide_by=100),
        "share of labels that are wrong",
        fmt=SHARE,
    ),
    Param(
        "budget_usd",
        "Budget",
        between(0, 1_000_000_000),
        FromRegistry("assume-labels.budget_usd"),
        "money to spend on labels, USD",
        fmt=USD,
    ),
    Param(
        "new_label_usd",
        "Cost of a new label",
        between("0.001", 10_000),
        FromRegistry("assume-labels.new_label_usd"),
        "cost of one new label, USD",
        fmt=USD,
    ),
    Param(
        "review_label_usd",
        "Cost of reviewing a label",
        between("0.001", 10_000),
        FromRegistry("assume-labels.review_label_usd"),
        "cost of reviewing one label, USD",
        fmt=USD,
    ),
    Param(
        "review_hit_rate",
        "Share of reviewed labels that are wrong",
        between(0, 1),
        Derived(
            "the noise rate, i.e. random review",
            _the_noise_rate("the noise rate (random review)"),
        ),
        "share of reviewed labels that are wrong, e.g. cleanlab's precision; at least the "
        "noise rate",
        fmt=SHARE,
    ),
    Param(
        "new_label_noise",
        "Noise rate of new labels",
        between(0, 1, high_open=True),
        Derived(
            "the noise rate, i.e. new labels as noisy as yours",
            _the_noise_rate("the noise rate (new labels as noisy as yours)"),
        ),
        "share of new labels that will be wrong",
        fmt=SHARE,
    ),
)
"""Every input, declared once: the command's options, validation and the record read it."""


@dataclass(frozen=True)
class Scenario:
    """Every input of the calculator (see :data:`PARAMS`); build one with :func:`scenario`,
    which validates and fills defaults; the constructor does not."""

    labels: int
    noise_rate: Decimal
    budget_usd: Decimal
    new_label_usd: Decimal
    review_label_usd: Decimal
    review_hit_rate: Decimal
    """Share of reviewed labels that turn out to be wrong: the noise rate when review picks
    labels at random, higher when a detector such as cleanlab ranks them first."""
    new_label_noise: Decimal
    inputs: Inputs = field(compare=False, repr=False)


def _build(inputs: Inputs) -> Scenario:
    noise, hit = inputs["noise_rate"], inputs["review_hit_rate"]
    if hit < noise:
        raise InvalidParameterError(
            f"review_hit_rate must be at least the noise rate ({plain(noise)}), since random "
            f"review already finds that share; got {inputs.given.get('review_hit_rate', hit)!r}."
        )
    return Scenario(**inputs.values, inputs=inputs)


def scenario(**inputs: object) -> Scenario:
    """A validated :class:`Scenario`; any input not given takes its declared default
    (:data:`PARAMS`).

    Without a ``review_hit_rate``, review is assumed to pick labels at random (hit rate =
    noise rate); without a ``new_label_noise``, new labels are assumed as noisy as the
    current ones.
    """
    return SPEC.scenario(**inputs)


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


RULES: dict[str, Rule] = rules(SLUG)
"""The page's numbered rules (titles in ``data/rules.toml``)."""


@dataclass(frozen=True)
class Decision:
    scenario: Scenario
    plans: tuple[Plan, ...]
    best: Plan
    recommendation: Recommendation
    rule: Rule
    reason: str
    reference: str


@takes(Scenario, "scenario()")
@exact
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


# --- Estimating the noise rate from a file of labels ------------------------------------------


def estimate_noise(labels: Sequence[int], probabilities: Sequence[Sequence[float]]) -> float:
    """Share of labels cleanlab flags as likely wrong, from out-of-sample probabilities."""
    from cleanlab.filter import find_label_issues

    with warnings.catch_warnings():  # "too few examples in class k": the estimate says so
        warnings.simplefilter("ignore", UserWarning)
        flagged = find_label_issues(np.asarray(labels), np.asarray(probabilities))
    return float(np.mean(flagged))


def _csv_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows of a CSV file, each row with its line number."""
    import csv
    import io

    from tradeoffs._files import read_text

    _, text = read_text("estimate_from", path)
    rows = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        for row in reader:
            if row:
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise InvalidParameterError(
            f"estimate_from must be a readable CSV file; {str(path)!r} gives: {exc}."
        ) from None
    if not rows or rows[0][1].count("label") != 1:
        raise InvalidParameterError(
            f"estimate_from must have one 'label' column and one probability column per "
            f"class; '{path}' has columns {rows[0][1] if rows else []}."
        )
    return rows[0][1], rows[1:]


def _label_row(
    path: Path, header: list[str], number: int, line: int, row: list[str]
) -> tuple[int, list[float]]:
    """One row's label (0..K-1) and K probabilities, or a message naming the row and column."""
    where = f"'{path}' row {number} (line {line})"
    if len(row) != len(header):
        raise InvalidParameterError(
            f"estimate_from must have {len(header)} values in every row, one per column; "
            f"{where} has {len(row)}."
        )
    classes = len(header) - 1
    at = header.index("label")
    try:
        label = int(row[at])
    except ValueError:
        label = -1
    if not 0 <= label < classes:
        raise InvalidParameterError(
            f"estimate_from must hold whole-number labels in 0..{classes - 1}; {where}, "
            f"column 'label' is {row[at]!r}."
        )
    probabilities = []
    for column, cell in enumerate(row):
        if column == at:
            continue
        try:
            p = float(cell)
        except ValueError:
            p = math.nan
        if not 0 <= p <= 1:
            raise InvalidParameterError(
                f"estimate_from must hold probabilities in [0, 1]; {where}, column "
                f"{column + 1} ({header[column]!r}) is {cell!r}."
            )
        probabilities.append(p)
    if abs(math.fsum(probabilities) - 1) > PROBABILITY_SUM_TOLERANCE:
        raise InvalidParameterError(
            f"estimate_from must hold probabilities that sum to 1 in every row (within "
            f"{PROBABILITY_SUM_TOLERANCE}); {where} sums to {math.fsum(probabilities):.6g}."
        )
    return label, probabilities


PROBABILITY_SUM_TOLERANCE = 0.001
"""Out-of-sample probabilities saved to CSV with a few decimals still sum to 1 within this."""


def read_label_csv(path: Path) -> tuple[list[int], list[list[float]]]:
    """A CSV with a ``label`` column (0..K-1) and K probability columns, one row per example."""
    header, rows = _csv_table(path)
    if len(header) < 3:
        raise InvalidParameterError(
            f"estimate_from must have one probability column per class, at least two; "
            f"'{path}' has {len(header) - 1}."
        )
    if not rows:
        raise InvalidParameterError(f"estimate_from must have rows of labels; '{path}' has none.")
    labels, probabilities = [], []
    for number, (line, row) in enumerate(rows, start=1):
        label, probs = _label_row(path, header, number, line, row)
        labels.append(label)
        probabilities.append(probs)
    return labels, probabilities


def _estimate_from(raw: object, given: dict[str, object]) -> None:
    """``--estimate-from FILE.csv``: the noise rate cleanlab finds in the file, and (unless
    given) its number of rows as the labelled examples."""
    if "noise_rate" in given:
        raise InvalidParameterError(
            "noise_rate must not be given with estimate_from, which estimates it; got both."
        )
    path = Path(str(raw))
    labels, probabilities = read_label_csv(path)
    try:
        estimate = estimate_noise(labels, probabilities)
    except (ValueError, IndexError) as exc:
        raise InvalidParameterError(
            f"estimate_from must hold labels and probabilities cleanlab can read; "
            f"'{path}' gives: {exc}."
        ) from None
    if estimate >= 1:
        raise InvalidParameterError(
            f"estimate_from must hold labels cleanlab does not flag all as wrong; "
            f"it flags every row of '{path}'."
        )
    given["noise_rate"] = Noted(estimate, f"cleanlab's estimate from {path.name}")
    given.setdefault("labels", Noted(len(labels), f"rows of {path.name}"))


ESTIMATE_FROM = CliHook(
    "estimate_from",
    "estimate the noise rate with cleanlab from a CSV of labels ('label') "
    "and out-of-sample class probabilities (one column per class)",
    _estimate_from,
)
"""``--estimate-from FILE.csv``: fills ``noise_rate`` (and ``labels``) from a file."""


# --- The decision record ----------------------------------------------------------------------


def _plan_result(key: str, pick: Callable[[Decision], Plan]) -> Result[Decision]:
    """One plan's expected accuracy, with its band and what it buys."""

    def label(d: Decision) -> str:
        p = pick(d)
        return f"{p.name} ({'best' if p is d.best else 'for comparison'})"

    def shown(d: Decision) -> str:
        p = pick(d)
        return (
            f"{p.expected_accuracy:.1%} ({p.accuracy_low:.1%}–{p.accuracy_high:.1%}); "
            f"{p.new_labels:,} new, {p.reviewed_labels:,} reviewed"
        )

    return Result(key, label, lambda d: round(pick(d).expected_accuracy, 4), shown=shown)


RESULTS: tuple[Result[Decision], ...] = (
    _plan_result("expected_accuracy_all_new", lambda d: d.plans[0]),
    _plan_result("expected_accuracy_all_review", lambda d: d.plans[-1]),
    _plan_result("expected_accuracy_best", lambda d: d.best),
)
"""Every output of the record, declared once: text table, JSON keys and Markdown rows."""


def _plan_json(p: Plan) -> dict[str, object]:
    return {
        "name": p.name,
        "review_share": p.review_share,
        "new_labels": p.new_labels,
        "reviewed_labels": p.reviewed_labels,
        "noise_after": round(p.noise_after, 4),
        "expected_accuracy": round(p.expected_accuracy, 4),
        "accuracy_low": round(p.accuracy_low, 4),
        "accuracy_high": round(p.accuracy_high, 4),
    }


@takes(Decision, "decide()")
def record(d: Decision) -> Record:
    """The decision as a :class:`~tradeoffs._record.Record` for the CLI and design reviews."""
    result: Record = SPEC.record(
        d,
        claims=("D1", "D2", "assume-labels"),
        reason=d.reason + f" Predicted on the reference curve ({d.reference}); use it to rank "
        "plans, not as a forecast of your model's accuracy.",
        json_extra={"plans": [_plan_json(p) for p in d.plans], "best_plan": d.best.name},
    )
    return result


def samples_for_accuracy(curve: Curve, target: float, noise_rate: float) -> float | None:
    """Training examples needed to reach ``target`` at ``noise_rate`` (None: unreachable)."""
    gap = curve.ceiling - target
    if gap <= 0:
        return None
    n_eff = (curve.scale / gap) ** (1 / curve.exponent)
    signal = effective_size(1.0, noise_rate, curve.n_classes)
    return None if signal <= 0 else math.ceil(n_eff / signal)


SPEC: Spec[Scenario, Decision] = Spec(
    slug=SLUG,
    title="Data quantity vs quality: clean or collect",
    params=PARAMS,
    build=_build,
    results=RESULTS,
    rules=RULES,
    fires=("DQ-1", "DQ-2", "DQ-6"),
    hooks=(ESTIMATE_FROM,),
    progress="Measuring the reference learning curves (scikit-learn digits, a few seconds)...",
)
"""Data quantity vs quality, declared: inputs, results, rules and the ``--estimate-from``
hook (see :mod:`tradeoffs._spec`)."""

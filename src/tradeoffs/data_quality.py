"""Data quantity vs quality: clean the labels you have, or collect more?

The experiments (:mod:`tradeoffs._noise`) measure how label noise bends learning curves. The
calculator turns them into a plan for a budget: every dollar can buy a new label (as noisy as
the ones you have) or a review of an existing one (which fixes it when it was wrong).

The model: learning curves are measured on real images (scikit-learn's digits, grouped into
as many classes as your task has) with your kind of noise (uniform, pair or your own confusion
matrix) at noise rates from none to 40% (further when your labels are noisier), and fitted per
rate with a bounded ceiling (:mod:`tradeoffs._learning_curve`). A plan is predicted from its
labels and its noise after review, with a 90% band from refits on resampled repeats. A plan
wins only when its band clears every other plan's; otherwise the decision says there is no
measurable difference and names the cheaper. It is the handbook's modelling assumption, not a
sourced law: it ranks plans on the reference data; it does not forecast your model's accuracy.
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
from tradeoffs._learning_curve import BAND_LEVEL, Surface, fit_surface
from tradeoffs._money import exact
from tradeoffs._noise import (
    DIGITS_CLASSES,
    NOISE_KINDS,
    CurvePoint,
    Dataset,
    Noise,
    NoiseKind,
    learning_curves,
    single_threaded,
)
from tradeoffs._record import Record
from tradeoffs._spec import (
    SHARE,
    TEXT,
    USD,
    Choice,
    CliHook,
    Custom,
    Derived,
    Fixed,
    Format,
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
REFERENCE_SIZES = (50, 100, 200, 400, 800)
"""Training sizes measured, then the whole training set (1,347 digits)."""
REFERENCE_RATES = (0.0, 0.1, 0.2, 0.3, 0.4)
"""Noise rates measured; the grid extends, in steps of 0.1, to a scenario's noisiest labels."""
REFERENCE_REPEATS = 5
RESAMPLES = 400
"""Bootstrap refits behind every band."""
MIX_STEPS = 11
"""Plans tried between all-new and all-review: 0%, 10% ... 100% of the budget on review."""
DEFAULT_CLASSES = 10
CURVE_CLAIM = "assume-curves"

Recommendation = Literal["clean", "collect", "mix"]


def _assumption(key: str) -> float:
    """A figure of the calculator's stated assumptions (:data:`CURVE_CLAIM`), as a fraction."""
    from tradeoffs.evidence import value

    return float(value(f"{CURVE_CLAIM}.{key}")) / 100


def ceiling_margin() -> float:
    """How far above the best measured accuracy a fitted ceiling may go."""
    return _assumption("ceiling_margin_points")


def detector_floor() -> float:
    """Out-of-sample accuracy below which a detector's noise estimate is flagged."""
    return _assumption("detector_accuracy_floor_percent")


# --- The reference curves ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """The measured curves and the fitted surface that predicts every plan."""

    dataset: str
    classes: int
    noise: Noise
    points: tuple[CurvePoint, ...]
    surface: Surface
    repeats: int
    train_size: int
    test_size: int

    def predict(self, n: float, noise_rate: float) -> float:
        return self.surface.predict(n, noise_rate)

    def band(self, n: float, noise_rate: float) -> tuple[float, float]:
        return self.surface.band(n, noise_rate)


def _grid(points: Sequence[CurvePoint], sizes: Sequence[int], rates: Sequence[float]) -> Any:
    """Accuracy as rates x repeats x sizes."""
    repeats = 1 + max(p.repeat for p in points)
    grid = np.full((len(rates), repeats, len(sizes)), np.nan)
    for p in points:
        grid[rates.index(p.noise_rate), p.repeat, sizes.index(p.n)] = p.accuracy
    return grid


@single_threaded
def build_reference(
    data: Dataset,
    noise: Noise | None = None,
    rates: tuple[float, ...] = REFERENCE_RATES,
    seed: int = 0,
    repeats: int = REFERENCE_REPEATS,
) -> Reference:
    """Measure learning curves on ``data`` with ``noise`` and fit the surface."""
    noise = noise or Noise.uniform(data.n_classes)
    sizes = (*REFERENCE_SIZES, len(data.y_train))
    points = learning_curves(data, sizes, rates, (noise,), repeats, seed)
    surface = fit_surface(
        sizes, rates, _grid(points, sizes, rates), ceiling_margin(), RESAMPLES, seed
    )
    return Reference(
        data.name,
        data.n_classes,
        noise,
        tuple(points),
        surface,
        repeats,
        len(data.y_train),
        len(data.y_test),
    )


def reference(
    seed: int = 0,
    classes: int = DEFAULT_CLASSES,
    noise: Noise | None = None,
    rates: tuple[float, ...] = REFERENCE_RATES,
) -> Reference:
    """The reference curves on scikit-learn's digits as ``classes`` classes, with ``noise``
    (uniform unless given), measured once per process."""
    return _measured(seed, classes, noise or Noise.uniform(classes), tuple(map(float, rates)))


@cache
def _measured(seed: int, classes: int, noise: Noise, rates: tuple[float, ...]) -> Reference:
    from tradeoffs._noise import digits

    return build_reference(digits(seed, classes), noise, rates, seed)


def rates_for(noise: Noise, noisiest: float) -> tuple[float, ...]:
    """The noise rates to measure: 0 to 40% in steps of 10 points, further in the same steps
    up to ``noisiest``, and never past what the noise pattern allows."""
    top = max(0.4, math.ceil(round(noisiest * 10, 9)) / 10)
    if top >= 1 or top > noise.max_rate:
        top = max(noisiest, min(0.4, noise.max_rate))
    steps = [round(k / 10, 10) for k in range(int(top * 10) + 1) if k / 10 < top - 1e-9]
    return (*steps, top)


# --- The calculator ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NoiseMatrix:
    """A K x K confusion matrix of your labels: row c, the share of class c's examples
    labelled as each class (its diagonal, the share labelled correctly)."""

    rows: tuple[tuple[float, ...], ...]

    def text(self) -> str:
        """The matrix inline, rows separated by semicolons: it reads back as an input."""
        return "; ".join(", ".join(f"{v:.6g}" for v in row) for row in self.rows)


MATRIX_SUM_TOLERANCE = 0.001
"""A matrix saved with a few decimals still has rows that sum to 1 within this."""


def _matrix_cells(name: str, raw: object) -> tuple[list[list[str]], str]:
    """The cells of a matrix given as a CSV file or inline (``0.9,0.1;0.2,0.8``), with how
    to name it in a message."""
    import csv
    import io

    text = str(raw)
    if text.strip().lower().endswith(".csv"):
        from tradeoffs._files import read_text

        path, content = read_text(name, raw)
        rows = [
            r for r in csv.reader(io.StringIO(content, newline="")) if any(c.strip() for c in r)
        ]
        if rows and not any(_number(c) is not None for c in rows[0]):
            rows = rows[1:]  # a header row of class names
        return rows, f"'{path}'"
    rows = [part.split(",") for part in text.split(";") if part.strip()]
    return rows, repr(text)


def _number(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _matrix_text(name: str, raw: object) -> str:
    """A matrix as the text a reader types: a file name, inline rows, or (from Python) rows of
    numbers or a :class:`NoiseMatrix`."""
    if isinstance(raw, NoiseMatrix):
        return raw.text()
    if isinstance(raw, str):
        return raw
    rows = raw.tolist() if isinstance(raw, np.ndarray) else raw
    if isinstance(rows, list | tuple) and all(isinstance(r, list | tuple) for r in rows):
        return "; ".join(", ".join(str(v) for v in row) for row in rows)
    raise InvalidParameterError(
        f"{name} must be a CSV file of the confusion matrix, or its rows as 'a,b;c,d'; got {raw!r}."
    )


def read_noise_matrix(name: str, raw: object) -> NoiseMatrix:
    """A validated confusion matrix: square, 2 to 10 classes, shares in [0, 1], each row
    summing to 1; a message names the file (or the text), the row and the column."""
    rows, where = _matrix_cells(name, _matrix_text(name, raw))
    low, high = DIGITS_CLASSES
    if not low <= len(rows) <= high or any(len(r) != len(rows) for r in rows):
        raise InvalidParameterError(
            f"{name} must be a square matrix of {low} to {high} classes (one row and one "
            f"column per class); {where} has rows of {sorted({len(r) for r in rows})} values "
            f"and {len(rows)} rows."
        )
    values = []
    for i, row in enumerate(rows, start=1):
        numbers = []
        for j, cell in enumerate(row, start=1):
            v = _number(cell.strip())
            if v is None or not 0 <= v <= 1:
                raise InvalidParameterError(
                    f"{name} must hold shares in [0, 1]; {where}, row {i}, column {j} is "
                    f"{cell.strip()!r}."
                )
            numbers.append(v)
        if abs(math.fsum(numbers) - 1) > MATRIX_SUM_TOLERANCE:
            raise InvalidParameterError(
                f"{name} must have rows that sum to 1 (within {MATRIX_SUM_TOLERANCE}); {where}, "
                f"row {i} sums to {math.fsum(numbers):.6g}."
            )
        values.append(tuple(numbers))
    if all(values[i][i] >= 1 - 1e-12 for i in range(len(values))):
        raise InvalidParameterError(
            f"{name} must have some wrong labels off its diagonal; {where} has none "
            "(for clean labels, give a noise rate of 0 instead)."
        )
    return NoiseMatrix(tuple(values))


def _from_matrix(
    when_none: Callable[[Mapping[str, Any]], tuple[Any, Origin]],
    when_matrix: Callable[[NoiseMatrix], tuple[Any, Origin]],
) -> Callable[[Mapping[str, Any]], tuple[Any, Origin]]:
    """A default read from the noise matrix when one is given, else ``when_none``."""

    def compute(values: Mapping[str, Any]) -> tuple[Any, Origin]:
        matrix = values.get("noise_matrix")
        return when_none(values) if matrix is None else when_matrix(matrix)

    return compute


def _matrix_rate(matrix: NoiseMatrix) -> tuple[Any, Origin]:
    rate = Noise.from_matrix(np.array(matrix.rows))[1]
    return round(rate, 6), Origin(note="the noise matrix's own rate (classes equally frequent)")


def _the_noise_rate(note: str) -> Callable[[Mapping[str, Any]], tuple[Any, Origin]]:
    """A default equal to the noise rate declared before it, with what that assumes."""

    def compute(values: Mapping[str, Any]) -> tuple[Any, Origin]:
        return values["noise_rate"], Origin(note=note)

    return compute


NOISE_RATE_DEFAULT = FromRegistry("assume-labels.noise_rate_percent", divide_by=100)


class _RegistryOrMatrix(Derived):
    """The registry's noise rate, or a matrix's own; the help shows the registry's figure."""

    def describe(self) -> str:
        return f"{NOISE_RATE_DEFAULT.describe(SHARE)}; with --noise-matrix, its own rate"


MATRIX_FORMAT = Format(lambda m: m.text(), lambda m: m.text())
"""The matrix inline in every output, so that a record holds it and can be recomputed."""

PARAMS: tuple[Param, ...] = (
    Param(
        "labels",
        "Labelled examples",
        whole(1, 1_000_000_000),
        FromRegistry("assume-labels.labels"),
        "labelled examples you have (with --estimate-from: the CSV's rows)",
    ),
    Param(
        "noise_matrix",
        "Confusion matrix of the labels",
        Custom(
            "a CSV of K rows of K shares: row c, how often class c is labelled as each class",
            read_noise_matrix,
            bad=("/no/such/matrix.csv", "0.5,0.6;0.1,0.9"),
        ),
        Fixed(None, "none: uniform or pair noise"),
        "your labels' K x K confusion matrix (row: true class, column: label; rows sum to 1), "
        "as a CSV file; sets --noise-type matrix, --classes and the noise rate",
        fmt=MATRIX_FORMAT,
        metavar="FILE.csv",
    ),
    Param(
        "classes",
        "Classes",
        whole(*DIGITS_CLASSES),
        Derived(
            f"{DEFAULT_CLASSES}, or the size of --noise-matrix",
            _from_matrix(
                lambda _: (DEFAULT_CLASSES, Origin(note="handbook default: the ten digits")),
                lambda m: (len(m.rows), Origin(note="the size of the noise matrix")),
            ),
        ),
        "classes of your task; the reference digits are grouped into as many (digit mod K)",
    ),
    Param(
        "noise_type",
        "Kind of noise",
        Choice(NOISE_KINDS),
        Derived(
            "uniform, or matrix with --noise-matrix",
            _from_matrix(
                lambda _: ("uniform", Origin(note="handbook default: mistakes spread evenly")),
                lambda _: ("matrix", Origin(note="the noise matrix given")),
            ),
        ),
        "uniform: a wrong label is any other class; pair: class c's wrong labels are all "
        "class c + 1; matrix: the pattern of --noise-matrix",
        fmt=TEXT,
        metavar="KIND",
    ),
    Param(
        "noise_rate",
        "Estimated noise rate",
        between(0, 1, high_open=True),
        _RegistryOrMatrix(
            "the registry's assumption, or the rate of --noise-matrix",
            _from_matrix(NOISE_RATE_DEFAULT.resolve, _matrix_rate),
        ),
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
        "share of reviewed labels that are wrong, e.g. a detector's precision (set by "
        "--estimate-from); at least the noise rate",
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
    Param(
        "detector_accuracy",
        "Out-of-sample accuracy behind the noise estimate",
        between(0, 1),
        Fixed(None, "none: the noise rate was not estimated by a model"),
        "accuracy, on labels it did not train on, of the model whose probabilities estimated "
        "the noise (set by --estimate-from); below the floor in assume-curves the estimate "
        "is flagged as unreliable",
        fmt=SHARE,
    ),
)
"""Every input, declared once: the command's options, validation and the record read it."""


@dataclass(frozen=True)
class Scenario:
    """Every input of the calculator (see :data:`PARAMS`); build one with :func:`scenario`,
    which validates and fills defaults; the constructor does not."""

    labels: int
    noise_matrix: NoiseMatrix | None
    classes: int
    noise_type: NoiseKind
    noise_rate: Decimal
    budget_usd: Decimal
    new_label_usd: Decimal
    review_label_usd: Decimal
    review_hit_rate: Decimal
    """Share of reviewed labels that turn out to be wrong: the noise rate when review picks
    labels at random, higher when a detector such as cleanlab ranks them first."""
    new_label_noise: Decimal
    detector_accuracy: Decimal | None
    inputs: Inputs = field(compare=False, repr=False)

    @property
    def noise(self) -> Noise:
        """The pattern of mistakes, at any rate."""
        if self.noise_matrix is None:
            return Noise.of(self.noise_type, self.classes)
        return Noise.from_matrix(np.array(self.noise_matrix.rows))[0]

    @property
    def noisiest(self) -> float:
        return float(max(self.noise_rate, self.new_label_noise))


def _check_noise(inputs: Inputs) -> None:
    """The noise inputs agree: a matrix with the matrix type, of the stated size, and rates
    its pattern can reach."""
    kind, matrix, classes = inputs["noise_type"], inputs["noise_matrix"], inputs["classes"]
    if kind == "matrix" and matrix is None:
        raise InvalidParameterError(
            "noise_type matrix needs noise_matrix, a CSV of the K x K confusion matrix; got none."
        )
    if kind != "matrix" and matrix is not None:
        raise InvalidParameterError(
            f"noise_matrix must come with noise_type matrix; got noise_type {kind!r}."
        )
    if matrix is not None and len(matrix.rows) != classes:
        raise InvalidParameterError(
            f"classes must be {len(matrix.rows)} to match noise_matrix "
            f"({len(matrix.rows)} x {len(matrix.rows)}); got {inputs.given.get('classes')!r}."
        )
    if matrix is not None:
        limit = Noise.from_matrix(np.array(matrix.rows))[0].max_rate
        for name in ("noise_rate", "new_label_noise"):
            if float(inputs[name]) > limit + 1e-9:
                raise InvalidParameterError(
                    f"{name} must be at most {limit:.4g} with this noise matrix (beyond it a "
                    f"class would keep no correct label); got {inputs.given.get(name)!r}."
                )


def _build(inputs: Inputs) -> Scenario:
    _check_noise(inputs)
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
    current ones; with a ``noise_matrix``, the kind of noise, the classes and the noise rate
    are read from it.
    """
    return SPEC.scenario(**inputs)


def reference_for(s: Scenario, seed: int = 0) -> Reference:
    """The reference curves a scenario needs: its classes, its noise, its noisiest rate."""
    noise = s.noise
    return reference(seed, s.classes, noise, rates_for(noise, s.noisiest))


@dataclass(frozen=True)
class Plan:
    name: str
    review_share: float
    new_labels: int
    reviewed_labels: int
    labels_after: int
    noise_after: float
    cost_usd: Decimal
    expected_accuracy: float
    accuracy_low: float
    accuracy_high: float

    @property
    def kind(self) -> Recommendation:
        return "collect" if self.review_share == 0 else "clean" if self.review_share == 1 else "mix"


def plan(s: Scenario, step: int, ref: Reference) -> Plan:
    """Spend ``step`` tenths of the budget on reviews and the rest on new labels.

    Reviews stop at the labels that exist: a review budget beyond them is not spent (the
    plan costs less), never paid for twice."""
    review_share = Decimal(step) / (MIX_STEPS - 1)
    review_budget = s.budget_usd * review_share
    reviewed = min(s.labels, int(review_budget / s.review_label_usd))
    new = int((s.budget_usd - review_budget) / s.new_label_usd)
    wrong_now = float(s.noise_rate) * s.labels
    fixed = min(wrong_now, reviewed * float(s.review_hit_rate))
    total = s.labels + new
    noise_after = max(0.0, (wrong_now - fixed + new * float(s.new_label_noise)) / total)
    low, high = ref.band(total, noise_after)
    name = (
        "all review"
        if step == MIX_STEPS - 1
        else "all new labels"
        if step == 0
        else f"{round(float(review_share) * 100)}% review"
    )
    return Plan(
        name,
        float(review_share),
        new,
        reviewed,
        total,
        noise_after,
        reviewed * s.review_label_usd + new * s.new_label_usd,
        ref.predict(total, noise_after),
        low,
        high,
    )


RULES: dict[str, Rule] = rules(SLUG)
"""The page's numbered rules (titles in ``data/rules.toml``)."""
RULE_OF: dict[Recommendation, str] = {"collect": "DQ-1", "clean": "DQ-2", "mix": "DQ-6"}


@dataclass(frozen=True)
class Decision:
    scenario: Scenario
    plans: tuple[Plan, ...]
    best: Plan
    """The highest centre prediction."""
    chosen: Plan
    """The plan recommended: the best when it wins, else the cheaper of the two compared."""
    compared: Plan | None
    """The plan the best was compared with: the runner-up, or the cheapest plan within the
    best one's band (None when every plan is the same)."""
    measurable: bool
    """Whether the best plan's band clears every other plan's."""
    recommendation: Recommendation
    rule: Rule
    reason: str
    reference: Reference
    warnings: tuple[str, ...] = ()


def _bands(p: Plan) -> str:
    return f"{p.expected_accuracy:.1%}, band {p.accuracy_low:.1%}–{p.accuracy_high:.1%}"


def _rank(p: Plan) -> tuple[float, Decimal, float]:
    """Higher prediction first, read to the tenth of a point a reader sees; then cheaper;
    then fewer reviews (new labels also serve the next model)."""
    return round(p.expected_accuracy, 3), -p.cost_usd, -p.review_share


@dataclass(frozen=True)
class _Pick:
    best: Plan
    compared: Plan | None
    measurable: bool
    within: int
    """Plans whose band reaches the best one's, the best included."""


def _pick(plans: Sequence[Plan]) -> _Pick:
    """The best plan, the one it is compared with, and whether the best clears every other
    band. Within the best's band the cheapest plan is the comparison when it costs less."""
    best = max(plans, key=_rank)
    others = [p for p in plans if p is not best]
    distinct = [
        p
        for p in others
        if (p.new_labels, p.reviewed_labels) != (best.new_labels, best.reviewed_labels)
    ]
    if not distinct:
        return _Pick(best, None, False, len(plans))
    if best.accuracy_low > max(p.accuracy_high for p in others):
        return _Pick(best, max(others, key=_rank), True, 1)
    within = [p for p in distinct if p.accuracy_high >= best.accuracy_low]
    cheapest = min(within, key=lambda p: (p.cost_usd, -p.expected_accuracy))
    compared = cheapest if cheapest.cost_usd < best.cost_usd else max(within, key=_rank)
    return _Pick(best, compared, False, 1 + len(within))


def _costs(best: Plan, compared: Plan) -> tuple[Plan, str]:
    """The cheaper of two plans the bands cannot separate, and the sentence that says so."""
    if compared.cost_usd == best.cost_usd:
        if round(best.expected_accuracy, 3) == round(compared.expected_accuracy, 3):
            return best, (
                f"They cost the same ({usd(best.cost_usd)}) and predict the same to a tenth of "
                f"a point; '{best.name}' reviews less and buys more new labels, which also "
                "serve the next model."
            )
        return best, f"Both cost {usd(best.cost_usd)}; '{best.name}' has the higher centre."
    cheaper = compared if compared.cost_usd < best.cost_usd else best
    other = best if cheaper is compared else compared
    also = "" if cheaper is compared else "also "
    return cheaper, (
        f"'{cheaper.name}' is {also}the cheaper: {usd(cheaper.cost_usd)} against "
        f"{usd(other.cost_usd)}."
    )


def _reason(s: Scenario, pick: _Pick, plans: int) -> tuple[Plan, str]:
    """The plan to recommend and why, in words."""
    best, compared = pick.best, pick.compared
    setting = (
        f"With {plain(s.labels)} labels at {share(s.noise_rate)} noise and {usd(s.budget_usd)}"
    )
    if compared is None:
        return best, f"{setting}, every plan buys the same labels ({_bands(best)})."
    if pick.measurable:
        return best, (
            f"{setting}, '{best.name}' predicts the most ({_bands(best)}), clear of every other "
            f"plan's band; the runner-up is '{compared.name}' ({_bands(compared)})."
        )
    chosen, cost = _costs(best, compared)
    return chosen, (
        f"{setting}: no measurable difference between '{best.name}' ({_bands(best)}) and "
        f"'{compared.name}' ({_bands(compared)}): pilot both on your data. {cost} "
        f"{pick.within} of {plans} plans are within the best one's band."
    )


def _warnings(s: Scenario, ref: Reference, plans: Sequence[Plan]) -> tuple[str, ...]:
    """What the reader must know before trusting the numbers."""
    out = []
    accuracy = s.detector_accuracy
    if accuracy is not None and float(accuracy) < detector_floor():
        out.append(
            f"The noise estimate is unreliable: the model behind it agrees with only "
            f"{share(accuracy)} of the labels out of sample, below the {detector_floor():.0%} "
            f"floor ({CURVE_CLAIM}); it flags its own mistakes as wrong labels, so the noise "
            "rate and the precision of its flags (the review hit rate) may both be far off. "
            "Relabel a "
            "random sample to measure the noise (DQ-1)."
        )
    largest = max(p.labels_after for p in plans)
    if largest > ref.surface.sizes[-1]:
        out.append(
            f"Plans reach {largest:,} labels, beyond the {ref.surface.sizes[-1]:,} measured: "
            "their predictions are extrapolated, and their bands widen."
        )
    return tuple(out)


@takes(Scenario, "scenario()")
@exact
def decide(s: Scenario, ref: Reference | None = None) -> Decision:
    """Try every mix from all-new to all-review; the best wins only when its band clears the
    others', otherwise the cheaper of the two compared is named (ties: the higher centre)."""
    reference_ = ref or reference_for(s)
    if reference_.classes != s.classes or reference_.noise != s.noise:
        raise InvalidParameterError(
            f"decide() needs reference curves for {s.classes} classes with {s.noise_type} "
            f"noise; got {reference_.classes} classes with {reference_.noise.kind} noise "
            "(use reference_for(scenario))."
        )
    if reference_.surface.rates[-1] < s.noisiest - 1e-9:
        raise InvalidParameterError(
            f"decide() needs reference curves measured up to {s.noisiest:.0%} noise; these "
            f"stop at {reference_.surface.rates[-1]:.0%} (use reference_for(scenario))."
        )
    plans = tuple(plan(s, i, reference_) for i in range(MIX_STEPS))
    pick = _pick(plans)
    chosen, reason = _reason(s, pick, len(plans))
    if s.noise_rate == 0:  # a review fixes nothing: every review plan wastes its reviews
        chosen = plans[0]
        reason = (
            f"With {plain(s.labels)} labels at {share(s.noise_rate)} noise, no label is wrong, "
            f"so a review fixes nothing: spend {usd(s.budget_usd)} on new labels "
            f"({_bands(chosen)})."
        )
    recommendation = chosen.kind
    return Decision(
        s,
        plans,
        pick.best,
        chosen,
        pick.compared,
        pick.measurable,
        recommendation,
        RULES[RULE_OF[recommendation]],
        reason,
        reference_,
        _warnings(s, reference_, plans),
    )


# --- Estimating the noise rate from a file of labels ------------------------------------------


@dataclass(frozen=True)
class NoiseEstimate:
    """What confident learning (cleanlab) finds in a file of labels and probabilities."""

    rows: int
    classes: int
    flagged: int
    noise_rate: float
    """Share of labels flagged as likely wrong: cleanlab's estimate of the noise rate."""
    precision: float
    """Estimated share of flagged labels that are wrong: the mean, over flagged labels, of
    the model's probability that the given label is not the true one."""
    model_accuracy: float
    """How often the model's most likely class is the given label, out of sample: below
    :func:`detector_floor` the estimate is not to be trusted."""


@single_threaded
def estimate_noise(
    labels: Sequence[int], probabilities: Sequence[Sequence[float]]
) -> NoiseEstimate:
    """cleanlab's estimate of the noise from out-of-sample probabilities, with the two numbers
    that say whether to trust it and how often a review of its flags finds a wrong label."""
    from tradeoffs._noise import quiet_cleanlab

    find_label_issues = quiet_cleanlab()

    y = np.asarray(labels)
    p = np.asarray(probabilities, dtype=float)
    with warnings.catch_warnings():  # "too few examples in class k": the estimate says so
        warnings.simplefilter("ignore", UserWarning)
        flagged = find_label_issues(y, p)
    given = p[np.arange(len(y)), y]
    precision = float(np.mean(1.0 - given[flagged])) if flagged.any() else 0.0
    return NoiseEstimate(
        rows=len(y),
        classes=p.shape[1],
        flagged=int(flagged.sum()),
        noise_rate=float(np.mean(flagged)),
        precision=precision,
        model_accuracy=float(np.mean(np.argmax(p, axis=1) == y)),
    )


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
    given) its rows as the labelled examples, its columns as the classes, the estimated
    precision of its flags as the review hit rate and the model's accuracy as a check."""
    if "noise_rate" in given:
        raise InvalidParameterError(
            "noise_rate must not be given with estimate_from, which estimates it; got both."
        )
    path = Path(str(raw))
    labels, probabilities = read_label_csv(path)
    try:
        found = estimate_noise(labels, probabilities)
    except (ValueError, IndexError) as exc:
        raise InvalidParameterError(
            f"estimate_from must hold labels and probabilities cleanlab can read; "
            f"'{path}' gives: {exc}."
        ) from None
    if found.noise_rate >= 1:
        raise InvalidParameterError(
            f"estimate_from must hold labels cleanlab does not flag all as wrong; "
            f"it flags every row of '{path}'."
        )
    low, high = DIGITS_CLASSES
    if "classes" not in given and not low <= found.classes <= high:
        raise InvalidParameterError(
            f"estimate_from must have {low} to {high} classes for the reference data, or "
            f"come with classes; '{path}' has {found.classes}."
        )
    name = path.name
    given["noise_rate"] = Noted(
        found.noise_rate,
        f"cleanlab's estimate from {name}: {found.flagged:,} of {found.rows:,} labels flagged",
    )
    given.setdefault("labels", Noted(found.rows, f"rows of {name}"))
    given.setdefault("classes", Noted(found.classes, f"probability columns of {name}"))
    given.setdefault(
        "review_hit_rate",
        Noted(
            max(found.precision, found.noise_rate),
            f"cleanlab's estimated precision of its flags in {name} (at least the noise rate)",
        ),
    )
    given.setdefault(
        "detector_accuracy",
        Noted(found.model_accuracy, f"the model's out-of-sample accuracy on {name}"),
    )


ESTIMATE_FROM = CliHook(
    "estimate_from",
    "estimate the noise rate with cleanlab from a CSV of labels ('label') and out-of-sample "
    "class probabilities (one column per class); also sets the classes, the review hit rate "
    "(the estimated precision of cleanlab's flags) and the model's accuracy, which warns "
    "below its floor",
    _estimate_from,
)
"""``--estimate-from FILE.csv``: fills ``noise_rate`` (and more) from a file."""


# --- The decision record ----------------------------------------------------------------------


def _roles(p: Plan, d: Decision) -> str:
    roles = []
    if p is d.chosen:
        roles.append("recommended")
    if p is d.best:
        roles.append("highest prediction")
    if p is d.compared:
        roles.append("compared")
    return ", ".join(roles) or "for comparison"


def _plan_text(p: Plan, d: Decision) -> str:
    s = d.scenario
    every = " (every label)" if p.reviewed_labels == s.labels and p.reviewed_labels else ""
    left = s.budget_usd - p.cost_usd
    unspent = f", {usd(left)} unspent" if left >= min(s.new_label_usd, s.review_label_usd) else ""
    return (
        f"{_bands(p)}; {p.new_labels:,} new, {p.reviewed_labels:,} reviewed{every}; "
        f"{usd(p.cost_usd)}{unspent}"
    )


def _plan_result(
    key: str, pick: Callable[[Decision], Plan], when: Callable[[Decision], bool] | None
) -> Result[Decision]:
    """One plan's expected accuracy, with its band, what it buys and what it costs."""
    return Result(
        key,
        lambda d: f"{pick(d).name} ({_roles(pick(d), d)})",
        lambda d: round(pick(d).expected_accuracy, 4),
        shown=lambda d: _plan_text(pick(d), d),
        when=when,
    )


def _partner(d: Decision) -> Plan:
    """The other plan of the comparison: the best when a cheaper one was recommended."""
    return d.best if d.chosen is not d.best else d.compared or d.best


def assumptions(d: Decision) -> dict[str, str]:
    """What the prediction assumes, in words: every output states it."""
    ref, s = d.reference, d.scenario
    surf = ref.surface
    sizes = f"{surf.sizes[0]:,}–{surf.sizes[-1]:,}"
    return {
        "reference_data": (
            f"{ref.dataset}: {ref.train_size:,} training and {ref.test_size:,} test images; "
            f"logistic regression; {ref.repeats} draws per point"
        ),
        "noise_model": (
            f"{s.noise.describe()}; reviews correct the wrong labels they find, new labels "
            "have the same pattern at their own rate"
        ),
        "learning_curve": (
            f"a − b·n^−c per measured noise rate ({surf.rates[0]:.0%}–{surf.rates[-1]:.0%}), "
            f"linear between, never better with more noise; ceiling a at most "
            f"{surf.ceiling_bound:.1%} (best measured {surf.best_measured:.1%} + "
            f"{surf.margin * 100:g} points, {CURVE_CLAIM}); fitted ceiling without noise "
            f"{surf.ceilings[0]:.1%}{_pinned(surf)}"
        ),
        "band": (
            f"{BAND_LEVEL:.0%}: the middle of {RESAMPLES} refits on resampled draws "
            f"({surf.tail:.1%} left out each side, for {surf.repeats} draws), widened by the "
            f"curve's misfit; of the mean over training draws, not of one run; measured at "
            f"{sizes} labels, wider beyond"
        ),
    }


def _pinned(surf: Surface) -> str:
    """The rates whose ceiling the data could not place, said plainly."""
    if not surf.pinned:
        return ""
    rates = ", ".join(f"{r:.0%}" for r in surf.pinned)
    return (
        f"; at {rates} noise the ceiling sits at the bound (still rising), so a cleaner "
        "rate's limit applies"
    )


ASSUMPTION_LABELS = {
    "reference_data": "Assumed: reference data",
    "noise_model": "Assumed: noise",
    "learning_curve": "Assumed: learning curve",
    "band": "Assumed: band",
}


def _assumption_result(key: str, label: str) -> Result[Decision]:
    return Result(key, label, lambda d: assumptions(d)[key], fmt=TEXT)


RESULTS: tuple[Result[Decision], ...] = (
    _plan_result("expected_accuracy_all_new", lambda d: d.plans[0], None),
    _plan_result("expected_accuracy_all_review", lambda d: d.plans[-1], None),
    _plan_result(
        "expected_accuracy_recommended", lambda d: d.chosen, lambda d: d.chosen.kind == "mix"
    ),
    _plan_result(
        "expected_accuracy_compared",
        _partner,
        lambda d: _partner(d).kind == "mix" and _partner(d) is not d.chosen,
    ),
    *(_assumption_result(key, label) for key, label in ASSUMPTION_LABELS.items()),
)
"""Every output of the record, declared once: text table, JSON keys and Markdown rows. Each
plan appears once; the assumptions are rows of every output."""


def _plan_json(p: Plan) -> dict[str, object]:
    return {
        "name": p.name,
        "review_share": p.review_share,
        "new_labels": p.new_labels,
        "reviewed_labels": p.reviewed_labels,
        "labels_after": p.labels_after,
        "noise_after": round(p.noise_after, 4),
        "cost_usd": float(p.cost_usd),
        "expected_accuracy": round(p.expected_accuracy, 4),
        "accuracy_low": round(p.accuracy_low, 4),
        "accuracy_high": round(p.accuracy_high, 4),
    }


def _model_json(d: Decision) -> dict[str, object]:
    surf = d.reference.surface
    return {
        "dataset": d.reference.dataset,
        "classes": d.reference.classes,
        "noise_type": d.reference.noise.kind,
        "sizes": list(surf.sizes),
        "rates": list(surf.rates),
        "repeats": d.reference.repeats,
        "resamples": RESAMPLES,
        "band_level": BAND_LEVEL,
        "best_measured": round(surf.best_measured, 4),
        "ceiling_margin": round(surf.margin, 4),
        "ceiling_bound": round(surf.ceiling_bound, 4),
        "fitted_ceilings": [round(a, 4) for a in surf.ceilings],
        "limits": [round(a, 4) for a in surf.limits],
        "ceilings_at_bound": list(surf.pinned),
    }


@takes(Decision, "decide()")
def record(d: Decision) -> Record:
    """The decision as a :class:`~tradeoffs._record.Record` for the CLI and design reviews."""
    result: Record = SPEC.record(
        d,
        claims=("D1", "D2", "assume-labels", CURVE_CLAIM),
        reason=d.reason + f" Predicted on the reference curves ({d.reference.dataset}); use "
        "them to rank plans, not as a forecast of your model's accuracy.",
        warnings=d.warnings,
        json_extra={
            "plans": [_plan_json(p) for p in d.plans],
            "best_plan": d.best.name,
            "expected_accuracy_best": round(d.best.expected_accuracy, 4),
            "recommended_plan": d.chosen.name,
            "compared_plan": d.compared.name if d.compared else None,
            "measurable_difference": d.measurable,
            "model": _model_json(d),
        },
    )
    return result


def samples_for_accuracy(ref: Reference, target: float, noise_rate: float) -> float | None:
    """Training examples needed to reach ``target`` at ``noise_rate`` (None: unreachable)."""
    return ref.surface.samples_for(target, noise_rate)


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

"""Label-noise experiments on data that ships with scikit-learn: nothing is downloaded.

Noise is injected at an *exact* rate, so an experiment's "20% noise" is 20% of the labels,
not 20% in expectation. Every function takes a seed; the same seed gives the same result.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

import numpy as np
import numpy.typing as npt

NoiseKind = Literal["uniform", "pair", "matrix"]
NOISE_KINDS: tuple[NoiseKind, ...] = ("uniform", "pair", "matrix")
IntArray = npt.NDArray[np.int_]
FloatArray = npt.NDArray[np.float64]


F = TypeVar("F", bound=Callable[..., Any])


def quiet_cleanlab() -> Any:
    """cleanlab's ``find_label_issues``, imported without the warning tqdm prints in a
    notebook without ipywidgets ("IProgress not found"): no progress bar is shown anyway,
    and the warning would print the machine's paths into every executed notebook."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        from cleanlab.filter import find_label_issues
    return find_label_issues


def single_threaded(function: F) -> F:
    """Run ``function`` with one BLAS/OpenMP thread.

    The experiments fit hundreds of small models; on a laptop's few cores the numeric
    libraries' thread pools fight over them, and a 4-second experiment takes 40 (measured on
    2 CPUs). One thread per fit is faster, whatever the reader's environment says. Every
    entry point that fits models (curves, plans, cleanlab) is wrapped, so the command and the
    notebooks need no thread variables."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return function(*args, **kwargs)

    return cast(F, wrapper)


def _check_rate(rate: float) -> None:
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"rate must be in [0, 1); got {rate!r}.")


@dataclass(frozen=True)
class Noise:
    """How wrong labels are arranged, at any noise rate.

    ``transition(rate)`` is ``I + rate * direction``: row c holds the chance that an example
    of class c carries each label. One direction serves every rate, so that reviews (which
    lower the rate) and new labels (at their own rate) keep the same pattern of mistakes.
    """

    kind: NoiseKind
    direction: tuple[tuple[float, ...], ...]

    @property
    def n_classes(self) -> int:
        return len(self.direction)

    @classmethod
    def uniform(cls, n_classes: int) -> Noise:
        """A wrong label is any other class, each as likely."""
        k = n_classes
        rows = tuple(tuple(-1.0 if i == j else 1 / (k - 1) for j in range(k)) for i in range(k))
        return cls("uniform", rows)

    @classmethod
    def pair(cls, n_classes: int) -> Noise:
        """Every wrong label of class c is the next class, c + 1 (mod K): a fixed confusion."""
        k = n_classes
        rows = tuple(
            tuple(-1.0 if j == i else 1.0 if j == (i + 1) % k else 0.0 for j in range(k))
            for i in range(k)
        )
        return cls("pair", rows)

    @classmethod
    def of(cls, kind: NoiseKind, n_classes: int) -> Noise:
        if kind == "uniform":
            return cls.uniform(n_classes)
        if kind == "pair":
            return cls.pair(n_classes)
        raise ValueError("a matrix noise is made with Noise.from_matrix(matrix)")

    @classmethod
    def from_matrix(cls, matrix: FloatArray) -> tuple[Noise, float]:
        """The pattern of a K x K row-stochastic confusion matrix (row: true class, column:
        label) and its own noise rate, the mean share of wrong labels over the classes (taken
        as equally frequent)."""
        m = np.asarray(matrix, dtype=float)
        rate = float(np.mean(1.0 - np.diag(m)))
        if rate <= 0:
            raise ValueError("the matrix has no wrong labels: its diagonal is all ones")
        direction = (m - np.eye(len(m))) / rate
        rows = tuple(tuple(float(v) for v in row) for row in direction)
        return cls("matrix", rows), rate

    def transition(self, rate: float) -> FloatArray:
        d = np.array(self.direction, dtype=float)
        out: FloatArray = np.eye(len(d)) + rate * d
        return out

    @property
    def max_rate(self) -> float:
        """The highest noise rate this pattern reaches before a class would keep no correct
        label (below 1)."""
        worst = float(np.max(-np.diag(np.array(self.direction))))
        return min(1.0 / worst, 1.0) if worst > 0 else 1.0

    def describe(self) -> str:
        if self.kind == "uniform":
            return "uniform: a wrong label is any other class, each as likely"
        if self.kind == "pair":
            return "pair: every wrong label of a class is the next class (c to c + 1 mod K)"
        return (
            "matrix: the given confusion matrix's pattern of mistakes, scaled to each noise "
            "rate (classes taken as equally frequent)"
        )


def inject_uniform(labels: IntArray, rate: float, n_classes: int, seed: int) -> IntArray:
    """Flip exactly round(rate x n) labels, each to a different class chosen at random."""
    _check_rate(rate)
    rng = np.random.default_rng(seed)
    noisy = labels.copy()
    flip = rng.choice(len(labels), size=round(rate * len(labels)), replace=False)
    shift = rng.integers(1, n_classes, size=len(flip))  # never 0: the label always changes
    noisy[flip] = (labels[flip] + shift) % n_classes
    return noisy


def inject_pair(labels: IntArray, rate: float, n_classes: int, seed: int) -> IntArray:
    """Class-conditional ("pair") noise: in every class, exactly round(rate x class size)
    labels are flipped to one fixed confusable class, the next one (c -> c + 1 mod K).

    Every mistake of a class points the same way, which is what makes this noise harmful:
    a model can learn the mistake as if it were the rule.
    """
    _check_rate(rate)
    rng = np.random.default_rng(seed)
    noisy = labels.copy()
    for c in range(n_classes):
        members = np.flatnonzero(labels == c)
        flip = rng.choice(members, size=round(rate * len(members)), replace=False)
        noisy[flip] = (c + 1) % n_classes
    return noisy


def inject_matrix(labels: IntArray, rate: float, noise: Noise, seed: int) -> IntArray:
    """Noise with a matrix's pattern: in every class c, exactly round(wrong share x class
    size) labels are flipped, each to a class drawn from the matrix's row c."""
    _check_rate(rate)
    if rate > noise.max_rate + 1e-12:
        raise ValueError(f"rate must be at most {noise.max_rate:.4g} for this matrix; got {rate}.")
    t = noise.transition(rate)
    rng = np.random.default_rng(seed)
    noisy = labels.copy()
    for c in range(noise.n_classes):
        members = np.flatnonzero(labels == c)
        wrong = max(0.0, 1.0 - t[c, c])
        flip = rng.choice(members, size=round(wrong * len(members)), replace=False)
        if len(flip):
            to = np.clip(t[c], 0.0, None)
            to[c] = 0.0
            noisy[flip] = rng.choice(noise.n_classes, size=len(flip), p=to / to.sum())
    return noisy


def inject(labels: IntArray, rate: float, noise: Noise, seed: int) -> IntArray:
    """Labels with exactly the noise ``rate`` (per class for pair and matrix noise)."""
    if noise.kind == "uniform":
        return inject_uniform(labels, rate, noise.n_classes, seed)
    if noise.kind == "pair":
        return inject_pair(labels, rate, noise.n_classes, seed)
    return inject_matrix(labels, rate, noise, seed)


@dataclass(frozen=True)
class Dataset:
    """A train/test split with clean labels; experiments corrupt only the training labels."""

    name: str
    x_train: FloatArray
    y_train: IntArray
    x_test: FloatArray
    y_test: IntArray
    n_classes: int


DIGITS_CLASSES = (2, 10)
"""The numbers of classes the digits can stand for: ten digits, grouped as digit mod K."""


def digits(seed: int = 0, n_classes: int = 10) -> Dataset:
    """scikit-learn's handwritten digits (1,797 images of 8x8 pixels), as ``n_classes``
    classes: the ten digits, or digit mod K (odd and even for two), so that a task of any
    size from two to ten classes is measured on the same real images."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    low, high = DIGITS_CLASSES
    if not low <= n_classes <= high:
        raise ValueError(f"n_classes must be in [{low}, {high}]; got {n_classes!r}.")
    x, digit = load_digits(return_X_y=True)
    y = digit % n_classes
    x_tr, x_te, y_tr, y_te = train_test_split(
        x / 16.0, y, test_size=0.25, random_state=seed, stratify=digit
    )
    name = "digits" if n_classes == 10 else f"digits as {n_classes} classes (digit mod {n_classes})"
    return Dataset(name, x_tr, y_tr, x_te, y_te, n_classes)


def synthetic(n_samples: int = 23_000, seed: int = 0) -> Dataset:
    """A larger, easy ten-class problem for experiments that need many examples."""
    from sklearn.datasets import make_classification
    from sklearn.model_selection import train_test_split

    x, y = make_classification(
        n_samples=n_samples,
        n_features=20,
        n_informative=12,
        n_classes=10,
        n_clusters_per_class=1,
        class_sep=2.0,
        random_state=seed,
    )
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=2_000, random_state=seed, stratify=y)
    return Dataset("synthetic", x_tr, y_tr, x_te, y_te, 10)


def model() -> Any:
    """The classifier every experiment trains: a logistic regression, fast and well behaved."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=300)


def accuracy(data: Dataset, x: FloatArray, y: IntArray) -> float:
    """Test accuracy, on the clean test labels, of the model trained on (x, y)."""
    return float(model().fit(x, y).score(data.x_test, data.y_test))


@dataclass(frozen=True)
class CurvePoint:
    kind: NoiseKind
    noise_rate: float
    n: int
    accuracy: float
    seed: int
    repeat: int = 0
    """Which draw of the experiment (0 .. repeats - 1): the unit a bootstrap resamples."""


@single_threaded
def learning_curves(
    data: Dataset,
    sizes: tuple[int, ...],
    rates: tuple[float, ...],
    noises: tuple[Noise | NoiseKind, ...] = ("uniform",),
    repeats: int = 3,
    seed: int = 0,
) -> list[CurvePoint]:
    """Test accuracy for every (noise, rate, training size, repeat).

    Each repeat draws its own subsample and its own noise, so the spread between repeats is
    the honest uncertainty of a curve measured at this size. A repeat's sizes are nested
    (the first 50 examples, then the first 100 ...), as a growing dataset is.
    """
    points = []
    for given in noises:
        noise = given if isinstance(given, Noise) else Noise.of(given, data.n_classes)
        for rate in rates:
            for r in range(repeats):
                s = seed * 1000 + r
                rng = np.random.default_rng(s)
                noisy = inject(data.y_train, rate, noise, s)
                order = rng.permutation(len(noisy))
                for n in sizes:
                    idx = order[:n]
                    score = accuracy(data, data.x_train[idx], noisy[idx])
                    points.append(CurvePoint(noise.kind, rate, n, score, s, r))
    return points


def review(
    noisy: IntArray, true: IntArray, reviewed: int, hit_rate: float, rng: np.random.Generator
) -> IntArray:
    """The labels after ``reviewed`` of them are checked, a share ``hit_rate`` of the checked
    ones being wrong (as many as exist); a wrong label that is checked is corrected."""
    wrong = np.flatnonzero(noisy != true)
    right = len(noisy) - len(wrong)
    hits = min(len(wrong), round(hit_rate * reviewed))
    hits = max(hits, min(len(wrong), reviewed - right))  # checking more than the right ones
    fixed = noisy.copy()
    pick = rng.choice(wrong, size=hits, replace=False)
    fixed[pick] = true[pick]
    return fixed


@dataclass(frozen=True)
class PlanTrial:
    """A labelling plan carried out on data: the labels it starts from and what it buys."""

    labels: int
    noise_rate: float
    reviewed: int
    hit_rate: float
    new: int
    new_noise: float


@single_threaded
def simulate_plan(
    data: Dataset, noise: Noise, trial: PlanTrial, repeats: int, seed: int = 0
) -> list[float]:
    """Test accuracy of a plan carried out ``repeats`` times: labels drawn with the noise,
    reviews that correct what they find, new labels with their own noise, then a model
    trained on the result. The direct experiment a learning-curve calculator is checked
    against: it assumes nothing about how noise and size trade."""
    if trial.labels + trial.new > len(data.y_train):
        raise ValueError(
            f"{data.name} has {len(data.y_train)} training examples; the plan needs "
            f"{trial.labels + trial.new}."
        )
    scores = []
    for r in range(repeats):
        s = seed * 1000 + r
        rng = np.random.default_rng(s)
        order = rng.permutation(len(data.y_train))
        have, extra = order[: trial.labels], order[trial.labels : trial.labels + trial.new]
        y_have = inject(data.y_train[have], trial.noise_rate, noise, s)
        y_have = review(y_have, data.y_train[have], trial.reviewed, trial.hit_rate, rng)
        y_new = inject(data.y_train[extra], trial.new_noise, noise, s + 500)
        x = np.concatenate([data.x_train[have], data.x_train[extra]])
        scores.append(accuracy(data, x, np.concatenate([y_have, y_new])))
    return scores


@dataclass(frozen=True)
class Detection:
    """How well confident learning found the injected errors, and what fixing them recovers."""

    flagged: int
    true_errors: int
    precision: float
    recall: float
    estimated_precision: float
    """The precision a reader without the truth can estimate: the mean, over flagged labels,
    of the model's probability that the given label is wrong."""
    model_accuracy: float
    """How often the model's out-of-fold prediction is the given (noisy) label."""
    accuracy_noisy: float
    accuracy_dropped: float
    accuracy_relabelled: float
    accuracy_clean: float


@single_threaded
def detect_with_cleanlab(data: Dataset, rate: float, seed: int = 0) -> Detection:
    """Inject uniform noise, find it with cleanlab on out-of-fold probabilities, and compare
    training on the noisy labels, on the labels with flagged items dropped, and with flagged
    items relabelled correctly (what a human review of them would do)."""
    find_label_issues = quiet_cleanlab()
    from sklearn.model_selection import cross_val_predict

    noisy = inject_uniform(data.y_train, rate, data.n_classes, seed)
    truly_wrong = noisy != data.y_train
    probs = cross_val_predict(model(), data.x_train, noisy, cv=3, method="predict_proba")
    flagged = find_label_issues(noisy, probs)
    hits = int(np.sum(flagged & truly_wrong))
    relabelled = np.where(flagged, data.y_train, noisy)
    given = probs[np.arange(len(noisy)), noisy]
    return Detection(
        flagged=int(flagged.sum()),
        true_errors=int(truly_wrong.sum()),
        precision=hits / max(1, int(flagged.sum())),
        recall=hits / max(1, int(truly_wrong.sum())),
        estimated_precision=float(np.mean(1.0 - given[flagged])) if flagged.any() else 0.0,
        model_accuracy=float(np.mean(np.argmax(probs, axis=1) == noisy)),
        accuracy_noisy=accuracy(data, data.x_train, noisy),
        accuracy_dropped=accuracy(data, data.x_train[~flagged], noisy[~flagged]),
        accuracy_relabelled=accuracy(data, data.x_train, relabelled),
        accuracy_clean=accuracy(data, data.x_train, data.y_train),
    )


@single_threaded
def dilution(
    data: Dataset, clean: int, ratios: tuple[int, ...], seed: int = 0
) -> list[tuple[int, float]]:
    """Accuracy when ``clean`` correctly labelled examples are joined by ``ratio`` times as
    many examples with random labels, the set-up of Rolnick et al. (D1)."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(data.y_train))
    x_clean, y_clean = data.x_train[order[:clean]], data.y_train[order[:clean]]
    out = []
    for ratio in ratios:
        extra = order[clean : clean + ratio * clean]
        if len(extra) < ratio * clean:
            raise ValueError(f"{data.name} has too few examples for {ratio} noisy per clean one")
        y_random = rng.integers(0, data.n_classes, size=len(extra))
        x = np.concatenate([x_clean, data.x_train[extra]])
        y = np.concatenate([y_clean, y_random])
        out.append((ratio, accuracy(data, x, y)))
    return out

"""One declared shape per trade-off: its inputs, its results and its rules, each declared once.

scikit-learn declares ``_parameter_constraints`` and validates every estimator from them;
jupytext declares its format table and reads it everywhere. This module does the same for the
handbook: a trade-off lists its inputs as :class:`Param` (name, label, format, default,
constraint, help), its outputs as :class:`Result` and its rules as :class:`Rule`, in one
:class:`Spec`. Validation, the command's options and help, the input rows of a decision record
with the claim each default came from, the playbooks' parameters table and the generated
bad-value tests all read the declaration; nothing is restated by hand.

Defaults are registry references where a source exists (``assume-capacity.peak_to_mean``),
literal handbook defaults where a choice must be made (``gpt-5.4-mini``), or derived from other
inputs (a GPU's price from its provider). A record cites the claim of every default it used and
says "given" only for what the caller gave.
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from functools import cache
from importlib import resources
from typing import Any, Generic, Protocol, TypeVar

from tradeoffs._errors import InvalidParameterError
from tradeoffs._money import exact

# --- Formats ----------------------------------------------------------------------------------


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Format:
    """How a value reads to a person (``show``) and what a record keeps of it (``keep``: the
    value rounded as an invoice would, for instance)."""

    show: Callable[[Any], str]
    keep: Callable[[Any], Any] = _same

    def text(self, value: Any) -> str:
        return "none" if value is None else self.show(value)

    def kept(self, value: Any) -> Any:
        return None if value is None else self.keep(value)


def _formatting() -> Any:
    from tradeoffs import formatting  # the registry's types; loaded only when a value is shown

    return formatting


def _cents(value: Any) -> Any:
    from tradeoffs._money import cents

    return cents(Decimal(value))


PLAIN = Format(lambda v: _formatting().plain(v))
"""A number without trailing zeros, with thousands separators: ``3,400.4``."""
USD = Format(lambda v: _formatting().usd(v))
"""Dollars to the cent: ``$1,000.00``."""
USD_CENTS = Format(lambda v: _formatting().usd(v), _cents)
"""Dollars to the cent, and kept rounded to the cent (a derived amount such as $3,846.15)."""
PRICE = Format(lambda v: _formatting().price(v))
"""A unit price keeping its finer digits: ``$0.075``."""
SHARE = Format(lambda v: _formatting().share(v))
"""A fraction as a percentage with one decimal: ``70.0%``."""
TEXT = Format(str)


def percent(decimals: int) -> Format:
    """A fraction held as a float, as a percentage with ``decimals`` decimals."""
    return Format(lambda v: f"{v:.{decimals}%}")


# --- Constraints ------------------------------------------------------------------------------


def _number_text(number: Decimal) -> str:
    """A bound as a reader types it back: ``1,000,000,000,000`` reads, ``1e12`` parses too."""
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return format(number.normalize(), "f")


RESOLUTION = Decimal("1e-12")
"""The finest step of any numeric input (a millionth of a millionth)."""


@dataclass(frozen=True)
class Interval:
    """A finite interval of numbers, optionally whole numbers only.

    Both ends are finite so that no input can overflow the arithmetic and every option has an
    "above range" value to test.
    """

    low: Decimal
    high: Decimal
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    def describe(self) -> str:
        kind = "a whole number" if self.integer else "a number"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"{kind} in {left}{_number_text(self.low)}, {_number_text(self.high)}{right}"

    def check(self, name: str, raw: object) -> Decimal | int:
        """``raw`` as a Decimal (an int for whole numbers), or a one-sentence refusal.

        Numbers are kept to :data:`RESOLUTION`: no input means anything finer, and a value such
        as 1e-400 would otherwise turn a division into a number no JSON reader can hold."""
        number = _as_decimal(raw)
        if number is not None and _finer_than_resolution(number):
            with localcontext() as exact:
                exact.prec = 60
                number = number.quantize(RESOLUTION)
            if not self.contains(number):
                raise InvalidParameterError(
                    f"{name} must be {self.describe()} (read to 12 decimal places); got {raw!r}."
                )
        if number is None or not self.contains(number):
            kind = "a finite number" if _is_non_finite(raw) else None
            described = (
                self.describe() if kind is None else self.describe().replace("a number", kind, 1)
            )
            raise InvalidParameterError(f"{name} must be {described}; got {raw!r}.")
        return int(number) if self.integer else number

    def contains(self, number: Decimal) -> bool:
        above_low = number > self.low if self.low_open else number >= self.low
        below_high = number < self.high if self.high_open else number <= self.high
        whole = not self.integer or number == number.to_integral_value()
        return above_low and below_high and whole

    def bad_values(self) -> tuple[str, ...]:
        """Values a caller could type that must be refused: below, above, not a number."""
        step = Decimal(1) if self.integer else max(abs(self.high - self.low) / 10, Decimal(1))
        below = self.low if self.low_open else self.low - step
        above = self.high if self.high_open else self.high + step
        values = [_number_text(below).replace(",", ""), _number_text(above).replace(",", "")]
        if self.integer and self.high - self.low >= 1:
            values.append(str(self.low + Decimal("0.5")))
        return (*values, "many", "nan", "inf", "-inf")


def _finer_than_resolution(number: Decimal) -> bool:
    exponent = number.as_tuple().exponent
    return isinstance(exponent, int) and exponent < -12


def _is_non_finite(raw: object) -> bool:
    text = str(raw).strip().lower().lstrip("+-")
    return text in ("nan", "inf", "infinity", "snan")


def _as_decimal(raw: object) -> Decimal | None:
    """An exact Decimal for numbers and numeric text; None for anything else or non-finite."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        return None
    if not isinstance(raw, int | float | Decimal | str):
        item = getattr(raw, "item", None)  # a NumPy scalar
        if not callable(item):
            return None
        raw = item()
        if not isinstance(raw, int | float) or isinstance(raw, bool):
            return None
    try:
        # str() first so that 0.1 becomes Decimal("0.1"), not its binary approximation.
        number = Decimal(str(raw).strip().replace("_", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def between(
    low: int | str | Decimal,
    high: int | str | Decimal,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> Interval:
    """A number in an interval: ``between(0, 1, low_open=True)`` is (0, 1]."""
    return Interval(Decimal(low), Decimal(high), low_open, high_open)


def whole(low: int, high: int) -> Interval:
    """A whole number in [low, high]."""
    return Interval(Decimal(low), Decimal(high), integer=True)


def positive(high: int | str | Decimal) -> Interval:
    """A number in (0, high]."""
    return between(0, high, low_open=True)


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of names."""

    options: tuple[str, ...]

    def describe(self) -> str:
        return f"one of {', '.join(self.options)}"

    def check(self, name: str, raw: object) -> str:
        if not isinstance(raw, str) or raw not in self.options:
            raise InvalidParameterError(f"{name} must be {self.describe()}; got {raw!r}.")
        return raw

    def bad_values(self) -> tuple[str, ...]:
        return ("no-such-choice",)


@dataclass(frozen=True)
class Text:
    """A non-empty name (a model id, say) that a lookup later checks against its catalogue."""

    meaning: str
    """What the text names, for the message: "a model id such as 'gpt-4o-mini'"."""
    optional: bool = False
    max_length: int = 200

    def describe(self) -> str:
        return self.meaning

    def check(self, name: str, raw: object) -> str | None:
        if raw is None and self.optional:
            return None
        if not isinstance(raw, str) or not raw.strip() or len(raw) > self.max_length:
            raise InvalidParameterError(f"{name} must be {self.meaning}; got {raw!r}.")
        return raw.strip()

    def bad_values(self) -> tuple[str, ...]:
        return ("",)


@dataclass(frozen=True)
class Custom:
    """An input with its own reader: a date, a file, a list of NAME=VALUE pairs."""

    meaning: str
    read: Callable[[str, object], Any]
    """``read(name, raw)`` returns the value or raises :class:`InvalidParameterError`."""
    bad: tuple[str, ...] = ()

    def describe(self) -> str:
        return self.meaning

    def check(self, name: str, raw: object) -> Any:
        return self.read(name, raw)

    def bad_values(self) -> tuple[str, ...]:
        return self.bad


Constraint = Interval | Choice | Text | Custom


# --- Defaults ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where an input's value came from: a registry claim, the caller, or a stated default."""

    claim: str = ""
    """The registry claim of a sourced default (cited and linked in records)."""
    note: str = "given"
    """Otherwise: "given", or what the default is ("handbook default", "genai-prices 0.0.40")."""

    @property
    def given(self) -> bool:
        return not self.claim and self.note == "given"


GIVEN = Origin()


@dataclass(frozen=True)
class Noted:
    """A value passed in that the caller did not type: estimated from their file, measured.

    ``scenario(noise_rate=Noted(0.12, "cleanlab's estimate from labels.csv"))`` uses 0.12 and
    its record says where it came from instead of "given"."""

    value: object
    note: str


@dataclass(frozen=True)
class FromRegistry:
    """A registry figure (``claim.key``), optionally divided (a percentage into a fraction, an
    annual cost into a weekly one)."""

    ref: str
    divide_by: int = 1

    @property
    def claim(self) -> str:
        return self.ref.partition(".")[0]

    def resolve(self, values: Mapping[str, Any]) -> tuple[Any, Origin]:
        from tradeoffs.evidence import value

        number = value(self.ref)
        return (number / self.divide_by if self.divide_by != 1 else number), Origin(self.claim)

    def describe(self, fmt: Format | None = None) -> str:
        """The figure as the registry shows it, or, when the input holds it divided or as a
        plain ratio, in the input's own format (``$96.15``, ``1.00%``)."""
        from tradeoffs.evidence import load_registry
        from tradeoffs.evidence._models import Unit
        from tradeoffs.formatting import figure_text

        claim_id, _, key = self.ref.partition(".")
        claim = load_registry().claim(claim_id)
        figure = claim.figure(key or None)
        shown = figure_text(figure)
        if (
            fmt is not None
            and fmt is not PLAIN
            and (self.divide_by != 1 or figure.unit is Unit.RATIO)
        ):
            shown = fmt.text(self.resolve({})[0])
        elif self.divide_by != 1 and not (self.divide_by == 100 and shown.endswith("%")):
            shown += f" / {self.divide_by:,}"
        return f"{shown}, {claim.id}, {claim.verdict.label.lower()}"


@dataclass(frozen=True)
class Fixed:
    """A literal default the handbook chose (a model, a provider); not a sourced figure."""

    value: Any
    note: str = "handbook default"

    def resolve(self, values: Mapping[str, Any]) -> tuple[Any, Origin]:
        return self.value, Origin(note=self.note)

    def describe(self) -> str:
        if self.value is None or (
            not self.value and not isinstance(self.value, int | float | Decimal)
        ):
            return self.note  # an empty default (none, {}) reads as what it means
        return str(self.value)


@dataclass(frozen=True)
class Derived:
    """A default computed from inputs declared before it (a GPU's price from its provider).

    ``compute(values)`` returns the value and its origin."""

    text: str
    compute: Callable[[Mapping[str, Any]], tuple[Any, Origin]]

    def resolve(self, values: Mapping[str, Any]) -> tuple[Any, Origin]:
        return self.compute(values)

    def describe(self) -> str:
        return self.text


Default = FromRegistry | Fixed | Derived


# --- Inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One input of a trade-off, declared once."""

    name: str
    """The library keyword, the JSON input key and (dashed) the command-line option."""
    label: str
    constraint: Constraint
    default: Default
    help: str
    fmt: Format = PLAIN
    cast: Callable[[Any], Any] | None = None
    """Applied after validation, e.g. ``float`` for probabilities used in NumPy."""
    option: str = ""
    """The command-line option when it is not ``--`` + the dashed name."""
    metavar: str = "X"
    repeat: bool = False
    """A repeatable option (``--success-rate a=1 --success-rate b=2``) collected as a list."""
    in_record: bool = True
    on_cli: bool = True
    """False for library-only inputs (a measured ledger object) that a hook fills."""
    read_back: Callable[[Mapping[str, object]], object] | None = None
    """For an input a record keeps as other rows (``in_record=False``): reads it back from a
    record's inputs, so that ``check-record`` can recompute the decision."""

    @property
    def flag(self) -> str:
        return self.option or "--" + self.name.replace("_", "-")

    def check(self, raw: object) -> Any:
        value = self.constraint.check(self.name, raw)
        return self.cast(value) if self.cast is not None and value is not None else value

    def help_text(self) -> str:
        """The option's help, with its default and range read from the declaration."""
        parts = [self.help]
        if not isinstance(self.constraint, Custom | Text):
            parts.append(self.constraint.describe())
        default = (
            self.default.describe(self.fmt)
            if isinstance(self.default, FromRegistry)
            else self.default.describe()
        )
        return f"{'; '.join(parts)} (default: {default})"


@dataclass(frozen=True)
class Inputs:
    """Resolved inputs: each value after validation, where it came from, and what the caller
    gave (so a scenario can be rebuilt with a few inputs changed and defaults re-derived)."""

    values: Mapping[str, Any]
    origins: Mapping[str, Origin]
    given: Mapping[str, object]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


# --- Results and rules ------------------------------------------------------------------------

D = TypeVar("D")
S = TypeVar("S", bound="HasInputs")


class HasInputs(Protocol):
    @property
    def inputs(self) -> Inputs: ...


@dataclass(frozen=True)
class Result(Generic[D]):
    """One output of a decision: its stable JSON key, its label and how it reads."""

    key: str
    label: str | Callable[[D], str]
    value: Callable[[D], Any]
    fmt: Format = PLAIN
    shown: Callable[[D], str] | None = None
    """A reading richer than the value alone ("3 (2 for the peak + 1 spare)")."""
    when: Callable[[D], bool] | None = None
    """Only in records where this holds (outputs of an optional comparison)."""

    def row(self, decision: D) -> Any:
        from tradeoffs._record import Row

        value = self.value(decision)
        label = self.label if isinstance(self.label, str) else self.label(decision)
        shown = self.shown(decision) if self.shown is not None else self.fmt.text(value)
        return Row(self.key, label, self.fmt.kept(value), shown)


@dataclass(frozen=True)
class Rule:
    """A numbered decision rule; its page heading carries the anchor ``#<id lowercased>``."""

    id: str
    title: str

    @property
    def anchor(self) -> str:
        return self.id.lower()


@cache
def _rule_titles() -> dict[str, dict[str, str]]:
    text = (resources.files("tradeoffs") / "data" / "rules.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def rules(slug: str) -> dict[str, Rule]:
    """The rules of a trade-off, titles read from ``data/rules.toml``."""
    return {rule_id: Rule(rule_id, title) for rule_id, title in _rule_titles()[slug].items()}


class Decided(Protocol):
    """What every trade-off's decision carries."""

    @property
    def recommendation(self) -> str: ...
    @property
    def rule(self) -> Rule: ...
    @property
    def reason(self) -> str: ...


F = TypeVar("F", bound=Callable[..., Any])


def takes(kind: type, made_by: str) -> Callable[[F], F]:
    """Refuse, in one sentence, a first argument that is not a ``kind`` (``decide(None)``),
    instead of failing deep inside with an AttributeError."""

    def wrap(function: F) -> F:
        @functools.wraps(function)
        def checked(first: object, *args: Any, **kwargs: Any) -> Any:
            if not isinstance(first, kind):
                raise InvalidParameterError(
                    f"{function.__name__}() takes the {kind.__name__} that {made_by} returns; "
                    f"got {type(first).__name__}."
                )
            return function(first, *args, **kwargs)

        return checked  # type: ignore[return-value]

    return wrap


# --- The spec ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CliHook:
    """A command-line option that is not a library input: it turns into inputs (a CSV becomes
    a noise rate; ``--measure`` becomes a measured ledger)."""

    name: str
    """Its name in messages (``estimate_from``); the option is ``--`` + the dashed name."""
    help: str
    apply: Callable[[Any, dict[str, object]], None]
    """``apply(raw, given)`` updates the library inputs the command will pass."""
    metavar: str = "FILE.csv"
    flag: bool = False
    progress: str = ""
    """A line for stderr before a hook that takes seconds (a measurement)."""

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


@exact
def resolve_inputs(params: Sequence[Param], given: Mapping[str, object], owner: str) -> Inputs:
    """Validate what was given, fill the rest from the declared defaults, in order: the one
    loop behind every trade-off's :meth:`Spec.resolve` and the shared serving model's inputs."""
    known = {p.name for p in params}
    unknown = sorted(set(given) - known)
    if unknown:
        raise InvalidParameterError(
            f"{unknown[0]} is not an input of {owner}; the inputs are "
            f"{', '.join(p.name for p in params)}."
        )
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for p in params:
        raw = given.get(p.name)
        if isinstance(raw, Noted):
            origins[p.name] = Origin(note=raw.note)
            raw = raw.value
        elif raw is None:
            raw, origins[p.name] = p.default.resolve(values)
        else:
            origins[p.name] = GIVEN
        values[p.name] = None if raw is None else p.check(raw)
    return Inputs(values, origins, {k: v for k, v in given.items() if v is not None})


def add_options(parser: Any, params: Iterable[Param]) -> dict[str, str]:
    """One command-line option per declared input (``parser`` is an argparse parser);
    returns input name -> option, for error messages."""
    names = {}
    for param in (p for p in params if p.on_cli):
        parser.add_argument(
            param.flag,
            dest=param.name,
            metavar=param.metavar,
            action="append" if param.repeat else "store",
            help=param.help_text().replace("%", "%%"),
        )
        names[param.name] = param.flag
    return names


@dataclass(frozen=True)
class Spec(Generic[S, D]):
    """Everything a trade-off declares: the CLI, records, playbooks and tests read it."""

    slug: str
    title: str
    """The decision record's title."""
    params: tuple[Param, ...]
    build: Callable[[Inputs], S]
    """Makes the scenario from resolved inputs; cross-field checks live here."""
    results: tuple[Result[D], ...]
    rules: Mapping[str, Rule]
    fires: tuple[str, ...]
    """The rules ``decide()`` can return; the others are advice on the page."""
    hooks: tuple[CliHook, ...] = ()
    progress: str = ""
    """A line for stderr before a decision that takes seconds."""

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def resolve(self, given: Mapping[str, object]) -> Inputs:
        """Validate what was given, fill the rest from the declared defaults, in order."""
        return resolve_inputs(self.params, given, self.slug)

    @exact
    def scenario(self, **given: object) -> S:
        """A validated scenario; any input not given takes its declared default."""
        return self.build(self.resolve(given))

    def rebuild(self, scenario: S, **changes: object) -> S:
        """The same scenario with some inputs changed; the defaults that depend on them are
        derived again."""
        return self.scenario(**{**scenario.inputs.given, **changes})

    def input_rows(self, scenario: S) -> list[Any]:
        """A record's input rows: the value used and the claim (or note) it came from."""
        from tradeoffs._record import Row

        rows = []
        for p in self.params:
            if not p.in_record:
                continue
            value = getattr(scenario, p.name)
            origin = scenario.inputs.origins[p.name]
            rows.append(
                Row(
                    p.name,
                    p.label,
                    p.fmt.kept(value),
                    p.fmt.text(value),
                    origin.claim,
                    "" if origin.claim else origin.note,
                )
            )
        return rows

    @exact
    def record(
        self,
        decision: D,
        *,
        claims: Iterable[str] = (),
        extra_inputs: Sequence[Any] = (),
        warnings: Sequence[str] = (),
        json_extra: Mapping[str, object] | None = None,
        reason: str = "",
        preamble: str = "",
    ) -> Any:
        """The decision record: inputs and results from the declarations, the claims the
        module names plus every claim a default came from."""
        from tradeoffs._record import Record

        scenario: S = getattr(decision, "scenario")  # noqa: B009 - every Decision has one
        decided: Decided = decision  # type: ignore[assignment]
        inputs = [*self.input_rows(scenario), *extra_inputs]
        results = [r.row(decision) for r in self.results if r.when is None or r.when(decision)]
        cited = [*claims, *(row.claim for row in inputs if row.claim)]
        return Record(
            slug=self.slug,
            title=self.title,
            inputs=tuple(inputs),
            results=tuple(results),
            recommendation=decided.recommendation,
            rule_id=decided.rule.id,
            rule_title=decided.rule.title,
            reason=reason or decided.reason,
            warnings=tuple(warnings),
            claims=tuple(dict.fromkeys(c for c in cited if c)),
            json_extra=dict(json_extra or {}),
            preamble=preamble,
        )

"""Prompting, retrieval or fine-tuning: two kinds of investment curve over a horizon.

Every option has an upfront part (engineering weeks, training runs) and a monthly part
(tokens, an index, a serving fleet); fine-tunes are redone on an interval. Prompting is cheap
to start and dear per request; fine-tuning is the reverse. Cumulative cost over the horizon,
the month one option overtakes another, and the volume at which fine-tuning pays back are
what decide, together with cost per *successful* outcome when the reader knows how often each
option gets the answer right, and whether the platform will still run the fine-tune at all.

Self-hosted serving of an open fine-tune reuses :mod:`tradeoffs.build_vs_buy`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from tradeoffs import _lifecycle, build_vs_buy, serving
from tradeoffs._errors import InvalidParameterError
from tradeoffs._money import DAYS_PER_YEAR, MONTHS_PER_YEAR, cents, exact, rounded
from tradeoffs._record import Record, Row
from tradeoffs._sensitivity import Flip, nearest_flips
from tradeoffs._spec import (
    PRICE,
    SHARE,
    TEXT,
    USD,
    USD_CENTS,
    Choice,
    Custom,
    Derived,
    Fixed,
    Format,
    FromRegistry,
    Inputs,
    Interval,
    Origin,
    Param,
    Result,
    Rule,
    Spec,
    Text,
    between,
    positive,
    rules,
    takes,
    whole,
)
from tradeoffs.evidence import load_registry, value
from tradeoffs.formatting import plain, price, share, threshold, usd

SLUG = "prompt-vs-finetune"
MTOK = Decimal(1_000_000)
WEEKS_PER_YEAR = 52

OptionName = Literal["prompting", "rag", "fine-tune-hosted", "fine-tune-open", "hybrid"]
OPTION_NAMES: tuple[OptionName, ...] = (
    "prompting",
    "rag",
    "fine-tune-hosted",
    "fine-tune-open",
    "hybrid",
)
OPTION_LABELS: dict[str, str] = {
    "prompting": "Prompting",
    "rag": "Retrieval (RAG)",
    "fine-tune-hosted": "Fine-tune on the API",
    "fine-tune-open": "Fine-tune open weights (LoRA), self-host",
    "hybrid": "Fine-tune on the API + RAG",
}

FINETUNE_PRICE_CLAIMS = {
    "gpt-4o": "finetune-price-gpt-4o",
    "gpt-4o-mini": "finetune-price-gpt-4o-mini",
}
"""Base models with a hosted fine-tuning price in the registry."""

BASE_PRICE_CLAIMS = {"gpt-4o-mini": "B7"}
"""Base models whose list price the registry audited (cited instead of the price data)."""

FT_PRICES = ("ft_training_usd_per_mtok", "ft_input_usd_per_mtok", "ft_output_usd_per_mtok")
"""The hosted fine-tuning prices: the registry's as a set, or the reader's."""

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
"""The plan's start date is read in this range, so that adding the horizon cannot overflow."""

SUCCESS_RATE = between(0, 1, low_open=True)


# --- Inputs -----------------------------------------------------------------------------------


def _rates_from_record(inputs: Mapping[str, object]) -> dict[str, object]:
    """The success rates a record keeps as ``success_rate_<option>`` rows."""
    rows = {
        name.removeprefix("success_rate_").replace("_", "-"): rate for name, rate in inputs.items()
    }
    return {name: rate for name, rate in rows.items() if name in OPTION_NAMES}


def _read_success_rates(name: str, raw: object) -> dict[str, Decimal]:
    """A mapping from the library, or ``NAME=RATE`` texts from the repeated option."""
    if isinstance(raw, str):
        raw = [raw]
    if isinstance(raw, Mapping):
        pairs = [(str(option), rate) for option, rate in raw.items()]
    elif isinstance(raw, list | tuple):
        pairs = []
        for item in raw:
            option, sep, rate = str(item).partition("=")
            if not sep:
                raise InvalidParameterError(
                    f"{name} must look like NAME=RATE (e.g. rag=0.9); got {item!r}."
                )
            pairs.append((option.strip(), rate.strip()))
    else:
        raise InvalidParameterError(
            f"{name} must map option names to rates in (0, 1], such as {{'rag': 0.9}}; got {raw!r}."
        )
    rates: dict[str, Decimal] = {}
    for option, rate in pairs:
        if option not in OPTION_NAMES:
            raise InvalidParameterError(
                f"{name} must name options among {', '.join(OPTION_NAMES)}; got {option!r}."
            )
        rates[option] = Decimal(SUCCESS_RATE.check(f"{name}[{option}]", rate))
    return rates


def _read_date(name: str, raw: object) -> dt.date:
    """A :class:`datetime.date`, or its ISO text from the command line."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    day = raw if isinstance(raw, dt.date) else _iso_date(raw)
    if day is None:
        raise InvalidParameterError(f"{name} must be a date as YYYY-MM-DD; got {raw!r}.")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidParameterError(
            f"{name} must be a date as YYYY-MM-DD between {FIRST_DAY} and {LAST_DAY}; "
            f"got {day.isoformat()!r}."
        )
    return day


def _iso_date(raw: object) -> dt.date | None:
    if not isinstance(raw, str):
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None


def _today(values: Mapping[str, Any]) -> tuple[Any, Origin]:
    return dt.date.today(), Origin(note="today")


def _ft_price(key: str) -> Callable[[Mapping[str, Any]], tuple[Any, Origin]]:
    """The base model's hosted fine-tuning price from the registry, where it has one."""

    def compute(values: Mapping[str, Any]) -> tuple[Any, Origin]:
        model = build_vs_buy.api_price(values["base_model"], name="base_model").model
        claim = FINETUNE_PRICE_CLAIMS.get(model)
        if claim is None:
            return None, Origin(note=f"no registry price for {model}")
        return value(f"{claim}.{key}"), Origin(claim)

    return compute


DATE = Format(lambda d: d.isoformat(), lambda d: d.isoformat())
"""A date, kept in records as ISO text."""


def _tokens(name: str, label: str, high: int, help_text: str, low: int = 0) -> Param:
    """A token count whose default is the worked example's (``assume-llm-app``)."""
    return Param(name, label, whole(low, high), FromRegistry(f"assume-llm-app.{name}"), help_text)


def _effort(name: str, label: str, constraint: Interval, help_text: str, **kw: Any) -> Param:
    """An effort or running cost whose default is our assumption (``assume-llm-effort``)."""
    return Param(
        name, label, constraint, FromRegistry(f"assume-llm-effort.{name}"), help_text, **kw
    )


def _ft_param(name: str, label: str, key: str, option: str, help_text: str) -> Param:
    """A hosted fine-tuning price: the registry's for the base model, or none to be given."""
    return Param(
        name,
        label,
        between(0, 10_000),
        Derived("the base model's registry price, none for other models", _ft_price(key)),
        help_text,
        fmt=PRICE,
        option=option,
    )


PARAMS: tuple[Param, ...] = (
    Param(
        "monthly_requests",
        "Requests a month",
        between(1, 10**12),
        FromRegistry("assume-llm-app.monthly_requests"),
        "requests a month",
    ),
    Param(
        "months",
        "Horizon (months)",
        whole(1, 600),
        FromRegistry("assume-llm-app.months"),
        "horizon in months",
    ),
    Param(
        "base_model",
        "Base model",
        Text("a model id known to genai-prices, such as 'gpt-5.4-mini'"),
        Fixed("gpt-5.4-mini", "a current model with no shutdown in the registry"),
        "base model id known to genai-prices",
        fmt=TEXT,
    ),
    _tokens("system_prompt_tokens", "System prompt tokens", 10_000_000, "system prompt tokens"),
    _tokens("few_shot_tokens", "Few-shot example tokens", 10_000_000, "few-shot example tokens"),
    # Input and fine-tuned system prompt are at most 5M each: their sum is the self-hosted
    # request's input, which build vs buy reads up to 10M tokens.
    _tokens("input_tokens", "Input tokens", 5_000_000, "user input tokens per request"),
    _tokens("output_tokens", "Output tokens", 1_000_000, "output tokens per request", low=1),
    _tokens(
        "finetuned_system_tokens",
        "System prompt tokens after fine-tuning",
        5_000_000,
        "system prompt tokens left after fine-tuning",
    ),
    _tokens(
        "rag_context_tokens", "Retrieved context tokens", 10_000_000, "retrieved context tokens"
    ),
    _effort(
        "rag_monthly_usd",
        "Retrieval index a month",
        between(0, 100_000_000),
        "retrieval index a month, USD",
        fmt=USD,
    ),
    _ft_param(
        "ft_training_usd_per_mtok",
        "Fine-tuning training price (per million tokens)",
        "training",
        "--training-price",
        "fine-tuning training price, USD per million tokens",
    ),
    _ft_param(
        "ft_input_usd_per_mtok",
        "Fine-tuned input price (per million tokens)",
        "input",
        "--ft-input-price",
        "fine-tuned model input price, USD per million tokens",
    ),
    _ft_param(
        "ft_output_usd_per_mtok",
        "Fine-tuned output price (per million tokens)",
        "output",
        "--ft-output-price",
        "fine-tuned model output price, USD per million tokens",
    ),
    _effort(
        "training_tokens",
        "Training tokens per epoch",
        between(0, 10**12),
        "training tokens per epoch",
    ),
    _effort("epochs", "Epochs", positive(1_000), "epochs per training run"),
    _effort(
        "retune_every_months",
        "Re-tune every (months)",
        whole(1, 1_200),
        "months between re-tunes",
    ),
    _effort(
        "prompt_weeks", "Prompt-engineering weeks", between(0, 1_000), "prompt-engineering weeks"
    ),
    _effort("rag_weeks", "Weeks to build retrieval", between(0, 1_000), "weeks to build retrieval"),
    _effort(
        "prep_weeks",
        "Data-preparation weeks",
        between(0, 1_000),
        "weeks to prepare fine-tuning data",
    ),
    _effort(
        "retune_weeks",
        "Data weeks per re-tune",
        between(0, 1_000),
        "weeks of data work per re-tune",
    ),
    Param(
        "weekly_usd",
        "Engineering cost a week",
        between(0, 1_000_000),
        FromRegistry("assume-staff.loaded_annual_usd", divide_by=WEEKS_PER_YEAR),
        "loaded cost of engineering time, USD a week",
        fmt=USD_CENTS,
    ),
    Param(
        "migration_weeks",
        "Weeks to migrate to a successor model",
        between(0, 1_000),
        FromRegistry(f"{_lifecycle.MIGRATION_CLAIM}.migration_weeks"),
        "engineering weeks to move prompting or retrieval to the successor when the base model "
        "retires inside the horizon",
    ),
    _effort(
        "lora_gpu_hours", "GPU hours per LoRA run", between(0, 100_000), "GPU hours per LoRA run"
    ),
    Param(
        "open_model",
        "Open model for the fine-tune",
        Choice(tuple(serving.MODEL_CLAIMS)),
        Fixed("llama-3.1-8b"),
        "open model the self-hosted fine-tune starts from",
        fmt=TEXT,
    ),
    Param(
        "gpu",
        "GPU",
        Choice(tuple(build_vs_buy.PRICED_GPUS)),
        Fixed("h100-sxm"),
        "GPU the open fine-tune is served on (one with a registry price)",
        fmt=TEXT,
    ),
    Param(
        "gpu_provider",
        "GPU provider",
        Choice(build_vs_buy.GPU_PROVIDERS),
        Fixed("lambda"),
        "where the open fine-tune's GPUs are rented",
        fmt=TEXT,
    ),
    Param(
        "success_rates",
        "Success rates",
        Custom(
            "option names mapped to success rates in (0, 1]",
            _read_success_rates,
            bad=("rag", "rag:0.9"),
        ),
        Fixed({}, "none given"),
        "expected success rate of an option, in (0, 1]; repeat for each of "
        + ", ".join(OPTION_NAMES),
        option="--success-rate",
        metavar="NAME=RATE",
        repeat=True,
        in_record=False,  # recorded as one row per option, success_rate_<option>
        read_back=_rates_from_record,
    ),
    Param(
        "cached_prefix_tokens",
        "Prefix tokens read from the prompt cache",
        whole(0, 10_000_000),
        Fixed(0, "no prompt caching"),
        "tokens of the static prefix (system prompt, few-shot examples) the API serves from its "
        "prompt cache, at its cache prices",
    ),
    Param(
        "cache_hit_share",
        "Share of requests that hit the cache",
        between(0, 1),
        Fixed(Decimal("0.9"), "handbook assumption: a warm cache, misses written to it"),
        "share of requests whose prefix is already cached; the others write it",
        fmt=SHARE,
    ),
    Param(
        "failure_usd",
        "Cost of a failed request",
        between(0, 1_000_000),
        Fixed(None, "not given: options compared by cost per success"),
        "what one failed request costs (a retry, a human fix, a lost sale), USD; with success "
        "rates, the winner is the lowest expected cost including failures",
        fmt=USD,
    ),
    Param(
        "as_of",
        "Plan starts",
        Custom(
            f"a date as YYYY-MM-DD between {FIRST_DAY} and {LAST_DAY}",
            _read_date,
            bad=("tomorrow", "1999-12-31", "2101-01-01"),
        ),
        Derived("today", _today),
        "the date the plan starts, for platform deadlines",
        fmt=DATE,
        metavar="YYYY-MM-DD",
    ),
)
"""Every input, declared once: the command's options, validation and the record read it."""


@dataclass(frozen=True)
class Scenario:
    """Every input of the comparison (see :data:`PARAMS`); build one with :func:`scenario`,
    which validates and fills defaults; the constructor does not."""

    monthly_requests: Decimal
    months: int
    base_model: str
    system_prompt_tokens: int
    few_shot_tokens: int
    input_tokens: int
    output_tokens: int
    finetuned_system_tokens: int
    rag_context_tokens: int
    rag_monthly_usd: Decimal
    ft_training_usd_per_mtok: Decimal | None
    ft_input_usd_per_mtok: Decimal | None
    ft_output_usd_per_mtok: Decimal | None
    training_tokens: Decimal
    epochs: Decimal
    retune_every_months: int
    prompt_weeks: Decimal
    rag_weeks: Decimal
    prep_weeks: Decimal
    retune_weeks: Decimal
    weekly_usd: Decimal
    migration_weeks: Decimal
    lora_gpu_hours: Decimal
    open_model: str
    gpu: str
    gpu_provider: str
    success_rates: Mapping[str, Decimal]
    cached_prefix_tokens: int
    cache_hit_share: Decimal
    failure_usd: Decimal | None
    as_of: dt.date
    inputs: Inputs = field(compare=False, repr=False)

    @property
    def base_price(self) -> build_vs_buy.ApiPrice:
        """The base model's list price for a prompting request (genai-prices' data; cached)."""
        return build_vs_buy.api_price(
            self.base_model, "base_model", int(self.prompt_tokens), self.output_tokens
        )

    @property
    def base_input_usd_per_mtok(self) -> Decimal:
        return self.base_price.input_usd_per_mtok

    @property
    def base_output_usd_per_mtok(self) -> Decimal:
        return self.base_price.output_usd_per_mtok

    @property
    def ft_price_claim(self) -> str:
        """The registry claim of the fine-tuning prices; "" as soon as the reader gave any of
        them (the set is then the reader's, not the registry's)."""
        if any(self.inputs.origins[name].given for name in FT_PRICES):
            return ""
        return FINETUNE_PRICE_CLAIMS.get(self.base_model, "")

    @property
    def daily_requests(self) -> Decimal:
        return self.monthly_requests * MONTHS_PER_YEAR / DAYS_PER_YEAR

    @property
    def prompt_tokens(self) -> int:
        """Prompting sends the full system prompt, the few-shot examples and the input."""
        return self.system_prompt_tokens + self.few_shot_tokens + self.input_tokens

    @property
    def finetuned_prompt_tokens(self) -> int:
        """A fine-tune has learnt the instructions and examples: a short prompt is left."""
        return self.finetuned_system_tokens + self.input_tokens

    @cached_property
    def retirement(self) -> _lifecycle.Retirement | None:
        """The base model's shutdown in the registry, whenever it falls (None: none known)."""
        return _lifecycle.retirement(self.base_model)

    @property
    def retiring(self) -> _lifecycle.Retirement | None:
        """The base model's shutdown when it falls inside the horizon (None otherwise)."""
        row = self.retirement
        if row is None or _lifecycle.months_until(self.as_of, row.shutdown) >= self.months:
            return None
        return row

    @cached_property
    def open_serving(self) -> build_vs_buy.Scenario:
        """The open fine-tune served as on the Build vs buy page, at this traffic."""
        return build_vs_buy.scenario(
            daily_requests=self.daily_requests,
            input_tokens=self.finetuned_prompt_tokens,
            output_tokens=self.output_tokens,
            api_model=self.base_model,
            model=self.open_model,
            gpu=self.gpu,
            gpu_provider=self.gpu_provider,
        )


def _build(inputs: Inputs) -> Scenario:
    values = dict(inputs.values)
    prefix = values["system_prompt_tokens"] + values["few_shot_tokens"]
    if values["cached_prefix_tokens"] > prefix:
        raise InvalidParameterError(
            f"cached_prefix_tokens must be at most the static prefix, system prompt plus "
            f"few-shot examples ({prefix:,} tokens); got {values['cached_prefix_tokens']:,}."
        )
    values["base_model"] = build_vs_buy.api_price(values["base_model"], name="base_model").model
    gpu = build_vs_buy.PRICED_GPUS[values["gpu"]]
    provider = values["gpu_provider"]
    if gpu not in load_registry().claim(f"gpu-price-{provider}").figures:
        raise InvalidParameterError(
            f"gpu_provider must offer the chosen GPU ({values['gpu']}); {provider!r} "
            "has no price for it in the registry, so choose another provider or GPU."
        )
    s = Scenario(**values, inputs=inputs)
    s.open_serving  # noqa: B018 - built now so that a bad combination fails here, not later
    return s


def scenario(**inputs: object) -> Scenario:
    """A validated :class:`Scenario`; any input not given takes its declared default
    (:data:`PARAMS`)."""
    return SPEC.scenario(**inputs)


# --- The options ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    """A move to the successor model before the option's model shuts down: a one-off cost
    paid in ``switch_month`` (the last month on the old model; 0 when it is already gone)
    and the successor's running cost in every month after it."""

    successor: str
    switch_month: int
    one_off_usd: Decimal
    monthly_usd: Decimal
    per_request_usd: Decimal


@dataclass(frozen=True)
class Option:
    """One way to build the feature: what it costs up front, per month and per re-tune."""

    name: OptionName
    upfront_usd: Decimal
    monthly_usd: Decimal
    per_request_usd: Decimal
    retune_usd: Decimal = Decimal(0)
    retune_every_months: int = 0
    available: bool = True
    notes: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    model: str = ""
    """The model the option runs on (a hosted id, or the open weights it starts from)."""
    model_retires: dt.date | None = None
    """The model's shutdown date in the registry (None: none known; open weights never)."""
    migration: Migration | None = None
    """The switch to a successor when the model retires inside the horizon."""

    @property
    def label(self) -> str:
        return OPTION_LABELS[self.name]

    @property
    def migration_usd(self) -> Decimal:
        return self.migration.one_off_usd if self.migration else Decimal(0)

    def retunes_by(self, month: int, horizon: int) -> int:
        """Re-tunes paid by the end of ``month``: one every interval, none at the horizon."""
        if not self.retune_every_months:
            return 0
        return max(0, min(month, horizon - 1) // self.retune_every_months)

    def cumulative_usd(self, month: int, horizon: int) -> Decimal:
        """Spent by the end of ``month`` (month 0 is the upfront investment alone); after a
        migration's switch month the successor's monthly cost applies."""
        running = self.monthly_usd * month
        m = self.migration
        if m is not None:
            before = min(month, m.switch_month)
            running = self.monthly_usd * before + m.monthly_usd * (month - before)
            running += m.one_off_usd if month >= m.switch_month else 0
        return self.upfront_usd + running + self.retune_usd * self.retunes_by(month, horizon)

    def total_usd(self, horizon: int) -> Decimal:
        return self.cumulative_usd(horizon, horizon)


def _api_cost(prompt: Decimal | int, output: Decimal | int, inp: Decimal, out: Decimal) -> Decimal:
    return (prompt * inp + output * out) / MTOK


def _horizon_end(s: Scenario) -> dt.date:
    return _add_months(s.as_of, s.months)


def _hosted_availability(s: Scenario) -> tuple[bool, tuple[str, ...], tuple[str, ...]]:
    """Can the horizon be served by a fine-tune hosted by the model's vendor? Not when its
    prices are unknown, when the vendor stops taking fine-tuning jobs before the last one the
    plan needs, or when the base model retires inside the horizon: a fine-tune cannot move
    to the successor without the vendor training it there."""
    if any(getattr(s, name) is None for name in FT_PRICES):
        return (
            False,
            (
                f"No hosted fine-tuning price is known for {s.base_model}: pass the "
                "fine-tuning prices to include this option.",
            ),
            (),
        )
    notes: list[str] = []
    claims: list[str] = []
    available = True
    if build_vs_buy.api_price(s.base_model, "base_model").provider == "openai":
        available, notes, claims = _openai_wind_down(s)
    row = s.retiring
    if row is not None:
        available = False
        claims += [row.claim, _lifecycle.MIGRATION_CLAIM]
        notes.append(
            f"{s.base_model} and its fine-tunes shut down on {row.shutdown}, inside the "
            f"horizon ({_horizon_end(s)}), and the fine-tune cannot move to {row.successor}: "
            "no hosted fine-tuning of it is priced or still offered."
        )
    return available, tuple(dict.fromkeys(notes)), tuple(dict.fromkeys(claims))


def _openai_wind_down(s: Scenario) -> tuple[bool, list[str], list[str]]:
    """OpenAI's self-serve fine-tuning closes to new jobs (F3): the first run and every
    re-tune inside the horizon must start before that date."""
    new_jobs_end = load_registry().figure("F3", "new_jobs_end").date
    notice = load_registry().figure("F3", "notice").date
    assert new_jobs_end and notice
    notes = [
        f"OpenAI is winding down self-serve fine-tuning: since {notice} only organisations "
        f"that have fine-tuned before can start jobs, and no new jobs are accepted from "
        f"{new_jobs_end}."
    ]
    runs = [0, *range(s.retune_every_months, s.months, s.retune_every_months)]
    late = [m for m in runs if _add_months(s.as_of, m) >= new_jobs_end]
    if not late:
        return True, notes, ["F3"]
    when = "the first run" if late[0] == 0 else f"the re-tune due in month {late[0]}"
    notes.append(f"The plan needs a fine-tuning job after {new_jobs_end}: {when}.")
    return False, notes, ["F3"]


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, min(day.day, 28))


def _cached_request(s: Scenario, model: str, prompt: int, cached: int) -> Decimal:
    """A request whose first ``cached`` prompt tokens hit the prompt cache with the scenario's
    share (read at the cache-read price) and otherwise are written to it (cache-write price)."""
    hit = s.cache_hit_share
    read = build_vs_buy.request_usd(model, prompt, s.output_tokens, cache_read_tokens=cached)
    write = build_vs_buy.request_usd(model, prompt, s.output_tokens, cache_write_tokens=cached)
    return hit * read + (1 - hit) * write


def _api_requests(s: Scenario, model: str) -> tuple[Decimal, Decimal]:
    """Prompting's and retrieval's price per request on ``model`` (the cached prefix at the
    cache prices)."""
    at_prompt = build_vs_buy.api_price(model, "base_model", s.prompt_tokens, s.output_tokens)
    prompting = _api_cost(
        s.prompt_tokens,
        s.output_tokens,
        at_prompt.input_usd_per_mtok,
        at_prompt.output_usd_per_mtok,
    )
    rag_prompt = s.system_prompt_tokens + s.input_tokens + s.rag_context_tokens
    at_rag = build_vs_buy.api_price(model, "base_model", rag_prompt, s.output_tokens)
    rag = _api_cost(
        rag_prompt, s.output_tokens, at_rag.input_usd_per_mtok, at_rag.output_usd_per_mtok
    )
    if s.cached_prefix_tokens:
        prompting = _cached_request(s, model, s.prompt_tokens, s.cached_prefix_tokens)
        rag_cached = min(s.cached_prefix_tokens, s.system_prompt_tokens)  # no few-shot in RAG
        rag = _cached_request(s, model, rag_prompt, rag_cached) if rag_cached else rag
    return prompting, rag


def _migration(
    s: Scenario, row: _lifecycle.Retirement, per_request: Decimal, fixed_monthly: Decimal
) -> Migration:
    """The switch to the base model's successor before its shutdown (``row``)."""
    return Migration(
        successor=row.successor,
        switch_month=_lifecycle.months_until(s.as_of, row.shutdown),
        one_off_usd=s.migration_weeks * s.weekly_usd,
        monthly_usd=per_request * s.monthly_requests + fixed_monthly,
        per_request_usd=per_request,
    )


def _migration_note(s: Scenario, row: _lifecycle.Retirement, m: Migration) -> str:
    return (
        f"{s.base_model} shuts down on {row.shutdown}: the plan moves to {m.successor} after "
        f"month {m.switch_month}, for {usd(m.one_off_usd)} of migration work "
        f"({plain(s.migration_weeks)} weeks), at {m.successor}'s prices from then on."
    )


def _api_options(s: Scenario) -> list[Option]:
    """Prompting and retrieval: the base model's price on every request, and its successor's
    after a migration when the base model retires inside the horizon."""
    prompting_req, rag_req = _api_requests(s, s.base_model)
    row = s.retiring
    after = _api_requests(s, row.successor) if row else (prompting_req, rag_req)
    lifecycle_claims = (row.claim, _lifecycle.MIGRATION_CLAIM) if row else ()
    options = []
    sides: tuple[tuple[OptionName, Decimal, Decimal, Decimal, Decimal, tuple[str, ...]], ...] = (
        ("prompting", prompting_req, after[0], Decimal(0), s.prompt_weeks, ()),
        ("rag", rag_req, after[1], s.rag_monthly_usd, s.rag_weeks, ("F7",)),
    )
    for name, per_request, per_after, fixed, weeks, claims in sides:
        migration = _migration(s, row, per_after, fixed) if row else None
        options.append(
            Option(
                name,
                weeks * s.weekly_usd,
                per_request * s.monthly_requests + fixed,
                per_request,
                notes=(_migration_note(s, row, migration),) if row and migration else (),
                claims=("assume-llm-app", "assume-llm-effort", *claims, *lifecycle_claims),
                model=s.base_model,
                model_retires=s.retirement.shutdown if s.retirement else None,
                migration=migration,
            )
        )
    return options


def _hosted_options(s: Scenario) -> tuple[Option, Option]:
    """The fine-tune on the vendor's API, alone and with retrieval."""
    available, notes, claims = _hosted_availability(s)
    training = (s.training_tokens * s.epochs * (s.ft_training_usd_per_mtok or 0)) / MTOK
    ft_in, ft_out = s.ft_input_usd_per_mtok or Decimal(0), s.ft_output_usd_per_mtok or Decimal(0)
    ft_req = _api_cost(s.finetuned_prompt_tokens, s.output_tokens, ft_in, ft_out)
    hybrid_req = _api_cost(
        s.finetuned_prompt_tokens + s.rag_context_tokens, s.output_tokens, ft_in, ft_out
    )
    price_claims = (s.ft_price_claim,) if s.ft_price_claim else ()
    retune = s.retune_weeks * s.weekly_usd + training
    shared: dict[str, Any] = {
        "retune_usd": retune,
        "retune_every_months": s.retune_every_months,
        "available": available,
        "notes": notes,
        "model": f"{s.base_model} (fine-tuned)",
        "model_retires": s.retirement.shutdown if s.retirement else None,
    }
    hosted = Option(
        "fine-tune-hosted",
        s.prep_weeks * s.weekly_usd + training,
        ft_req * s.monthly_requests,
        ft_req,
        claims=(*price_claims, *claims, "assume-llm-effort"),
        **shared,
    )
    hybrid = Option(
        "hybrid",
        (s.prep_weeks + s.rag_weeks) * s.weekly_usd + training,
        hybrid_req * s.monthly_requests + s.rag_monthly_usd,
        hybrid_req,
        claims=(*price_claims, *claims, "F7", "assume-llm-effort"),
        **shared,
    )
    return hosted, hybrid


def _open_option(s: Scenario) -> Option:
    """A LoRA on open weights, served on rented GPUs as on the Build vs buy page."""
    fleet = build_vs_buy.self_host_cost(s.open_serving)
    lora = s.lora_gpu_hours * s.open_serving.gpu_hourly_usd
    return Option(
        "fine-tune-open",
        s.prep_weeks * s.weekly_usd + lora,
        fleet.total_monthly_usd,
        fleet.total_monthly_usd / s.monthly_requests,
        retune_usd=s.retune_weeks * s.weekly_usd + lora,
        retune_every_months=s.retune_every_months,
        notes=(
            f"Serving on {fleet.gpus} GPU(s) with staff and operations, as on the "
            "Build vs buy page.",
            *_engine_note(),
        ),
        claims=(
            "vllm-throughput-lambda",
            f"gpu-price-{s.open_serving.gpu_provider}",
            "assume-staff",
            "assume-capacity",
            "B5",
        ),
        model=s.open_model,
    )


def options(s: Scenario) -> list[Option]:
    """The five options, priced for the scenario."""
    hosted, hybrid = _hosted_options(s)
    return [*_api_options(s), hosted, _open_option(s), hybrid]


def _engine_note() -> tuple[str, ...]:
    date = load_registry().figure("B5", "date").date
    return (
        f"Serve with an engine under active development (TGI entered maintenance mode on {date}).",
    )


# --- The decision -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Crossover:
    """``overtaker`` becomes no dearer than ``overtaken`` (cumulatively) in ``month``."""

    month: int
    overtaker: OptionName
    overtaken: OptionName


RULES: dict[str, Rule] = rules(SLUG)
"""The page's numbered rules (titles in ``data/rules.toml``)."""

WINNER_RULES = {
    "prompting": "PVF-1",
    "rag": "PVF-3",
    "fine-tune-hosted": "PVF-2",
    "fine-tune-open": "PVF-2",
    "hybrid": "PVF-2",
}
"""The rule that names each option when it wins on cost."""
PER_SUCCESS_RULE = "PVF-4"
"""The rule when cost per success picks another option than the cheapest."""


@dataclass(frozen=True)
class Decision:
    """Every option priced over the horizon, the winner and the rule that picked it."""

    scenario: Scenario
    options: tuple[Option, ...]
    cheapest: OptionName
    best: OptionName
    """The winner: by cost per success when the reader gave every available option a success
    rate, otherwise the cheapest."""
    break_even_monthly_requests: Decimal | None
    crossovers: tuple[Crossover, ...]
    rule: Rule
    reason: str

    @property
    def recommendation(self) -> str:
        return self.best

    @cached_property
    def open_break_even_monthly_requests(self) -> Decimal | None:
        """See :func:`open_break_even_monthly_requests` (searched on first use)."""
        return open_break_even_monthly_requests(self.scenario)

    def option(self, name: str) -> Option:
        return next(o for o in self.options if o.name == name)

    def total_usd(self, name: str) -> Decimal:
        return self.option(name).total_usd(self.scenario.months)

    def cost_per_success_usd(self, name: str) -> Decimal | None:
        rate = self.scenario.success_rates.get(name)
        if rate is None:
            return None
        successes = self.scenario.monthly_requests * self.scenario.months * rate
        return self.total_usd(name) / successes


@exact
def break_even_monthly_requests(s: Scenario, months: int | None = None) -> Decimal | None:
    """Monthly requests at which the hosted fine-tune's total equals prompting's over the
    horizon. Both totals are linear in volume (a migration included), so two volumes give
    each line exactly; None when fine-tuning never costs less per request, has no price, or
    is not available over the horizon."""
    horizon = months if months is not None else s.months
    lines = []
    for volume in (Decimal(1), Decimal(2)):
        at = replace(s, months=horizon, monthly_requests=volume)
        by_name = {o.name: o for o in (*_api_options(at), *_hosted_options(at))}
        if not by_name["fine-tune-hosted"].available:
            return None
        lines.append(
            by_name["fine-tune-hosted"].total_usd(horizon) - by_name["prompting"].total_usd(horizon)
        )
    slope = lines[1] - lines[0]  # fine-tune minus prompting, per monthly request
    fixed = lines[0] - slope
    if slope >= 0:
        return None
    return max(Decimal(0), -fixed / slope)


OPEN_PAYBACK_GRID = 160
"""Geometric grid points over the volume range when searching the self-hosted payback."""
OPEN_PAYBACK_RANGE = between(100, 10**12)
"""Monthly volumes searched: from a hundred requests (a fleet needs a request a day) up to
the input's declared maximum."""


@exact
def open_break_even_monthly_requests(s: Scenario, months: int | None = None) -> Decimal | None:
    """The lowest monthly volume at which the self-hosted fine-tune costs no more than
    prompting over the horizon. Its fleet grows in whole GPUs, so the two totals can cross
    more than once; this is the first crossing, found on a geometric grid over the declared
    volume range and refined by bisection to a request a month. None when prompting stays
    cheaper over the whole range."""
    horizon = months if months is not None else s.months
    constraint = OPEN_PAYBACK_RANGE

    def pays_back(volume: Decimal) -> bool:
        at = replace(s, months=horizon, monthly_requests=volume)
        prompting = _api_options(at)[0]
        return _open_option(at).total_usd(horizon) <= prompting.total_usd(horizon)

    low, high = float(constraint.low), float(constraint.high)
    ratio = (high / low) ** (1 / OPEN_PAYBACK_GRID)
    below = Decimal(constraint.low)
    if pays_back(below):
        return below
    for i in range(1, OPEN_PAYBACK_GRID + 1):
        point = min(Decimal(str(round(low * ratio**i))), constraint.high)
        if pays_back(point):
            while point - below > 1:
                middle = ((below + point) / 2).to_integral_value()
                below, point = (below, middle) if pays_back(middle) else (middle, point)
            return point
        below = point
    return None


def crossovers(opts: list[Option], horizon: int) -> list[Crossover]:
    """Every month in which one option's cumulative cost catches up with another's."""
    found = []
    for a in opts:
        for b in opts:
            if a is b or a.cumulative_usd(0, horizon) <= b.cumulative_usd(0, horizon):
                continue
            for month in range(1, horizon + 1):
                if a.cumulative_usd(month, horizon) <= b.cumulative_usd(month, horizon):
                    found.append(Crossover(month, a.name, b.name))
                    break
    return sorted(found, key=lambda c: (c.month, c.overtaker, c.overtaken))


def _expected_usd(s: Scenario, o: Option) -> Decimal | None:
    """The option's total plus what its failed requests cost, over the horizon (None without
    a failure cost or the option's success rate)."""
    rate = s.success_rates.get(o.name)
    if s.failure_usd is None or rate is None:
        return None
    failures = s.monthly_requests * s.months * (1 - rate)
    return o.total_usd(s.months) + failures * s.failure_usd


def _winners(s: Scenario, opts: list[Option]) -> tuple[OptionName, OptionName]:
    """The cheapest available option, and the winner: by expected cost with failures when
    every available option has a success rate and a failure has a cost, by cost per success
    with rates alone, otherwise the cheapest."""
    available = [o for o in opts if o.available]
    cheapest = min(available, key=lambda o: o.total_usd(s.months)).name
    rated = all(o.name in s.success_rates for o in available)
    if rated and s.failure_usd is not None:
        return cheapest, min(available, key=lambda o: _expected_usd(s, o) or Decimal(0)).name
    if rated:
        per_success = min(available, key=lambda o: o.total_usd(s.months) / s.success_rates[o.name])
        return cheapest, per_success.name
    return cheapest, cheapest


@exact
def winner(s: Scenario) -> OptionName:
    """The option :func:`decide` would pick, without the rest of the decision."""
    return _winners(s, options(s))[1]


@takes(Scenario, "scenario()")
@exact
def decide(s: Scenario) -> Decision:
    """Price every option over the horizon and pick the winner among those available."""
    opts = options(s)
    cheapest, best = _winners(s, opts)
    rule = RULES[PER_SUCCESS_RULE] if best != cheapest else RULES[WINNER_RULES[best]]
    decision = Decision(
        scenario=s,
        options=tuple(opts),
        cheapest=cheapest,
        best=best,
        break_even_monthly_requests=break_even_monthly_requests(s),
        crossovers=tuple(crossovers(opts, s.months)),
        rule=rule,
        reason="",
    )
    return replace(decision, reason=_reason(decision))


def _reason(c: Decision) -> str:
    s = c.scenario
    best = c.option(c.best)
    text = (
        f"{best.label} costs {usd(c.total_usd(c.best))} over {s.months} months at "
        f"{plain(s.monthly_requests)} requests a month"
    )
    expected = _expected_usd(s, best)
    if c.best != c.cheapest and expected is not None:
        text += (
            f"; it is not the cheapest ({c.option(c.cheapest).label} is), but counting "
            f"{usd(s.failure_usd or 0)} per failed request it costs {usd(expected)} in "
            "expectation, the least of the available options"
        )
    elif c.best != c.cheapest:
        per = c.cost_per_success_usd(c.best)
        text += (
            f"; it is not the cheapest ({c.option(c.cheapest).label} is), but at "
            f"{price(rounded(per or Decimal(0), '0.000001'))} per successful "
            "outcome it wins once failures are counted"
        )
    unavailable = [o.label for o in c.options if not o.available]
    if unavailable:
        text += f"; not available for this horizon: {', '.join(unavailable)}"
    be = c.break_even_monthly_requests
    if be is not None and c.option("fine-tune-hosted").available:  # never cite a ruled-out one
        text += (
            f". Fine-tuning on the API would pay back above {plain(be.to_integral_value())} "
            "requests a month"
        )
    return text + "."


# --- Sensitivity ------------------------------------------------------------------------------

SENSITIVITY_INPUTS = {
    "monthly_requests": "requests a month",
    "months": "horizon (months)",
    "few_shot_tokens": "few-shot example tokens",
    "output_tokens": "output tokens",
    "training_tokens": "training tokens",
    "prep_weeks": "data-preparation weeks",
    "weekly_usd": "engineering cost a week",
    "cached_prefix_tokens": "cached prefix tokens",
    "failure_usd": "cost of a failed request",
}
"""The inputs the sensitivity view moves, one at a time."""


def _score(c: Decision, name: str) -> Decimal:
    """What the winner is chosen on: expected cost with failures, cost per success, or total
    (the same criterion :func:`decide` used)."""
    s, o = c.scenario, c.option(name)
    rated = all(x.name in s.success_rates for x in c.options if x.available)
    if rated and s.failure_usd is not None:
        return _expected_usd(s, o) or Decimal(0)
    if rated:
        return o.total_usd(s.months) / s.success_rates[name]
    return o.total_usd(s.months)


def margin(c: Decision, name: str) -> Decimal | None:
    """How much better ``name`` scores than the best other available option (negative: it
    no longer wins; None: it is not available)."""
    if not c.option(name).available:
        return None
    others = [_score(c, o.name) for o in c.options if o.available and o.name != name]
    return (min(others) - _score(c, name)) if others else None


@dataclass(frozen=True)
class SensitivityRow:
    """One input moved by a share each way, others held, and the nearest values at which the
    winner changes."""

    parameter: str
    label: str
    value: Decimal | int
    margin_low: Decimal | None
    margin_high: Decimal | None
    """The base winner's margin over the next option with the input at (1 - spread) and at
    (1 + spread) times its value (None: the winner is not available there)."""
    best_low: OptionName
    best_high: OptionName
    flip_below: Flip | None
    flip_above: Flip | None


def _scaled(s: Scenario, name: str, factor: Decimal) -> Decimal | int:
    """The input times ``factor``, whole where it counts, held inside its declared range."""
    constraint = SPEC.param(name).constraint
    assert isinstance(constraint, Interval)
    scaled = max(constraint.low, min(Decimal(getattr(s, name)) * factor, constraint.high))
    return int(scaled.to_integral_value()) if constraint.integer else scaled


def _inputs_to_move(s: Scenario) -> list[str]:
    names = [n for n in SENSITIVITY_INPUTS if getattr(s, n) is not None]
    return [n for n in names if n != "failure_usd" or s.success_rates]


def _safe_decide(s: Scenario, **changed: object) -> Decision | None:
    try:
        return decide(SPEC.rebuild(s, **changed))
    except InvalidParameterError:  # e.g. fewer few-shot tokens than the cached prefix
        return None


@exact
def sensitivity(s: Scenario, spread: Decimal = Decimal("0.5")) -> list[SensitivityRow]:
    """Which input moves the decision, and where it flips: each input scaled by 1 -/+
    ``spread`` with the others held, and the nearest value on each side, within the input's
    declared range, at which another option wins."""
    base = decide(s)
    rows = []
    for name in _inputs_to_move(s):
        ends = [_safe_decide(s, **{name: _scaled(s, name, 1 + k * spread)}) for k in (-1, 1)]
        below, above = nearest_flips(SPEC, s, name, winner)
        low, high = ends
        rows.append(
            SensitivityRow(
                name,
                SENSITIVITY_INPUTS[name],
                getattr(s, name),
                margin_low=margin(low, base.best) if low else None,
                margin_high=margin(high, base.best) if high else None,
                best_low=low.best if low else base.best,
                best_high=high.best if high else base.best,
                flip_below=below,
                flip_above=above,
            )
        )
    return rows


def flip_text(row: SensitivityRow) -> str:
    """The nearest flips of one input, in a sentence fragment."""
    parts = [
        f"{'below' if f is row.flip_below else 'above'} {threshold(f.value)}: "
        f"{OPTION_LABELS[f.after]}"
        for f in (row.flip_below, row.flip_above)
        if f is not None
    ]
    return "; ".join(parts) or "no flip within its range"


# --- The decision record ----------------------------------------------------------------------


def _option_text(name: str) -> Callable[[Decision], str]:
    def shown(c: Decision) -> str:
        o = c.option(name)
        per = c.cost_per_success_usd(name)
        return (
            f"{usd(c.total_usd(name))} ({usd(o.upfront_usd)} upfront + {usd(o.monthly_usd)} "
            "a month"
            + (f" + {usd(o.retune_usd)} per re-tune" if o.retune_every_months else "")
            + ")"
            + (f"; {price(rounded(per, '0.000001'))} per success" if per is not None else "")
            + ("" if o.available else "; NOT AVAILABLE")
        )

    return shown


def _option_result(name: OptionName) -> Result[Decision]:
    return Result(
        name,
        OPTION_LABELS[name],
        lambda c: c.total_usd(name),
        USD_CENTS,
        shown=_option_text(name),
    )


def _break_even_text(c: Decision) -> str:
    be = c.break_even_monthly_requests
    if be is not None:
        return f"{plain(be.to_integral_value())} requests a month"
    if not c.option("fine-tune-hosted").available:
        return "not available over this horizon"
    return "never"


RESULTS: tuple[Result[Decision], ...] = (
    *(_option_result(name) for name in OPTION_NAMES),
    Result(
        "break_even_monthly_requests",
        "Fine-tuning pays back above",
        lambda c: c.break_even_monthly_requests,
        Format(plain, lambda v: v.to_integral_value()),
        shown=_break_even_text,
    ),
    Result(
        "open_break_even_monthly_requests",
        "Self-hosted fine-tune first pays back at",
        lambda c: c.open_break_even_monthly_requests,
        Format(plain, lambda v: v.to_integral_value()),
        shown=lambda c: (
            "never, up to the volume range's end"
            if c.open_break_even_monthly_requests is None
            else f"{plain(c.open_break_even_monthly_requests)} requests a month"
        ),
    ),
)
"""Every output of the record, declared once: text table, JSON keys and Markdown rows."""


def _derived_rows(s: Scenario) -> list[Row]:
    """Record rows that are not inputs: the base model's prices, the prompt lengths the
    inputs add up to, and the success rates the reader gave."""
    price_claim = BASE_PRICE_CLAIMS.get(s.base_model, "")
    price_note = "" if price_claim else s.base_price.source

    def sum_source(*names: str) -> tuple[str, str]:
        given = any(s.inputs.origins[n].given for n in names)
        return ("", "sum of the inputs above") if given else ("assume-llm-app", "")

    rows = [
        Row(
            "base_input_usd_per_mtok",
            "Base input price (per million tokens)",
            s.base_input_usd_per_mtok,
            price(s.base_input_usd_per_mtok),
            price_claim,
            price_note,
        ),
        Row(
            "base_output_usd_per_mtok",
            "Base output price (per million tokens)",
            s.base_output_usd_per_mtok,
            price(s.base_output_usd_per_mtok),
            price_claim,
            price_note,
        ),
        Row(
            "prompt_tokens",
            "Prompt tokens (system + few-shot + input)",
            s.prompt_tokens,
            plain(s.prompt_tokens),
            *sum_source("system_prompt_tokens", "few_shot_tokens", "input_tokens"),
        ),
        Row(
            "finetuned_prompt_tokens",
            "Prompt tokens after fine-tuning",
            s.finetuned_prompt_tokens,
            plain(s.finetuned_prompt_tokens),
            *sum_source("finetuned_system_tokens", "input_tokens"),
        ),
    ]
    for name, rate in s.success_rates.items():
        rows.append(
            Row(f"success_rate_{name}", f"Success rate, {OPTION_LABELS[name]}", rate, share(rate))
        )
    return rows


@takes(Decision, "decide()")
def record(c: Decision) -> Record:
    """The decision as a :class:`~tradeoffs._record.Record` for the CLI and design reviews."""
    warnings = tuple(
        dict.fromkeys(n for o in c.options for n in o.notes if not o.available or o.migration)
    )
    claims = ["F1", "F4", "F6", "F7", *(cl for o in c.options for cl in o.claims)]
    made: Record = SPEC.record(
        c,
        claims=claims,
        extra_inputs=_derived_rows(c.scenario),
        warnings=warnings,
        json_extra={
            "options": options_json(c),
            "flips": flips_json(c),
            "cheapest": c.cheapest,
            "best": c.best,
            "as_of": c.scenario.as_of.isoformat(),
        },
    )
    return made


def flips_json(c: Decision) -> list[dict[str, object]]:
    """The nearest value of each input, on each side, at which another option wins."""
    out: list[dict[str, object]] = []
    for row in sensitivity(c.scenario):
        for side, flip in (("below", row.flip_below), ("above", row.flip_above)):
            if flip is not None:
                out.append(
                    {
                        "parameter": row.parameter,
                        "value": float(row.value),
                        "side": side,
                        "flips_at": float(flip.value),
                        "winner_after": flip.after,
                    }
                )
    return out


def _expected_json(s: Scenario, o: Option) -> float | None:
    expected = _expected_usd(s, o)
    return None if expected is None else float(cents(expected))


def options_json(c: Decision) -> list[dict[str, object]]:
    """The per-option part of the JSON record."""
    out: list[dict[str, object]] = []
    for o in c.options:
        per = c.cost_per_success_usd(o.name)
        out.append(
            {
                "name": o.name,
                "label": o.label,
                "available": o.available,
                "upfront_usd": float(cents(o.upfront_usd)),
                "monthly_usd": float(cents(o.monthly_usd)),
                "retune_usd": float(cents(o.retune_usd)),
                "retunes": o.retunes_by(c.scenario.months, c.scenario.months),
                "total_usd": float(cents(o.total_usd(c.scenario.months))),
                "per_request_usd": float(rounded(o.per_request_usd, "0.0000001")),
                "cost_per_success_usd": None if per is None else float(rounded(per, "0.0000001")),
                "expected_cost_usd": _expected_json(c.scenario, o),
                "model": o.model,
                "model_retires": o.model_retires.isoformat() if o.model_retires else None,
                "migration_usd": float(cents(o.migration_usd)),
                "successor": o.migration.successor if o.migration else None,
                "switch_month": o.migration.switch_month if o.migration else None,
                "notes": list(o.notes),
            }
        )
    return out


SPEC: Spec[Scenario, Decision] = Spec(
    slug=SLUG,
    title="Prompting vs fine-tuning: cumulative cost over the horizon",
    params=PARAMS,
    build=_build,
    results=RESULTS,
    rules=RULES,
    fires=(*sorted(set(WINNER_RULES.values())), PER_SUCCESS_RULE),
)
"""Prompting vs fine-tuning, declared: inputs, results and rules (see :mod:`tradeoffs._spec`)."""

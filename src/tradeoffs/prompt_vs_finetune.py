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
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

from tradeoffs import build_vs_buy
from tradeoffs._errors import InvalidParameterError
from tradeoffs._money import DAYS_PER_YEAR, MONTHS_PER_YEAR, cents
from tradeoffs._record import Record, Row
from tradeoffs._validation import check_count, check_positive, check_range
from tradeoffs.evidence import load_registry, value, value_or
from tradeoffs.formatting import plain, price, share, usd

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


@dataclass(frozen=True)
class Scenario:
    """Every input; build one with :func:`scenario`, which validates and fills defaults."""

    monthly_requests: Decimal
    months: int
    base_model: str
    base_input_usd_per_mtok: Decimal
    base_output_usd_per_mtok: Decimal
    system_prompt_tokens: Decimal
    few_shot_tokens: Decimal
    input_tokens: Decimal
    output_tokens: Decimal
    finetuned_system_tokens: Decimal
    rag_context_tokens: Decimal
    rag_monthly_usd: Decimal
    ft_training_usd_per_mtok: Decimal | None
    ft_input_usd_per_mtok: Decimal | None
    ft_output_usd_per_mtok: Decimal | None
    ft_price_claim: str
    training_tokens: Decimal
    epochs: Decimal
    retune_every_months: int
    prompt_weeks: Decimal
    rag_weeks: Decimal
    prep_weeks: Decimal
    retune_weeks: Decimal
    weekly_usd: Decimal
    lora_gpu_hours: Decimal
    open_serving: build_vs_buy.Scenario
    success_rates: Mapping[str, Decimal] = field(default_factory=dict)
    as_of: dt.date = field(default_factory=dt.date.today)

    @property
    def daily_requests(self) -> Decimal:
        return self.monthly_requests * MONTHS_PER_YEAR / DAYS_PER_YEAR

    @property
    def prompt_tokens(self) -> Decimal:
        """Prompting sends the full system prompt, the few-shot examples and the input."""
        return self.system_prompt_tokens + self.few_shot_tokens + self.input_tokens

    @property
    def finetuned_prompt_tokens(self) -> Decimal:
        """A fine-tune has learnt the instructions and examples: a short prompt is left."""
        return self.finetuned_system_tokens + self.input_tokens


def scenario(
    *,
    monthly_requests: object = None,
    months: object = None,
    base_model: str = "gpt-4o-mini",
    system_prompt_tokens: object = None,
    few_shot_tokens: object = None,
    input_tokens: object = None,
    output_tokens: object = None,
    finetuned_system_tokens: object = None,
    rag_context_tokens: object = None,
    rag_monthly_usd: object = None,
    ft_training_usd_per_mtok: object = None,
    ft_input_usd_per_mtok: object = None,
    ft_output_usd_per_mtok: object = None,
    training_tokens: object = None,
    epochs: object = None,
    retune_every_months: object = None,
    prompt_weeks: object = None,
    rag_weeks: object = None,
    prep_weeks: object = None,
    retune_weeks: object = None,
    weekly_usd: object = None,
    lora_gpu_hours: object = None,
    serving: str = "llama31_8b_1xh100",
    gpu_provider: str = "lambda",
    success_rates: Mapping[str, object] | None = None,
    as_of: dt.date | None = None,
) -> Scenario:
    """A validated :class:`Scenario`; any input left as None takes its registry default."""
    base = build_vs_buy.api_price(base_model)
    ft_claim = FINETUNE_PRICE_CLAIMS.get(base.model, "")
    ft_prices: list[Decimal | None] = []
    for name, given, key in (
        ("ft_training_usd_per_mtok", ft_training_usd_per_mtok, "training"),
        ("ft_input_usd_per_mtok", ft_input_usd_per_mtok, "input"),
        ("ft_output_usd_per_mtok", ft_output_usd_per_mtok, "output"),
    ):
        if given is None and ft_claim:
            given = value(f"{ft_claim}.{key}")
        ft_prices.append(None if given is None else check_range(name, given, low=0))
    if any(
        p is not None
        for p in (ft_training_usd_per_mtok, ft_input_usd_per_mtok, ft_output_usd_per_mtok)
    ):
        ft_claim = ""  # the reader's own prices, not the registry's

    weekly = (
        weekly_usd
        if weekly_usd is not None
        else value("assume-staff.loaded_annual_usd") / WEEKS_PER_YEAR
    )
    monthly = check_positive(
        "monthly_requests", value_or(monthly_requests, "assume-llm-app.monthly_requests")
    )
    inputs = check_range(
        "input_tokens", value_or(input_tokens, "assume-llm-app.input_tokens"), low=0, integer=True
    )
    outputs = check_range(
        "output_tokens",
        value_or(output_tokens, "assume-llm-app.output_tokens"),
        low=1,
        integer=True,
    )
    ft_system = check_range(
        "finetuned_system_tokens",
        value_or(finetuned_system_tokens, "assume-llm-app.finetuned_system_tokens"),
        low=0,
        integer=True,
    )
    rates = _success_rates(success_rates or {})
    return Scenario(
        monthly_requests=monthly,
        months=check_count("months", value_or(months, "assume-llm-app.months"), low=1),
        base_model=base.model,
        base_input_usd_per_mtok=base.input_usd_per_mtok,
        base_output_usd_per_mtok=base.output_usd_per_mtok,
        system_prompt_tokens=check_range(
            "system_prompt_tokens",
            value_or(system_prompt_tokens, "assume-llm-app.system_prompt_tokens"),
            low=0,
            integer=True,
        ),
        few_shot_tokens=check_range(
            "few_shot_tokens",
            value_or(few_shot_tokens, "assume-llm-app.few_shot_tokens"),
            low=0,
            integer=True,
        ),
        input_tokens=inputs,
        output_tokens=outputs,
        finetuned_system_tokens=ft_system,
        rag_context_tokens=check_range(
            "rag_context_tokens",
            value_or(rag_context_tokens, "assume-llm-app.rag_context_tokens"),
            low=0,
            integer=True,
        ),
        rag_monthly_usd=check_range(
            "rag_monthly_usd", value_or(rag_monthly_usd, "assume-llm-effort.rag_monthly_usd"), low=0
        ),
        ft_training_usd_per_mtok=ft_prices[0],
        ft_input_usd_per_mtok=ft_prices[1],
        ft_output_usd_per_mtok=ft_prices[2],
        ft_price_claim=ft_claim,
        training_tokens=check_range(
            "training_tokens", value_or(training_tokens, "assume-llm-effort.training_tokens"), low=0
        ),
        epochs=check_positive("epochs", value_or(epochs, "assume-llm-effort.epochs")),
        retune_every_months=check_count(
            "retune_every_months",
            value_or(retune_every_months, "assume-llm-effort.retune_every_months"),
            low=1,
        ),
        prompt_weeks=check_range(
            "prompt_weeks", value_or(prompt_weeks, "assume-llm-effort.prompt_weeks"), low=0
        ),
        rag_weeks=check_range(
            "rag_weeks", value_or(rag_weeks, "assume-llm-effort.rag_weeks"), low=0
        ),
        prep_weeks=check_range(
            "prep_weeks", value_or(prep_weeks, "assume-llm-effort.prep_weeks"), low=0
        ),
        retune_weeks=check_range(
            "retune_weeks", value_or(retune_weeks, "assume-llm-effort.retune_weeks"), low=0
        ),
        weekly_usd=check_range("weekly_usd", weekly, low=0),
        lora_gpu_hours=check_range(
            "lora_gpu_hours", value_or(lora_gpu_hours, "assume-llm-effort.lora_gpu_hours"), low=0
        ),
        open_serving=build_vs_buy.scenario(
            daily_requests=monthly * MONTHS_PER_YEAR / DAYS_PER_YEAR,
            input_tokens=ft_system + inputs,
            output_tokens=outputs,
            api_model=base.model,
            serving=serving,
            gpu_provider=gpu_provider,
        ),
        success_rates=rates,
        as_of=as_of or dt.date.today(),
    )


def _success_rates(given: Mapping[str, object]) -> dict[str, Decimal]:
    rates: dict[str, Decimal] = {}
    for name, rate in given.items():
        if name not in OPTION_NAMES:
            raise InvalidParameterError(
                f"success_rates must name options among {', '.join(OPTION_NAMES)}; got {name!r}."
            )
        rates[name] = check_range(
            f"success_rates[{name}]", rate, low=0, high=1, low_inclusive=False
        )
    return rates


# --- The options ------------------------------------------------------------------------------


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

    @property
    def label(self) -> str:
        return OPTION_LABELS[self.name]

    def retunes_by(self, month: int, horizon: int) -> int:
        """Re-tunes paid by the end of ``month``: one every interval, none at the horizon."""
        if not self.retune_every_months:
            return 0
        return max(0, min(month, horizon - 1) // self.retune_every_months)

    def cumulative_usd(self, month: int, horizon: int) -> Decimal:
        """Spent by the end of ``month`` (month 0 is the upfront investment alone)."""
        return (
            self.upfront_usd
            + self.monthly_usd * month
            + self.retune_usd * self.retunes_by(month, horizon)
        )

    def total_usd(self, horizon: int) -> Decimal:
        return self.cumulative_usd(horizon, horizon)


def _api_cost(prompt: Decimal, output: Decimal, inp: Decimal, out: Decimal) -> Decimal:
    return (prompt * inp + output * out) / MTOK


def _hosted_availability(s: Scenario) -> tuple[bool, tuple[str, ...], tuple[str, ...]]:
    """Can the horizon be served by a fine-tune hosted by the model's vendor?"""
    if (
        s.ft_input_usd_per_mtok is None
        or s.ft_output_usd_per_mtok is None
        or (s.ft_training_usd_per_mtok is None)
    ):
        return (
            False,
            (
                f"No hosted fine-tuning price is known for {s.base_model}: pass the "
                "fine-tuning prices to include this option.",
            ),
            (),
        )
    if not s.ft_price_claim:
        return True, (), ()
    registry = load_registry()
    new_jobs_end = registry.figure("F3", "new_jobs_end").date
    notice = registry.figure("F3", "notice").date
    shutdown = registry.figure("B8", "shutdown").date
    assert new_jobs_end and notice and shutdown
    horizon_end = _add_months(s.as_of, s.months)
    notes = [
        f"OpenAI is winding down self-serve fine-tuning: since {notice} only organisations "
        f"that have fine-tuned before can start jobs, and no new jobs are accepted from "
        f"{new_jobs_end}."
    ]
    available = True
    if s.as_of >= new_jobs_end:
        available = False
        notes.append(f"As of {s.as_of}, no new fine-tuning jobs are accepted.")
    if horizon_end > shutdown:
        available = False
        notes.append(
            f"{s.base_model} and its fine-tunes shut down on {shutdown}, before the "
            f"horizon ends ({horizon_end})."
        )
    return available, tuple(notes), ("F3", "B8")


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, min(day.day, 28))


def options(s: Scenario) -> list[Option]:
    """The five options, priced for the scenario."""
    volume = s.monthly_requests
    weekly = s.weekly_usd
    prompting_req = _api_cost(
        s.prompt_tokens, s.output_tokens, s.base_input_usd_per_mtok, s.base_output_usd_per_mtok
    )
    rag_prompt = s.system_prompt_tokens + s.input_tokens + s.rag_context_tokens
    rag_req = _api_cost(
        rag_prompt, s.output_tokens, s.base_input_usd_per_mtok, s.base_output_usd_per_mtok
    )
    out = [
        Option(
            "prompting",
            s.prompt_weeks * weekly,
            prompting_req * volume,
            prompting_req,
            claims=("assume-llm-app", "assume-llm-effort"),
        ),
        Option(
            "rag",
            s.rag_weeks * weekly,
            rag_req * volume + s.rag_monthly_usd,
            rag_req,
            claims=("assume-llm-app", "assume-llm-effort", "F7"),
        ),
    ]

    available, notes, claims = _hosted_availability(s)
    training = (s.training_tokens * s.epochs * (s.ft_training_usd_per_mtok or 0)) / MTOK
    ft_in, ft_out = s.ft_input_usd_per_mtok or Decimal(0), s.ft_output_usd_per_mtok or Decimal(0)
    ft_req = _api_cost(s.finetuned_prompt_tokens, s.output_tokens, ft_in, ft_out)
    hybrid_req = _api_cost(
        s.finetuned_prompt_tokens + s.rag_context_tokens, s.output_tokens, ft_in, ft_out
    )
    price_claims = (s.ft_price_claim,) if s.ft_price_claim else ()
    out.append(
        Option(
            "fine-tune-hosted",
            s.prep_weeks * weekly + training,
            ft_req * volume,
            ft_req,
            retune_usd=s.retune_weeks * weekly + training,
            retune_every_months=s.retune_every_months,
            available=available,
            notes=notes,
            claims=(*price_claims, *claims, "assume-llm-effort"),
        )
    )

    serving = build_vs_buy.self_host_cost(s.open_serving)
    lora = s.lora_gpu_hours * s.open_serving.gpu_hourly_usd
    out.append(
        Option(
            "fine-tune-open",
            s.prep_weeks * weekly + lora,
            serving.total_monthly_usd,
            serving.total_monthly_usd / volume,
            retune_usd=s.retune_weeks * weekly + lora,
            retune_every_months=s.retune_every_months,
            notes=(
                f"Serving on {serving.gpus} GPU(s) with staff and operations, as on the "
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
        )
    )

    out.append(
        Option(
            "hybrid",
            (s.prep_weeks + s.rag_weeks) * weekly + training,
            hybrid_req * volume + s.rag_monthly_usd,
            hybrid_req,
            retune_usd=s.retune_weeks * weekly + training,
            retune_every_months=s.retune_every_months,
            available=available,
            notes=notes,
            claims=(*price_claims, *claims, "F7", "assume-llm-effort"),
        )
    )
    return out


def _engine_note() -> tuple[str, ...]:
    date = load_registry().figure("B5", "date").date
    return (
        f"Serve with an engine under active development (TGI entered maintenance mode on {date}).",
    )


# --- Comparison -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Crossover:
    """``overtaker`` becomes no dearer than ``overtaken`` (cumulatively) in ``month``."""

    month: int
    overtaker: OptionName
    overtaken: OptionName


@dataclass(frozen=True)
class Rule:
    id: str
    title: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "PVF-1",
            "Start with prompting; move when a failure mode the prompt cannot fix "
            "shows up in your numbers",
        ),
        Rule("PVF-2", "Fine-tune when it pays back within your horizon at your volume"),
        Rule("PVF-3", "Retrieve knowledge; fine-tune behaviour"),
        Rule("PVF-4", "Compare cost per successful outcome, not per request"),
        Rule("PVF-5", "Check that the platform will still train and serve your fine-tune"),
        Rule("PVF-6", "Optimise prompts automatically before training weights"),
    )
}
WINNER_RULES = {
    "prompting": "PVF-1",
    "rag": "PVF-3",
    "fine-tune-hosted": "PVF-2",
    "fine-tune-open": "PVF-2",
    "hybrid": "PVF-2",
}


@dataclass(frozen=True)
class Comparison:
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


def break_even_monthly_requests(s: Scenario, months: int | None = None) -> Decimal | None:
    """Monthly requests at which the hosted fine-tune's total equals prompting's over the
    horizon. Both totals are linear in volume, so this is exact; None when fine-tuning never
    costs less per request (or has no price)."""
    horizon = months if months is not None else s.months
    at = replace(s, months=horizon)
    by_name = {o.name: o for o in options(at)}
    prompt, ft = by_name["prompting"], by_name["fine-tune-hosted"]
    if s.ft_input_usd_per_mtok is None:
        return None
    saving = prompt.per_request_usd - ft.per_request_usd
    if saving <= 0:
        return None
    fixed = (ft.total_usd(horizon) - ft.monthly_usd * horizon) - (
        prompt.total_usd(horizon) - prompt.monthly_usd * horizon
    )
    return max(Decimal(0), fixed / (saving * horizon))


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


def compare(s: Scenario) -> Comparison:
    """Price every option over the horizon and pick the winner among those available."""
    opts = options(s)
    available = [o for o in opts if o.available]
    cheapest = min(available, key=lambda o: o.total_usd(s.months)).name
    rated = all(o.name in s.success_rates for o in available)
    best = cheapest
    if rated:
        best = min(available, key=lambda o: o.total_usd(s.months) / s.success_rates[o.name]).name
    rule = RULES["PVF-4"] if best != cheapest else RULES[WINNER_RULES[best]]
    comparison = Comparison(
        scenario=s,
        options=tuple(opts),
        cheapest=cheapest,
        best=best,
        break_even_monthly_requests=break_even_monthly_requests(s),
        crossovers=tuple(crossovers(opts, s.months)),
        rule=rule,
        reason="",
    )
    return replace(comparison, reason=_reason(comparison))


def _reason(c: Comparison) -> str:
    s = c.scenario
    best = c.option(c.best)
    text = (
        f"{best.label} costs {usd(c.total_usd(c.best))} over {s.months} months at "
        f"{plain(s.monthly_requests)} requests a month"
    )
    if c.best != c.cheapest:
        per = c.cost_per_success_usd(c.best)
        text += (
            f"; it is not the cheapest ({c.option(c.cheapest).label} is), but at "
            f"{price((per or Decimal(0)).quantize(Decimal('0.000001')))} per successful "
            "outcome it wins once failures are counted"
        )
    unavailable = [o.label for o in c.options if not o.available]
    if unavailable:
        text += f"; not available for this horizon: {', '.join(unavailable)}"
    be = c.break_even_monthly_requests
    if be is not None:
        text += (
            f". Fine-tuning on the API would pay back above {plain(be.to_integral_value())} "
            "requests a month"
        )
    return text + "."


# --- Sensitivity ------------------------------------------------------------------------------

SENSITIVITY_INPUTS = {
    "monthly_requests": "requests a month",
    "few_shot_tokens": "few-shot example tokens",
    "output_tokens": "output tokens",
    "training_tokens": "training tokens",
    "prep_weeks": "data-preparation weeks",
    "weekly_usd": "engineering cost a week",
    "months": "horizon",
}


@dataclass(frozen=True)
class SensitivityRow:
    parameter: str
    label: str
    gap_low: Decimal
    gap_high: Decimal
    """Hosted fine-tune total minus prompting total with the input at half and at 1.5 times."""
    best_low: OptionName
    best_high: OptionName


def rebuild(s: Scenario, **changes: Any) -> Scenario:
    """The same scenario with some inputs changed, validated again."""
    kwargs: dict[str, Any] = {
        name: getattr(s, name)
        for name in (
            "monthly_requests",
            "months",
            "base_model",
            "system_prompt_tokens",
            "few_shot_tokens",
            "input_tokens",
            "output_tokens",
            "finetuned_system_tokens",
            "rag_context_tokens",
            "rag_monthly_usd",
            "training_tokens",
            "epochs",
            "retune_every_months",
            "prompt_weeks",
            "rag_weeks",
            "prep_weeks",
            "retune_weeks",
            "weekly_usd",
            "lora_gpu_hours",
            "success_rates",
            "as_of",
        )
    }
    if not s.ft_price_claim:
        kwargs.update(
            ft_training_usd_per_mtok=s.ft_training_usd_per_mtok,
            ft_input_usd_per_mtok=s.ft_input_usd_per_mtok,
            ft_output_usd_per_mtok=s.ft_output_usd_per_mtok,
        )
    kwargs.update(serving=s.open_serving.serving, gpu_provider=s.open_serving.gpu_provider)
    kwargs.update(changes)
    return scenario(**kwargs)


def sensitivity(s: Scenario, spread: Decimal = Decimal("0.5")) -> list[SensitivityRow]:
    """Which input moves the decision most: each scaled by 1 -/+ ``spread``, others held."""
    rows = []
    for name, label in SENSITIVITY_INPUTS.items():
        outcomes = []
        for factor in (1 - spread, 1 + spread):
            scaled = getattr(s, name) * factor
            if name in ("months", "few_shot_tokens", "output_tokens"):
                scaled = max(1 if name != "few_shot_tokens" else 0, round(scaled))
            c = compare(rebuild(s, **{name: scaled}))
            gap = c.total_usd("fine-tune-hosted") - c.total_usd("prompting")
            outcomes.append((gap, c.best))
        rows.append(
            SensitivityRow(
                name, label, outcomes[0][0], outcomes[1][0], outcomes[0][1], outcomes[1][1]
            )
        )
    return rows


# --- The decision record ----------------------------------------------------------------------


def record(c: Comparison) -> Record:
    s = c.scenario
    defaults = scenario(as_of=s.as_of)

    def src(attr: str, ref: str) -> str:
        return ref if getattr(s, attr) == getattr(defaults, attr) else ""

    ft_src = s.ft_price_claim
    inputs = [
        Row(
            "monthly_requests",
            "Requests a month",
            s.monthly_requests,
            plain(s.monthly_requests),
            src("monthly_requests", "assume-llm-app"),
        ),
        Row("months", "Horizon (months)", s.months, str(s.months), src("months", "assume-llm-app")),
        Row("base_model", "Base model", s.base_model, s.base_model),
        Row(
            "base_input_usd_per_mtok",
            "Base input price (per million tokens)",
            s.base_input_usd_per_mtok,
            price(s.base_input_usd_per_mtok),
            "B7" if s.base_model == "gpt-4o-mini" else "",
        ),
        Row(
            "base_output_usd_per_mtok",
            "Base output price (per million tokens)",
            s.base_output_usd_per_mtok,
            price(s.base_output_usd_per_mtok),
            "B7" if s.base_model == "gpt-4o-mini" else "",
        ),
        Row(
            "prompt_tokens",
            "Prompt tokens (system + few-shot + input)",
            s.prompt_tokens,
            plain(s.prompt_tokens),
            src("few_shot_tokens", "assume-llm-app"),
        ),
        Row(
            "finetuned_prompt_tokens",
            "Prompt tokens after fine-tuning",
            s.finetuned_prompt_tokens,
            plain(s.finetuned_prompt_tokens),
            src("finetuned_system_tokens", "assume-llm-app"),
        ),
        Row(
            "output_tokens",
            "Output tokens",
            s.output_tokens,
            plain(s.output_tokens),
            src("output_tokens", "assume-llm-app"),
        ),
        Row(
            "rag_context_tokens",
            "Retrieved context tokens",
            s.rag_context_tokens,
            plain(s.rag_context_tokens),
            src("rag_context_tokens", "assume-llm-app"),
        ),
        Row(
            "ft_training_usd_per_mtok",
            "Fine-tuning training price (per million tokens)",
            s.ft_training_usd_per_mtok,
            price(s.ft_training_usd_per_mtok)
            if s.ft_training_usd_per_mtok is not None
            else "unknown",
            ft_src,
        ),
        Row(
            "ft_input_usd_per_mtok",
            "Fine-tuned input price (per million tokens)",
            s.ft_input_usd_per_mtok,
            price(s.ft_input_usd_per_mtok) if s.ft_input_usd_per_mtok is not None else "unknown",
            ft_src,
        ),
        Row(
            "ft_output_usd_per_mtok",
            "Fine-tuned output price (per million tokens)",
            s.ft_output_usd_per_mtok,
            price(s.ft_output_usd_per_mtok) if s.ft_output_usd_per_mtok is not None else "unknown",
            ft_src,
        ),
        Row(
            "training_tokens",
            "Training tokens per epoch",
            s.training_tokens,
            plain(s.training_tokens),
            src("training_tokens", "assume-llm-effort"),
        ),
        Row("epochs", "Epochs", s.epochs, plain(s.epochs), src("epochs", "assume-llm-effort")),
        Row(
            "retune_every_months",
            "Re-tune every (months)",
            s.retune_every_months,
            str(s.retune_every_months),
            src("retune_every_months", "assume-llm-effort"),
        ),
        Row(
            "weekly_usd",
            "Engineering cost a week",
            cents(s.weekly_usd),
            usd(s.weekly_usd),
            src("weekly_usd", "assume-staff"),
        ),
        Row(
            "prep_weeks",
            "Data-preparation weeks",
            s.prep_weeks,
            plain(s.prep_weeks),
            src("prep_weeks", "assume-llm-effort"),
        ),
        Row(
            "rag_monthly_usd",
            "Retrieval index a month",
            s.rag_monthly_usd,
            usd(s.rag_monthly_usd),
            src("rag_monthly_usd", "assume-llm-effort"),
        ),
    ]
    for name, rate in s.success_rates.items():
        inputs.append(
            Row(f"success_rate_{name}", f"Success rate, {OPTION_LABELS[name]}", rate, share(rate))
        )
    results = []
    for o in c.options:
        total = c.total_usd(o.name)
        per = c.cost_per_success_usd(o.name)
        results.append(
            Row(
                o.name,
                o.label,
                cents(total),
                f"{usd(total)} ({usd(o.upfront_usd)} upfront + {usd(o.monthly_usd)} a month"
                + (f" + {usd(o.retune_usd)} per re-tune" if o.retune_every_months else "")
                + ")"
                + (
                    f"; {price(per.quantize(Decimal('0.000001')))} per success"
                    if per is not None
                    else ""
                )
                + ("" if o.available else "; NOT AVAILABLE"),
            )
        )
    be = c.break_even_monthly_requests
    results.append(
        Row(
            "break_even_monthly_requests",
            "Fine-tuning pays back above",
            None if be is None else be.to_integral_value(),
            "never" if be is None else f"{plain(be.to_integral_value())} requests a month",
        )
    )
    warnings = tuple(dict.fromkeys(n for o in c.options for n in o.notes if not o.available))
    claims = tuple(
        dict.fromkeys(["F1", "F4", "F6", "F7", *(cl for o in c.options for cl in o.claims)])
    )
    return Record(
        slug=SLUG,
        title="Prompting vs fine-tuning: cumulative cost over the horizon",
        inputs=tuple(inputs),
        results=tuple(results),
        recommendation=c.best,
        rule_id=c.rule.id,
        rule_title=c.rule.title,
        reason=c.reason,
        warnings=warnings,
        claims=claims,
        json_extra={
            "options": options_json(c),
            "cheapest": c.cheapest,
            "best": c.best,
            "as_of": s.as_of.isoformat(),
        },
    )


def options_json(c: Comparison) -> list[dict[str, object]]:
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
                "per_request_usd": float(o.per_request_usd.quantize(Decimal("0.0000001"))),
                "cost_per_success_usd": None
                if per is None
                else float(per.quantize(Decimal("0.0000001"))),
                "notes": list(o.notes),
            }
        )
    return out

"""Batch or real-time: what freshness costs, sized by queueing theory.

Real-time serving is sized for the busiest hour: replicas are added until the 95th percentile
of the *queueing wait* (M/M/c, Erlang C) fits inside the latency target minus the service
time itself. Those replicas run all month. Batch serving processes the same daily volume in
scheduled runs and pays only for the hours the runs take, at the price of staleness: a user
may see a prediction as old as the interval between runs plus the run itself. Given an API
model, the record also prices a hosted LLM API's synchronous endpoint against its batch one.

Probabilities and times are floats (they come out of exponentials and logarithms); money is
:class:`~decimal.Decimal`, as everywhere in the handbook.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any, Literal, NoReturn

from tradeoffs import build_vs_buy
from tradeoffs._errors import InvalidParameterError
from tradeoffs._latency import BATCH_SIZES, BatchTiming, demo_model, service_times, time_batches
from tradeoffs._money import CENT, HOURS_PER_MONTH, exact, monthly, rounded
from tradeoffs._queueing import QueueState, Simulated, erlang_c, fleet_sizes, simulate
from tradeoffs._record import Record
from tradeoffs._recorded import provenance as timing_source
from tradeoffs._spec import (
    PRICE,
    TEXT,
    USD_CENTS,
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
    positive,
    rules,
    takes,
    whole,
)
from tradeoffs.evidence import load_registry, value
from tradeoffs.formatting import plain, share, usd

__all__ = [
    "BATCH_SIZES",
    "P95",
    "PARAMS",
    "RESULTS",
    "RULES",
    "SPEC",
    "BatchTiming",
    "Decision",
    "Scenario",
    "Simulated",
    "api_batch",
    "batch",
    "cost_curve",
    "decide",
    "demo_model",
    "erlang_c",
    "fleet_sizes",
    "log_volumes",
    "realtime",
    "record",
    "scenario",
    "service_times",
    "simulate",
    "time_batches",
    "timing_source",
]

SLUG = "batch-vs-realtime"
SECONDS_PER_DAY = 86_400
P95 = 0.95
MAX_REPLICAS = 1_000_000
"""A fleet larger than this is reported as an error rather than searched for."""

Recommendation = Literal["batch", "real-time"]

BATCH_DISCOUNT_CLAIMS = {
    "openai": "batch-discount-openai",
    "anthropic": "batch-discount-anthropic",
    "aws": "batch-discount-aws-bedrock",
    "google": "batch-discount-gemini",
}
"""genai-prices provider id -> the registry claim of that provider's batch discount."""

REPLICA_PRICE = "cpu-price-aws-m7g-large.hourly"
"""The registry's price of one serving replica an hour (the default of both prices)."""


# --- Inputs -----------------------------------------------------------------------------------


def _batch_price(values: Mapping[str, Any]) -> tuple[Any, Origin]:
    """Batch replicas cost what real-time ones do, unless the reader prices them apart."""
    replica = values["replica_hourly_usd"]
    if replica == value(REPLICA_PRICE):
        return replica, Origin(REPLICA_PRICE.partition(".")[0])
    return replica, Origin(note="the replica price")


PARAMS: tuple[Param, ...] = (
    Param(
        "daily_requests",
        "Daily requests",
        positive(10**12),
        FromRegistry("assume-realtime.daily_requests"),
        "requests a day",
    ),
    Param(
        "peak_to_mean",
        "Peak-to-mean traffic",
        between(1, 100),
        FromRegistry("assume-realtime.peak_to_mean"),
        "peak traffic over the daily mean",
    ),
    Param(
        "service_ms",
        "Mean service time (ms)",
        between("0.001", 3_600_000),
        FromRegistry("assume-realtime.service_ms"),
        "mean time to serve one request, ms",
    ),
    Param(
        "p95_ms",
        "p95 latency target (ms)",
        between("0.001", 3_600_000),
        FromRegistry("assume-realtime.p95_ms"),
        "p95 latency target, ms; must exceed --service-ms",
    ),
    Param(
        "replica_hourly_usd",
        "Replica price (an hour)",
        positive(10_000),
        FromRegistry(REPLICA_PRICE),
        "price of one serving replica an hour, USD",
        fmt=PRICE,
    ),
    Param(
        "spare_replicas",
        "Spare replicas",
        whole(0, 1_000),
        FromRegistry("assume-realtime.spare_replicas"),
        "spare real-time replicas, N+1 = 1",
    ),
    Param(
        "max_staleness_minutes",
        "Staleness users tolerate (minutes)",
        between(0, 1_000_000),
        FromRegistry("assume-batch.max_staleness_minutes"),
        "how old a prediction users tolerate, minutes",
    ),
    Param(
        "batch_interval_hours",
        "Time between batch runs (hours)",
        positive(8_760),
        FromRegistry("assume-batch.interval_hours"),
        "hours between batch runs",
    ),
    Param(
        "batch_max_run_hours",
        "Longest batch run (hours)",
        positive(8_760),
        FromRegistry("assume-batch.max_run_hours"),
        "longest a batch run may take, hours; at most --batch-interval-hours",
    ),
    Param(
        "batch_throughput_per_second",
        "Batched throughput per replica (requests/s)",
        positive(10**9),
        FromRegistry("assume-batch.throughput_per_second"),
        "requests/s one replica handles on batched input",
    ),
    Param(
        "batch_hourly_usd",
        "Batch replica price (an hour)",
        positive(10_000),
        Derived("the real-time replica price, --replica-hourly-usd", _batch_price),
        "price of a batch replica an hour, e.g. interruptible capacity",
        fmt=PRICE,
    ),
    Param(
        "api_model",
        "API model",
        Text("a model id known to genai-prices, such as 'gpt-4o-mini'", optional=True),
        Fixed(None, "no API compared"),
        "also compare a hosted LLM API's synchronous and batch prices for this model",
        fmt=TEXT,
    ),
    Param(
        "input_tokens",
        "Input tokens per request",
        whole(0, 10_000_000),
        FromRegistry("assume-traffic.input_tokens"),
        "with --api-model: input tokens per request",
    ),
    Param(
        "output_tokens",
        "Output tokens per request",
        whole(1, 1_000_000),
        FromRegistry("assume-traffic.output_tokens"),
        "with --api-model: output tokens per request",
    ),
)
"""Every input, declared once: the command's options, validation and the record read it."""


@dataclass(frozen=True)
class Scenario:
    """Every input of the comparison (see :data:`PARAMS`); build one with :func:`scenario`,
    which validates and fills defaults; the constructor does not."""

    daily_requests: Decimal
    peak_to_mean: Decimal
    service_ms: Decimal
    p95_ms: Decimal
    replica_hourly_usd: Decimal
    spare_replicas: int
    max_staleness_minutes: Decimal
    batch_interval_hours: Decimal
    batch_max_run_hours: Decimal
    batch_throughput_per_second: Decimal
    batch_hourly_usd: Decimal
    api_model: str | None
    input_tokens: int
    output_tokens: int
    inputs: Inputs = field(compare=False, repr=False)

    @property
    def peak_arrivals_per_second(self) -> float:
        return float(self.daily_requests / SECONDS_PER_DAY * self.peak_to_mean)

    def with_daily_requests(self, daily_requests: Decimal | int) -> Scenario:
        return replace(self, daily_requests=Decimal(daily_requests))


def _discount_claim(api_model: str) -> str:
    """The registry claim of the model's provider's batch discount, or a one-line refusal."""
    provider = build_vs_buy.api_price(api_model).provider
    claim_id = BATCH_DISCOUNT_CLAIMS.get(provider)
    if claim_id is None:
        raise InvalidParameterError(
            f"api_model must be from a provider with a documented batch discount "
            f"({', '.join(sorted(BATCH_DISCOUNT_CLAIMS))}); got {api_model!r} from {provider!r}."
        )
    return claim_id


def _build(inputs: Inputs) -> Scenario:
    """The scenario, after the checks that read two inputs together."""
    values = dict(inputs.values)
    service, target = values["service_ms"], values["p95_ms"]
    if target <= service:
        raise InvalidParameterError(
            f"p95_ms must be greater than service_ms ({plain(service)} ms), since a request "
            f"takes at least its service time; got {plain(target)}."
        )
    interval, run = values["batch_interval_hours"], values["batch_max_run_hours"]
    if run > interval:
        if inputs.origins["batch_max_run_hours"].given:
            raise InvalidParameterError(
                f"batch_max_run_hours must be at most batch_interval_hours: a number in "
                f"(0, {plain(interval)}]; got {plain(run)}."
            )
        raise InvalidParameterError(
            f"batch_interval_hours must be at least batch_max_run_hours ({plain(run)} h, its "
            f"default), or give a shorter batch_max_run_hours too; got {plain(interval)}."
        )
    model = values["api_model"]
    if model is None:
        if inputs.origins["input_tokens"].given or inputs.origins["output_tokens"].given:
            raise InvalidParameterError(
                "api_model must be given with input_tokens or output_tokens; got none."
            )
    else:
        values["api_model"] = build_vs_buy.api_price(model).model  # the canonical id
        _discount_claim(model)
    return Scenario(**values, inputs=inputs)


def scenario(**inputs: object) -> Scenario:
    """A validated :class:`Scenario`; any input not given takes its declared default
    (:data:`PARAMS`)."""
    return SPEC.scenario(**inputs)


# --- Real-time ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RealTime:
    """The always-on fleet: sized for the p95 at the peak, plus spares."""

    peak_arrivals_per_second: float
    replicas: int
    replicas_provisioned: int
    utilisation: float
    p_wait: float
    p95_wait_ms: float
    monthly_usd: Decimal


def size_realtime(s: Scenario) -> QueueState:
    """The smallest fleet whose p95 queueing wait fits in the target minus the service time."""
    service_s = float(s.service_ms) / 1000
    budget_s = (float(s.p95_ms) - float(s.service_ms)) / 1000
    if s.peak_arrivals_per_second * service_s >= MAX_REPLICAS:  # more busy replicas than allowed
        _too_many_replicas(s)
    for state in fleet_sizes(s.peak_arrivals_per_second, 1 / service_s, P95):
        if state.wait_quantile <= budget_s:
            return state
        if state.servers >= MAX_REPLICAS:
            break
    _too_many_replicas(s)


def _too_many_replicas(s: Scenario) -> NoReturn:
    raise InvalidParameterError(
        f"daily_requests must need at most {MAX_REPLICAS:,} replicas at the peak; "
        f"got {plain(s.daily_requests)}."
    )


def realtime(s: Scenario) -> RealTime:
    state = size_realtime(s)
    provisioned = state.servers + s.spare_replicas
    return RealTime(
        peak_arrivals_per_second=s.peak_arrivals_per_second,
        replicas=state.servers,
        replicas_provisioned=provisioned,
        utilisation=state.utilisation,
        p_wait=state.p_wait,
        p95_wait_ms=state.wait_quantile * 1000,
        monthly_usd=provisioned * s.replica_hourly_usd * HOURS_PER_MONTH,
    )


# --- Batch --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    """Scheduled runs: enough replicas to finish each run in the allowed time."""

    runs_per_day: Decimal
    requests_per_run: Decimal
    replicas: int
    run_hours: Decimal
    staleness_minutes: Decimal
    monthly_usd: Decimal


def batch(s: Scenario) -> Batch:
    """Per run: volume / (throughput x replicas); billed for the hours the runs take."""
    runs_per_day = Decimal(24) / s.batch_interval_hours
    per_run = s.daily_requests / runs_per_day
    per_replica_run = s.batch_throughput_per_second * s.batch_max_run_hours * 3600
    needed = (per_run / per_replica_run).to_integral_value(rounding=ROUND_CEILING)
    if needed > MAX_REPLICAS:
        shortest = per_run / (s.batch_throughput_per_second * MAX_REPLICAS * 3600)
        raise InvalidParameterError(
            f"batch_max_run_hours must be at least {shortest:.3g} hours, so that a run of "
            f"{plain(per_run.to_integral_value(rounding=ROUND_CEILING))} requests needs at "
            f"most {MAX_REPLICAS:,} replicas; got {s.batch_max_run_hours}."
        )
    replicas = max(1, int(needed))
    run_hours = per_run / (s.batch_throughput_per_second * replicas) / 3600
    daily_usd = replicas * run_hours * runs_per_day * s.batch_hourly_usd
    return Batch(
        runs_per_day=runs_per_day,
        requests_per_run=per_run,
        replicas=replicas,
        run_hours=run_hours,
        staleness_minutes=(s.batch_interval_hours + run_hours) * 60,
        monthly_usd=monthly(daily_usd),
    )


# --- Managed APIs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiBatch:
    """A hosted LLM API's synchronous price against its batch endpoint."""

    model: str
    provider: str
    realtime_monthly_usd: Decimal
    batch_monthly_usd: Decimal
    discount: Decimal
    window_hours: Decimal
    staleness_minutes: Decimal
    claim: str


def api_batch(s: Scenario) -> ApiBatch:
    """Monthly cost of the scenario's API model with and without the provider's batch
    discount (registry, E1).

    Reuses the Build vs Buy price model; staleness is the interval between submissions plus
    the provider's completion window.
    """
    if s.api_model is None:
        raise InvalidParameterError(
            "api_model must be a model id known to genai-prices, such as 'gpt-4o-mini', to "
            "compare a hosted API; got None."
        )
    priced = build_vs_buy.scenario(
        daily_requests=s.daily_requests,
        input_tokens=s.input_tokens,
        output_tokens=s.output_tokens,
        api_model=s.api_model,
    )
    claim_id = _discount_claim(s.api_model)
    claim = load_registry().claim(claim_id)
    discount = claim.figures["discount"].number / 100
    window = claim.figures.get("window") or load_registry().figure("E1", "window")
    realtime_usd = build_vs_buy.api_monthly_usd(priced)
    return ApiBatch(
        model=priced.api_model,
        provider=build_vs_buy.api_price(s.api_model).provider,
        realtime_monthly_usd=realtime_usd,
        batch_monthly_usd=realtime_usd * (1 - discount),
        discount=discount,
        window_hours=window.number,
        staleness_minutes=(s.batch_interval_hours + window.number) * 60,
        claim=claim_id,
    )


# --- Curves -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostPoint:
    daily_requests: int
    realtime: RealTime
    batch: Batch


def cost_curve(s: Scenario, volumes: Sequence[int]) -> list[CostPoint]:
    """Both architectures' monthly cost and the real-time fleet over daily volumes."""
    points = []
    for v in volumes:
        at = s.with_daily_requests(v)
        points.append(CostPoint(v, realtime(at), batch(at)))
    return points


def log_volumes(low: int, high: int, points: int) -> list[int]:
    """Integer volumes evenly spaced on a log scale (for charts)."""
    step = (math.log10(high) - math.log10(low)) / (points - 1)
    return sorted({round(10 ** (math.log10(low) + i * step)) for i in range(points)})


# --- The decision -------------------------------------------------------------------------------


RULES: dict[str, Rule] = rules(SLUG)
"""The page's numbered rules (titles in ``data/rules.toml``)."""


@dataclass(frozen=True)
class Decision:
    scenario: Scenario
    realtime: RealTime
    batch: Batch
    recommendation: Recommendation
    rule: Rule
    reason: str
    api: ApiBatch | None = None
    """The hosted API's synchronous and batch prices, when the scenario names an API model."""

    @property
    def freshness_premium_monthly_usd(self) -> Decimal:
        """What real-time costs a month over batch: the price of freshness."""
        return self.realtime.monthly_usd - self.batch.monthly_usd


@takes(Scenario, "scenario()")
@exact
def decide(s: Scenario) -> Decision:
    """Batch when the tolerated staleness covers the batch staleness; otherwise real time.

    With an API model, the decision also carries the API's synchronous and batch prices."""
    rt, bt = realtime(s), batch(s)
    premium = rt.monthly_usd - bt.monthly_usd
    if s.max_staleness_minutes >= bt.staleness_minutes:
        recommendation: Recommendation = "batch"
        rule = RULES["BVR-1"]
        reason = (
            f"Users tolerate {plain(s.max_staleness_minutes)} minutes of staleness and a batch "
            f"every {plain(s.batch_interval_hours)} h gives at most "
            f"{_minutes(bt.staleness_minutes)}; real time would cost {usd(premium)} a month "
            f"more ({usd(rt.monthly_usd)} against {usd(bt.monthly_usd)})."
        )
    else:
        recommendation = "real-time"
        rule = RULES["BVR-2"]
        reason = (
            f"Users tolerate {plain(s.max_staleness_minutes)} minutes of staleness but a batch "
            f"every {plain(s.batch_interval_hours)} h gives up to "
            f"{_minutes(bt.staleness_minutes)}; freshness costs {usd(premium)} a month "
            f"({usd(rt.monthly_usd)} against {usd(bt.monthly_usd)})."
        )
    api = api_batch(s) if s.api_model is not None else None
    return Decision(s, rt, bt, recommendation, rule, reason, api)


def _minutes(m: Decimal) -> str:
    return f"{plain(rounded(m, '0.1', ROUND_HALF_UP))} minutes"


# --- The decision record ------------------------------------------------------------------------


def _round(x: float, digits: int) -> Decimal:
    return Decimal(str(round(x, digits)))


def _rounded(digits: int, show: str = "{:,.1f}") -> Format:
    """A float kept rounded to ``digits`` decimals, shown with ``show``."""
    return Format(lambda v: show.format(v), lambda v: _round(v, digits))


SHARE_OF_FLOAT = Format(lambda v: share(Decimal(str(v))), lambda v: _round(v, 4))
"""A probability held as a float: shown as a percentage, kept to four decimals."""

MINUTES = Format(_minutes)


def _api(d: Decision) -> ApiBatch:
    assert d.api is not None, "an API result is declared only when an API is compared"
    return d.api


def _api_compared(d: Decision) -> bool:
    return d.api is not None


RESULTS: tuple[Result[Decision], ...] = (
    Result("replicas", "Real-time replicas for the p95", lambda d: d.realtime.replicas, TEXT),
    Result(
        "replicas_provisioned",
        "Real-time replicas provisioned",
        lambda d: d.realtime.replicas_provisioned,
        shown=lambda d: (
            f"{d.realtime.replicas_provisioned} (with {d.scenario.spare_replicas} spare)"
        ),
    ),
    Result(
        "peak_requests_per_second",
        "Peak arrivals (requests/s)",
        lambda d: d.realtime.peak_arrivals_per_second,
        _rounded(3),
    ),
    Result(
        "utilization", "Utilisation at the peak", lambda d: d.realtime.utilisation, SHARE_OF_FLOAT
    ),
    Result(
        "p_wait",
        "Share of requests that queue at the peak",
        lambda d: d.realtime.p_wait,
        SHARE_OF_FLOAT,
    ),
    Result(
        "p95_wait_ms",
        "p95 queueing wait at the peak (ms)",
        lambda d: d.realtime.p95_wait_ms,
        _rounded(2),
    ),
    Result(
        "realtime_monthly_usd", "Real-time, monthly", lambda d: d.realtime.monthly_usd, USD_CENTS
    ),
    Result("batch_replicas", "Batch replicas per run", lambda d: d.batch.replicas, TEXT),
    Result(
        "batch_run_hours",
        "Batch run duration (hours)",
        lambda d: d.batch.run_hours,
        Format(lambda v: plain(rounded(v, CENT)), lambda v: rounded(v, "0.0001")),
    ),
    Result("batch_monthly_usd", "Batch, monthly", lambda d: d.batch.monthly_usd, USD_CENTS),
    Result(
        "batch_staleness_minutes",
        "Oldest prediction a user sees with batch",
        lambda d: d.batch.staleness_minutes,
        Format(_minutes, lambda v: rounded(v, "0.01")),
    ),
    Result(
        "freshness_premium_monthly_usd",
        "Monthly premium for real time",
        lambda d: d.freshness_premium_monthly_usd,
        USD_CENTS,
    ),
    Result(
        "api_realtime_monthly_usd",
        lambda d: f"{_api(d).model} synchronous, monthly",
        lambda d: _api(d).realtime_monthly_usd,
        USD_CENTS,
        when=_api_compared,
    ),
    Result(
        "api_batch_monthly_usd",
        lambda d: f"{_api(d).model} batch endpoint, monthly",
        lambda d: _api(d).batch_monthly_usd,
        USD_CENTS,
        when=_api_compared,
    ),
    Result(
        "api_batch_staleness_minutes",
        "Oldest prediction with the API batch",
        lambda d: _api(d).staleness_minutes,
        MINUTES,
        when=_api_compared,
    ),
)
"""Every output of the record, declared once: text table, JSON keys and Markdown rows; the
API's rows only when the scenario names an API model."""


@takes(Decision, "decide()")
def record(d: Decision) -> Record:
    """The decision as a :class:`~tradeoffs._record.Record` for the CLI and design reviews."""
    claims = ["E1", "E2", "assume-realtime", "assume-batch", REPLICA_PRICE.partition(".")[0]]
    if d.api is not None:
        claims.append(d.api.claim)
    made: Record = SPEC.record(d, claims=claims)
    return made


SPEC: Spec[Scenario, Decision] = Spec(
    slug=SLUG,
    title="Batch vs real-time: what freshness costs",
    params=PARAMS,
    build=_build,
    results=RESULTS,
    rules=RULES,
    fires=("BVR-1", "BVR-2"),
)
"""Batch vs real-time, declared: inputs, results and rules (see :mod:`tradeoffs._spec`)."""

"""Batch or real-time: what freshness costs, sized by queueing theory.

Real-time serving is sized for the busiest hour: replicas are added until the 95th percentile
of the *queueing wait* (M/M/c, Erlang C) fits inside the latency target minus the service
time itself. Those replicas run all month. Batch serving processes the same daily volume in
scheduled runs and pays only for the hours the runs take, at the price of staleness: a user
may see a prediction as old as the interval between runs plus the run itself.

Probabilities and times are floats (they come out of exponentials and logarithms); money is
:class:`~decimal.Decimal`, as everywhere in the handbook.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Literal

from tradeoffs import build_vs_buy
from tradeoffs._errors import InvalidParameterError
from tradeoffs._latency import BATCH_SIZES, BatchTiming, demo_model, service_times, time_batches
from tradeoffs._money import CENT, HOURS_PER_MONTH, cents, monthly
from tradeoffs._queueing import QueueState, Simulated, erlang_c, fleet_sizes, simulate
from tradeoffs._record import Record, Row
from tradeoffs._recorded import provenance as timing_source
from tradeoffs._validation import check_count, check_positive, check_range
from tradeoffs.evidence import load_registry, value_or
from tradeoffs.formatting import plain, price, share, usd

__all__ = [
    "BATCH_SIZES",
    "P95",
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


@dataclass(frozen=True)
class Scenario:
    """Every input of the comparison; build one with :func:`scenario`, which validates."""

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

    @property
    def peak_arrivals_per_second(self) -> float:
        return float(self.daily_requests / SECONDS_PER_DAY * self.peak_to_mean)

    def with_daily_requests(self, daily_requests: Decimal | int) -> Scenario:
        return replace(self, daily_requests=Decimal(daily_requests))


def scenario(
    *,
    daily_requests: object = None,
    peak_to_mean: object = None,
    service_ms: object = None,
    p95_ms: object = None,
    replica_hourly_usd: object = None,
    spare_replicas: object = None,
    max_staleness_minutes: object = None,
    batch_interval_hours: object = None,
    batch_max_run_hours: object = None,
    batch_throughput_per_second: object = None,
    batch_hourly_usd: object = None,
) -> Scenario:
    """A validated :class:`Scenario`; any input left as None takes its registry default."""

    service = check_positive("service_ms", value_or(service_ms, "assume-realtime.service_ms"))
    target = check_positive("p95_ms", value_or(p95_ms, "assume-realtime.p95_ms"))
    if target <= service:
        raise InvalidParameterError(
            f"p95_ms must be greater than service_ms ({plain(service)} ms), since a request "
            f"takes at least its service time; got {plain(target)}."
        )
    replica_price = check_positive(
        "replica_hourly_usd", value_or(replica_hourly_usd, "cpu-price-aws-m7g-large.hourly")
    )
    interval = check_positive(
        "batch_interval_hours", value_or(batch_interval_hours, "assume-batch.interval_hours")
    )
    return Scenario(
        daily_requests=check_positive(
            "daily_requests", value_or(daily_requests, "assume-realtime.daily_requests")
        ),
        peak_to_mean=check_range(
            "peak_to_mean", value_or(peak_to_mean, "assume-realtime.peak_to_mean"), low=1
        ),
        service_ms=service,
        p95_ms=target,
        replica_hourly_usd=replica_price,
        spare_replicas=check_count(
            "spare_replicas", value_or(spare_replicas, "assume-realtime.spare_replicas")
        ),
        max_staleness_minutes=check_range(
            "max_staleness_minutes",
            value_or(max_staleness_minutes, "assume-batch.max_staleness_minutes"),
            low=0,
        ),
        batch_interval_hours=interval,
        batch_max_run_hours=check_range(
            "batch_max_run_hours",
            value_or(batch_max_run_hours, "assume-batch.max_run_hours"),
            low=0,
            high=interval,
            low_inclusive=False,
        ),
        batch_throughput_per_second=check_positive(
            "batch_throughput_per_second",
            value_or(batch_throughput_per_second, "assume-batch.throughput_per_second"),
        ),
        batch_hourly_usd=check_positive(
            "batch_hourly_usd", replica_price if batch_hourly_usd is None else batch_hourly_usd
        ),
    )


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
    for state in fleet_sizes(s.peak_arrivals_per_second, 1 / service_s, P95):
        if state.wait_quantile <= budget_s:
            return state
        if state.servers >= MAX_REPLICAS:
            break
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
    replicas = max(1, int((per_run / per_replica_run).to_integral_value(rounding=ROUND_CEILING)))
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


def api_batch(
    s: Scenario, *, api_model: str, input_tokens: object, output_tokens: object
) -> ApiBatch:
    """Monthly API cost with and without the provider's batch discount (registry, E1).

    Reuses the Build vs Buy price model; staleness is the interval between submissions plus
    the provider's completion window.
    """
    priced = build_vs_buy.scenario(
        daily_requests=s.daily_requests,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        api_model=api_model,
    )
    provider = build_vs_buy.api_price(api_model).provider
    claim_id = BATCH_DISCOUNT_CLAIMS.get(provider)
    if claim_id is None:
        raise InvalidParameterError(
            f"api_model must be from a provider with a documented batch discount "
            f"({', '.join(sorted(BATCH_DISCOUNT_CLAIMS))}); got {api_model!r} from {provider!r}."
        )
    claim = load_registry().claim(claim_id)
    discount = claim.figures["discount"].number / 100
    window = claim.figures.get("window") or load_registry().figure("E1", "window")
    realtime_usd = build_vs_buy.api_monthly_usd(priced)
    return ApiBatch(
        model=priced.api_model,
        provider=provider,
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


@dataclass(frozen=True)
class Rule:
    id: str
    title: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("BVR-1", "Batch when users tolerate the staleness a schedule gives"),
        Rule("BVR-2", "Serve in real time when the decision happens at event time"),
        Rule("BVR-3", "Size real-time fleets for the p95 at the peak, not the average"),
        Rule("BVR-4", "Put a price on freshness before paying it"),
        Rule("BVR-5", "On a hosted API, send whatever can wait a day to the batch endpoint"),
        Rule("BVR-6", "Measure your service time, and check the queueing model against it"),
    )
}


@dataclass(frozen=True)
class Decision:
    scenario: Scenario
    realtime: RealTime
    batch: Batch
    recommendation: Recommendation
    rule: Rule
    reason: str
    api: ApiBatch | None = None

    @property
    def freshness_premium_monthly_usd(self) -> Decimal:
        """What real-time costs a month over batch: the price of freshness."""
        return self.realtime.monthly_usd - self.batch.monthly_usd


def decide(s: Scenario, api: ApiBatch | None = None) -> Decision:
    """Batch when the tolerated staleness covers the batch staleness; otherwise real time."""
    rt, bt = realtime(s), batch(s)
    premium = rt.monthly_usd - bt.monthly_usd
    if s.max_staleness_minutes >= bt.staleness_minutes:
        recommendation: Recommendation = "batch"
        rule = RULES["BVR-1"]
        reason = (
            f"Users tolerate {plain(s.max_staleness_minutes)} minutes of staleness and a batch "
            f"every {plain(s.batch_interval_hours)} h gives at most "
            f"{_minutes(bt.staleness_minutes)}; real time would cost {usd(premium)} a month more "
            f"({usd(rt.monthly_usd)} against {usd(bt.monthly_usd)})."
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
    return Decision(s, rt, bt, recommendation, rule, reason, api)


def _minutes(m: Decimal) -> str:
    return f"{plain(m.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP))} minutes"


# --- The decision record ------------------------------------------------------------------------


def record(d: Decision) -> Record:
    s = d.scenario
    defaults = scenario()

    def src(attr: str, ref: str) -> str:
        return ref if getattr(s, attr) == getattr(defaults, attr) else ""

    inputs = (
        Row(
            "daily_requests",
            "Daily requests",
            s.daily_requests,
            plain(s.daily_requests),
            src("daily_requests", "assume-realtime"),
        ),
        Row(
            "peak_to_mean",
            "Peak-to-mean traffic",
            s.peak_to_mean,
            plain(s.peak_to_mean),
            src("peak_to_mean", "assume-realtime"),
        ),
        Row(
            "service_ms",
            "Mean service time (ms)",
            s.service_ms,
            plain(s.service_ms),
            src("service_ms", "assume-realtime"),
        ),
        Row(
            "p95_ms",
            "p95 latency target (ms)",
            s.p95_ms,
            plain(s.p95_ms),
            src("p95_ms", "assume-realtime"),
        ),
        Row(
            "replica_hourly_usd",
            "Replica price (an hour)",
            s.replica_hourly_usd,
            price(s.replica_hourly_usd),
            src("replica_hourly_usd", "cpu-price-aws-m7g-large"),
        ),
        Row(
            "spare_replicas",
            "Spare replicas",
            s.spare_replicas,
            str(s.spare_replicas),
            src("spare_replicas", "assume-realtime"),
        ),
        Row(
            "max_staleness_minutes",
            "Staleness users tolerate (minutes)",
            s.max_staleness_minutes,
            plain(s.max_staleness_minutes),
            src("max_staleness_minutes", "assume-batch"),
        ),
        Row(
            "batch_interval_hours",
            "Time between batch runs (hours)",
            s.batch_interval_hours,
            plain(s.batch_interval_hours),
            src("batch_interval_hours", "assume-batch"),
        ),
        Row(
            "batch_max_run_hours",
            "Longest batch run (hours)",
            s.batch_max_run_hours,
            plain(s.batch_max_run_hours),
            src("batch_max_run_hours", "assume-batch"),
        ),
        Row(
            "batch_throughput_per_second",
            "Batched throughput per replica (requests/s)",
            s.batch_throughput_per_second,
            plain(s.batch_throughput_per_second),
            src("batch_throughput_per_second", "assume-batch"),
        ),
        Row(
            "batch_hourly_usd",
            "Batch replica price (an hour)",
            s.batch_hourly_usd,
            price(s.batch_hourly_usd),
            src("batch_hourly_usd", "cpu-price-aws-m7g-large"),
        ),
    )
    rt, bt = d.realtime, d.batch
    results = [
        Row("replicas", "Real-time replicas for the p95", rt.replicas, str(rt.replicas)),
        Row(
            "replicas_provisioned",
            "Real-time replicas provisioned",
            rt.replicas_provisioned,
            f"{rt.replicas_provisioned} (with {s.spare_replicas} spare)",
        ),
        Row(
            "peak_requests_per_second",
            "Peak arrivals (requests/s)",
            _round(rt.peak_arrivals_per_second, 3),
            f"{rt.peak_arrivals_per_second:,.1f}",
        ),
        Row(
            "utilization",
            "Utilisation at the peak",
            _round(rt.utilisation, 4),
            share(Decimal(str(rt.utilisation))),
        ),
        Row(
            "p_wait",
            "Share of requests that queue at the peak",
            _round(rt.p_wait, 4),
            share(Decimal(str(rt.p_wait))),
        ),
        Row(
            "p95_wait_ms",
            "p95 queueing wait at the peak (ms)",
            _round(rt.p95_wait_ms, 2),
            f"{rt.p95_wait_ms:,.1f}",
        ),
        Row(
            "realtime_monthly_usd",
            "Real-time, monthly",
            cents(rt.monthly_usd),
            usd(rt.monthly_usd),
        ),
        Row("batch_replicas", "Batch replicas per run", bt.replicas, str(bt.replicas)),
        Row(
            "batch_run_hours",
            "Batch run duration (hours)",
            bt.run_hours.quantize(Decimal("0.0001")),
            plain(bt.run_hours.quantize(CENT)),
        ),
        Row("batch_monthly_usd", "Batch, monthly", cents(bt.monthly_usd), usd(bt.monthly_usd)),
        Row(
            "batch_staleness_minutes",
            "Oldest prediction a user sees with batch",
            bt.staleness_minutes.quantize(Decimal("0.01")),
            _minutes(bt.staleness_minutes),
        ),
        Row(
            "freshness_premium_monthly_usd",
            "Monthly premium for real time",
            cents(d.freshness_premium_monthly_usd),
            usd(d.freshness_premium_monthly_usd),
        ),
    ]
    claims = ["E1", "E2", "assume-realtime", "assume-batch", "cpu-price-aws-m7g-large"]
    if d.api is not None:
        a = d.api
        results += [
            Row(
                "api_realtime_monthly_usd",
                f"{a.model} synchronous, monthly",
                cents(a.realtime_monthly_usd),
                usd(a.realtime_monthly_usd),
            ),
            Row(
                "api_batch_monthly_usd",
                f"{a.model} batch endpoint, monthly",
                cents(a.batch_monthly_usd),
                usd(a.batch_monthly_usd),
            ),
            Row(
                "api_batch_staleness_minutes",
                "Oldest prediction with the API batch",
                a.staleness_minutes,
                _minutes(a.staleness_minutes),
            ),
        ]
        claims.append(a.claim)
    return Record(
        slug=SLUG,
        title="Batch vs real-time: what freshness costs",
        inputs=inputs,
        results=tuple(results),
        recommendation=d.recommendation,
        rule_id=d.rule.id,
        rule_title=d.rule.title,
        reason=d.reason,
        claims=tuple(claims),
    )


def _round(x: float, digits: int) -> Decimal:
    return Decimal(str(round(x, digits)))

"""Batch or real-time: what freshness costs, sized by queueing theory.

Real-time serving is sized for the busiest hour: the fewest replicas whose 95th percentile of
*response time* (queueing wait plus the request's own service) meets the target, exactly for
exponential service (M/M/c) and by the Allen-Cunneen approximation with a gamma service time
otherwise (checked against a ciw simulation in the tests). Those replicas run all month.
Batch serving scores every entity on a schedule: the cadence is the longest whose staleness
(the interval plus the run) fits what users tolerate, each run pays its start-up and minimum
billed time, and the predictions are stored and served from a lookup store. Given an API
model, the record also prices a hosted LLM API's synchronous endpoint against its batch one.

Probabilities and times are floats (they come out of exponentials and logarithms); money is
:class:`~decimal.Decimal`, as everywhere in the handbook.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, Literal

from tradeoffs import build_vs_buy
from tradeoffs._errors import InvalidParameterError
from tradeoffs._latency import BATCH_SIZES, BatchTiming, demo_model, service_times, time_batches
from tradeoffs._money import CENT, HOURS_PER_MONTH, exact, rounded
from tradeoffs._queueing import (
    Service,
    Simulated,
    conditional_wait_rate,
    erlang_c,
    erlang_c_direct,
    fleet_sizes,
    response_quantile,
    simulate,
    smallest_fleet,
)
from tradeoffs._record import Record
from tradeoffs._recorded import provenance as timing_source
from tradeoffs._spec import (
    PLAIN,
    PRICE,
    TEXT,
    USD,
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
    "Service",
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
    "response_quantile",
    "scenario",
    "service_times",
    "simulate",
    "smallest_fleet",
    "time_batches",
    "timing_source",
    "warnings",
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

REPLICA_PRICE = "gpu-price-lambda.a100"
"""The registry's price of one serving replica an hour (one A100; the default of both prices)."""

MINUTE = Decimal(1) / 60
"""The shortest cadence, in hours."""


# --- Inputs -----------------------------------------------------------------------------------


def _batch_price(values: Mapping[str, Any]) -> tuple[Any, Origin]:
    """Batch replicas cost what real-time ones do, unless the reader prices them apart."""
    replica = values["replica_hourly_usd"]
    if replica == value(REPLICA_PRICE):
        return replica, Origin(REPLICA_PRICE.partition(".")[0])
    return replica, Origin(note="the replica price")


def _cadence(values: Mapping[str, Any]) -> tuple[Any, Origin]:
    """The longest cadence, up to the registry's longest, whose worst-case staleness (the
    interval plus the run) fits the tolerance, in whole hours (whole minutes under an hour).
    When none fits, runs back to back: batch then misses the tolerance and loses."""
    run = _run_plan(values, None).run_hours
    room = min(value("assume-batch.interval_hours"), values["max_staleness_minutes"] / 60 - run)
    step = Decimal(1) if room >= 1 else Decimal(1) / 60
    interval = (room / step).to_integral_value(rounding=ROUND_FLOOR) * step
    if interval >= max(run, MINUTE):
        return interval, Origin(note="the longest cadence within the tolerance")
    back_to_back = max(MINUTE, (run / MINUTE).to_integral_value(rounding=ROUND_CEILING) * MINUTE)
    return back_to_back, Origin(note="runs back to back: no cadence fits the tolerance")


def _amount(name: str, label: str, high: int, key: str, help_text: str, fmt: Format) -> Param:
    """A non-negative batch input whose default is an ``assume-batch`` figure."""
    return Param(name, label, between(0, high), FromRegistry(f"assume-batch.{key}"), help_text, fmt)


PARAMS: tuple[Param, ...] = (
    Param(
        "daily_requests",
        "Daily requests",
        between(1, 10**12),
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
        "service_cv",
        "Service-time variability (CV)",
        between("0.05", 5),
        FromRegistry("assume-realtime.service_cv"),
        "coefficient of variation of the service time; 1 is exponential (M/M/c), "
        "model inference is typically 0.1-0.5",
    ),
    Param(
        "p95_ms",
        "p95 response-time target (ms)",
        between("0.001", 3_600_000),
        FromRegistry("assume-realtime.p95_ms"),
        "p95 of response time (queueing wait + service) to meet at the peak, ms",
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
        "entities",
        "Entities scored per run",
        whole(1, 10**12),
        FromRegistry("assume-batch.entities"),
        "entities (users, items, accounts) a batch run scores; requests for others still need "
        "a real-time path",
    ),
    Param(
        "batch_throughput_per_second",
        "Batched throughput per replica (requests/s)",
        between("0.001", 10**9),
        FromRegistry("assume-batch.throughput_per_second"),
        "predictions/s one replica makes on batched input",
    ),
    Param(
        "batch_max_run_hours",
        "Longest batch run (hours)",
        between("0.01", 8_760),
        FromRegistry("assume-batch.max_run_hours"),
        "longest a batch run may take, hours; replicas are added to finish within it",
    ),
    _amount(
        "batch_startup_minutes",
        "Start-up of a run (minutes)",
        1_440,
        "startup_minutes",
        "minutes a run spends before scoring: provisioning, loading the model and the data",
        PLAIN,
    ),
    _amount(
        "batch_min_billed_minutes",
        "Minimum billed time per replica (minutes)",
        1_440,
        "min_billed_minutes",
        "minimum billed minutes of a replica per run",
        PLAIN,
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
        "batch_interval_hours",
        "Time between batch runs (hours)",
        between(MINUTE, 8_760),
        Derived("the longest cadence whose staleness fits the tolerance", _cadence),
        "hours between batch runs",
        fmt=Format(lambda v: plain(rounded(v, "0.01"))),
    ),
    _amount(
        "prediction_bytes",
        "Bytes per stored prediction",
        10**9,
        "prediction_bytes",
        "bytes one stored prediction takes",
        PLAIN,
    ),
    _amount(
        "storage_usd_per_gb_month",
        "Storage price (per GB-month)",
        10_000,
        "storage_usd_per_gb_month",
        "price of storing the predictions, USD per GB-month",
        PRICE,
    ),
    _amount(
        "lookup_store_monthly_usd",
        "Lookup store (a month)",
        10**9,
        "lookup_store_monthly_usd",
        "monthly cost of the key-value store that serves the predictions, USD",
        USD,
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
    service_cv: Decimal
    p95_ms: Decimal
    replica_hourly_usd: Decimal
    spare_replicas: int
    max_staleness_minutes: Decimal
    entities: int
    batch_throughput_per_second: Decimal
    batch_max_run_hours: Decimal
    batch_startup_minutes: Decimal
    batch_min_billed_minutes: Decimal
    batch_hourly_usd: Decimal
    batch_interval_hours: Decimal
    prediction_bytes: Decimal
    storage_usd_per_gb_month: Decimal
    lookup_store_monthly_usd: Decimal
    api_model: str | None
    input_tokens: int
    output_tokens: int
    inputs: Inputs = field(compare=False, repr=False)

    @property
    def peak_arrivals_per_second(self) -> float:
        return float(self.daily_requests / SECONDS_PER_DAY * self.peak_to_mean)

    @property
    def service(self) -> Service:
        return Service(float(self.service_ms) / 1000, float(self.service_cv))

    @property
    def min_p95_ms(self) -> float:
        """The lowest p95 of response time any fleet reaches: the p95 of the service alone."""
        return self.service.quantile(P95) * 1000

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


def _check_reachable(values: Mapping[str, Any]) -> None:
    """A p95 target at or under the p95 of the service time itself: no fleet can meet it."""
    service = Service(float(values["service_ms"]) / 1000, float(values["service_cv"]))
    lowest = service.quantile(P95) * 1000
    if float(values["p95_ms"]) <= lowest:
        raise InvalidParameterError(
            f"p95_ms must be above {lowest:,.4g} ms, the p95 of the service time itself "
            f"({plain(values['service_ms'])} ms mean, CV {plain(values['service_cv'])}) and "
            f"the lowest p95 any fleet can reach; got {plain(values['p95_ms'])}."
        )


def _check_run_fits(inputs: Inputs) -> None:
    """A run must end before the next starts."""
    values = inputs.values
    interval, limit = values["batch_interval_hours"], values["batch_max_run_hours"]
    run = _run_plan(values, interval)
    if run.run_hours > interval:
        if inputs.origins["batch_interval_hours"].given:
            raise InvalidParameterError(
                f"batch_interval_hours must be at least the run's "
                f"{plain(rounded(run.run_hours, '0.01'))} hours (start-up plus scoring within "
                f"batch_max_run_hours = {plain(limit)}), so "
                f"runs do not overlap; got {plain(interval)}."
            )
        raise InvalidParameterError(
            f"batch_max_run_hours must let a run end within the cadence; a run takes "
            f"{plain(rounded(run.run_hours, '0.01'))} hours; got {plain(limit)}."
        )


def _build(inputs: Inputs) -> Scenario:
    """The scenario, after the checks that read two inputs together."""
    values = dict(inputs.values)
    _check_reachable(values)
    _check_run_fits(inputs)
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
    """The always-on fleet: sized for the p95 of response time at the peak, plus spares."""

    peak_arrivals_per_second: float
    replicas: int
    replicas_provisioned: int
    utilisation: float
    p_wait: float
    p95_wait_ms: float
    p95_response_ms: float
    monthly_usd: Decimal


def size_realtime(s: Scenario) -> int:
    """The fewest replicas whose p95 of response time (wait + service) meets the target."""
    fleet = smallest_fleet(
        s.peak_arrivals_per_second, s.service, float(s.p95_ms) / 1000, P95, MAX_REPLICAS
    )
    if fleet is None:
        raise InvalidParameterError(
            f"daily_requests must need at most {MAX_REPLICAS:,} replicas at the peak for a "
            f"p95 of {plain(s.p95_ms)} ms; got {plain(s.daily_requests)}."
        )
    return fleet


def realtime(s: Scenario) -> RealTime:
    servers = size_realtime(s)
    rate, service = s.peak_arrivals_per_second, s.service
    load = rate * service.mean
    p_wait = erlang_c_direct(servers, load)
    theta = conditional_wait_rate(servers, rate, service)
    wait = math.log(p_wait / (1 - P95)) / theta if p_wait > 1 - P95 else 0.0
    provisioned = servers + s.spare_replicas
    return RealTime(
        peak_arrivals_per_second=rate,
        replicas=servers,
        replicas_provisioned=provisioned,
        utilisation=load / servers,
        p_wait=p_wait,
        p95_wait_ms=wait * 1000,
        p95_response_ms=response_quantile(servers, rate, service, P95) * 1000,
        monthly_usd=provisioned * s.replica_hourly_usd * HOURS_PER_MONTH,
    )


# --- Batch --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunPlan:
    """One batch run: replicas to score every entity within the time allowed."""

    replicas: int
    limit_hours: Decimal
    scoring_hours: Decimal
    run_hours: Decimal
    """Start-up plus scoring: from the run's start until its predictions are all stored."""
    billed_hours: Decimal
    """Per replica, at least the minimum billed time."""


def _run_limits(values: Mapping[str, Any], interval: Decimal | None) -> list[Decimal]:
    """The longest a run may take: the reader's limit and the cadence, and, preferably, half
    the tolerance (more replicas for a shorter run, so a short tolerance can still be met)."""
    limit = (
        values["batch_max_run_hours"]
        if interval is None
        else min(values["batch_max_run_hours"], interval)
    )
    half = values["max_staleness_minutes"] / 120
    if half - values["batch_startup_minutes"] / 60 >= MINUTE and half < limit:
        return [half, limit]
    return [limit]


def _run_plan(values: Mapping[str, Any], interval: Decimal | None) -> RunPlan:
    """Replicas so that scoring ends within the run's limit (the preferred one if it needs no
    more than :data:`MAX_REPLICAS`)."""
    startup = values["batch_startup_minutes"] / 60
    throughput = values["batch_throughput_per_second"]
    for limit in _run_limits(values, interval):
        scoring_limit = max(limit - startup, Decimal("0.000001"))
        needed = (values["entities"] / (throughput * scoring_limit * 3600)).to_integral_value(
            rounding=ROUND_CEILING
        )
        if needed <= MAX_REPLICAS:
            replicas = max(1, int(needed))
            scoring = Decimal(values["entities"]) / (throughput * replicas) / 3600
            run = startup + scoring
            billed = max(run, values["batch_min_billed_minutes"] / 60)
            return RunPlan(replicas, limit, scoring, run, billed)
    raise InvalidParameterError(
        f"batch_max_run_hours must leave time to score {values['entities']:,} entities with "
        f"at most {MAX_REPLICAS:,} replicas after a {plain(values['batch_startup_minutes'])}"
        f"-minute start-up; got {plain(values['batch_max_run_hours'])}."
    )


@dataclass(frozen=True)
class Batch:
    """Scheduled runs that score every entity, and the store that serves their predictions."""

    interval_hours: Decimal
    runs_per_month: Decimal
    replicas: int
    run_hours: Decimal
    staleness_minutes: Decimal
    compute_monthly_usd: Decimal
    storage_monthly_usd: Decimal
    lookup_monthly_usd: Decimal

    @property
    def monthly_usd(self) -> Decimal:
        return self.compute_monthly_usd + self.storage_monthly_usd + self.lookup_monthly_usd


def batch(s: Scenario) -> Batch:
    """Runs per month x replicas x billed hours x price, plus storage and the lookup store.

    Shorter cadences cost more: every run pays its start-up and minimum billed time."""
    run = _run_plan(vars(s), s.batch_interval_hours)
    runs = HOURS_PER_MONTH / s.batch_interval_hours
    gigabytes = Decimal(s.entities) * s.prediction_bytes / 10**9
    return Batch(
        interval_hours=s.batch_interval_hours,
        runs_per_month=runs,
        replicas=run.replicas,
        run_hours=run.run_hours,
        staleness_minutes=(s.batch_interval_hours + run.run_hours) * 60,
        compute_monthly_usd=runs * run.replicas * run.billed_hours * s.batch_hourly_usd,
        storage_monthly_usd=gigabytes * s.storage_usd_per_gb_month,
        lookup_monthly_usd=s.lookup_store_monthly_usd,
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
    meets_staleness: bool
    claim: str


def api_batch(s: Scenario) -> ApiBatch:
    """Monthly cost of the scenario's API model with and without the provider's batch
    discount (registry, E1).

    Reuses the Build vs Buy price model; staleness is the interval between submissions plus
    the provider's completion window, checked against the tolerance.
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
    staleness = (s.batch_interval_hours + window.number) * 60
    return ApiBatch(
        model=priced.api_model,
        provider=build_vs_buy.api_price(s.api_model).provider,
        realtime_monthly_usd=realtime_usd,
        batch_monthly_usd=realtime_usd * (1 - discount),
        discount=discount,
        window_hours=window.number,
        staleness_minutes=staleness,
        meets_staleness=staleness <= s.max_staleness_minutes,
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
    """Batch when its staleness fits the tolerance and it costs less; otherwise real time.

    With an API model, the decision also carries the API's synchronous and batch prices (and
    whether the batch endpoint's staleness fits); the reason never offers an option that
    misses the tolerance."""
    rt, bt = realtime(s), batch(s)
    fits = bt.staleness_minutes <= s.max_staleness_minutes
    prices = f"{usd(rt.monthly_usd)} a month for real time against {usd(bt.monthly_usd)} for batch"
    schedule = (
        f"a batch every {plain(rounded(s.batch_interval_hours, '0.01'))} h leaves predictions "
        f"up to {_minutes(bt.staleness_minutes)} old"
    )
    tolerated = f"Users tolerate {plain(s.max_staleness_minutes)} minutes of staleness"
    if fits and bt.monthly_usd < rt.monthly_usd:
        recommendation: Recommendation = "batch"
        rule = RULES["BVR-1"]
        reason = f"{tolerated} and {schedule}; both fit, and batch costs less: {prices}."
    elif fits:
        recommendation, rule = "real-time", RULES["BVR-4"]
        reason = f"{tolerated} and {schedule}; both fit, and real time costs less: {prices}."
    else:
        recommendation, rule = "real-time", RULES["BVR-2"]
        reason = f"{tolerated} but {schedule}; only real time fits: {prices}."
    api = api_batch(s) if s.api_model is not None else None
    return Decision(s, rt, bt, recommendation, rule, reason, api)


def warnings(d: Decision) -> tuple[str, ...]:
    """What the recommendation leaves to plan for."""
    notes = []
    if d.recommendation == "batch":
        notes.append(
            "Batch scores the entities it knows: requests for new or unseen ones (a user who "
            "signed up after the last run) still need a real-time path or a fallback."
        )
    if d.api is not None and not d.api.meets_staleness:
        notes.append(
            f"The {d.api.model} batch endpoint can return results up to "
            f"{_minutes(d.api.staleness_minutes)} after submission at this cadence, beyond the "
            "tolerance: use its synchronous endpoint for this workload."
        )
    return tuple(notes)


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
        "p95_response_ms",
        "p95 response time at the peak (ms)",
        lambda d: d.realtime.p95_response_ms,
        _rounded(2),
    ),
    Result(
        "min_p95_ms",
        "Lowest p95 any fleet reaches (ms)",
        lambda d: d.scenario.min_p95_ms,
        _rounded(2),
    ),
    Result(
        "realtime_monthly_usd", "Real-time, monthly", lambda d: d.realtime.monthly_usd, USD_CENTS
    ),
    Result(
        "batch_interval_hours",
        "Batch cadence (hours between runs)",
        lambda d: d.batch.interval_hours,
        Format(lambda v: plain(rounded(v, "0.01")), lambda v: rounded(v, "0.0001")),
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
        "batch_compute_monthly_usd",
        "  of which runs",
        lambda d: d.batch.compute_monthly_usd,
        USD_CENTS,
    ),
    Result(
        "batch_storage_monthly_usd",
        "  of which stored predictions",
        lambda d: d.batch.storage_monthly_usd,
        USD_CENTS,
    ),
    Result(
        "batch_lookup_monthly_usd",
        "  of which lookup store",
        lambda d: d.batch.lookup_monthly_usd,
        USD_CENTS,
    ),
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
    Result(
        "api_batch_meets_staleness",
        "API batch within the tolerance",
        lambda d: _api(d).meets_staleness,
        Format(lambda v: "yes" if v else "no"),
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
    made: Record = SPEC.record(d, claims=claims, warnings=warnings(d))
    return made


SPEC: Spec[Scenario, Decision] = Spec(
    slug=SLUG,
    title="Batch vs real-time: what freshness costs",
    params=PARAMS,
    build=_build,
    results=RESULTS,
    rules=RULES,
    fires=("BVR-1", "BVR-2", "BVR-4"),
)
"""Batch vs real-time, declared: inputs, results and rules (see :mod:`tradeoffs._spec`)."""

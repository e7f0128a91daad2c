"""Build vs buy: call a hosted LLM API, or serve an open model on rented GPUs?

The API side is a price list times traffic. The self-hosted side is capacity planning: enough
serving replicas for the *peak* token rate at a safe utilisation of a benchmarked throughput,
plus spare replicas, plus the people and operations that keep it running. Money is kept in
:class:`~decimal.Decimal` so a reader can check every cent by hand; curves evaluate the same
exact model at a few hundred points, which is fast enough that a second, vectorised copy of
the formulas (and the risk of the two drifting apart) is not worth having.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import cache, cached_property
from typing import Any, Literal

from tradeoffs import _lifecycle, serving
from tradeoffs._errors import InvalidParameterError
from tradeoffs._money import HOURS_PER_MONTH, MONTHS_PER_YEAR, exact, monthly, rounded
from tradeoffs._record import Record
from tradeoffs._spec import (
    PRICE,
    SHARE,
    TEXT,
    USD,
    USD_CENTS,
    Choice,
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
from tradeoffs._validation import check_choice
from tradeoffs.evidence import load_registry
from tradeoffs.formatting import share, significant

SLUG = "build-vs-buy"
SECONDS_PER_DAY = 86_400
MTOK = Decimal(1_000_000)
BREAK_EVEN_RANGE = (100, 1_000_000_000)
"""Break-even is searched between 10^2 and 10^9 requests a day."""

Recommendation = Literal["api", "self-host"]


PRICED_GPUS = {"h100-sxm": "h100", "a100-80gb": "a100"}
"""GPUs of the serving model whose rental prices the registry has, and their price keys."""
GPU_PROVIDERS = ("lambda", "runpod", "aws", "azure")

LIST_PRICE_CLAIMS = {"gpt-4o-mini": "B7"}
"""API models whose list price the registry audited (cited instead of the price data)."""

ENGINE_LOCK_IN = "B5"
"""The registry claim that dates the end of active development of a popular serving engine."""


@dataclass(frozen=True)
class ApiPrice:
    """Per-million-token prices of an API model and where they came from."""

    model: str
    provider: str
    input_usd_per_mtok: Decimal
    output_usd_per_mtok: Decimal
    source: str
    cached_input_usd_per_mtok: Decimal | None = None
    """The price of input tokens read from the provider's prompt cache (None: no cache price)."""


@cache
def api_price(
    model: str, name: str = "api_model", input_tokens: int = 1_000, output_tokens: int = 1_000
) -> ApiPrice:
    """Per-million-token prices of ``model`` for a request of ``input_tokens`` and
    ``output_tokens``, from genai-prices' bundled data (no network); ``name`` is the input that
    named the model, for the message when it is unknown.

    The request's own token counts go to genai-prices, so a long-context tier (Gemini's above
    200,000 input tokens, say) applies only to requests that cross it; a probe of a million
    tokens would bill every request at that tier."""
    from genai_prices import Usage, calc_price  # imported here: the data load is not free
    from genai_prices import __version__ as prices_version

    if not isinstance(model, str) or not model.strip():
        raise InvalidParameterError(
            f"{name} must be a model id such as 'gpt-5.4-mini'; got {model!r}."
        )
    tokens_in, tokens_out = max(1, int(input_tokens)), max(1, int(output_tokens))
    try:
        calc = calc_price(Usage(input_tokens=tokens_in, output_tokens=tokens_out), model_ref=model)
    except LookupError:
        raise InvalidParameterError(
            f"{name} must be a model id known to genai-prices {prices_version} "
            f"(such as 'gpt-5.4-mini'); got {model!r}."
        ) from None
    cached = calc_price(
        Usage(input_tokens=tokens_in, cache_read_tokens=tokens_in, output_tokens=tokens_out),
        model_ref=model,
    )
    return ApiPrice(
        model=calc.model.id,
        provider=calc.provider.id,
        input_usd_per_mtok=Decimal(calc.input_price) / tokens_in * MTOK,
        output_usd_per_mtok=Decimal(calc.output_price) / tokens_out * MTOK,
        source=f"genai-prices {prices_version}",
        cached_input_usd_per_mtok=Decimal(cached.input_price) / tokens_in * MTOK,
    )


@dataclass(frozen=True)
class Scenario:
    """Every input of the comparison (see :data:`PARAMS`); build one with :func:`scenario`,
    which validates and fills defaults; the constructor does not."""

    daily_requests: Decimal
    input_tokens: int
    cached_input_tokens: int
    output_tokens: int
    api_model: str
    api_input_usd_per_mtok: Decimal
    api_cached_input_usd_per_mtok: Decimal | None
    api_output_usd_per_mtok: Decimal
    model: str
    gpu: str
    precision: serving.Precision
    token_latency_ms: Decimal
    ttft_s: Decimal
    step_overhead_ms: Decimal
    gpus_per_replica: int
    replica_tokens_per_second: Decimal
    gpu_provider: str
    gpu_hourly_usd: Decimal
    peak_to_mean: Decimal
    utilisation: Decimal
    spare_replicas: int
    staff_fte: Decimal
    gpus_per_fte: Decimal
    staff_loaded_annual_usd: Decimal
    ops_monthly_usd: Decimal
    inputs: Inputs = field(compare=False, repr=False)

    @property
    def workload(self) -> serving.Workload:
        """What one request asks of a serving replica, for the capacity model."""
        return serving.Workload.of(vars(self))

    @property
    def api_price_source(self) -> str:
        """Where the API prices came from: "given", or the registry claim / price data."""
        origin = self.inputs.origins["api_input_usd_per_mtok"]
        return origin.claim or origin.note

    def with_daily_requests(self, daily_requests: Decimal | int) -> Scenario:
        return replace(self, daily_requests=Decimal(daily_requests))


def gpu_hourly_price(provider: str, gpu: str) -> Decimal:
    """On-demand price of one GPU-hour from the registry (``gpu-price-<provider>``)."""
    check_choice("gpu_provider", provider, GPU_PROVIDERS)
    claim = load_registry().claim(f"gpu-price-{provider}")
    if gpu not in claim.figures:
        raise InvalidParameterError(
            f"gpu_provider must offer the chosen GPU ({gpu.upper()}); {provider!r} has "
            f"no {gpu.upper()} price in the registry, so pass gpu_hourly_usd."
        )
    return claim.figures[gpu].number


@cache
def request_usd(
    model: str,
    input_tokens: int,
    output_tokens: int,
    cache_read_tokens: int = 0,
    cache_write_tokens: int = 0,
) -> Decimal:
    """genai-prices' own price of one request, with input read from or written to the
    provider's prompt cache priced at its cache prices where it has them."""
    from genai_prices import Usage, calc_price

    usage = Usage(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cache_read_tokens=cache_read_tokens,
        cache_write_tokens=cache_write_tokens,
    )
    return Decimal(calc_price(usage, model_ref=api_price(model).model).total_price)


def _tokens(values: Mapping[str, Any]) -> tuple[int, int]:
    return int(values["input_tokens"]), int(values["output_tokens"])


def _list_price(side: str) -> Callable[[Mapping[str, Any]], tuple[Any, Origin]]:
    """The API model's list price for one side (input or output tokens)."""

    def compute(values: Mapping[str, Any]) -> tuple[Any, Origin]:
        listed = api_price(values["api_model"], "api_model", *_tokens(values))
        number = {
            "input": listed.input_usd_per_mtok,
            "output": listed.output_usd_per_mtok,
            "cached": listed.cached_input_usd_per_mtok,
        }[side]
        audited = LIST_PRICE_CLAIMS.get(listed.model, "")
        return number, Origin(audited, "" if audited else listed.source)

    return compute


def _efficiency(step_overhead_ms: Decimal) -> serving.Efficiency:
    fitted = serving.calibrated()
    return serving.Efficiency(fitted.bandwidth, fitted.compute, float(step_overhead_ms) / 1000)


@cache
def _capacity(w: serving.Workload, step_overhead_ms: Decimal) -> serving.Capacity:
    return serving.replica_capacity(w, efficiency=_efficiency(step_overhead_ms))


def capacity(s: Scenario) -> serving.Capacity:
    """One replica of the serving model at this scenario's workload and latency targets."""
    return _capacity(s.workload, s.step_overhead_ms)


def efficiency(s: Scenario) -> serving.Efficiency:
    """The fitted kernel efficiencies with this scenario's engine overhead per step."""
    return _efficiency(s.step_overhead_ms)


def _overhead(values: Mapping[str, Any]) -> tuple[Any, Origin]:
    fitted = Decimal(str(serving.calibrated().step_overhead_s)) * 1000
    return rounded(fitted, "0.01"), Origin("vllm-throughput-lambda")


def _replica(values: Mapping[str, Any]) -> serving.Capacity:
    return _capacity(serving.Workload.of(values), Decimal(values["step_overhead_ms"]))


def _gpus_per_replica(values: Mapping[str, Any]) -> tuple[Any, Origin]:
    return _replica(values).tp, Origin(note="the serving model")


def _throughput(values: Mapping[str, Any]) -> tuple[Any, Origin]:
    tokens_per_s = Decimal(str(round(_replica(values).output_tokens_per_s, 1)))
    return tokens_per_s, Origin(note="the serving model")


def _gpu_price(values: Mapping[str, Any]) -> tuple[Any, Origin]:
    provider, gpu = values["gpu_provider"], values["gpu"]
    if gpu not in PRICED_GPUS:
        raise InvalidParameterError(
            f"gpu_hourly_usd has no registry price for {gpu!r} (it has prices for "
            f"{', '.join(PRICED_GPUS)}); pass --gpu-hourly-usd with your price."
        )
    return gpu_hourly_price(provider, PRICED_GPUS[gpu]), Origin(f"gpu-price-{provider}")


PARAMS: tuple[Param, ...] = (
    Param(
        "daily_requests",
        "Daily requests",
        between(1, 10**12),
        FromRegistry("assume-traffic.daily_requests"),
        "requests a day",
    ),
    serving.PARAM["input_tokens"],
    Param(
        "cached_input_tokens",
        "Of which read from the prompt cache",
        whole(0, 10_000_000),
        Fixed(0, "no prompt caching"),
        "input tokens per request the API reads from its prompt cache, billed at its cache price",
    ),
    serving.PARAM["output_tokens"],
    Param(
        "api_model",
        "API model",
        Text("a model id known to genai-prices, such as 'gpt-5.4-mini'"),
        Fixed("gpt-5.4-mini", "a current model with no shutdown in the registry"),
        "API model id known to genai-prices",
        fmt=TEXT,
    ),
    Param(
        "api_input_usd_per_mtok",
        "API input price (per million tokens)",
        between(0, 10_000),
        Derived("the API model's list price", _list_price("input")),
        "API input price, USD per million tokens",
        fmt=PRICE,
        option="--api-input-price",
    ),
    Param(
        "api_cached_input_usd_per_mtok",
        "API cached input price (per million tokens)",
        between(0, 10_000),
        Derived("the API model's list price for cached input", _list_price("cached")),
        "API price of cached input tokens, USD per million tokens",
        fmt=PRICE,
        option="--api-cached-input-price",
    ),
    Param(
        "api_output_usd_per_mtok",
        "API output price (per million tokens)",
        between(0, 10_000),
        Derived("the API model's list price", _list_price("output")),
        "API output price, USD per million tokens",
        fmt=PRICE,
        option="--api-output-price",
    ),
    *(serving.PARAM[name] for name in ("model", "gpu", "precision")),
    *(serving.PARAM[name] for name in ("token_latency_ms", "ttft_s")),
    Param(
        "step_overhead_ms",
        "Engine overhead per step (ms)",
        between(0, 1_000),
        Derived("fitted to Lambda's vLLM v0.5.4 benchmark", _overhead),
        "serving engine's time per step outside GPU kernels, ms (newer engines: less)",
    ),
    Param(
        "gpus_per_replica",
        "GPUs per replica",
        whole(1, 8),
        Derived("the serving model's best tensor-parallel degree", _gpus_per_replica),
        "GPUs per serving replica (tensor parallel)",
    ),
    Param(
        "replica_tokens_per_second",
        "Throughput per replica (output tokens/s)",
        between(1, 10_000_000),
        Derived("the serving model at the latency targets", _throughput),
        "output tokens/s of one serving replica at the latency targets",
    ),
    Param(
        "gpu_provider",
        "GPU provider",
        Choice(GPU_PROVIDERS),
        Fixed("lambda"),
        "where the GPUs are rented",
        fmt=TEXT,
    ),
    Param(
        "gpu_hourly_usd",
        "GPU price (per GPU-hour)",
        positive(1_000),
        Derived("the provider's registry price for the GPU", _gpu_price),
        "price of one GPU-hour, USD",
        fmt=PRICE,
    ),
    Param(
        "peak_to_mean",
        "Peak-to-mean traffic",
        between(1, 100),
        FromRegistry("assume-capacity.peak_to_mean"),
        "peak traffic over the daily mean",
    ),
    Param(
        "utilisation",
        "Target utilisation",
        between("0.01", 1),
        FromRegistry("assume-capacity.utilisation", divide_by=100),
        "share of benchmark throughput to run at",
        fmt=SHARE,
    ),
    Param(
        "spare_replicas",
        "Spare replicas",
        whole(0, 1_000),
        FromRegistry("assume-capacity.spare_replicas"),
        "spare serving replicas, N+1 = 1",
    ),
    Param(
        "staff_fte",
        "Engineers, base (FTE)",
        between(0, 1_000),
        FromRegistry("assume-staff.fte"),
        "engineers running the stack, in FTE",
    ),
    Param(
        "gpus_per_fte",
        "GPUs per additional engineer",
        between(1, 1_000_000),
        FromRegistry("assume-staff.gpus_per_fte"),
        "GPUs one more engineer looks after, on top of --staff-fte",
    ),
    Param(
        "staff_loaded_annual_usd",
        "Loaded cost per engineer (a year)",
        between(0, 10_000_000),
        FromRegistry("assume-staff.loaded_annual_usd"),
        "loaded annual cost of one engineer, USD",
        fmt=USD,
        option="--staff-annual-usd",
    ),
    Param(
        "ops_monthly_usd",
        "Operations overhead (a month)",
        between(0, 100_000_000),
        FromRegistry("assume-staff.ops_monthly_usd"),
        "monthly operations overhead, USD",
        fmt=USD,
    ),
)
"""Every input, declared once: the command's options, validation and the record read it."""


def _build(inputs: Inputs) -> Scenario:
    values = dict(inputs.values)
    if values["cached_input_tokens"] > values["input_tokens"]:
        raise InvalidParameterError(
            f"cached_input_tokens must be at most input_tokens ({values['input_tokens']:,}); "
            f"got {values['cached_input_tokens']:,}."
        )
    prices = ("api_input_usd_per_mtok", "api_output_usd_per_mtok")
    if not all(inputs.origins[name].given for name in prices):
        values["api_model"] = api_price(values["api_model"]).model  # the canonical id
    return Scenario(**values, inputs=inputs)


def scenario(**inputs: object) -> Scenario:
    """A validated :class:`Scenario`; any input not given takes its declared default
    (:data:`PARAMS`)."""
    return SPEC.scenario(**inputs)


# --- The cost model ----------------------------------------------------------------------------


def api_monthly_usd(s: Scenario) -> Decimal:
    """daily requests x (fresh input x input price + cached input x cache price + output x
    output price) x 365/12."""
    cached_price = (
        s.api_input_usd_per_mtok
        if s.api_cached_input_usd_per_mtok is None
        else s.api_cached_input_usd_per_mtok
    )
    fresh = s.input_tokens - s.cached_input_tokens
    per_request = (
        fresh * s.api_input_usd_per_mtok
        + s.cached_input_tokens * cached_price
        + s.output_tokens * s.api_output_usd_per_mtok
    ) / MTOK
    return monthly(s.daily_requests * per_request)


@dataclass(frozen=True)
class SelfHostCost:
    """What serving the traffic yourself costs a month, and why."""

    peak_output_tokens_per_second: Decimal
    replicas_for_peak: int
    replicas: int
    gpus: int
    hardware_monthly_usd: Decimal
    staff_monthly_usd: Decimal
    ops_monthly_usd: Decimal

    @property
    def total_monthly_usd(self) -> Decimal:
        return self.hardware_monthly_usd + self.staff_monthly_usd + self.ops_monthly_usd

    @property
    def hardware_share(self) -> Decimal:
        """Hardware over the total: the figure the article put at 20-30% without a source."""
        total = self.total_monthly_usd
        return self.hardware_monthly_usd / total if total else Decimal(0)


def staff_fte(s: Scenario, gpus: int) -> Decimal:
    """The base team plus one engineer per ``gpus_per_fte`` GPUs (fractions count: a share of
    someone's time)."""
    return s.staff_fte + gpus / s.gpus_per_fte


def self_host_cost(s: Scenario) -> SelfHostCost:
    """Replicas for the peak output-token rate at the target utilisation, plus spares."""
    peak = s.daily_requests * s.output_tokens * s.peak_to_mean / SECONDS_PER_DAY
    usable_per_replica = s.replica_tokens_per_second * s.utilisation
    for_peak = max(1, int((peak / usable_per_replica).to_integral_value(rounding=ROUND_CEILING)))
    return fleet_cost(s, for_peak, peak)


def fleet_cost(s: Scenario, for_peak: int, peak: Decimal = Decimal(0)) -> SelfHostCost:
    """What ``for_peak`` replicas (plus the spares) cost a month, with their staff."""
    replicas = for_peak + s.spare_replicas
    gpus = replicas * s.gpus_per_replica
    return SelfHostCost(
        peak_output_tokens_per_second=peak,
        replicas_for_peak=for_peak,
        replicas=replicas,
        gpus=gpus,
        hardware_monthly_usd=gpus * s.gpu_hourly_usd * HOURS_PER_MONTH,
        staff_monthly_usd=staff_fte(s, gpus) * s.staff_loaded_annual_usd / MONTHS_PER_YEAR,
        ops_monthly_usd=s.ops_monthly_usd,
    )


def _self_host_cheaper(s: Scenario, daily_requests: int) -> bool:
    at = s.with_daily_requests(daily_requests)
    return self_host_cost(at).total_monthly_usd <= api_monthly_usd(at)


@dataclass(frozen=True)
class Step:
    """Daily volumes served by the same number of replicas, and the volume from which
    self-hosting costs no more than the API within them (None: not within them)."""

    replicas: int
    first: int
    last: int
    self_host_from: int | None


@dataclass(frozen=True)
class Staircase:
    """The self-hosted cost is a staircase (constant while the replica count is) and the API
    bill a line through the origin: where they cross is exact arithmetic, not a grid search."""

    s: Scenario
    per_request: Decimal
    """The API's monthly cost of one request a day."""
    volume_per_replica: Decimal
    """Daily requests one replica serves at the target utilisation and the peak."""

    @classmethod
    def of(cls, s: Scenario) -> Staircase:
        tokens_per_day = s.replica_tokens_per_second * s.utilisation * SECONDS_PER_DAY
        return cls(
            s,
            api_monthly_usd(s.with_daily_requests(1)),
            tokens_per_day / (s.output_tokens * s.peak_to_mean),
        )

    @property
    def top(self) -> int:
        """The replica count at the top of the break-even range."""
        return max(1, _ceil(BREAK_EVEN_RANGE[1] / self.volume_per_replica))

    def step(self, replicas: int) -> Step:
        low, high = BREAK_EVEN_RANGE
        first = max(low, _floor((replicas - 1) * self.volume_per_replica) + 1)
        last = min(high, _floor(replicas * self.volume_per_replica))
        if first > last:  # no whole daily volume needs exactly this many replicas
            return Step(replicas, first, last, None)
        own = self.cost(replicas)
        start = _ceil(own / self.per_request) if self.per_request > 0 else last + 1
        return Step(replicas, first, last, max(first, start) if start <= last else None)

    def cost(self, replicas: int) -> Decimal:
        return fleet_cost(self.s, replicas).total_monthly_usd

    @cached_property
    def gain(self) -> Decimal:
        """How much faster the API bill climbs than the self-hosted one, per replica's worth
        of volume; at or below 0 the API bill never catches up over a whole step."""
        return self.per_request * self.volume_per_replica - (self.cost(2) - self.cost(1))

    def lowest_crossing(self) -> int:
        """No step below this replica count can cross: the API's bill at a step's end is at
        most per_request x k x volume_per_replica, and the step costs cost(1) + slope x (k-1)."""
        if self.gain <= 0:
            return self.top + 1
        slope = self.cost(2) - self.cost(1)
        return max(1, _floor((self.cost(1) - slope) / self.gain))


MAX_SCAN = 200_000
"""Steps examined one by one around a crossing (where the cheaper option can flip at every
added replica); far more than any realistic fleet needs."""


def break_even_daily_requests(s: Scenario) -> int | None:
    """The smallest daily volume in 10^2..10^9 at which self-hosting costs no more than the
    API, exact on the staircase of whole replicas.

    None when the two never cross in that range (including when self-hosting is already
    cheaper at the bottom of it). Just below it, the API is cheaper."""
    stairs = Staircase.of(s)
    bottom = stairs.step(max(1, _ceil(BREAK_EVEN_RANGE[0] / stairs.volume_per_replica)))
    if bottom.self_host_from == bottom.first:
        return None
    k = max(bottom.replicas, stairs.lowest_crossing())
    for replicas in range(k, min(stairs.top, k + MAX_SCAN) + 1):
        found = stairs.step(replicas).self_host_from
        if found is not None:
            return found
    return None


def self_host_cheaper_above_daily_requests(s: Scenario) -> int | None:
    """The volume from which self-hosting stays no dearer than the API up to 10^9 a day; None
    if the API is cheaper at the top of the range. Between the break-even and this volume the
    cheaper option can flip at every added replica."""
    stairs = Staircase.of(s)
    # From `settled` up, every step is cheaper from its first volume: the API's bill at a
    # step's start exceeds per_request x (k - 1) x volume_per_replica.
    gain = stairs.gain
    settled = stairs.top + 1 if gain <= 0 else 2 + _floor(stairs.cost(1) / gain)
    start = min(settled, stairs.top + 1) - 1
    later: Step | None = None
    for replicas in range(start, max(0, start - MAX_SCAN), -1):
        step = stairs.step(replicas)
        if step.first > step.last:
            continue
        if step.self_host_from != step.first:
            if step.self_host_from is not None:
                return step.self_host_from
            return later.first if later is not None else None
        later = step
    return later.first if later is not None else None


def _ceil(x: Decimal | int) -> int:
    return int(Decimal(x).to_integral_value(rounding=ROUND_CEILING))


def _floor(x: Decimal | int) -> int:
    return int(Decimal(x).to_integral_value(rounding=ROUND_FLOOR))


def _log_grid(low: int, high: int, points: int) -> list[int]:
    step = (math.log10(high) - math.log10(low)) / (points - 1)
    values = {round(10 ** (math.log10(low) + i * step)) for i in range(points)}
    return sorted(values | {low, high})


@dataclass(frozen=True)
class CostPoint:
    """Both monthly costs at one daily volume, for the cost-curve chart."""

    daily_requests: int
    api_monthly_usd: Decimal
    self_host: SelfHostCost


def cost_curve(s: Scenario, volumes: Sequence[int] | None = None) -> list[CostPoint]:
    """Monthly cost of both options over daily volumes (default: a log grid 10^2..10^9)."""
    grid = list(volumes) if volumes is not None else _log_grid(*BREAK_EVEN_RANGE, 57)
    points = []
    for v in grid:
        at = s.with_daily_requests(v)
        points.append(CostPoint(v, api_monthly_usd(at), self_host_cost(at)))
    return points


# --- Sensitivity --------------------------------------------------------------------------------

SENSITIVITY_INPUTS: dict[str, str] = {
    "api_price": "API price per token",
    "output_tokens": "output tokens per request",
    "replica_tokens_per_second": "GPU throughput",
    "step_overhead_ms": "serving engine overhead",
    "gpu_hourly_usd": "GPU hourly price",
    "utilisation": "target utilisation",
    "peak_to_mean": "peak-to-mean traffic",
    "staff": "staff cost",
    "ops_monthly_usd": "operations overhead",
}


@dataclass(frozen=True)
class SensitivityRow:
    """Break-even when one input is scaled by 0.5 and by 1.5, the others held."""

    parameter: str
    label: str
    break_even_low: int | None
    break_even_high: int | None
    clamped: bool = False
    """True when the scaled input had to be held at its valid bound (utilisation <= 1, ...)."""


def _scaled(s: Scenario, parameter: str, factor: Decimal) -> tuple[Scenario, bool]:
    if parameter == "api_price":
        return replace(
            s,
            api_input_usd_per_mtok=s.api_input_usd_per_mtok * factor,
            api_output_usd_per_mtok=s.api_output_usd_per_mtok * factor,
        ), False
    if parameter == "staff":
        return replace(s, staff_loaded_annual_usd=s.staff_loaded_annual_usd * factor), False
    if parameter == "step_overhead_ms":  # the replica's throughput is derived again from it
        try:
            return SPEC.rebuild(
                s, step_overhead_ms=s.step_overhead_ms * factor, daily_requests=s.daily_requests
            ), False
        except serving.CapacityError:  # a slower engine misses the latency target: held
            return s, True
    if parameter == "output_tokens":
        scaled_tokens = int((s.output_tokens * factor).to_integral_value())
        return replace(s, output_tokens=max(1, scaled_tokens)), False
    current: Decimal = getattr(s, parameter)
    scaled = current * factor
    bounds = {"utilisation": (None, Decimal(1)), "peak_to_mean": (Decimal(1), None)}
    lo, hi = bounds.get(parameter, (None, None))
    clamped = False
    if hi is not None and scaled > hi:
        scaled, clamped = hi, True
    if lo is not None and scaled < lo:
        scaled, clamped = lo, True
    changes: dict[str, Any] = {parameter: scaled}
    return replace(s, **changes), clamped


def sensitivity(s: Scenario, spread: Decimal = Decimal("0.5")) -> list[SensitivityRow]:
    """How far break-even moves when each input moves by +/- ``spread`` (default 50%)."""
    rows = []
    for parameter, label in SENSITIVITY_INPUTS.items():
        low, clamped_low = _scaled(s, parameter, 1 - spread)
        high, clamped_high = _scaled(s, parameter, 1 + spread)
        rows.append(
            SensitivityRow(
                parameter=parameter,
                label=label,
                break_even_low=break_even_daily_requests(low),
                break_even_high=break_even_daily_requests(high),
                clamped=clamped_low or clamped_high,
            )
        )
    return rows


# --- The decision -------------------------------------------------------------------------------


RULES: dict[str, Rule] = rules(SLUG)
"""The page's numbered rules (titles in ``data/rules.toml``)."""


@dataclass(frozen=True)
class LockInWarning:
    """A dated lock-in risk that applies to the chosen options."""

    rule: str
    message: str
    claim: str


@dataclass(frozen=True)
class Decision:
    """The comparison's result, ready for a table, a chart or a decision record."""

    scenario: Scenario
    api_monthly_usd: Decimal
    self_host: SelfHostCost
    break_even_daily_requests: int | None
    recommendation: Recommendation
    rule: Rule
    reason: str
    warnings: tuple[LockInWarning, ...] = field(default=())
    self_host_cheaper_above_daily_requests: int | None = None
    """From this volume up to 10^9 a day self-hosting stays no dearer (None: it does not)."""

    @property
    def monthly_difference_usd(self) -> Decimal:
        """What the recommended option saves a month over the other."""
        return abs(self.api_monthly_usd - self.self_host.total_monthly_usd)


def lock_in_warnings(s: Scenario) -> list[LockInWarning]:
    """Dated lock-in on both sides: the API model's shutdown, the serving engine's status."""
    registry = load_registry()
    warnings = []
    row = _lifecycle.retirement(s.api_model)
    if row is not None:
        warnings.append(
            LockInWarning(
                "BVB-5",
                f"{s.api_model} is scheduled to shut down on {row.shutdown}: an API choice needs "
                f"a migration to another model before then (the handbook assumes {row.successor}"
                ", priced differently: compare again on it).",
                row.claim,
            )
        )
    tgi = registry.figure(ENGINE_LOCK_IN, "date").date
    warnings.append(
        LockInWarning(
            "BVB-5",
            f"Text Generation Inference entered maintenance mode on {tgi}: self-host on an engine "
            "under active development (the TGI banner names vLLM and SGLang).",
            ENGINE_LOCK_IN,
        )
    )
    return warnings


def _crossing_text(be: int | None, above: int | None) -> str:
    if be is None:
        return "the two never cross between 10^2 and 10^9 requests a day"
    if above is None or above == be:
        return f"break-even is {_volume_text(be)} requests a day"
    return (
        f"self-hosting first costs no more at {_volume_text(be)} requests a day, and stays so "
        f"from {_volume_text(above)} (in between, the cheaper option changes with each added "
        "replica)"
    )


@takes(Scenario, "scenario()")
@exact
def decide(s: Scenario) -> Decision:
    """Compare both options at the scenario's volume and say which rule decides."""
    api = api_monthly_usd(s)
    own = self_host_cost(s)
    be = break_even_daily_requests(s)
    above = self_host_cheaper_above_daily_requests(s)
    if own.total_monthly_usd < api:
        recommendation: Recommendation = "self-host"
        rule = RULES["BVB-2"]
        reason = (
            f"Self-hosting costs ${own.total_monthly_usd:,.2f} a month against "
            f"${api:,.2f} for the API at {s.daily_requests:,} requests a day."
        )
    else:
        recommendation = "api"
        rule = RULES["BVB-1"]
        where = _crossing_text(be, above)
        reason = (
            f"The API costs ${api:,.2f} a month against ${own.total_monthly_usd:,.2f} "
            f"for self-hosting at {s.daily_requests:,} requests a day; {where}."
        )
    return Decision(
        scenario=s,
        api_monthly_usd=api,
        self_host=own,
        break_even_daily_requests=be,
        recommendation=recommendation,
        rule=rule,
        reason=reason,
        warnings=tuple(lock_in_warnings(s)),
        self_host_cheaper_above_daily_requests=above,
    )


# --- The decision record ------------------------------------------------------------------------


def _gpus_text(d: Decision) -> str:
    own = d.self_host
    return (
        f"{own.gpus} ({own.replicas_for_peak} replica(s) for the peak"
        f" + {d.scenario.spare_replicas} spare)"
    )


def _break_even_text(d: Decision) -> str:
    return _volume_text(d.break_even_daily_requests)


def _volume_text(volume: int | None) -> str:
    """A searched volume to three significant figures: its inputs (prices, latency targets,
    staff) are not known to eight; the JSON keeps the exact figure."""
    return f"about {significant(volume)}" if volume is not None else "none between 10^2 and 10^9"


RESULTS: tuple[Result[Decision], ...] = (
    Result("api_monthly_usd", "API, monthly", lambda d: d.api_monthly_usd, USD_CENTS),
    Result(
        "self_host_monthly_usd",
        "Self-hosted, monthly",
        lambda d: d.self_host.total_monthly_usd,
        USD_CENTS,
    ),
    Result(
        "self_host_hardware_monthly_usd",
        "  of which GPUs",
        lambda d: d.self_host.hardware_monthly_usd,
        USD_CENTS,
    ),
    Result(
        "self_host_staff_monthly_usd",
        "  of which staff",
        lambda d: d.self_host.staff_monthly_usd,
        USD_CENTS,
    ),
    Result(
        "self_host_ops_monthly_usd",
        "  of which operations",
        lambda d: d.self_host.ops_monthly_usd,
        USD_CENTS,
    ),
    Result(
        "self_host_hardware_share",
        "Hardware share of self-hosting",
        lambda d: d.self_host.hardware_share,
        Format(share, lambda v: rounded(v, "0.0001")),
    ),
    Result("gpus", "GPUs", lambda d: d.self_host.gpus, shown=_gpus_text),
    Result(
        "break_even_daily_requests",
        "Break-even (requests a day)",
        lambda d: d.break_even_daily_requests,
        shown=_break_even_text,
    ),
    Result(
        "self_host_cheaper_above_daily_requests",
        "Self-hosting stays cheaper from (requests a day)",
        lambda d: d.self_host_cheaper_above_daily_requests,
        shown=lambda d: _volume_text(d.self_host_cheaper_above_daily_requests),
    ),
)
"""Every output of the record, declared once: text table, JSON keys and Markdown rows."""


@takes(Decision, "decide()")
def record(d: Decision) -> Record:
    """The decision as a :class:`~tradeoffs._record.Record` for the CLI and design reviews."""
    claims = ["B2", "B3", "assume-traffic", "assume-capacity", "assume-staff"]
    claims += [w.claim for w in d.warnings]
    extra: dict[str, object] = {}
    try:
        replica = capacity(d.scenario)
    except serving.CapacityError:  # throughput and GPUs given by hand for a workload it can't
        replica = None
    if replica is not None:
        extra["serving_capacity"] = serving.describe(replica)
        claims += serving.sources(replica)
        claims += ["lambda-vllm-workload", "assume-serving"]
    record: Record = SPEC.record(
        d, claims=claims, warnings=tuple(w.message for w in d.warnings), json_extra=extra
    )
    return record


SPEC: Spec[Scenario, Decision] = Spec(
    slug=SLUG,
    title="Build vs buy: hosted API or self-hosted model",
    params=PARAMS,
    build=_build,
    results=RESULTS,
    rules=RULES,
    fires=("BVB-1", "BVB-2"),
)
"""Build vs buy, declared: inputs, results and rules (see :mod:`tradeoffs._spec`)."""

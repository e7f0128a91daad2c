"""Build vs buy: call a hosted LLM API, or serve an open model on rented GPUs?

The API side is a price list times traffic. The self-hosted side is capacity planning: enough
serving replicas for the *peak* token rate at a safe utilisation of a benchmarked throughput,
plus spare replicas, plus the people and operations that keep it running. Money is kept in
:class:`~decimal.Decimal` so a reader can check every cent by hand; curves evaluate the same
exact model at a few hundred points, which is fast enough that a second, vectorised copy of
the formulas (and the risk of the two drifting apart) is not worth having.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, Decimal
from functools import cache
from typing import Any, Literal

from tradeoffs._errors import InvalidParameterError
from tradeoffs._money import HOURS_PER_MONTH, MONTHS_PER_YEAR, cents, monthly
from tradeoffs._record import Record, Row
from tradeoffs._validation import check_choice, check_count, check_positive, check_range
from tradeoffs.evidence import load_registry, value, value_or
from tradeoffs.formatting import plain, price, share, usd

SLUG = "build-vs-buy"
SECONDS_PER_DAY = 86_400
MTOK = Decimal(1_000_000)
BREAK_EVEN_RANGE = (100, 1_000_000_000)
"""Break-even is searched between 10^2 and 10^9 requests a day."""

Recommendation = Literal["api", "self-host"]


@dataclass(frozen=True)
class ServingConfig:
    """A benchmarked way to serve an open model: GPUs per replica and its throughput."""

    key: str
    model: str
    gpu: Literal["h100", "a100"]
    gpus_per_replica: int
    claim: str = "vllm-throughput-lambda"

    @property
    def ref(self) -> str:
        return f"{self.claim}.{self.key}"

    @property
    def output_tokens_per_second(self) -> Decimal:
        return value(self.ref)


SERVING_CONFIGS: dict[str, ServingConfig] = {
    c.key: c
    for c in (
        ServingConfig("llama31_8b_1xh100", "Llama 3.1 8B (FP8)", "h100", 1),
        ServingConfig("llama31_8b_1xa100", "Llama 3.1 8B (FP8)", "a100", 1),
        ServingConfig("llama31_70b_2xh100", "Llama 3.1 70B (FP8)", "h100", 2),
        ServingConfig("llama31_70b_2xa100", "Llama 3.1 70B (FP8)", "a100", 2),
    )
}
GPU_PROVIDERS = ("lambda", "runpod", "aws", "azure")

RETIREMENTS = {"gpt-4o": "B8.shutdown", "gpt-4o-mini": "B8.shutdown"}
"""API models with an announced shutdown, mapped to the registry figure that dates it."""

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


@cache
def api_price(model: str) -> ApiPrice:
    """List price of ``model`` from genai-prices' bundled data (no network)."""
    from genai_prices import Usage, calc_price  # imported here: the data load is not free
    from genai_prices import __version__ as prices_version

    if not isinstance(model, str) or not model.strip():
        raise InvalidParameterError(
            f"api_model must be a model id such as 'gpt-4o-mini'; got {model!r}."
        )
    try:
        calc = calc_price(Usage(input_tokens=1_000_000, output_tokens=1_000_000), model_ref=model)
    except LookupError:
        raise InvalidParameterError(
            f"api_model must be a model id known to genai-prices {prices_version} "
            f"(such as 'gpt-4o-mini'); got {model!r}."
        ) from None
    return ApiPrice(
        model=calc.model.id,
        provider=calc.provider.id,
        input_usd_per_mtok=Decimal(calc.input_price),
        output_usd_per_mtok=Decimal(calc.output_price),
        source=f"genai-prices {prices_version}",
    )


@dataclass(frozen=True)
class Scenario:
    """Every input of the comparison. Defaults are registry claims (sourced or marked as ours).

    Build one with :func:`scenario`, which validates; the constructor does not.
    """

    daily_requests: Decimal
    input_tokens: Decimal
    output_tokens: Decimal
    api_model: str
    api_input_usd_per_mtok: Decimal
    api_output_usd_per_mtok: Decimal
    api_price_source: str
    serving: str
    replica_tokens_per_second: Decimal
    gpus_per_replica: int
    gpu_provider: str
    gpu_hourly_usd: Decimal
    peak_to_mean: Decimal
    utilisation: Decimal
    spare_replicas: int
    staff_fte: Decimal
    staff_loaded_annual_usd: Decimal
    ops_monthly_usd: Decimal

    def with_daily_requests(self, daily_requests: Decimal | int) -> Scenario:
        return replace(self, daily_requests=Decimal(daily_requests))


def gpu_hourly_price(provider: str, gpu: str) -> Decimal:
    """On-demand price of one GPU-hour from the registry (``gpu-price-<provider>``)."""
    check_choice("gpu_provider", provider, GPU_PROVIDERS)
    claim = load_registry().claim(f"gpu-price-{provider}")
    if gpu not in claim.figures:
        raise InvalidParameterError(
            f"gpu_provider must offer the serving config's GPU ({gpu.upper()}); {provider!r} has "
            f"no {gpu.upper()} price in the registry, so pass gpu_hourly_usd."
        )
    return claim.figures[gpu].number


def scenario(
    *,
    daily_requests: object = None,
    input_tokens: object = None,
    output_tokens: object = None,
    api_model: str = "gpt-4o-mini",
    api_input_usd_per_mtok: object = None,
    api_output_usd_per_mtok: object = None,
    serving: str = "llama31_8b_1xh100",
    replica_tokens_per_second: object = None,
    gpu_provider: str = "lambda",
    gpu_hourly_usd: object = None,
    peak_to_mean: object = None,
    utilisation: object = None,
    spare_replicas: object = None,
    staff_fte: object = None,
    staff_loaded_annual_usd: object = None,
    ops_monthly_usd: object = None,
) -> Scenario:
    """A validated :class:`Scenario`; any input left as None takes its registry default."""

    config = SERVING_CONFIGS[check_choice("serving", serving, tuple(SERVING_CONFIGS))]
    api_in, api_out = api_input_usd_per_mtok, api_output_usd_per_mtok
    model_id, price_source = api_model, "given"
    if api_in is None or api_out is None:
        price = api_price(api_model)
        model_id, price_source = price.model, price.source
        api_in = price.input_usd_per_mtok if api_in is None else api_in
        api_out = price.output_usd_per_mtok if api_out is None else api_out
    check_choice("gpu_provider", gpu_provider, GPU_PROVIDERS)
    if gpu_hourly_usd is None:
        gpu_hourly_usd = gpu_hourly_price(gpu_provider, config.gpu)
    if utilisation is None:
        utilisation = value("assume-capacity.utilisation") / 100

    return Scenario(
        daily_requests=check_positive(
            "daily_requests", value_or(daily_requests, "assume-traffic.daily_requests")
        ),
        input_tokens=check_range(
            "input_tokens",
            value_or(input_tokens, "assume-traffic.input_tokens"),
            low=0,
            integer=True,
        ),
        output_tokens=check_range(
            "output_tokens",
            value_or(output_tokens, "assume-traffic.output_tokens"),
            low=1,
            integer=True,
        ),
        api_model=model_id,
        api_input_usd_per_mtok=check_range("api_input_usd_per_mtok", api_in, low=0),
        api_output_usd_per_mtok=check_range("api_output_usd_per_mtok", api_out, low=0),
        api_price_source=price_source,
        serving=serving,
        replica_tokens_per_second=check_positive(
            "replica_tokens_per_second", value_or(replica_tokens_per_second, config.ref)
        ),
        gpus_per_replica=config.gpus_per_replica,
        gpu_provider=gpu_provider,
        gpu_hourly_usd=check_positive("gpu_hourly_usd", gpu_hourly_usd),
        peak_to_mean=check_range(
            "peak_to_mean", value_or(peak_to_mean, "assume-capacity.peak_to_mean"), low=1
        ),
        utilisation=check_range("utilisation", utilisation, low=0, high=1, low_inclusive=False),
        spare_replicas=check_count(
            "spare_replicas", value_or(spare_replicas, "assume-capacity.spare_replicas")
        ),
        staff_fte=check_range("staff_fte", value_or(staff_fte, "assume-staff.fte"), low=0),
        staff_loaded_annual_usd=check_range(
            "staff_loaded_annual_usd",
            value_or(staff_loaded_annual_usd, "assume-staff.loaded_annual_usd"),
            low=0,
        ),
        ops_monthly_usd=check_range(
            "ops_monthly_usd", value_or(ops_monthly_usd, "assume-staff.ops_monthly_usd"), low=0
        ),
    )


# --- The cost model ----------------------------------------------------------------------------


def api_monthly_usd(s: Scenario) -> Decimal:
    """daily requests x (input x input price + output x output price) x 365/12."""
    per_request = (
        s.input_tokens * s.api_input_usd_per_mtok + s.output_tokens * s.api_output_usd_per_mtok
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


def self_host_cost(s: Scenario) -> SelfHostCost:
    """Replicas for the peak output-token rate at the target utilisation, plus spares."""
    peak = s.daily_requests * s.output_tokens * s.peak_to_mean / SECONDS_PER_DAY
    usable_per_replica = s.replica_tokens_per_second * s.utilisation
    for_peak = max(1, int((peak / usable_per_replica).to_integral_value(rounding=ROUND_CEILING)))
    replicas = for_peak + s.spare_replicas
    gpus = replicas * s.gpus_per_replica
    return SelfHostCost(
        peak_output_tokens_per_second=peak,
        replicas_for_peak=for_peak,
        replicas=replicas,
        gpus=gpus,
        hardware_monthly_usd=gpus * s.gpu_hourly_usd * HOURS_PER_MONTH,
        staff_monthly_usd=s.staff_fte * s.staff_loaded_annual_usd / MONTHS_PER_YEAR,
        ops_monthly_usd=s.ops_monthly_usd,
    )


def _self_host_cheaper(s: Scenario, daily_requests: int) -> bool:
    at = s.with_daily_requests(daily_requests)
    return self_host_cost(at).total_monthly_usd <= api_monthly_usd(at)


def break_even_daily_requests(s: Scenario) -> int | None:
    """The smallest daily volume in 10^2..10^9 at which self-hosting costs no more than the API.

    None when the two never cross in that range (including when self-hosting is already
    cheaper at the bottom of it). Self-hosted cost is a staircase (whole replicas), so the
    search scans a fine log grid for the first crossing, then bisects to the exact request.
    """
    low, high = BREAK_EVEN_RANGE
    if _self_host_cheaper(s, low):
        return None
    grid = _log_grid(low, high, 400)
    previous = low
    for volume in grid[1:]:
        if _self_host_cheaper(s, volume):
            lo, hi = previous, volume  # invariant: API cheaper at lo, self-host at hi
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _self_host_cheaper(s, mid):
                    hi = mid
                else:
                    lo = mid
            return hi
        previous = volume
    return None


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
    if parameter == "output_tokens":
        return replace(
            s, output_tokens=max(Decimal(1), (s.output_tokens * factor).to_integral_value())
        ), False
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


@dataclass(frozen=True)
class Rule:
    """A numbered decision rule of the Build vs Buy page (anchor ``#bvb-N``)."""

    id: str
    title: str

    @property
    def anchor(self) -> str:
        return self.id.lower()


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("BVB-1", "Start on an API; move only when your own numbers say so"),
        Rule("BVB-2", "Self-host when its full monthly cost is below the API bill at your volume"),
        Rule("BVB-3", "Price the people, not only the GPUs"),
        Rule("BVB-4", "Size GPUs for the peak, at a utilisation you can live with"),
        Rule("BVB-5", "Plan for lock-in on both sides, with dates"),
        Rule("BVB-6", "Re-check the break-even whenever a price moves"),
    )
}


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

    @property
    def monthly_difference_usd(self) -> Decimal:
        """What the recommended option saves a month over the other."""
        return abs(self.api_monthly_usd - self.self_host.total_monthly_usd)


def lock_in_warnings(s: Scenario) -> list[LockInWarning]:
    """Dated lock-in on both sides: the API model's shutdown, the serving engine's status."""
    registry = load_registry()
    warnings = []
    family = next(
        (
            m
            for m in sorted(RETIREMENTS, key=len, reverse=True)
            if s.api_model == m or s.api_model.startswith(m + "-")
        ),
        None,
    )
    if family is not None:
        claim_id, _, key = RETIREMENTS[family].partition(".")
        shutdown: dt.date | None = registry.figure(claim_id, key).date
        warnings.append(
            LockInWarning(
                "BVB-5",
                f"{s.api_model} is scheduled to shut down on {shutdown}: an API choice needs a "
                "migration plan to another model before then.",
                claim_id,
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


def decide(s: Scenario) -> Decision:
    """Compare both options at the scenario's volume and say which rule decides."""
    api = api_monthly_usd(s)
    own = self_host_cost(s)
    be = break_even_daily_requests(s)
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
        where = (
            f"break-even is {be:,} requests a day"
            if be is not None
            else "the two never cross between 10^2 and 10^9 requests a day"
        )
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
    )


# --- The decision record ------------------------------------------------------------------------


def record(d: Decision) -> Record:
    """The decision as a :class:`~tradeoffs._record.Record` for the CLI and design reviews."""
    s = d.scenario
    defaults = scenario()
    config = SERVING_CONFIGS[s.serving]

    def claim_if_default(attr: str, ref: str) -> str:
        return ref if getattr(s, attr) == getattr(defaults, attr) else ""

    price_ref = "B7" if s.api_model == "gpt-4o-mini" and s.api_price_source != "given" else ""
    inputs = (
        Row(
            "daily_requests",
            "Daily requests",
            s.daily_requests,
            plain(s.daily_requests),
            claim_if_default("daily_requests", "assume-traffic"),
        ),
        Row(
            "input_tokens",
            "Input tokens per request",
            s.input_tokens,
            plain(s.input_tokens),
            claim_if_default("input_tokens", "assume-traffic"),
        ),
        Row(
            "output_tokens",
            "Output tokens per request",
            s.output_tokens,
            plain(s.output_tokens),
            claim_if_default("output_tokens", "assume-traffic"),
        ),
        Row("api_model", "API model", s.api_model, s.api_model),
        Row(
            "api_input_usd_per_mtok",
            "API input price (per million tokens)",
            s.api_input_usd_per_mtok,
            f"{price(s.api_input_usd_per_mtok)} ({s.api_price_source})",
            price_ref,
        ),
        Row(
            "api_output_usd_per_mtok",
            "API output price (per million tokens)",
            s.api_output_usd_per_mtok,
            f"{price(s.api_output_usd_per_mtok)} ({s.api_price_source})",
            price_ref,
        ),
        Row(
            "serving",
            "Self-hosted model and GPUs",
            s.serving,
            f"{config.model} on {config.gpus_per_replica}× {config.gpu.upper()} per replica",
        ),
        Row(
            "replica_tokens_per_second",
            "Throughput per replica (output tokens/s)",
            s.replica_tokens_per_second,
            plain(s.replica_tokens_per_second),
            config.claim if s.replica_tokens_per_second == config.output_tokens_per_second else "",
        ),
        Row("gpu_provider", "GPU provider", s.gpu_provider, s.gpu_provider),
        Row(
            "gpu_hourly_usd",
            "GPU price (per GPU-hour)",
            s.gpu_hourly_usd,
            price(s.gpu_hourly_usd),
            f"gpu-price-{s.gpu_provider}"
            if s.gpu_hourly_usd == _registry_gpu_price(s.gpu_provider, config.gpu)
            else "",
        ),
        Row(
            "peak_to_mean",
            "Peak-to-mean traffic",
            s.peak_to_mean,
            plain(s.peak_to_mean),
            claim_if_default("peak_to_mean", "assume-capacity"),
        ),
        Row(
            "utilisation",
            "Target utilisation",
            s.utilisation,
            share(s.utilisation),
            claim_if_default("utilisation", "assume-capacity"),
        ),
        Row(
            "spare_replicas",
            "Spare replicas",
            s.spare_replicas,
            str(s.spare_replicas),
            claim_if_default("spare_replicas", "assume-capacity"),
        ),
        Row(
            "staff_fte",
            "Engineers (FTE)",
            s.staff_fte,
            plain(s.staff_fte),
            claim_if_default("staff_fte", "assume-staff"),
        ),
        Row(
            "staff_loaded_annual_usd",
            "Loaded cost per engineer (a year)",
            s.staff_loaded_annual_usd,
            usd(s.staff_loaded_annual_usd),
            claim_if_default("staff_loaded_annual_usd", "assume-staff"),
        ),
        Row(
            "ops_monthly_usd",
            "Operations overhead (a month)",
            s.ops_monthly_usd,
            usd(s.ops_monthly_usd),
            claim_if_default("ops_monthly_usd", "assume-staff"),
        ),
    )
    own = d.self_host
    be = d.break_even_daily_requests
    results = (
        Row("api_monthly_usd", "API, monthly", cents(d.api_monthly_usd), usd(d.api_monthly_usd)),
        Row(
            "self_host_monthly_usd",
            "Self-hosted, monthly",
            cents(own.total_monthly_usd),
            usd(own.total_monthly_usd),
        ),
        Row(
            "self_host_hardware_monthly_usd",
            "  of which GPUs",
            cents(own.hardware_monthly_usd),
            usd(own.hardware_monthly_usd),
        ),
        Row(
            "self_host_staff_monthly_usd",
            "  of which staff",
            cents(own.staff_monthly_usd),
            usd(own.staff_monthly_usd),
        ),
        Row(
            "self_host_ops_monthly_usd",
            "  of which operations",
            cents(own.ops_monthly_usd),
            usd(own.ops_monthly_usd),
        ),
        Row(
            "self_host_hardware_share",
            "Hardware share of self-hosting",
            own.hardware_share.quantize(Decimal("0.0001")),
            share(own.hardware_share),
        ),
        Row(
            "gpus",
            "GPUs",
            own.gpus,
            f"{own.gpus} ({own.replicas_for_peak} replica(s) for the peak"
            f" + {s.spare_replicas} spare)",
        ),
        Row(
            "break_even_daily_requests",
            "Break-even (requests a day)",
            be,
            plain(be) if be is not None else "none between 10^2 and 10^9",
        ),
    )
    claims = [
        c
        for c in (
            "B2",
            "B3",
            price_ref,
            config.claim,
            f"gpu-price-{s.gpu_provider}",
            "assume-traffic",
            "assume-capacity",
            "assume-staff",
        )
        if c
    ]
    claims += [w.claim for w in d.warnings if w.claim not in claims]
    return Record(
        slug=SLUG,
        title="Build vs buy: hosted API or self-hosted model",
        inputs=inputs,
        results=results,
        recommendation=d.recommendation,
        rule_id=d.rule.id,
        rule_title=d.rule.title,
        reason=d.reason,
        warnings=tuple(w.message for w in d.warnings),
        claims=tuple(claims),
    )


def _registry_gpu_price(provider: str, gpu: str) -> Decimal | None:
    try:
        return gpu_hourly_price(provider, gpu)
    except InvalidParameterError:
        return None

"""Invariants of the cost model, checked over many generated scenarios (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tradeoffs import build_vs_buy as bvb

volumes = st.integers(min_value=1, max_value=10**9)
scenarios = st.builds(
    bvb.scenario,
    daily_requests=volumes,
    input_tokens=st.integers(0, 20_000),
    output_tokens=st.integers(1, 4_000),
    api_input_usd_per_mtok=st.decimals("0", "20", places=3),
    api_output_usd_per_mtok=st.decimals("0", "80", places=3),
    gpu_hourly_usd=st.decimals("0.5", "15", places=2),
    peak_to_mean=st.decimals("1", "5", places=2),
    utilisation=st.decimals("0.1", "1", places=2),
    spare_replicas=st.integers(0, 3),
    staff_fte=st.decimals("0", "5", places=1),
    ops_monthly_usd=st.decimals("0", "20000", places=0),
    # Latency targets any of these prompts can meet: the cost model is under test here; the
    # serving model's refusals are tested in tests/test_serving.py.
    ttft_s=st.just(600),
    token_latency_ms=st.just(5_000),
)


@given(scenarios, st.integers(2, 10))
def test_api_cost_is_linear_in_volume(s: bvb.Scenario, k: int) -> None:
    scaled = bvb.api_monthly_usd(s.with_daily_requests(s.daily_requests * k))
    # Exact up to the last of Decimal's 28 significant digits (the division by 12 rounds).
    assert abs(scaled - bvb.api_monthly_usd(s) * k) <= scaled * Decimal("1e-25")


@given(scenarios, volumes)
def test_self_hosting_never_gets_cheaper_with_more_traffic(s: bvb.Scenario, extra: int) -> None:
    more = s.with_daily_requests(s.daily_requests + extra)
    assert bvb.self_host_cost(more).total_monthly_usd >= bvb.self_host_cost(s).total_monthly_usd


@given(scenarios)
def test_capacity_covers_the_peak_with_spares(s: bvb.Scenario) -> None:
    cost = bvb.self_host_cost(s)
    usable = cost.replicas_for_peak * s.replica_tokens_per_second * s.utilisation
    assert usable >= cost.peak_output_tokens_per_second
    assert cost.replicas_for_peak >= 1
    assert cost.replicas == cost.replicas_for_peak + s.spare_replicas
    assert cost.gpus == cost.replicas * s.gpus_per_replica
    assert Decimal(0) <= cost.hardware_share <= Decimal(1)


@settings(max_examples=40, deadline=None)
@given(scenarios)
def test_break_even_separates_the_two_regimes(s: bvb.Scenario) -> None:
    be = bvb.break_even_daily_requests(s)
    low, high = bvb.BREAK_EVEN_RANGE
    if be is None:
        return
    assert low < be <= high

    def self_host_wins(v: int) -> bool:
        at = s.with_daily_requests(v)
        return bvb.self_host_cost(at).total_monthly_usd <= bvb.api_monthly_usd(at)

    assert self_host_wins(be)
    assert not self_host_wins(be - 1)


@given(scenarios)
def test_recommendation_is_the_cheaper_option(s: bvb.Scenario) -> None:
    d = bvb.decide(s)
    cheaper = "self-host" if d.self_host.total_monthly_usd < d.api_monthly_usd else "api"
    assert d.recommendation == cheaper

"""Batch vs real-time: the fleet, the batch runs, the API discount and the decision."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradeoffs import InvalidParameterError
from tradeoffs import batch_vs_realtime as bvr


def test_worked_example_fleet() -> None:
    """1,728,000 requests/day x 2 = 40 req/s at the peak; 50 ms service; 150 ms p95 target."""
    rt = bvr.realtime(bvr.scenario())
    assert rt.peak_arrivals_per_second == 40.0
    assert (rt.replicas, rt.replicas_provisioned) == (4, 5)
    assert rt.utilisation == 0.5
    assert round(rt.p_wait, 3) == 0.174
    assert round(rt.p95_wait_ms, 1) == 31.2
    assert rt.monthly_usd == 5 * Decimal("0.0816") * 730


def test_batch_runs_hand_computed() -> None:
    """1,728,000 requests at 2,000/s = 864 s = 0.24 h a night on one replica."""
    b = bvr.batch(bvr.scenario())
    assert (b.replicas, b.run_hours) == (1, Decimal("0.24"))
    assert b.staleness_minutes == Decimal("1454.4")
    assert b.monthly_usd == Decimal("0.24") * Decimal("0.0816") * 365 / 12


def test_batch_adds_replicas_to_finish_in_time() -> None:
    b = bvr.batch(bvr.scenario(batch_throughput_per_second=100, batch_max_run_hours="0.5"))
    # 1,728,000 / (100 x 1,800 s) = 9.6 -> 10 replicas, each run 0.48 h
    assert (b.replicas, b.run_hours) == (10, Decimal("0.48"))


def test_interruptible_batch_capacity_is_priced_separately() -> None:
    on_demand = bvr.batch(bvr.scenario()).monthly_usd
    spot = bvr.batch(bvr.scenario(batch_hourly_usd="0.0408")).monthly_usd
    assert spot == on_demand / 2


def test_api_batch_discount_halves_the_bill() -> None:
    s = bvr.scenario(api_model="gpt-4o-mini", input_tokens=500, output_tokens=200)
    api = bvr.api_batch(s)
    # 1,728,000 x (500 x 0.15 + 200 x 0.60) / 1e6 = $336.96 a day
    assert api.realtime_monthly_usd == Decimal("336.96") * 365 / 12
    assert api.batch_monthly_usd == api.realtime_monthly_usd / 2
    assert api.staleness_minutes == (24 + 24) * 60
    assert api.claim == "batch-discount-openai"
    assert bvr.decide(s).api == api
    anthropic = bvr.api_batch(
        bvr.scenario(api_model="claude-3-5-haiku", input_tokens=1, output_tokens=1)
    )
    assert anthropic.claim == "batch-discount-anthropic" and anthropic.window_hours == 24


def test_the_api_is_compared_only_when_named() -> None:
    """Without an API model the record has no API rows and cites no batch discount."""
    plain = bvr.record(bvr.decide(bvr.scenario()))
    assert bvr.decide(bvr.scenario()).api is None
    assert not [r for r in plain.results if r.key.startswith("api_")]
    assert "batch-discount-openai" not in plain.claims
    api = bvr.record(bvr.decide(bvr.scenario(api_model="gpt-4o-mini")))
    assert [r.key for r in api.results if r.key.startswith("api_")] == [
        "api_realtime_monthly_usd",
        "api_batch_monthly_usd",
        "api_batch_staleness_minutes",
    ]
    assert "batch-discount-openai" in api.claims
    with pytest.raises(InvalidParameterError, match="api_model must be a model id"):
        bvr.api_batch(bvr.scenario())


def test_defaults_come_from_the_registry() -> None:
    s = bvr.scenario()
    assert (s.daily_requests, s.p95_ms, s.service_ms) == (1_728_000, 150, 50)
    assert s.replica_hourly_usd == s.batch_hourly_usd == Decimal("0.0816")
    assert (s.api_model, s.input_tokens, s.output_tokens) == (None, 500, 200)
    origins = s.inputs.origins
    assert origins["batch_hourly_usd"].claim == "cpu-price-aws-m7g-large"
    given = bvr.scenario(replica_hourly_usd="0.2")
    assert given.batch_hourly_usd == Decimal("0.2")
    assert given.inputs.origins["batch_hourly_usd"].note == "the replica price"


def test_a_changed_input_re_derives_the_batch_price() -> None:
    s = bvr.SPEC.rebuild(bvr.scenario(), replica_hourly_usd="0.5")
    assert s.batch_hourly_usd == Decimal("0.5")
    kept = bvr.SPEC.rebuild(bvr.scenario(batch_hourly_usd="0.01"), replica_hourly_usd="0.5")
    assert kept.batch_hourly_usd == Decimal("0.01")


def test_decision_follows_the_tolerated_staleness() -> None:
    tolerant = bvr.decide(bvr.scenario(max_staleness_minutes=1800))
    assert (tolerant.recommendation, tolerant.rule.id) == ("batch", "BVR-1")
    impatient = bvr.decide(bvr.scenario(max_staleness_minutes=5))
    assert (impatient.recommendation, impatient.rule.id) == ("real-time", "BVR-2")
    assert impatient.freshness_premium_monthly_usd == (
        impatient.realtime.monthly_usd - impatient.batch.monthly_usd
    )
    frequent = bvr.decide(
        bvr.scenario(
            max_staleness_minutes=30, batch_interval_hours="0.25", batch_max_run_hours="0.25"
        )
    )
    assert frequent.recommendation == "batch"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"p95_ms": 50}, "p95_ms must be greater than service_ms (50 ms)"),
        ({"p95_ms": 10}, "p95_ms must be greater than service_ms (50 ms)"),
        ({"service_ms": 0}, "service_ms must be a number in [0.001, 3,600,000]; got 0."),
        ({"daily_requests": -1}, "daily_requests must be a number in (0, 1,000,000,000,000]"),
        ({"peak_to_mean": "nan"}, "peak_to_mean must be a finite number in [1, 100]; got 'nan'."),
        ({"max_staleness_minutes": -5}, "max_staleness_minutes must be a number in [0, 1,000,000]"),
        (
            {"batch_max_run_hours": 30},
            "batch_max_run_hours must be at most batch_interval_hours: a number in (0, 24]; "
            "got 30.",
        ),
        (
            {"batch_max_run_hours": 3, "batch_interval_hours": 2},
            "batch_max_run_hours must be at most batch_interval_hours: a number in (0, 2]",
        ),
        ({"spare_replicas": 0.5}, "spare_replicas must be a whole number in [0, 1,000]; got 0.5."),
        ({"replica_hourly_usd": "free"}, "replica_hourly_usd must be a number in (0, 10,000]"),
        ({"input_tokens": 10}, "api_model must be given with input_tokens or output_tokens"),
        ({"api_model": "no-such-model"}, "api_model must be a model id known to genai-prices"),
        ({"api_model": ""}, "api_model must be a model id known to genai-prices"),
        (
            {"api_model": "gpt-4o-mini", "output_tokens": 0},
            "output_tokens must be a whole number in [1, 1,000,000]; got 0.",
        ),
        ({"daily_requests": 10**12}, "daily_requests must need at most 1,000,000 replicas"),
    ],
)
def test_bad_input_is_one_clear_sentence(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        bvr.realtime(bvr.scenario(**overrides))
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_unknown_api_provider_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="documented batch discount"):
        bvr.scenario(api_model="mistral-large-latest")


@settings(max_examples=50, deadline=None)
@given(st.integers(1_000, 10**9), st.integers(2, 20))
def test_more_traffic_never_needs_fewer_replicas(volume: int, factor: int) -> None:
    s = bvr.scenario(daily_requests=volume)
    assert bvr.realtime(s.with_daily_requests(volume * factor)).replicas >= (
        bvr.realtime(s).replicas
    )


@settings(max_examples=50, deadline=None)
@given(st.integers(1_000, 10**9), st.integers(51, 1_000), st.integers(0, 1_000))
def test_a_looser_target_never_needs_more_replicas(volume: int, p95: int, extra: int) -> None:
    tight = bvr.realtime(bvr.scenario(daily_requests=volume, p95_ms=p95))
    loose = bvr.realtime(bvr.scenario(daily_requests=volume, p95_ms=p95 + extra))
    assert loose.replicas <= tight.replicas
    assert loose.p95_wait_ms <= p95 + extra - 50 + 1e-9

"""Build vs Buy: hand-computed cases, the decision, and clear errors for bad input."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradeoffs import InvalidParameterError
from tradeoffs import build_vs_buy as bvb


def example(**overrides: object) -> bvb.Scenario:
    """The worked example, with the replica's throughput pinned at the benchmark's 3,400.4
    tokens/s so that the cost arithmetic is checked apart from the capacity model, on the
    model whose list price the registry audited (B7; it retires on 2027-01-14)."""
    base: dict[str, object] = dict(
        api_model="gpt-4o-mini",
        daily_requests=1_000_000,
        input_tokens=500,
        output_tokens=200,
        replica_tokens_per_second="3400.4",
    )
    return bvb.scenario(**{**base, **overrides})


def test_api_worked_example() -> None:
    """1M requests/day x (500 x $0.15 + 200 x $0.60) / 1M tokens = $195/day -> $5,931.25/month."""
    s = example()
    assert s.api_input_usd_per_mtok == Decimal("0.15")
    assert s.api_output_usd_per_mtok == Decimal("0.6")
    assert bvb.api_monthly_usd(s) == Decimal("5931.25")
    assert bvb.api_monthly_usd(s) * 12 / 365 == Decimal("195")


def test_api_price_override() -> None:
    s = example(api_input_usd_per_mtok="1", api_output_usd_per_mtok="2")
    # (500 x 1 + 200 x 2) / 1e6 x 1e6 = $900/day -> x 365 / 12
    assert bvb.api_monthly_usd(s) == Decimal(900 * 365) / 12
    assert s.api_price_source == "given"


def test_self_host_hand_computed() -> None:
    """Peak output rate 1e6 x 200 / 86,400 x 2 = 4,629.6 tokens/s; one H100 replica sustains
    3,400.4 x 0.7 = 2,380.28, so 2 replicas for the peak + 1 spare = 3 GPUs at Lambda's $3.99."""
    cost = bvb.self_host_cost(example())
    assert cost.peak_output_tokens_per_second.quantize(Decimal("0.1")) == Decimal("4629.6")
    assert (cost.replicas_for_peak, cost.replicas, cost.gpus) == (2, 3, 3)
    assert cost.hardware_monthly_usd == Decimal("3") * Decimal("3.99") * 730
    staff = (1 + Decimal(3) / 256) * Decimal(200_000) / 12  # a base FTE + 1 per 256 GPUs
    assert cost.staff_monthly_usd == staff
    assert cost.ops_monthly_usd == Decimal(1000)
    share = cost.hardware_monthly_usd / (cost.hardware_monthly_usd + staff + 1000)
    assert cost.hardware_share == share


def test_staff_grow_with_the_fleet() -> None:
    small = bvb.self_host_cost(example())
    large = bvb.self_host_cost(example(daily_requests=50_000_000))
    assert large.gpus > 64 and large.staff_monthly_usd > small.staff_monthly_usd
    assert large.staff_monthly_usd == (1 + Decimal(large.gpus) / 256) * Decimal(200_000) / 12


def test_two_gpu_replicas_count_both_gpus() -> None:
    cost = bvb.self_host_cost(
        example(replica_tokens_per_second="1727.69", gpus_per_replica=2, spare_replicas=0)
    )
    # 4,629.6 / (1,727.69 x 0.7) = 3.83 -> 4 replicas of 2 GPUs
    assert (cost.replicas, cost.gpus) == (4, 8)


def test_low_volume_still_needs_one_replica() -> None:
    cost = bvb.self_host_cost(example(daily_requests=1, spare_replicas=0))
    assert cost.gpus == 1


def test_break_even_is_the_first_volume_where_self_hosting_is_no_dearer() -> None:
    s = example(gpus_per_fte=1_000_000)
    be = bvb.break_even_daily_requests(s)
    assert be is not None
    at, before = s.with_daily_requests(be), s.with_daily_requests(be - 1)
    assert bvb.self_host_cost(at).total_monthly_usd <= bvb.api_monthly_usd(at)
    assert bvb.self_host_cost(before).total_monthly_usd > bvb.api_monthly_usd(before)


def test_no_break_even_when_the_api_is_always_cheaper() -> None:
    assert (
        bvb.break_even_daily_requests(example(api_input_usd_per_mtok=0, api_output_usd_per_mtok=0))
        is None
    )


def test_no_break_even_when_self_hosting_is_always_cheaper() -> None:
    """At the top of the declared price range and without staff, two GPUs beat the API even at
    a hundred requests a day."""
    s = example(
        api_input_usd_per_mtok=10_000,
        api_output_usd_per_mtok=10_000,
        staff_fte=0,
        ops_monthly_usd=0,
    )
    assert bvb.break_even_daily_requests(s) is None
    assert bvb.decide(s).recommendation == "self-host"


def test_decision_follows_the_cheaper_option() -> None:
    cheap_api = bvb.decide(example())
    assert (cheap_api.recommendation, cheap_api.rule.id) == ("api", "BVB-1")
    dear_api = bvb.decide(example(api_input_usd_per_mtok=30, api_output_usd_per_mtok=60))
    assert (dear_api.recommendation, dear_api.rule.id) == ("self-host", "BVB-2")
    assert dear_api.self_host.total_monthly_usd < dear_api.api_monthly_usd


def test_forgetting_staff_lowers_break_even() -> None:
    with_staff = bvb.break_even_daily_requests(example(gpus_per_fte=1_000_000))
    gpu_only = bvb.break_even_daily_requests(
        example(staff_fte=0, ops_monthly_usd=0, gpus_per_fte=1_000_000)
    )
    assert with_staff is not None and gpu_only is not None
    assert gpu_only < with_staff


def test_sensitivity_moves_break_even_in_the_expected_direction() -> None:
    rows = {r.parameter: r for r in bvb.sensitivity(example(gpus_per_fte=1_000_000))}
    assert set(rows) == set(bvb.SENSITIVITY_INPUTS)
    staff = rows["staff"]
    assert staff.break_even_low is not None and staff.break_even_high is not None
    assert staff.break_even_low < staff.break_even_high
    assert rows["utilisation"].clamped  # 0.7 x 1.5 is held at 1


def test_lock_in_is_dated_on_both_sides() -> None:
    warnings = bvb.decide(example()).warnings
    text = " ".join(w.message for w in warnings)
    assert "2027-01-14" in text and "2025-12-11" in text
    other = bvb.decide(example(api_model="claude-3-5-haiku")).warnings
    assert [w.claim for w in other] == ["B5"]


def test_defaults_come_from_the_registry() -> None:
    s = bvb.scenario()
    assert s.daily_requests == 1_000_000
    assert s.utilisation == Decimal("0.7")
    assert s.gpu_hourly_usd == Decimal("3.99")
    replica = bvb.capacity(s)
    assert s.replica_tokens_per_second == round(Decimal(replica.output_tokens_per_s), 1)
    assert s.gpus_per_replica == replica.tp == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"daily_requests": -5},
            "daily_requests must be a number in [1, 1,000,000,000,000]; got -5.",
        ),
        (
            {"daily_requests": 0},
            "daily_requests must be a number in [1, 1,000,000,000,000]; got 0.",
        ),
        (
            {"daily_requests": math.nan},
            "daily_requests must be a finite number in [1, 1,000,000,000,000]; got nan.",
        ),
        ({"daily_requests": 1e13}, "daily_requests must be a number in [1, 1,000,000,000,000]"),
        ({"daily_requests": "lots"}, "daily_requests must be a number in [1, 1,000,000,000,000]"),
        ({"output_tokens": 0}, "output_tokens must be a whole number in [1, 1,000,000]; got 0."),
        ({"input_tokens": 2.5}, "input_tokens must be a whole number in [0, 10,000,000]; got 2.5."),
        ({"utilisation": 1.5}, "utilisation must be a number in [0.01, 1]; got 1.5."),
        ({"peak_to_mean": 0.5}, "peak_to_mean must be a number in [1, 100]; got 0.5."),
        ({"gpu_hourly_usd": 0}, "gpu_hourly_usd must be a number in (0, 1,000]; got 0."),
        ({"api_model": "no-such-model"}, "api_model must be a model id known to genai-prices"),
        ({"gpu": "gpt-5"}, "gpu must be one of h100-sxm, h200"),
        ({"model": "llama-9"}, "model must be one of llama-3.1-8b"),
        ({"gpu_provider": "moon"}, "gpu_provider must be one of lambda, runpod, aws, azure"),
        ({"daily_requests": True}, "daily_requests must be a number in [1, 1,000,000,000,000]"),
        ({"no_such_input": 1}, "no_such_input is not an input of build-vs-buy; the inputs are"),
    ],
)
def test_bad_input_is_one_clear_sentence(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        example(**overrides)
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_provider_without_the_gpu_says_so() -> None:
    with pytest.raises(InvalidParameterError, match=r"azure.*no A100 price"):
        example(gpu="a100-80gb", gpu_provider="azure")
    s = example(gpu="a100-80gb", gpu_provider="azure", gpu_hourly_usd=3)
    assert s.gpu_hourly_usd == 3


@pytest.mark.parametrize(
    ("model", "tokens_in", "tokens_out"),
    [
        ("gemini-2.5-pro", 3_000, 500),
        ("gemini-2.5-pro", 300_000, 500),  # past the 200k long-context tier: its price applies
        ("gemini-1.5-pro", 3_000, 500),
        ("gpt-4o-mini", 500, 200),
        ("claude-3-5-haiku", 4_000, 1_000),
    ],
)
def test_api_cost_is_genai_prices_own_price_at_the_requests_token_counts(
    model: str, tokens_in: int, tokens_out: int
) -> None:
    """Prices at the request's real token counts: a long-context tier only when crossed."""
    from genai_prices import Usage, calc_price

    own = calc_price(Usage(input_tokens=tokens_in, output_tokens=tokens_out), model_ref=model)
    s = bvb.scenario(
        daily_requests=1_000_000,
        api_model=model,
        input_tokens=tokens_in,
        output_tokens=tokens_out,
        ttft_s=600,  # the self-hosted side must exist; its latency is not under test here
        token_latency_ms=10_000,
    )
    expected = Decimal(own.total_price) * 1_000_000 * 365 / 12
    assert abs(bvb.api_monthly_usd(s) - expected) <= expected * Decimal("0.005")


def test_the_staircase_crossings_of_the_issue() -> None:
    """With staff fixed at one engineer (the earlier model), self-hosting first costs no more
    at 77,622,694 requests a day and the cheaper option flips with each replica up to
    87,935,368, from which self-hosting stays cheaper."""
    s = bvb.scenario(
        api_model="gpt-4o-mini", gpus_per_fte=1_000_000, replica_tokens_per_second="3400.4"
    )
    be, above = bvb.break_even_daily_requests(s), bvb.self_host_cheaper_above_daily_requests(s)
    assert (be, above) == (77_622_694, 87_935_368)
    assert not bvb._self_host_cheaper(s, be - 1) and bvb._self_host_cheaper(s, be)
    assert not bvb._self_host_cheaper(s, above - 1) and bvb._self_host_cheaper(s, above)


def _step_ends(s: bvb.Scenario, low: int, high: int) -> list[int]:
    """The last daily volume served by each replica count in [low, high]."""
    per_replica = s.replica_tokens_per_second * s.utilisation * 86_400
    volume = per_replica / (s.output_tokens * s.peak_to_mean)
    ends, k = [], max(1, int(low / volume))
    while k * volume <= high:
        end = int(k * volume)
        if end >= low:
            ends.append(end)
        k += 1
    return ends


staircases = st.builds(
    bvb.scenario,
    output_tokens=st.integers(20, 400),
    replica_tokens_per_second=st.decimals("500", "5000", places=0),
    gpu_hourly_usd=st.decimals("0.5", "6", places=2),
    api_output_usd_per_mtok=st.decimals("0.5", "30", places=2),
    staff_fte=st.decimals("0", "3", places=1),
    gpus_per_fte=st.integers(8, 10**6),
    spare_replicas=st.integers(0, 2),
)


@settings(max_examples=40, deadline=None)
@given(staircases)
def test_break_even_is_exact_on_the_staircase(s: bvb.Scenario) -> None:
    """Checked by direct cost comparison: the API is cheaper just below the break-even and at
    the end of every replica step under it (where self-hosting is relatively cheapest); above
    `self_host_cheaper_above`, self-hosting is cheaper at the start of every step."""
    be = bvb.break_even_daily_requests(s)
    above = bvb.self_host_cheaper_above_daily_requests(s)
    low, high = bvb.BREAK_EVEN_RANGE
    if be is not None:
        assert bvb._self_host_cheaper(s, be) and not bvb._self_host_cheaper(s, be - 1)
        ends = _step_ends(s, low, be - 1)
        for end in ends[-300:]:
            assert not bvb._self_host_cheaper(s, end)
    if above is not None:
        assert bvb._self_host_cheaper(s, above)
        if above > low:
            assert not bvb._self_host_cheaper(s, above - 1)
        for end in _step_ends(s, above, high)[:300]:
            assert bvb._self_host_cheaper(s, end + 1) or end + 1 > high
        assert be is not None and be <= above
    else:
        assert not bvb._self_host_cheaper(s, high)


@pytest.mark.parametrize("model", ["gpt-4o-mini", "claude-3-5-haiku", "gemini-2.5-pro"])
def test_cached_input_is_billed_at_the_cache_price(model: str) -> None:
    """Input read from the prompt cache, priced as genai-prices prices it."""
    from genai_prices import Usage, calc_price

    usage = Usage(input_tokens=3_000, cache_read_tokens=2_000, output_tokens=500)
    own = calc_price(usage, model_ref=model)
    s = bvb.scenario(
        daily_requests=1_000_000,
        api_model=model,
        input_tokens=3_000,
        cached_input_tokens=2_000,
        output_tokens=500,
    )
    expected = Decimal(own.total_price) * 1_000_000 * 365 / 12
    assert abs(bvb.api_monthly_usd(s) - expected) <= expected * Decimal("0.005")
    uncached = bvb.scenario(
        daily_requests=1_000_000, api_model=model, input_tokens=3_000, output_tokens=500
    )
    assert bvb.api_monthly_usd(s) < bvb.api_monthly_usd(uncached)


def test_more_cached_than_input_tokens_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="cached_input_tokens must be at most"):
        bvb.scenario(input_tokens=500, cached_input_tokens=501)

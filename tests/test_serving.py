"""The serving-capacity model against physics, its calibration and its own promises."""

from __future__ import annotations

import itertools
import math

import pytest

from tradeoffs import build_vs_buy as bvb
from tradeoffs import serving
from tradeoffs._errors import InvalidParameterError
from tradeoffs.evidence import load_registry

MODELS = tuple(serving.MODEL_CLAIMS)
GPUS = tuple(serving.GPU_CLAIMS)


def roofline(model: str, gpu: str, precision: serving.Precision, batch: int, ctx: int) -> float:
    """Bytes over datasheet bandwidth and FLOPs over datasheet peak, straight from the
    registry's figures (an independent restatement, not a call into the model)."""
    reg = load_registry()
    m = {k: float(f.number) for k, f in reg.claim(serving.MODEL_CLAIMS[model]).figures.items()}
    g = {k: float(f.number) for k, f in reg.claim(serving.GPU_CLAIMS[gpu]).figures.items()}
    weight_bytes = m["parameters"] * (1 if precision == "fp8" else 2)
    kv = 2 * m["layers"] * m["kv_heads"] * m["head_dim"] * 2
    seconds_memory = (weight_bytes + batch * ctx * kv) / (g["bandwidth"] * 1e9)
    peak = g["fp8"] if precision == "fp8" and "fp8" in g else g["bf16"]
    seconds_compute = batch * 2 * m["parameters"] / (peak * 1e12)
    return max(seconds_memory, seconds_compute)


@pytest.mark.parametrize(("model", "gpu"), list(itertools.product(MODELS, GPUS)))
def test_no_decode_step_beats_the_datasheet(model: str, gpu: str) -> None:
    for precision, batch, ctx in itertools.product(
        serving.PRECISIONS, (1, 8, 64, 256), (1, 512, 8_192, 131_072)
    ):
        estimate = serving.decode_step_seconds(model, gpu, precision, batch, ctx)
        assert estimate >= roofline(model, gpu, precision, batch, ctx) * (1 - 1e-12)


def test_llama_8b_bf16_on_an_h100_is_near_its_memory_roofline_at_batch_one() -> None:
    """16 GB of weights over 3.35 TB/s is 4.8 ms; a well-written decoder gets most of it."""
    step = serving.decode_step_seconds("llama-3.1-8b", "h100-sxm", "bf16", 1, 1_000)
    floor = roofline("llama-3.1-8b", "h100-sxm", "bf16", 1, 1_000)
    assert floor == pytest.approx(0.00483, rel=0.01)
    assert floor < step < floor / 0.5


def test_prefill_is_never_faster_than_its_flops_at_peak() -> None:
    for model, gpu, tokens in itertools.product(MODELS, GPUS, (1, 500, 32_000)):
        shape, card = serving.model_shape(model), serving.gpu(gpu)
        flops = 2 * shape.parameters * tokens
        assert serving.prefill_seconds(model, gpu, "fp8", tokens) >= flops / card.peak_flops("fp8")


def test_kv_cache_bytes_follow_the_shapes() -> None:
    """Llama 3.1 8B: 2 x 32 layers x 8 KV heads x 128 x 2 bytes = 128 KiB a token."""
    assert serving.model_shape("llama-3.1-8b").kv_bytes_per_token == 131_072
    assert serving.model_shape("llama-3.1-70b").kv_bytes_per_token == 327_680


def test_the_calibration_table_is_what_the_model_gives_at_the_fit() -> None:
    data = serving.calibration()
    eff = serving.calibrated()
    tokens = data["workload"]
    for cell in data["cells"]:
        w = serving.Workload(
            cell["model"],
            cell["gpu"],
            "fp8",
            tokens["input_tokens"],
            tokens["output_tokens"],
            math.inf,
            math.inf,
        )
        batch = serving.max_concurrency(
            cell["model"], cell["gpu"], "fp8", w.context_tokens, cell["tp"]
        )
        estimate = batch / serving.token_latency(w, batch, cell["tp"], eff)
        assert estimate == pytest.approx(cell["estimated_tokens_per_s"], abs=0.1)
        measured = float(load_registry().figure("vllm-throughput-lambda", cell["cell"]).number)
        assert cell["measured_tokens_per_s"] == measured
        assert abs(estimate / measured - 1) < 0.25  # the fit's error, shown on the page


def test_a_replica_meets_its_latency_targets_and_memory() -> None:
    w = serving.workload(
        model="llama-3.1-70b",
        gpu="h100-sxm",
        precision="fp8",
        input_tokens=4_000,
        output_tokens=300,
        token_latency_ms=60,
        ttft_s=3,
    )
    c = serving.replica_capacity(w)
    assert c.token_latency_s <= 0.060 and c.first_token_s <= 3
    assert 1 <= c.concurrency <= c.memory_concurrency <= serving.MAX_SEQUENCES
    kv_needed = c.concurrency * w.context_tokens * c.kv_bytes_per_token
    assert c.weight_bytes + kv_needed <= c.tp * serving.gpu("h100-sxm").memory_bytes


def test_a_model_that_cannot_fit_is_a_clear_error() -> None:
    w = serving.workload(
        model="llama-3.1-70b",
        gpu="l4",
        precision="bf16",
        input_tokens=100_000,
        output_tokens=1_000,
        token_latency_ms=1_000,
        ttft_s=600,
    )
    with pytest.raises(InvalidParameterError, match="does not fit on 8 × l4"):
        serving.replica_capacity(w)


@pytest.mark.parametrize("model", MODELS)
def test_more_input_tokens_never_lower_the_self_hosted_cost(model: str) -> None:
    previous = None
    for tokens in (0, 100, 500, 2_000, 4_000, 8_000, 16_000, 32_000):
        s = bvb.scenario(model=model, input_tokens=tokens, ttft_s=600, token_latency_ms=2_000)
        cost = bvb.self_host_cost(s)
        if previous is not None:
            assert cost.gpus >= previous.gpus
            assert cost.total_monthly_usd >= previous.total_monthly_usd
        previous = cost


def test_just_below_the_break_even_the_api_is_cheaper() -> None:
    s = bvb.scenario(step_overhead_ms=0)
    be = bvb.break_even_daily_requests(s)
    assert be is not None
    assert not bvb._self_host_cheaper(s, be - 1) and bvb._self_host_cheaper(s, be)


def test_the_serving_command_prints_a_replica(capsys: pytest.CaptureFixture[str]) -> None:
    from tradeoffs.cli import main

    assert main(["serving", "--model", "llama-3.1-70b", "--input-tokens", "4000"]) == 0
    out = capsys.readouterr().out
    assert "Sequences that fit" in out and "Assumptions:" in out


def test_the_retired_serving_option_points_at_its_replacement(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tradeoffs.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["build-vs-buy", "--serving", "llama31_8b_1xh100"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--model, --gpu and --precision" in err and len(err.strip().splitlines()) == 1


def test_the_sensitivity_varies_the_engine_overhead_through_the_capacity_model() -> None:
    """A faster engine (half the fitted overhead) brings a break-even into range on GPT-4o
    mini's prices, where the fitted overhead gives none."""
    s = bvb.scenario(api_model="gpt-4o-mini")
    assert bvb.break_even_daily_requests(s) is None
    row = {r.parameter: r for r in bvb.sensitivity(s)}["step_overhead_ms"]
    assert row.break_even_low is not None and row.break_even_high is None

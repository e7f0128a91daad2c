"""Serving capacity of an open model on rented GPUs, from first principles.

A decoder's step reads every weight once and each running sequence's key-value (KV) cache
once, and does about two floating-point operations per weight per sequence. Which of the two
limits it, memory bandwidth or compute, depends on the batch: at small batches decoding is
memory-bound, at large ones compute-bound. Prefill (reading the prompt) is compute-bound. The
model here puts datasheet figures (memory, bandwidth, dense tensor FLOPs, from the registry)
and model shapes (layers, KV heads, head size, from the model configs) into that roofline,
then discounts it by efficiencies calibrated against a published vLLM benchmark
(:func:`calibration`), and turns it into what a capacity planner needs: how many sequences fit
in memory, how long a decode step and a prefill take, and how many requests a second one
replica sustains while each output token arrives within a latency target (TPOT) and the first
within a time-to-first-token target (TTFT).

Assumptions, stated in every output: the KV cache is kept in 16-bit precision whatever the
weights' precision (vLLM's default); a sequence reserves KV room for its whole context (prompt
plus output); activations and the CUDA graphs take the memory the engine leaves unused
(``MEMORY_UTILISATION``); tensor parallelism splits weights, KV cache and work evenly, and its
communication is not modelled; FP8 on a GPU without FP8 tensor cores stores weights in 8 bits
and computes in 16.

The physical floor holds by construction (efficiencies are at most 1, overheads at least 0)
and is tested: no estimate is faster than bytes over datasheet bandwidth or FLOPs over
datasheet peak.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, cast

from tradeoffs._errors import InvalidParameterError
from tradeoffs._spec import (
    TEXT,
    Choice,
    Fixed,
    FromRegistry,
    Param,
    between,
    resolve_inputs,
    whole,
)
from tradeoffs._validation import check_choice
from tradeoffs.evidence import load_registry

Precision = Literal["bf16", "fp8"]
PRECISIONS: tuple[Precision, ...] = ("bf16", "fp8")
WEIGHT_BYTES: dict[Precision, int] = {"bf16": 2, "fp8": 1}
KV_BYTES = 2
"""Bytes per cached key or value element: 16-bit, vLLM's default whatever the weights."""
MEMORY_UTILISATION = 0.9
"""Share of GPU memory the engine may use for weights and KV cache (vLLM's default)."""
MAX_SEQUENCES = 256
"""Most sequences one replica runs at once (vLLM's default ``max_num_seqs``; the benchmark
the efficiencies are calibrated on used the same)."""
TENSOR_PARALLEL = (1, 2, 4, 8)
"""Tensor-parallel degrees considered: one server of up to eight GPUs."""

ASSUMPTIONS = (
    "decode step = max(weights and KV read / (bandwidth x efficiency), FLOPs / (dense peak x "
    "efficiency)); time per output token adds the engine's overhead per step and the "
    "prefills that interleave",
    "KV cache in 16-bit; a sequence reserves KV for its prompt plus output",
    f"{MEMORY_UTILISATION:.0%} of GPU memory for weights and KV; "
    f"at most {MAX_SEQUENCES} sequences a replica",
    "tensor parallelism splits weights, KV and work evenly; its communication is not "
    "modelled (optimistic on GPUs without NVLink, such as the L4 and L40S)",
    "efficiencies fitted to Lambda's vLLM v0.5.4 benchmark (see the calibration table)",
)

GPU_CLAIMS = {
    "h100-sxm": "gpu-h100-sxm",
    "h200": "gpu-h200",
    "a100-80gb": "gpu-a100-80gb",
    "l40s": "gpu-l40s",
    "l4": "gpu-l4",
}
MODEL_CLAIMS = {
    "llama-3.1-8b": "model-llama-3-1-8b",
    "llama-3.1-70b": "model-llama-3-1-70b",
    "qwen2.5-7b": "model-qwen2-5-7b",
}


@dataclass(frozen=True)
class Gpu:
    """Datasheet figures of one GPU (dense tensor-core peaks, no sparsity)."""

    key: str
    claim: str
    memory_bytes: float
    bandwidth_bytes_per_s: float
    bf16_flops: float
    fp8_flops: float | None
    """None where the GPU has no FP8 tensor cores (A100): FP8 weights compute in 16-bit."""

    def peak_flops(self, precision: Precision) -> float:
        if precision == "fp8" and self.fp8_flops is not None:
            return self.fp8_flops
        return self.bf16_flops


@dataclass(frozen=True)
class ModelShape:
    """The shape of an open decoder-only model, from its published configuration."""

    key: str
    claim: str
    parameters: float
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    context: int

    @property
    def kv_bytes_per_token(self) -> int:
        """A key and a value vector per KV head per layer, each ``head_dim`` 16-bit numbers."""
        return 2 * self.layers * self.kv_heads * self.head_dim * KV_BYTES

    def weight_bytes(self, precision: Precision) -> float:
        return self.parameters * WEIGHT_BYTES[precision]

    def attention_flops(self, context_tokens: float) -> float:
        """Scores and weighted values for one new token against ``context_tokens`` cached ones."""
        return 4 * self.layers * self.heads * self.head_dim * context_tokens


@cache
def gpu(key: str) -> Gpu:
    """A GPU's datasheet figures from the registry (``gpu-<key>`` claims)."""
    check_choice("gpu", key, tuple(GPU_CLAIMS))
    claim = load_registry().claim(GPU_CLAIMS[key])
    figures = claim.figures
    fp8 = figures.get("fp8")
    return Gpu(
        key=key,
        claim=claim.id,
        memory_bytes=float(figures["memory"].number) * 1e9,
        bandwidth_bytes_per_s=float(figures["bandwidth"].number) * 1e9,
        bf16_flops=float(figures["bf16"].number) * 1e12,
        fp8_flops=None if fp8 is None else float(fp8.number) * 1e12,
    )


@cache
def model_shape(key: str) -> ModelShape:
    """An open model's shape from the registry (``model-<key>`` claims)."""
    check_choice("model", key, tuple(MODEL_CLAIMS))
    claim = load_registry().claim(MODEL_CLAIMS[key])
    n = {k: int(f.number) for k, f in claim.figures.items()}
    return ModelShape(
        key=key,
        claim=claim.id,
        parameters=float(n["parameters"]),
        layers=n["layers"],
        hidden=n["hidden"],
        heads=n["heads"],
        kv_heads=n["kv_heads"],
        head_dim=n.get("head_dim", n["hidden"] // n["heads"]),
        context=n["context"],
    )


@dataclass(frozen=True)
class Efficiency:
    """How far a serving engine gets from the datasheet roofline."""

    bandwidth: float
    """Share of datasheet memory bandwidth a decode step's reads achieve (0 to 1)."""
    compute: float
    """Share of dense tensor peak the matrix products achieve (0 to 1)."""
    step_overhead_s: float
    """Time per engine step spent outside the GPU kernels (scheduling, sampling, launches)."""

    def __post_init__(self) -> None:
        ok = 0 < self.bandwidth <= 1 and 0 < self.compute <= 1 and self.step_overhead_s >= 0
        if not ok or not math.isfinite(self.step_overhead_s):
            raise InvalidParameterError(
                "efficiencies must lie in (0, 1] and the step overhead be at least 0; got "
                f"{self.bandwidth!r}, {self.compute!r}, {self.step_overhead_s!r}."
            )


ROOFLINE = Efficiency(1.0, 1.0, 0.0)
"""The physical floor: datasheet bandwidth and peak, nothing else."""


@cache
def calibration() -> dict[str, object]:
    """The fitted efficiencies and, for each benchmark cell, estimate against measurement
    (``data/serving_calibration.json``, written by ``scripts/calibrate_serving.py``)."""
    text = (resources.files("tradeoffs") / "data" / "serving_calibration.json").read_text()
    data: dict[str, object] = json.loads(text)
    return data


def calibrated() -> Efficiency:
    """The efficiencies fitted to the published benchmark (see :func:`calibration`)."""
    fit = calibration()["fit"]
    assert isinstance(fit, dict)
    return Efficiency(float(fit["bandwidth"]), float(fit["compute"]), float(fit["step_overhead_s"]))


# --- Memory ------------------------------------------------------------------------------------


def kv_capacity_tokens(model: str, gpu_key: str, precision: Precision, tp: int = 1) -> float:
    """KV-cache tokens that fit beside the weights on ``tp`` GPUs (negative: weights alone
    do not fit)."""
    shape, card = model_shape(model), gpu(gpu_key)
    free = tp * card.memory_bytes * MEMORY_UTILISATION - shape.weight_bytes(precision)
    return free / shape.kv_bytes_per_token


def max_concurrency(
    model: str, gpu_key: str, precision: Precision, context_tokens: int, tp: int = 1
) -> int:
    """Sequences of ``context_tokens`` (prompt plus output) whose KV cache fits at once, capped
    at the engine's limit; 0 when not even one fits."""
    fits = kv_capacity_tokens(model, gpu_key, precision, tp) / max(1, context_tokens)
    return max(0, min(MAX_SEQUENCES, math.floor(fits)))


# --- Time --------------------------------------------------------------------------------------


def decode_step_seconds(
    model: str,
    gpu_key: str,
    precision: Precision,
    batch: int,
    context_tokens: float,
    tp: int = 1,
    efficiency: Efficiency | None = None,
) -> float:
    """Seconds one decode step takes for ``batch`` sequences whose average context is
    ``context_tokens``, on a replica of ``tp`` GPUs.

    This is the GPU's time: the slower of reading weights plus KV cache at the achieved
    bandwidth and the step's FLOPs at the achieved compute. A serving engine adds its per-step
    overhead on top (:func:`token_latency`). The default efficiency is the calibrated one
    (:func:`calibrated`); ``ROOFLINE`` gives the physical floor."""
    eff = calibrated() if efficiency is None else efficiency
    shape, card = model_shape(model), gpu(gpu_key)
    read = shape.weight_bytes(precision) + batch * context_tokens * shape.kv_bytes_per_token
    flops = batch * (2 * shape.parameters + shape.attention_flops(context_tokens))
    memory_s = read / (tp * card.bandwidth_bytes_per_s * eff.bandwidth)
    compute_s = flops / (tp * card.peak_flops(precision) * eff.compute)
    return max(memory_s, compute_s)


def prefill_seconds(
    model: str,
    gpu_key: str,
    precision: Precision,
    prompt_tokens: int,
    tp: int = 1,
    efficiency: Efficiency | None = None,
) -> float:
    """Seconds to read a prompt of ``prompt_tokens``: its FLOPs (two per weight per token, plus
    causal attention) at the achieved compute, never faster than reading the weights once."""
    eff = calibrated() if efficiency is None else efficiency
    shape, card = model_shape(model), gpu(gpu_key)
    flops = 2 * shape.parameters * prompt_tokens + shape.attention_flops(prompt_tokens / 2) * (
        prompt_tokens
    )
    compute_s = flops / (tp * card.peak_flops(precision) * eff.compute)
    memory_s = shape.weight_bytes(precision) / (tp * card.bandwidth_bytes_per_s * eff.bandwidth)
    return max(compute_s, memory_s)


# --- Capacity under latency targets ----------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    """What one request asks of a replica, and the latency it must be served within."""

    model: str
    gpu: str
    precision: Precision
    input_tokens: int
    output_tokens: int
    token_latency_s: float
    """Target time per output token (TPOT)."""
    first_token_s: float
    """Target time to the first token (TTFT), queueing excluded."""

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> Workload:
        """The workload from validated inputs named as in :data:`WORKLOAD_PARAMS` (a
        trade-off's scenario holds the same names)."""
        return cls(
            model=values["model"],
            gpu=values["gpu"],
            precision=cast(Precision, values["precision"]),
            input_tokens=int(values["input_tokens"]),
            output_tokens=int(values["output_tokens"]),
            token_latency_s=float(values["token_latency_ms"]) / 1000,
            first_token_s=float(values["ttft_s"]),
        )

    @property
    def context_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def mean_context_tokens(self) -> float:
        """Average context over a sequence's decode: the prompt plus half the output."""
        return self.input_tokens + self.output_tokens / 2


@dataclass(frozen=True)
class Capacity:
    """What one replica sustains for a workload, and what limits it."""

    workload: Workload
    tp: int
    weight_bytes: float
    kv_bytes_per_token: int
    memory_concurrency: int
    concurrency: int
    limited_by: str
    prefill_s: float
    decode_step_s: float
    token_latency_s: float
    first_token_s: float
    requests_per_s: float

    @property
    def gpus(self) -> int:
        return self.tp

    @property
    def output_tokens_per_s(self) -> float:
        return self.requests_per_s * self.workload.output_tokens


class CapacityError(InvalidParameterError):
    """The workload cannot be served on this model, GPU and precision within the targets."""


def token_latency(w: Workload, batch: int, tp: int, eff: Efficiency) -> float:
    """Time per output token at ``batch`` running sequences: a decode step and the engine's
    overhead, plus the prefills that interleave with it (``batch / output_tokens`` new
    requests start per step, each a step of its own)."""
    step = decode_step_seconds(w.model, w.gpu, w.precision, batch, w.mean_context_tokens, tp, eff)
    prefill = prefill_seconds(w.model, w.gpu, w.precision, w.input_tokens, tp, eff)
    overhead = eff.step_overhead_s
    return step + overhead + batch / w.output_tokens * (prefill + overhead)


def capacity_at(w: Workload, tp: int, efficiency: Efficiency | None = None) -> Capacity | None:
    """The replica of ``tp`` GPUs at the largest batch that meets both targets (None: none
    does, or the model does not fit)."""
    eff = calibrated() if efficiency is None else efficiency
    memory = max_concurrency(w.model, w.gpu, w.precision, w.context_tokens, tp)
    prefill = prefill_seconds(w.model, w.gpu, w.precision, w.input_tokens, tp, eff)

    def meets_targets(batch: int) -> bool:  # both latencies grow with the batch
        tpot = token_latency(w, batch, tp, eff)
        return tpot <= w.token_latency_s and prefill + eff.step_overhead_s + tpot <= w.first_token_s

    if memory < 1 or not meets_targets(1):
        return None
    low, high = 1, memory  # bisect for the largest batch that meets both targets
    while low < high:
        middle = (low + high + 1) // 2
        if meets_targets(middle):
            low = middle
        else:
            high = middle - 1
    tpot = token_latency(w, low, tp, eff)
    limit = "latency target" if low < memory else "memory"
    if low == memory == MAX_SEQUENCES:
        limit = "engine's sequence limit"
    shape = model_shape(w.model)
    return Capacity(
        workload=w,
        tp=tp,
        weight_bytes=shape.weight_bytes(w.precision),
        kv_bytes_per_token=shape.kv_bytes_per_token,
        memory_concurrency=memory,
        concurrency=low,
        limited_by=limit,
        prefill_s=prefill,
        decode_step_s=decode_step_seconds(
            w.model, w.gpu, w.precision, low, w.mean_context_tokens, tp, eff
        ),
        token_latency_s=tpot,
        first_token_s=prefill + eff.step_overhead_s + tpot,
        requests_per_s=low / (w.output_tokens * tpot),
    )


def replica_capacity(
    w: Workload, tp: int | None = None, efficiency: Efficiency | None = None
) -> Capacity:
    """The replica that serves the most requests a second per GPU (or the given ``tp``); a
    clear error when no tensor-parallel degree up to eight meets the targets."""
    check_choice("model", w.model, tuple(MODEL_CLAIMS))
    check_choice("gpu", w.gpu, tuple(GPU_CLAIMS))
    check_choice("precision", w.precision, PRECISIONS)
    degrees = TENSOR_PARALLEL if tp is None else (tp,)
    options = [c for c in (capacity_at(w, d, efficiency) for d in degrees) if c is not None]
    if not options:
        raise CapacityError(_why_not(w, degrees))
    return max(options, key=lambda c: (c.requests_per_s / c.tp, -c.tp))


def _why_not(w: Workload, degrees: tuple[int, ...]) -> str:
    widest = degrees[-1]
    if max_concurrency(w.model, w.gpu, w.precision, w.context_tokens, widest) < 1:
        return (
            f"{w.model} in {w.precision} with a context of {w.context_tokens:,} tokens does not "
            f"fit on {widest} × {w.gpu}: choose a larger GPU, fp8 or shorter requests."
        )
    return (
        f"{w.model} on up to {widest} × {w.gpu} cannot meet a token latency of "
        f"{w.token_latency_s * 1000:g} ms and a first-token time of {w.first_token_s:g} s for "
        f"{w.input_tokens:,}-token prompts: relax --token-latency-ms or --ttft-s."
    )


def tokens_per_second_curve(
    w: Workload, tp: int, batches: list[int] | None = None, efficiency: Efficiency | None = None
) -> list[tuple[int, float, float]]:
    """(batch, output tokens/s, time per output token in seconds) at each batch up to what
    fits in memory: the capacity chart's curve."""
    eff = calibrated() if efficiency is None else efficiency
    memory = max_concurrency(w.model, w.gpu, w.precision, w.context_tokens, tp)
    grid = batches or sorted({1, 2, 4, 8, 16, 32, 64, 96, 128, 192, 256} | {memory})
    out = []
    for b in (b for b in grid if 1 <= b <= memory):
        tpot = token_latency(w, b, tp, eff)
        out.append((b, b / tpot, tpot))
    return out


# --- One replica, described -------------------------------------------------------------------


WORKLOAD_PARAMS: tuple[Param, ...] = (
    Param(
        "model",
        "Open model",
        Choice(tuple(MODEL_CLAIMS)),
        Fixed("llama-3.1-8b"),
        "open model to serve (shapes from its published config)",
        fmt=TEXT,
    ),
    Param(
        "gpu",
        "GPU",
        Choice(tuple(GPU_CLAIMS)),
        Fixed("h100-sxm"),
        "GPU to serve on (datasheet memory, bandwidth and FLOPs)",
        fmt=TEXT,
    ),
    Param(
        "precision",
        "Weight precision",
        Choice(PRECISIONS),
        Fixed("fp8", "the benchmark's precision"),
        "precision of the served weights",
        fmt=TEXT,
    ),
    Param(
        "input_tokens",
        "Input tokens per request",
        whole(0, 10_000_000),
        FromRegistry("assume-traffic.input_tokens"),
        "input tokens per request",
    ),
    Param(
        "output_tokens",
        "Output tokens per request",
        whole(1, 1_000_000),
        FromRegistry("assume-traffic.output_tokens"),
        "output tokens per request",
    ),
    Param(
        "token_latency_ms",
        "Target time per output token (ms)",
        between(1, 10_000),
        FromRegistry("assume-serving.token_latency_ms"),
        "largest acceptable time per output token (TPOT), ms",
    ),
    Param(
        "ttft_s",
        "Target time to first token (s)",
        between("0.01", 600),
        FromRegistry("assume-serving.ttft_s"),
        "largest acceptable time to the first token (TTFT), seconds",
    ),
)
"""The serving model's inputs, declared once: ``tradeoffs serving`` and Build vs buy read
them (names, ranges, registry defaults, help)."""

PARAM = {p.name: p for p in WORKLOAD_PARAMS}


def workload(**given: object) -> Workload:
    """A validated :class:`Workload`; an input not given takes its declared default (each
    bad value is a one-line error naming the input)."""
    return Workload.of(resolve_inputs(WORKLOAD_PARAMS, given, "serving").values)


def describe(c: Capacity) -> dict[str, object]:
    """One replica's capacity as plain numbers (the ``tradeoffs serving --format json`` keys)."""
    w, card = c.workload, gpu(c.workload.gpu)
    return {
        "model": w.model,
        "gpu": w.gpu,
        "precision": w.precision,
        "input_tokens": w.input_tokens,
        "output_tokens": w.output_tokens,
        "token_latency_target_ms": w.token_latency_s * 1000,
        "ttft_target_s": w.first_token_s,
        "gpus_per_replica": c.tp,
        "gpu_memory_gb": card.memory_bytes * c.tp / 1e9,
        "weights_gb": c.weight_bytes / 1e9,
        "kv_cache_bytes_per_token": c.kv_bytes_per_token,
        "max_concurrency_memory": c.memory_concurrency,
        "concurrency": c.concurrency,
        "limited_by": c.limited_by,
        "prefill_ms": c.prefill_s * 1000,
        "decode_step_ms": c.decode_step_s * 1000,
        "token_latency_ms": c.token_latency_s * 1000,
        "ttft_ms": c.first_token_s * 1000,
        "output_tokens_per_s": c.output_tokens_per_s,
        "requests_per_s": c.requests_per_s,
        "sources": sources(c),
        "assumptions": list(ASSUMPTIONS),
    }


def report_rows(c: Capacity) -> list[tuple[str, str]]:
    """The capacity of one replica as (label, value) rows, for a terminal or a notebook."""
    d = describe(c)
    w = c.workload
    return [
        ("Replica", f"{w.model} ({w.precision}) on {c.tp} × {w.gpu}"),
        ("Request", f"{w.input_tokens:,} prompt + {w.output_tokens:,} output tokens"),
        ("Weights", f"{d['weights_gb']:.1f} GB of {d['gpu_memory_gb']:.0f} GB"),
        ("KV cache per token", f"{c.kv_bytes_per_token / 1024:.0f} KiB"),
        ("Sequences that fit", f"{c.memory_concurrency:,}"),
        ("Sequences run", f"{c.concurrency:,} (limited by the {c.limited_by})"),
        ("Prefill of one prompt", f"{c.prefill_s * 1000:.1f} ms"),
        ("Decode step (GPU)", f"{c.decode_step_s * 1000:.2f} ms"),
        (
            "Time per output token",
            f"{c.token_latency_s * 1000:.1f} ms (target {w.token_latency_s * 1000:g} ms)",
        ),
        (
            "Time to first token",
            f"{c.first_token_s * 1000:.0f} ms (target {w.first_token_s:g} s, queueing excluded)",
        ),
        ("Output tokens/s", f"{c.output_tokens_per_s:,.0f}"),
        ("Requests/s", f"{c.requests_per_s:,.2f}"),
    ]


def sources(c: Capacity) -> list[str]:
    """The registry claims one replica's estimate rests on."""
    return [
        model_shape(c.workload.model).claim,
        gpu(c.workload.gpu).claim,
        "vllm-throughput-lambda",
    ]


def text_report(c: Capacity) -> str:
    """The capacity of one replica as a short table for a terminal."""
    rows = report_rows(c)
    width = max(len(k) for k, _ in rows)
    lines = [f"{k:<{width}}  {v}" for k, v in rows]
    lines += ["", "Assumptions:"] + [f"  - {a}" for a in ASSUMPTIONS]
    lines += [f"Sources: {', '.join(sources(c))} (tradeoffs evidence)"]
    return "\n".join(lines)

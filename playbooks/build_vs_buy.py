# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Build vs buy: call an API or serve your own model?
#
# This playbook answers one question with your numbers: **at your traffic, is a hosted API or
# a self-hosted open model cheaper each month, and at what volume would that flip?**
# Change the values in the parameters cell and run all cells. Every default comes from the
# handbook's evidence registry, with its source and verdict shown in the first table;
# defaults marked *assumption* are ours, so replace them first.

# %%

import altair as alt
from IPython.display import Markdown

from tradeoffs import build_vs_buy as bvb
from tradeoffs import charts, serving
from tradeoffs.evidence import load_registry
from tradeoffs.formatting import figure_text, plain, share, significant, usd

charts.setup()
registry = load_registry()

# %% tags=["parameters"]
# Your traffic
daily_requests = 1_000_000
input_tokens = 500
output_tokens = 200
# The API option: a model id known to genai-prices; None keeps its list price
api_model = "gpt-5.4-mini"  # a current model with no shutdown in the registry
api_input_usd_per_mtok = None
api_output_usd_per_mtok = None
# The self-hosted option: an open model on a GPU, sized by the serving-capacity model
model = "llama-3.1-8b"  # or llama-3.1-70b, qwen2.5-7b
gpu = "h100-sxm"  # or h200, a100-80gb, l40s, l4 (these three need gpu_hourly_usd)
precision = "fp8"  # or bf16
token_latency_ms = 100  # target time per output token (TPOT)
ttft_s = 2  # target time to the first token
step_overhead_ms = None  # None keeps the overhead fitted to Lambda's vLLM v0.5.4 benchmark
gpu_provider = "lambda"  # or runpod, aws, azure
gpu_hourly_usd = None  # None keeps the provider's registry price
replica_tokens_per_second = None  # None keeps the capacity model's estimate
peak_to_mean = 2
utilisation = 0.7
spare_replicas = 1
# People and operations: a base team, plus one engineer per so many GPUs
staff_fte = 1
gpus_per_fte = 256
staff_loaded_annual_usd = 200_000
ops_monthly_usd = 1_000

# %%
inputs = dict(
    daily_requests=daily_requests,
    input_tokens=input_tokens,
    output_tokens=output_tokens,
    api_model=api_model,
    api_input_usd_per_mtok=api_input_usd_per_mtok,
    api_output_usd_per_mtok=api_output_usd_per_mtok,
    model=model,
    gpu=gpu,
    precision=precision,
    token_latency_ms=token_latency_ms,
    ttft_s=ttft_s,
    step_overhead_ms=step_overhead_ms,
    gpu_provider=gpu_provider,
    gpu_hourly_usd=gpu_hourly_usd,
    replica_tokens_per_second=replica_tokens_per_second,
    peak_to_mean=peak_to_mean,
    utilisation=utilisation,
    spare_replicas=spare_replicas,
    staff_fte=staff_fte,
    gpus_per_fte=gpus_per_fte,
    staff_loaded_annual_usd=staff_loaded_annual_usd,
    ops_monthly_usd=ops_monthly_usd,
)
scenario = bvb.scenario(**inputs)
decision = bvb.decide(scenario)
record = bvb.record(decision)

# %% [markdown]
# ## Your parameters, and where each default comes from

# %%
charts.inputs_table(record)

# %% [markdown]
# ## What one serving replica sustains
#
# The capacity model (the handbook's Serving capacity page explains it) turns the GPU's
# datasheet and the model's shape into output tokens a second at each number of sequences
# run together. More sequences raise throughput and slow every token; the replica runs the
# most sequences whose time per output token meets your target and that fit in memory.

# %%
replica = bvb.capacity(scenario)
curve_rows = [
    {
        "Sequences run together": b,
        "Output tokens/s": round(tokens_per_s),
        "Time per output token (ms)": round(tpot * 1000, 1),
        "Meets the target": "yes" if tpot <= token_latency_ms / 1000 else "no",
    }
    for b, tokens_per_s, tpot in serving.tokens_per_second_curve(
        scenario.workload, replica.tp, efficiency=bvb.efficiency(scenario)
    )
]
alt.layer(
    charts.line_chart(
        charts.frame(curve_rows),
        x="Sequences run together",
        y="Output tokens/s",
        series="Meets the target",
        title="Throughput of one replica against the sequences it runs",
        subtitle=(
            f"{model} ({precision}) on {replica.tp} × {gpu}, {input_tokens:,} prompt and "
            f"{output_tokens:,} output tokens, target {token_latency_ms} ms a token"
        ),
        description=(
            f"Output tokens a second of one replica against concurrent sequences; the "
            f"latency target of {token_latency_ms} ms a token is met up to "
            f"{replica.concurrency} sequences, where the replica gives "
            f"{replica.output_tokens_per_s:,.0f} output tokens a second."
        ),
        x_axis=alt.Axis(title="Sequences run together"),
        y_axis=alt.Axis(title="Output tokens/s", format="~s"),
        tooltip=[
            alt.Tooltip("Sequences run together:Q"),
            alt.Tooltip("Output tokens/s:Q", format=","),
            alt.Tooltip("Time per output token (ms):Q"),
        ],
    ),
    charts.vertical_markers(
        charts.frame(
            [
                {
                    "Sequences run together": replica.concurrency,
                    "label": f"runs {replica.concurrency} ({replica.limited_by})",
                }
            ]
        ),
        x="Sequences run together",
        label="label",
    ),
)

# %%
Markdown(
    "| Replica | |\n|---|---|\n"
    + "\n".join(f"| {label} | {text} |" for label, text in serving.report_rows(replica))
)

# %% [markdown]
# ## Monthly cost against daily volume
#
# The API bill grows in a straight line with traffic. Self-hosting is a staircase: a fixed
# block of people and operations, plus whole serving replicas sized for the peak hour, each
# with its share of an engineer. Where the line meets the staircase, the cheaper option can
# change with every added replica: the break-even is the first volume where self-hosting
# costs no more, and a second marker shows where it stays cheaper, both found exactly. The
# article's two thresholds are drawn with their verdict: neither has a primary source.

# %%
curve = bvb.cost_curve(scenario)
cost_rows = []
for p in curve:
    cost_rows.append(
        {
            "Daily requests": p.daily_requests,
            "Option": "API",
            "Monthly cost (USD)": float(p.api_monthly_usd),
        }
    )
    cost_rows.append(
        {
            "Daily requests": p.daily_requests,
            "Option": "Self-hosted",
            "Monthly cost (USD)": float(p.self_host.total_monthly_usd),
        }
    )
b2 = registry.claim("B2")
markers = [
    {
        "Daily requests": float(b2.figures["api_below"].number),
        "label": (
            f"article: API below {figure_text(b2.figures['api_below'])} "
            f"({b2.verdict.label.lower()})"
        ),
    },
    {
        "Daily requests": float(b2.figures["cost_bites_above"].number),
        "label": (
            f"article: cost bites above {figure_text(b2.figures['cost_bites_above'])} "
            f"({b2.verdict.label.lower()})"
        ),
    },
]
if decision.break_even_daily_requests is not None:
    markers.append(
        {
            "Daily requests": float(decision.break_even_daily_requests),
            "label": f"break-even: {significant(decision.break_even_daily_requests)}/day",
        }
    )
above = decision.self_host_cheaper_above_daily_requests
if above is not None and above != decision.break_even_daily_requests:
    markers.append(
        {
            "Daily requests": float(above),
            "label": f"self-hosting stays cheaper: {significant(above)}/day",
        }
    )
markers.append({"Daily requests": float(scenario.daily_requests), "label": "your volume"})

lines = charts.line_chart(
    charts.frame(cost_rows),
    x="Daily requests",
    y="Monthly cost (USD)",
    series="Option",
    title="Monthly cost of an API and of self-hosting",
    subtitle=f"{scenario.api_model} against {model} ({precision}) on {gpu_provider} {gpu} GPUs",
    description=(
        "Line chart of monthly cost in US dollars against daily requests on a log scale, for "
        "the API and the self-hosted option. " + decision.reason
    ),
    x_axis=charts.log_requests_axis(),
    y_axis=charts.usd_axis(
        "Monthly cost (USD, log scale)",
        log_values=charts.decades(
            min(r["Monthly cost (USD)"] for r in cost_rows),
            max(r["Monthly cost (USD)"] for r in cost_rows),
        ),
    ),
    log_x=True,
    log_y=True,
    tooltip=[
        alt.Tooltip("Option:N"),
        alt.Tooltip("Daily requests:Q", format=","),
        alt.Tooltip("Monthly cost (USD):Q", format="$,.0f"),
    ],
)
low, high = bvb.BREAK_EVEN_RANGE
alt.layer(
    lines,
    charts.vertical_markers(
        charts.frame(markers), x="Daily requests", label="label", flip_above=(low * high) ** 0.5
    ),
)

# %% [markdown]
# ## Where the self-hosted money goes
#
# The article says hardware is a small share of self-hosting cost, citing a study we could
# not find. Here is the share your own inputs give.

# %%
own = decision.self_host
b3 = registry.claim("B3")
split = charts.frame(
    [
        {
            "Option": "Self-hosted",
            "Part": "GPUs",
            "Monthly cost (USD)": float(own.hardware_monthly_usd),
            "order": 1,
        },
        {
            "Option": "Self-hosted",
            "Part": "Staff",
            "Monthly cost (USD)": float(own.staff_monthly_usd),
            "order": 2,
        },
        {
            "Option": "Self-hosted",
            "Part": "Operations",
            "Monthly cost (USD)": float(own.ops_monthly_usd),
            "order": 3,
        },
        {
            "Option": "API",
            "Part": "Tokens",
            "Monthly cost (USD)": float(decision.api_monthly_usd),
            "order": 4,
        },
    ]
)
charts.stacked_bar(
    split,
    category="Option",
    amount="Monthly cost (USD)",
    part="Part",
    title="What each option costs a month, by part",
    subtitle=(
        f"Hardware is {share(own.hardware_share)} of self-hosting here; the article "
        f"claimed {figure_text(b3.figures['hardware_share'])} ({b3.verdict.label.lower()})"
    ),
    description=(
        f"Stacked bars at {plain(scenario.daily_requests)} requests a day: self-hosting "
        f"costs {usd(own.total_monthly_usd)} a month, of which GPUs "
        f"{usd(own.hardware_monthly_usd)}, staff {usd(own.staff_monthly_usd)} and "
        f"operations {usd(own.ops_monthly_usd)}; the API costs "
        f"{usd(decision.api_monthly_usd)}."
    ),
    amount_axis=charts.usd_axis("Monthly cost (USD)"),
)

# %% [markdown]
# Forgetting the people is the classic error in this calculation. The same comparison with
# staff and operations left out:

# %%
gpu_only = bvb.scenario(
    **{**inputs, "staff_fte": 0, "gpus_per_fte": 1_000_000, "ops_monthly_usd": 0}
)
gpu_only_be = bvb.break_even_daily_requests(gpu_only)


def volume(v):  # to three figures: the inputs are not known to eight
    return "none in range" if v is None else f"about {significant(v)}"


Markdown(
    f"- Break-even with people and operations: **{volume(decision.break_even_daily_requests)}** "
    "requests a day\n"
    f"- Break-even counting GPUs only: **{volume(gpu_only_be)}** requests a day"
)

# %% [markdown]
# ## What would change the decision
#
# Each bar spans the break-even volume when one input moves down and up by half, the others
# held; the line is the break-even with your inputs. Bars that reach the chart's edge mean no
# break-even in the searched range at that end.

# %%
rows = []
ceiling = bvb.BREAK_EVEN_RANGE[1]
for r in bvb.sensitivity(scenario):
    low = r.break_even_low if r.break_even_low is not None else ceiling
    high = r.break_even_high if r.break_even_high is not None else ceiling
    rows.append(
        {
            "Input (±50%)": r.label + (" (at its bound)" if r.clamped else ""),
            "low": min(low, high),
            "high": max(low, high),
            "swing": abs(high - low),
        }
    )
baseline = decision.break_even_daily_requests or ceiling
charts.tornado(
    charts.frame(rows),
    parameter="Input (±50%)",
    low="low",
    high="high",
    baseline=baseline,
    title="How far break-even moves when one input moves by half",
    subtitle="Break-even in daily requests, log scale; the orange line is yours",
    description=(
        "Sensitivity bars: for each input scaled to half and to one and a half times "
        "its value, the break-even daily volume between API and self-hosting."
    ),
    value_axis=charts.log_requests_axis("Break-even daily requests (log scale)"),
)

# %% [markdown]
# ## Lock-in, on both sides

# %%
Markdown(
    "\n".join(
        f"- **{w.rule}**: {w.message} (evidence {w.claim}, "
        f"{registry.claim(w.claim).verdict.label.lower()})"
        for w in decision.warnings
    )
)

# %% [markdown]
# ## The decision

# %%
Markdown(
    f"**{'Self-host' if decision.recommendation == 'self-host' else 'Use the API'}**, "
    f"by rule **{decision.rule.id}** ({decision.rule.title}). {decision.reason}"
)

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
from tradeoffs import charts
from tradeoffs.evidence import load_registry
from tradeoffs.formatting import figure_text, plain, share, usd

charts.setup()
registry = load_registry()

# %% tags=["parameters"]
# Your traffic
daily_requests = 1_000_000
input_tokens = 500
output_tokens = 200
# The API option: a model id known to genai-prices; None keeps its list price
api_model = "gpt-4o-mini"
api_input_usd_per_mtok = None
api_output_usd_per_mtok = None
# The self-hosted option: a benchmarked serving config and a GPU provider
serving = "llama31_8b_1xh100"  # or llama31_8b_1xa100, llama31_70b_2xh100, llama31_70b_2xa100
gpu_provider = "lambda"  # or runpod, aws, azure
gpu_hourly_usd = None  # None keeps the provider's registry price
replica_tokens_per_second = None  # None keeps the benchmark's throughput
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
    serving=serving,
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
            "label": f"break-even: {plain(decision.break_even_daily_requests)}/day",
        }
    )
above = decision.self_host_cheaper_above_daily_requests
if above is not None and above != decision.break_even_daily_requests:
    markers.append(
        {"Daily requests": float(above), "label": f"self-hosting stays cheaper: {plain(above)}/day"}
    )
markers.append({"Daily requests": float(scenario.daily_requests), "label": "your volume"})

lines = charts.line_chart(
    charts.frame(cost_rows),
    x="Daily requests",
    y="Monthly cost (USD)",
    series="Option",
    title="Monthly cost of an API and of self-hosting",
    subtitle=f"{scenario.api_model} against {bvb.SERVING_CONFIGS[serving].model} "
    f"on {gpu_provider} GPUs",
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


def volume(v):
    return "none in range" if v is None else plain(v)


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
            "Input (±50%)": r.label + (" (held at its bound)" if r.clamped else ""),
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

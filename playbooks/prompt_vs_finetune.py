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
# # Prompting, retrieval or fine-tuning: which investment curve is yours?
#
# This playbook answers one question with your numbers: **over your horizon, which way of
# building the feature costs least, counting the engineering up front, every request, every
# re-tune, and the answers that come out wrong?** Prompting is cheap to start and dear per
# request; fine-tuning is the reverse; retrieval sits between. Change the parameters cell and
# run all cells; defaults marked *assumption* are ours, so replace them first.

# %%
from decimal import Decimal

import altair as alt
from IPython.display import Markdown

from tradeoffs import charts
from tradeoffs import prompt_vs_finetune as pvf
from tradeoffs.formatting import plain, price, threshold

charts.setup()

# %% tags=["parameters"]
# Volume and horizon
monthly_requests = 1_000_000
months = 12
base_model = "gpt-5.4-mini"  # a hosted model with no shutdown in the registry
# Tokens per request
system_prompt_tokens = 800
few_shot_tokens = 2_000
input_tokens = 200
output_tokens = 200
finetuned_system_tokens = 100  # what is left of the system prompt after fine-tuning
rag_context_tokens = 1_500
# Prompt caching: tokens of the static prefix the API serves from its cache, and how often
cached_prefix_tokens = 0  # e.g. 2_800: the system prompt and few-shot examples
cache_hit_share = 0.9
# Effort and running costs
prompt_weeks = 1
rag_weeks = 2
prep_weeks = 4
retune_weeks = 1
retune_every_months = 6
training_tokens = 50_000_000
epochs = 3
rag_monthly_usd = 200
lora_gpu_hours = 8
migration_weeks = 2  # moving to a successor when the base model retires inside the horizon
weekly_usd = None  # None: the registry's loaded engineer cost / 52
# How often each option gets the answer right, if you know (e.g. from an evaluation set),
# and what one failed request costs you (a retry, a human fix, a lost sale)
success_rates = None  # e.g. {"prompting": 0.80, "rag": 0.90, "fine-tune-open": 0.92}
failure_usd = None  # e.g. 0.05; with success rates, the winner has the least expected cost
# The date the plan starts: models retire and fine-tuning platforms close on dates
as_of = None  # None: today; or e.g. "2026-11-22"

# %%
scenario = pvf.scenario(
    monthly_requests=monthly_requests,
    months=months,
    base_model=base_model,
    system_prompt_tokens=system_prompt_tokens,
    few_shot_tokens=few_shot_tokens,
    input_tokens=input_tokens,
    output_tokens=output_tokens,
    finetuned_system_tokens=finetuned_system_tokens,
    rag_context_tokens=rag_context_tokens,
    cached_prefix_tokens=cached_prefix_tokens,
    cache_hit_share=cache_hit_share,
    prompt_weeks=prompt_weeks,
    rag_weeks=rag_weeks,
    prep_weeks=prep_weeks,
    retune_weeks=retune_weeks,
    retune_every_months=retune_every_months,
    training_tokens=training_tokens,
    epochs=epochs,
    rag_monthly_usd=rag_monthly_usd,
    lora_gpu_hours=lora_gpu_hours,
    migration_weeks=migration_weeks,
    weekly_usd=weekly_usd,
    success_rates=success_rates,
    failure_usd=failure_usd,
    as_of=as_of,
)
comparison = pvf.decide(scenario)
record = pvf.record(comparison)

# %% [markdown]
# ## Your parameters, and where each default comes from

# %%
charts.inputs_table(record)

# %% [markdown]
# ## Cumulative cost over the horizon
#
# Each line starts at the option's upfront investment and rises by its monthly cost; the
# fine-tuned lines step up at every re-tune. Options the platform cannot serve for the whole
# horizon are drawn dashed and cannot win.

# %%
curve_rows = []
for option in comparison.options:
    label = option.label + ("" if option.available else " (not available)")
    for month in range(scenario.months + 1):
        curve_rows.append(
            {
                "Month": month,
                "Option": label,
                "Cumulative cost (USD)": float(option.cumulative_usd(month, scenario.months)),
            }
        )
curves = charts.frame(curve_rows)
crossing = [
    c
    for c in comparison.crossovers
    if comparison.option(c.overtaker).available and comparison.option(c.overtaken).available
]
charts.line_chart(
    curves,
    x="Month",
    y="Cumulative cost (USD)",
    series="Option",
    dashed=[o.label + " (not available)" for o in comparison.options if not o.available],
    title="What each option has cost by each month",
    subtitle=f"{plain(scenario.monthly_requests)} requests a month on {scenario.base_model}",
    description=(
        "Line chart of cumulative cost in US dollars against months for five ways "
        "to build the feature. "
        + comparison.reason
        + " "
        + " ".join(
            f"{pvf.OPTION_LABELS[c.overtaker]} overtakes "
            f"{pvf.OPTION_LABELS[c.overtaken]} in month {c.month}."
            for c in crossing
        )
    ),
    x_axis=alt.Axis(title="Month", tickMinStep=1),
    y_axis=charts.usd_axis(
        "Cumulative cost (USD, log scale)",
        log_values=charts.decades(
            curves["Cumulative cost (USD)"].min(), curves["Cumulative cost (USD)"].max()
        ),
    ),
    log_y=True,
)

# %%
Markdown(
    "\n".join(
        f"- {pvf.OPTION_LABELS[c.overtaker]} becomes cheaper than "
        f"{pvf.OPTION_LABELS[c.overtaken]} in month {c.month}."
        for c in crossing
    )
    or "- No available option overtakes another within the horizon."
)

# %% [markdown]
# ## When does fine-tuning pay back?
#
# The monthly volume above which a fine-tune costs less than prompting over the whole
# horizon. A longer horizon spreads the upfront work over more months, so the volume needed
# falls; re-tunes push it back up. The fine-tune on the API is drawn only where the platform
# can serve it; the self-hosted one grows its fleet a GPU at a time, so its line is the first
# volume at which it costs no more.

# %%
horizons = list(range(1, 37))
payback = []
for h in horizons:
    for series, volume in (
        ("Fine-tune on the API vs prompting", pvf.break_even_monthly_requests(scenario, months=h)),
        (
            "Self-hosted fine-tune vs prompting",
            pvf.open_break_even_monthly_requests(scenario, months=h),
        ),
    ):
        if volume is not None:
            payback.append(
                {
                    "Horizon (months)": h,
                    "Break-even requests a month": float(volume),
                    "Series": series,
                }
            )
payback_frame = charts.frame(payback)
if payback:
    ends = payback_frame.groupby("Series")["Break-even requests a month"]
    chart = charts.line_chart(
        payback_frame,
        x="Horizon (months)",
        y="Break-even requests a month",
        series="Series",
        title="Monthly requests at which fine-tuning pays back",
        subtitle="Above a line, that fine-tune costs less than prompting over the horizon",
        description=(
            "Line chart of the break-even monthly volume against the horizon in months. "
            + " ".join(
                f"{name}: {first:,.0f} requests a month over the shortest horizon shown, "
                f"{last:,.0f} over the longest."
                for name, first, last in zip(
                    ends.first().index, ends.first(), ends.last(), strict=True
                )
            )
        ),
        x_axis=alt.Axis(title="Horizon (months)"),
        y_axis=charts.log_axis(
            "Requests a month (log scale)",
            payback_frame["Break-even requests a month"].min(),
            payback_frame["Break-even requests a month"].max(),
        ),
        log_y=True,
    )
else:
    chart = Markdown(
        "No fine-tune costs less than prompting here at any volume, so none pays back."
    )
chart

# %% [markdown]
# ## Cost per successful outcome
#
# A cheaper option that fails more often can cost more per answer that is actually right.
# Without success rates this shows cost per request; give rates from an evaluation set to see
# the difference.

# %%
bars = []
for option in comparison.options:
    per = comparison.cost_per_success_usd(option.name)
    value = (
        per
        if per is not None
        else option.total_usd(scenario.months) / (scenario.monthly_requests * scenario.months)
    )
    bars.append(
        {
            "Option": option.label + ("" if option.available else " (not available)"),
            "USD": float(value),
            "order": 0,
            "Measure": "per success" if per is not None else "per request",
        }
    )
measure = "successful outcome" if scenario.success_rates else "request"
(
    alt.Chart(
        charts.frame(bars),
        title=alt.Title(
            f"Total cost per {measure} over the horizon",
            subtitle="Upfront, monthly and re-tuning costs spread over every request",
        ),
        description=(
            "Bar chart of cost per "
            + measure
            + ": "
            + "; ".join(f"{b['Option']} {price(Decimal(str(round(b['USD'], 6))))}" for b in bars)
            + "."
        ),
        height=alt.Step(30),
    )
    .mark_bar(color=charts.PALETTE[0])
    .encode(
        y=alt.Y("Option:N", sort="x", title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X("USD:Q", title=f"USD per {measure}", axis=alt.Axis(format="$.4~f")),
    )
)

# %% [markdown]
# ## What would change the decision
#
# How far the winner leads the next available option when one input moves down and up by
# half, the others held: a bar that crosses zero means that input alone can flip the choice.
# The table gives the nearest value on each side, inside the input's valid range, at which
# another option wins.

# %%
winner = comparison.option(comparison.best)
rows = pvf.sensitivity(scenario)
tornado_rows = []
for r in rows:
    ends = [float(m) for m in (r.margin_low, r.margin_high) if m is not None]
    if ends:
        tornado_rows.append(
            {
                "Input (±50%)": r.label,
                "low": min(ends),
                "high": max(ends),
                "swing": max(ends) - min(ends),
            }
        )
base_margin = pvf.margin(comparison, comparison.best)
charts.tornado(
    charts.frame(tornado_rows),
    parameter="Input (±50%)",
    low="low",
    high="high",
    baseline=float(base_margin or 0),
    title=f"How far {winner.label} leads, when one input moves by half",
    subtitle="Lead over the next available option; below zero, another option wins",
    description=(
        f"Sensitivity bars of {winner.label}'s lead over the next available option, for each "
        "input at half and one and a half times its value. "
        + " ".join(f"{r.label}: {pvf.flip_text(r)}." for r in rows)
    ),
    value_axis=alt.Axis(title="Lead over the next option (USD)", format="$,.0f"),
    log_x=False,
)

# %%
flip_table = charts.frame(
    [
        {"Input": r.label, "Your value": threshold(r.value), "The winner changes": pvf.flip_text(r)}
        for r in rows
    ]
)
charts.Table(flip_table)

# %% [markdown]
# ## Model retirements and platform deadlines
#
# Every option names the model it runs on. A hosted model that shuts down inside the horizon
# either moves to a successor, at a one-off migration cost and the successor's prices, or,
# for a hosted fine-tune the platform will not train again, makes the option unavailable.

# %%
notes = dict.fromkeys(n for o in comparison.options for n in o.notes)
Markdown("\n".join(f"- {n}" for n in notes) or "- None for these options.")

# %% [markdown]
# ## The decision

# %%
best = comparison.option(comparison.best)
Markdown(
    f"**{best.label}**, by rule **{comparison.rule.id}** ({comparison.rule.title}). "
    f"{comparison.reason}"
)

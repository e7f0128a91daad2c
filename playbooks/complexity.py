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
# # Is the complex model worth maintaining?
#
# This playbook answers one question with your numbers: **does the accuracy a more complex
# model adds earn more each year than it costs to keep running?** It first measures both
# models the same way (accuracy with its spread, training time, latency, size, moving parts
# and prediction churn), then prices the gain against the upkeep. Change the parameters cell
# and run all cells; defaults marked *assumption* are ours, so replace them first.

# %%
from dataclasses import replace
from decimal import Decimal

import altair as alt
from IPython.display import Markdown

from tradeoffs import charts
from tradeoffs import complexity as cpx
from tradeoffs.formatting import plain, price

charts.setup()

# %% tags=["parameters"]
accuracy_gain_points = None  # None: the gain measured below; or your own, e.g. 1.5
value_per_point_usd = 0.01  # what one point of accuracy is worth on one decision
decisions_per_month = 1_000_000
extra_maintenance_hours_per_month = 20
engineer_hourly_usd = None  # None: the registry's loaded engineer cost / 2,080 hours
extra_compute_monthly_usd = 200
extra_incidents_per_year = 2
incident_cost_usd = 5_000
build_hours = 80

# %% [markdown]
# ## The complexity ledger, measured
#
# A logistic regression and gradient-boosted trees learn the same yes/no decision from
# scikit-learn's breast-cancer data, over ten train/test splits. Churn is the share of
# decisions that change when the model is retrained on the same data with another random
# seed, retrained on a bootstrap resample of the same data (three per split, the same for
# both models), or when one input feature drifts slightly (averaged over the features).

# %%
simple, complex_ = cpx.ledger()
charts.Table(
    charts.frame(
        [
            {
                "Model": e.description,
                "Accuracy": f"{e.accuracy:.1%} ± {e.accuracy_sd:.1%}",
                "Training (s)": f"{e.training_seconds:.3f}",
                "Latency (ms)": f"{e.latency_ms:.2f}",
                "Size (KB)": f"{e.size_kb:,.0f}",
                "Hyperparameters": e.hyperparameters,
                "Features": e.features,
                "Churn, another seed": f"{e.churn_reseed:.1%}",
                "Churn, bootstrap retrain": f"{e.churn_bootstrap:.1%}",
                "Churn, one feature drifts": f"{e.churn_feature_shift:.2%}",
            }
            for e in (simple, complex_)
        ]
    ),
    f"Means over ten splits; ± is the standard deviation. Timings {cpx.timing_source()}.",
)

# %% [markdown]
# ## The differences, with their intervals
#
# Both models saw the same splits and the same resamples, so each difference is paired. The
# splits share training data, which makes a naive interval too narrow; these use Nadeau and
# Bengio's correction. An interval that includes zero is no measurable difference.

# %%
comparison = cpx.compare(simple, complex_)


def _interval(i: cpx.Interval, unit: str = "points") -> str:
    if unit == "points":
        return f"{i.mean:+.2f} points ({i.low:+.2f} to {i.high:+.2f})"
    return f"{i.mean:+.2%} ({i.low:+.2%} to {i.high:+.2%})"


charts.Table(
    charts.frame(
        [
            {
                "Complex minus simple": "Accuracy gain",
                "Mean (95% interval)": _interval(comparison.gain_points),
                "Measurable?": "no" if comparison.gain_points.spans_zero else "yes",
            },
            *(
                {
                    "Complex minus simple": f"Churn, {label}",
                    "Mean (95% interval)": _interval(trio[2], "share"),
                    "Measurable?": "no" if trio[2].spans_zero else "yes",
                }
                for label, trio in (
                    ("bootstrap retrain", comparison.churn_bootstrap),
                    ("retrain with another seed", comparison.churn_reseed),
                )
            ),
        ]
    ),
    "Paired over ten 70/30 splits; corrected resampled t intervals.",
)

# %% [markdown]
# ## Accuracy against churn
#
# Each point is a model; the bars span one standard deviation of accuracy across splits. The
# table above says whether the difference between the two is measurable.

# %%
points = charts.frame(
    [
        {
            "Model": e.description,
            "Accuracy": e.accuracy,
            "low": e.accuracy - e.accuracy_sd,
            "high": e.accuracy + e.accuracy_sd,
            "Churn": e.churn_bootstrap,
        }
        for e in (simple, complex_)
    ]
)
base = alt.Chart(
    points,
    title=alt.Title(
        "Accuracy against churn after a bootstrap retrain",
        subtitle="Breast-cancer data, ten splits; bars: ± one standard deviation",
    ),
    description=(
        f"Scatter chart: logistic regression {simple.accuracy:.1%} accurate with "
        f"{simple.churn_bootstrap:.1%} churn; gradient-boosted trees "
        f"{complex_.accuracy:.1%} with {complex_.churn_bootstrap:.1%}."
    ),
)
alt.layer(
    base.mark_rule(strokeWidth=2).encode(
        x="Churn:Q", y="low:Q", y2="high:Q", color=alt.Color("Model:N", title=None)
    ),
    base.mark_point(filled=True, size=120).encode(
        x=alt.X("Churn:Q", axis=alt.Axis(format=".1%", title="Decisions changed by a retrain")),
        y=alt.Y(
            "Accuracy:Q",
            scale=alt.Scale(zero=False),
            axis=alt.Axis(format=".1%", title="Test accuracy"),
        ),
        color=alt.Color("Model:N", title=None),
    ),
).properties(height=220)

# %% [markdown]
# ## What the gain is worth, against what it costs

# %%
scenario = cpx.scenario(
    ledger=(simple, complex_),  # its measured gain is used unless accuracy_gain_points is set
    accuracy_gain_points=accuracy_gain_points,
    value_per_point_usd=value_per_point_usd,
    decisions_per_month=decisions_per_month,
    extra_maintenance_hours_per_month=extra_maintenance_hours_per_month,
    engineer_hourly_usd=engineer_hourly_usd,
    extra_compute_monthly_usd=extra_compute_monthly_usd,
    extra_incidents_per_year=extra_incidents_per_year,
    incident_cost_usd=incident_cost_usd,
    build_hours=build_hours,
)
decision = cpx.decide(scenario)
record = cpx.record(decision)
charts.inputs_table(
    record, measured=["accuracy_gain_points"] if accuracy_gain_points is None else []
)

# %%
charts.Table(charts.frame([{"Result": r.label, "Value": r.shown} for r in record.results]))

# %% [markdown]
# ## Net value against what a point of accuracy is worth
#
# The same gain, priced at different values per decision. For a positive gain, the line
# crosses zero at the break-even value; a gain at or below zero never pays, so the sketch
# below uses one point of gain to show where the line would cross.

# %%
sketch = (
    scenario
    if scenario.accuracy_gain_points > 0
    else replace(scenario, accuracy_gain_points=Decimal(1))
)
be = cpx.break_even_value_per_point_usd(sketch)
top = max(be * 3, scenario.value_per_point_usd * 2) if be else Decimal("0.05")
line = charts.frame(
    [
        {
            "Value of a point per decision (USD)": float(top * i / 40),
            "Net a year (USD)": float(
                cpx.net_annual_usd(replace(sketch, value_per_point_usd=top * i / 40))
            ),
            "Gain": f"{plain(sketch.accuracy_gain_points)} point(s)",
        }
        for i in range(41)
    ]
)
markers = charts.frame(
    [
        {
            "Value of a point per decision (USD)": float(be),
            "label": f"break-even {price(be.quantize(Decimal('0.0001')))}",
        }
    ]
    if be
    else []
)
chart = charts.line_chart(
    line,
    x="Value of a point per decision (USD)",
    y="Net a year (USD)",
    series="Gain",
    title="Net yearly value of the complex model",
    subtitle=f"At a gain of {plain(sketch.accuracy_gain_points)} point(s), "
    f"{plain(scenario.decisions_per_month)} decisions a month",
    description=(
        "Line chart: net yearly value rises with the value of one accuracy point per "
        "decision and crosses zero at the break-even value. " + decision.reason
    ),
    x_axis=alt.Axis(title="Value of one point on one decision (USD)", format="$.3f"),
    y_axis=charts.usd_axis("Net a year (USD)"),
    legend=False,
)
alt.layer(
    chart, charts.vertical_markers(markers, x="Value of a point per decision (USD)", label="label")
) if be else chart

# %% [markdown]
# ## What would change the decision
#
# Net yearly value when one input moves down and up by half, the others held; bars that
# cross zero mean that input can flip the decision.

# %%
rows = [
    {
        "Input (±50%)": label,
        "low": float(min(lo, hi)),
        "high": float(max(lo, hi)),
        "swing": float(abs(hi - lo)),
    }
    for label, lo, hi in cpx.sensitivity(scenario)
]
charts.tornado(
    charts.frame(rows),
    parameter="Input (±50%)",
    low="low",
    high="high",
    baseline=float(decision.net_annual_usd),
    title="Net yearly value when one input moves by half",
    subtitle="Above zero, the complex model pays for itself",
    description=(
        "Sensitivity bars of the net yearly value of the complex model for each "
        "input at half and one and a half times its value."
    ),
    value_axis=charts.usd_axis("Net a year (USD)"),
    log_x=False,
)

# %% [markdown]
# ## The decision

# %%
names = {"simple": "Keep the simple model", "complex": "Adopt the complex model"}
measured_here = (
    " This notebook measured the gain on a demo dataset; the command `tradeoffs complexity` "
    "assumes the handbook's default gain instead unless given `--measure` or "
    "`--accuracy-gain-points`, so its answer can differ."
    if accuracy_gain_points is None
    else ""
)
Markdown(
    f"**{names[decision.recommendation]}**, by rule **{decision.rule.id}** "
    f"({decision.rule.title}). {decision.reason}{measured_here}"
)

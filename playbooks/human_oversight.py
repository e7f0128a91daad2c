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
# # What can you automate, and what should a human review?
#
# This playbook answers one question with your numbers: **above which model confidence can
# decisions be automated while keeping the error rate of automated decisions under a target,
# with a stated certainty, and what do the reviews of everything else cost and take?** A
# real model on data that ships with scikit-learn provides the confidence scores; replace
# them with your own validation set (confidence, and whether the model was right).

# %%

import altair as alt
import numpy as np
from IPython.display import Markdown

from tradeoffs import charts
from tradeoffs import human_oversight as hitl
from tradeoffs.evidence import load_registry

charts.setup()
registry = load_registry()

# %% tags=["parameters"]
target_error = 0.01  # automated decisions may be wrong at most this often...
delta = 0.1  # ...with probability at least 1 - delta
review_usd = 1
error_usd = 50
reviewer_error_rate = 0.02
daily_volume = 10_000
reviews_per_hour = 60
reviewers = 8
seed = 0  # the demo model's data split
# Your own validation set: a CSV with columns `confidence` (0 to 1) and `correct` (1/0 or
# true/false), one row per item the model scored; None uses the demo model below.
scores_csv = None  # e.g. "scores.csv"
fresh_scores_csv = None  # optional: a second, later set on which to check the threshold

# %% [markdown]
# ## The model's confidence on held-out data
#
# Without a scores file, a logistic regression reads handwritten digits; its confidence is the
# probability of the class it picks. Two disjoint held-out splits: one to choose the
# threshold, one to check it. With `scores_csv`, your own validation set chooses it, and
# `fresh_scores_csv`, if given, checks it.

# %%
if scores_csv is None:
    validation, fresh = hitl.demo_scores(seed)
else:
    validation = hitl.read_scores(scores_csv, "scores_csv")
    fresh = None if fresh_scores_csv is None else hitl.read_scores(fresh_scores_csv)
scenario = hitl.scenario(
    scores=validation,
    target_error=target_error,
    delta=delta,
    review_usd=review_usd,
    error_usd=error_usd,
    reviewer_error_rate=reviewer_error_rate,
    daily_volume=daily_volume,
    reviews_per_hour=reviews_per_hour,
    reviewers=reviewers,
)
decision = hitl.decide(scenario)
curve = decision.curve
charts.Table(
    charts.frame(
        [
            {
                "Split": "validation (chooses)",
                "Items": len(validation.confidence),
                "Model accuracy": f"{validation.correct.mean():.1%}",
            },
        ]
        + (
            []
            if fresh is None
            else [
                {
                    "Split": "fresh (checks)",
                    "Items": len(fresh.confidence),
                    "Model accuracy": f"{fresh.correct.mean():.1%}",
                }
            ]
        )
    )
)

# %%
charts.inputs_table(hitl.record(decision))

# %% [markdown]
# ## Risk against coverage
#
# Automating more items (moving right) lets in less confident ones, so the error among
# automated items rises. The solid line is the error measured on the validation split; the
# dashed line its upper bound at the chosen certainty. The guaranteed threshold is the last
# one, testing from the most confident down, whose bound stays under the target.

# %%
keep = curve.automated > 0
rc = charts.frame(
    [
        {"Automated share": c, "Error among automated": r, "Series": "measured"}
        for c, r in zip(curve.coverage[keep], curve.risk[keep], strict=True)
    ]
    + [
        {"Automated share": c, "Error among automated": u, "Series": "upper bound"}
        for c, u in zip(curve.coverage[keep], curve.upper[keep], strict=True)
        if u <= 4 * scenario.target_error
    ]
)
target = charts.frame([{"y": scenario.target_error, "label": "target"}])
lines = charts.line_chart(
    rc,
    x="Automated share",
    y="Error among automated",
    series="Series",
    title="Error among automated items against the share automated",
    subtitle=(
        f"Validation split; upper bound at {1 - scenario.delta:.0%} certainty; "
        f"target {scenario.target_error:.1%}"
    ),
    description=(
        "Line chart of the error rate among automated items against the share of "
        "items automated, with its upper confidence bound and the target. " + decision.reason
    ),
    x_axis=alt.Axis(format="%", title="Share of items automated"),
    y_axis=alt.Axis(format=".1%", title="Error among automated items"),
)
rule = alt.Chart(target).mark_rule(color=charts.PALETTE[2], strokeDash=[6, 3]).encode(y="y:Q")
layers = [lines, rule]
if decision.threshold is not None:
    chosen = charts.frame(
        [
            {
                "Automated share": decision.automation_rate,
                "Error among automated": decision.automated_error,
            }
        ]
    )
    layers.append(
        alt.Chart(chosen)
        .mark_point(size=140, filled=True, color=charts.INK)
        .encode(x="Automated share:Q", y="Error among automated:Q")
    )
alt.layer(*layers)

# %% [markdown]
# ## Cost per item against the threshold
#
# Every item is either automated (and costs an error when the model is wrong) or reviewed
# (and costs a review, plus an error when the reviewer is wrong). Only certified thresholds
# may be chosen; the cheapest of them wins.

# %%
costs = hitl.cost_per_item(curve, scenario)
certified = decision.guaranteed_threshold
cost_rows = [
    {
        "Threshold": float(t),
        "Cost per item (USD)": float(c),
        "Series": "certified" if certified is not None and t >= certified else "not certified",
    }
    for t, c in zip(curve.thresholds, costs, strict=True)
    if t >= 0.3
]
charts.line_chart(
    charts.frame(cost_rows),
    x="Threshold",
    y="Cost per item (USD)",
    series="Series",
    title="Expected cost per item against the confidence threshold",
    subtitle=f"Review ${review_usd}, error ${error_usd}, reviewer error {reviewer_error_rate:.0%}",
    description=(
        "Line chart of expected cost per item against the confidence threshold, "
        "split into thresholds certified at the target and those that are not."
    ),
    x_axis=alt.Axis(title="Confidence threshold (automate at or above)"),
    y_axis=alt.Axis(title="Cost per item (USD)", format="$.2f"),
)

# %% [markdown]
# ## Reviewer hours against volume
#
# At the chosen threshold, the hours of review a day as volume grows, against what the team
# can give.

# %%
volumes = [round(v) for v in np.geomspace(1_000, 100_000, 21)]
reviewed_share = 1 - decision.automation_rate
hours = charts.frame(
    [
        {
            "Items a day": v,
            "Hours a day": v * reviewed_share / reviews_per_hour,
            "Series": "review needed",
        }
        for v in volumes
    ]
    + [
        {
            "Items a day": v,
            "Hours a day": decision.team_hours_per_day,
            "Series": f"team ({reviewers} people)",
        }
        for v in volumes
    ]
)
charts.line_chart(
    hours,
    x="Items a day",
    y="Hours a day",
    series="Series",
    title="Review hours a day against daily volume",
    subtitle=f"{reviewed_share:.1%} of items reviewed, {reviews_per_hour} reviews an hour",
    description=(
        f"Line chart: review hours grow with volume; at {daily_volume:,} items a day "
        f"the queue needs {decision.review_hours_per_day:,.1f} hours against the "
        f"team's {decision.team_hours_per_day:,.0f}."
    ),
    x_axis=charts.log_axis("Items a day (log scale)", volumes[0], volumes[-1]),
    y_axis=alt.Axis(title="Hours a day"),
    log_x=True,
)

# %% [markdown]
# ## Did the guarantee hold on fresh data?

# %%
if decision.threshold is None:
    check = Markdown("No threshold was certified, so everything is reviewed.")
elif fresh is None:
    check = Markdown("No fresh scores were given (`fresh_scores_csv`), so nothing to check.")
else:
    automated = fresh.confidence >= decision.threshold
    fresh_error = float(1 - fresh.correct[automated].mean()) if automated.any() else 0.0
    check = charts.Table(
        charts.frame(
            [
                {
                    "Measure": "Threshold",
                    "Validation": f"{decision.threshold:.3f}",
                    "Fresh split": f"{decision.threshold:.3f}",
                },
                {
                    "Measure": "Share automated",
                    "Validation": f"{decision.automation_rate:.1%}",
                    "Fresh split": f"{automated.mean():.1%}",
                },
                {
                    "Measure": "Error among automated",
                    "Validation": f"{decision.automated_error:.2%}",
                    "Fresh split": f"{fresh_error:.2%}",
                },
                {
                    "Measure": "Target",
                    "Validation": f"{scenario.target_error:.2%}",
                    "Fresh split": "held" if fresh_error <= scenario.target_error else "MISSED",
                },
            ]
        ),
        "The threshold chosen on the validation split, applied unchanged to fresh data",
    )
check

# %% [markdown]
# ## The decision

# %%
Markdown(
    f"**{decision.level.capitalize()}**, by rule **{decision.rule.id}** "
    f"({decision.rule.title}). {decision.reason} The guarantee assumes new items are "
    "exchangeable with the validation set: re-check it when the data drifts."
)

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
# # Clean the labels you have, or collect more?
#
# This playbook answers one question with your numbers: **with a labelling budget, does a
# dollar buy more accuracy as a new label or as a review of an existing one?** It first runs
# the experiments behind the answer on real images that ship with scikit-learn, grouped into
# as many classes as your task has and corrupted with your kind of noise: how noise bends
# learning curves, how many more examples noise costs, why structured noise is worse than
# random noise, how much random noise a model tolerates, and how well a detector finds wrong
# labels. Then it prices your plans, each with a band, and names a winner only when its band
# clears the others. Change the parameters cell and run all cells.

# %%
import altair as alt
import numpy as np
from IPython.display import Markdown

from tradeoffs import _noise as noise
from tradeoffs import charts
from tradeoffs import data_quality as dq
from tradeoffs.evidence import load_registry

charts.setup()
registry = load_registry()

# %% tags=["parameters"]
# Your labelled data and budget
labels = 1_000
classes = 10  # classes of your task, 2 to 10 (the digits are grouped as digit mod K)
noise_type = "uniform"  # "uniform", "pair" (each class's mistakes all go to one other class)
# or "matrix", with noise_matrix: a CSV of your K x K confusion matrix (row: true class,
# column: label), or the same inline, e.g. "0.9,0.1;0.2,0.8"
noise_matrix = None
noise_rate = None  # None: the share cleanlab finds below (or the matrix's own); or e.g. 0.2
budget_usd = 500
new_label_usd = 1
review_label_usd = 0.5
# Experiments
detection_noise = 0.2  # noise injected to test the detector
target_accuracy = 0.9  # for "examples needed to reach this accuracy"
seed = 0

# %% [markdown]
# ## Experiment: learning curves under your kind of label noise
#
# A logistic regression learns the handwritten digits from training sets of growing size,
# with a share of the training labels corrupted; it is always tested on clean labels. Dots
# are the mean of the draws at each size; lines are the curves the calculator fitted, one per
# noise rate, with their bands, drawn past the largest training set to show how the bands
# widen where nothing was measured.

# %%
detection = noise.detect_with_cleanlab(noise.digits(seed, classes), detection_noise, seed)
estimated = detection.flagged / len(noise.digits(seed, classes).y_train)
inputs = dict(
    labels=labels,
    classes=classes,
    noise_type=noise_type if noise_matrix is None else "matrix",
    noise_matrix=noise_matrix,
    noise_rate=None if noise_rate is None and noise_matrix is not None else noise_rate,
    budget_usd=budget_usd,
    new_label_usd=new_label_usd,
    review_label_usd=review_label_usd,
)
if noise_rate is None and noise_matrix is None:
    inputs["noise_rate"] = round(estimated, 4)
random_review = dq.scenario(**inputs)
reference = dq.reference_for(random_review, seed)
surface = reference.surface
measured = (
    charts.frame(
        [
            {"Training examples": p.n, "Noise": f"{p.noise_rate:.0%} noise", "Accuracy": p.accuracy}
            for p in reference.points
        ]
    )
    .groupby(["Training examples", "Noise"], as_index=False)["Accuracy"]
    .mean()
)
sizes = np.unique(
    np.geomspace(surface.sizes[0], 4 * surface.sizes[-1], 14).round()
)  # smooth on a log axis
fitted = charts.frame(
    [
        {
            "Training examples": n,
            "Noise": f"{r:.0%} noise",
            "Accuracy": surface.predict(n, r),
            "low": surface.band(n, r)[0],
            "high": surface.band(n, r)[1],
        }
        for r in surface.rates
        for n in sizes
    ]
)
largest = surface.sizes[-1]
at_largest = measured[measured["Training examples"] == largest].set_index("Noise")["Accuracy"]
x = alt.X(
    "Training examples:Q",
    scale=alt.Scale(type="log", nice=False),
    axis=charts.log_axis("Training examples (log scale)", float(sizes[0]), float(sizes[-1])),
)
y = alt.Y(
    "Accuracy:Q", title="Test accuracy", scale=alt.Scale(zero=False), axis=alt.Axis(format="%")
)
color = alt.Color("Noise:N", title=None)
alt.layer(
    alt.Chart(fitted).mark_area(opacity=0.15).encode(x=x, y="low:Q", y2="high:Q", color=color),
    alt.Chart(fitted).mark_line().encode(x=x, y=y, color=color),
    alt.Chart(measured).mark_point(filled=True).encode(x=x, y=y, color=color),
).properties(
    title=alt.Title(
        "Test accuracy against training-set size, by label noise",
        subtitle=f"Logistic regression on {reference.dataset}, {reference.noise.kind} noise; "
        f"dots: mean of {reference.repeats} draws; lines: fitted, with 90% bands",
    ),
    description=(
        "Line chart with bands and dots: accuracy grows with training examples at every "
        f"noise level; at {largest:,} examples it falls from {at_largest.iloc[0]:.1%} without "
        f"noise to {at_largest.iloc[-1]:.1%} at the noisiest rate measured. The fitted "
        f"ceilings stay at or below {surface.ceiling_bound:.1%}, the best measured accuracy "
        "plus the stated margin, and the bands widen beyond the measured sizes."
    ),
)

# %%
pinned = ", ".join(f"{r:.0%}" for r in surface.pinned)
Markdown(
    f"Each curve's ceiling is held to at most **{surface.ceiling_bound:.1%}**: the best mean "
    f"accuracy measured, {surface.best_measured:.1%}, plus a margin of "
    f"{surface.margin * 100:g} points (evidence {dq.CURVE_CLAIM}, "
    f"{registry.claim(dq.CURVE_CLAIM).verdict.label.lower()}). With unlimited labels the "
    "predictions approach, by noise rate: "
    + ", ".join(f"{r:.0%}: {a:.1%}" for r, a in zip(surface.rates, surface.limits, strict=True))
    + "."
    + (
        f" At {pinned} noise the fitted ceiling sits at the bound: those curves were still "
        "rising at the largest training set, so they take the limit of a cleaner rate "
        "(noise never helps)."
        if pinned
        else ""
    )
    + " A band here is for the mean accuracy over training draws, not for one training run."
)


# %% [markdown]
# ## Noise raises the number of examples you need
#
# From the fitted curves above, the training examples needed to reach the target accuracy
# as the share of wrong labels grows; the band is where the curves' bands reach it.

# %%
needed = []
for r in np.arange(0.0, surface.rates[-1] + 1e-9, 0.05):
    centre = surface.samples_for(target_accuracy, r)
    if centre is not None:
        needed.append(
            {
                "Noise rate": round(r, 2),
                "Examples needed": centre,
                "fewest": surface.samples_for(target_accuracy, r, "high"),
                "most": surface.samples_for(target_accuracy, r, "low"),  # None: never
            }
        )
needed_frame = charts.frame(needed).reindex(
    columns=["Noise rate", "Examples needed", "fewest", "most"]
)  # empty when no rate reaches the target: the chart says so
axis_y = charts.log_axis(
    "Examples needed (log scale)",
    float(needed_frame["fewest"].min()) if needed else 1.0,
    float(needed_frame["Examples needed"].max()) if needed else 10.0,
)
alt.layer(
    alt.Chart(needed_frame)
    .mark_area(opacity=0.15)
    .encode(x="Noise rate:Q", y=alt.Y("fewest:Q", scale=alt.Scale(type="log")), y2="most:Q"),
    alt.Chart(needed_frame)
    .mark_line(point=True)
    .encode(
        x=alt.X("Noise rate:Q", axis=alt.Axis(title="Share of labels that are wrong", format="%")),
        y=alt.Y("Examples needed:Q", scale=alt.Scale(type="log"), axis=axis_y),
    ),
).properties(
    title=alt.Title(
        f"Training examples needed for {target_accuracy:.0%} test accuracy",
        subtitle=f"From the curves fitted on {reference.dataset}; band: 90%",
    ),
    description=(
        f"Line chart with a band: the examples needed for {target_accuracy:.0%} accuracy rise "
        f"from {needed[0]['Examples needed']:,.0f} without noise to "
        f"{needed[-1]['Examples needed']:,.0f} at {needed[-1]['Noise rate']:.0%} noise."
        if needed
        else f"No noise rate reaches {target_accuracy:.0%} on the fitted curves."
    ),
)

# %% [markdown]
# ## Random noise is tolerated; structured noise is not
#
# The same share of wrong labels, placed two ways: at random, or all of a class's mistakes
# pointing to one other class (the kind of confusion a tired annotator makes). Full training
# set, the mean of the draws.

# %%
uniform_ref = dq.reference(seed, classes, noise.Noise.uniform(classes))
pair_ref = dq.reference(seed, classes, noise.Noise.pair(classes))
full = max(dq.REFERENCE_SIZES) + 1
kinds = (
    charts.frame(
        [
            {"Noise rate": p.noise_rate, "Noise": name, "Test accuracy": p.accuracy}
            for name, ref in (
                ("random (uniform)", uniform_ref),
                ("structured (class to class)", pair_ref),
            )
            for p in ref.points
            if p.n > full
        ]
    )
    .groupby(["Noise rate", "Noise"], as_index=False)["Test accuracy"]
    .mean()
)
worst = kinds[kinds["Noise rate"] == kinds["Noise rate"].max()].set_index("Noise")["Test accuracy"]
charts.line_chart(
    kinds,
    x="Noise rate",
    y="Test accuracy",
    series="Noise",
    title="Test accuracy against noise, random or structured",
    subtitle=f"Full training set of {reference.dataset}, mean of {reference.repeats} draws",
    description=(
        f"Line chart: with {kinds['Noise rate'].max():.0%} of labels wrong, accuracy is "
        f"{worst['random (uniform)']:.1%} when the errors are random and "
        f"{worst['structured (class to class)']:.1%} when each class's errors point "
        "to one other class."
    ),
    x_axis=alt.Axis(title="Share of labels that are wrong", format="%"),
    y_axis=alt.Axis(title="Test accuracy", format="%"),
)

# %% [markdown]
# ## How much random noise can a model absorb?
#
# Rolnick et al. kept a set of correctly labelled examples and added many times as many with
# random labels, and their deep networks barely noticed. The same set-up on a larger synthetic
# problem, with this playbook's linear model, tells a different story: read the result before
# counting on the tolerance.

# %%
synthetic = noise.synthetic(seed=seed)
diluted = noise.dilution(synthetic, 400, (0, 1, 5, 20, 50), seed)
d1 = registry.claim("D1")
charts.Table(
    charts.frame(
        [
            {"Random-label examples per clean one": r, "Test accuracy": f"{a:.1%}"}
            for r, a in diluted
        ]
    ),
    f"Synthetic ten-class problem, 400 clean examples, linear model. Rolnick et al. report "
    f"{d1.figures['mnist_accuracy'].number}%+ on MNIST with deep networks at "
    f"{d1.figures['noisy_per_clean'].number} per clean one (evidence D1, "
    f"{d1.verdict.label.lower()}).",
)

# %%
Markdown(
    f"Here accuracy falls from {diluted[0][1]:.1%} to {diluted[-1][1]:.1%} at "
    f"{diluted[-1][0]} random-label examples per clean one. The tolerance Rolnick et al. "
    "measured belongs to deep networks trained on large data; a simpler model pays for every "
    "wrong label in accuracy, and most production models sit somewhere between."
)

# %% [markdown]
# ## Finding the wrong labels: confident learning (cleanlab)
#
# Random noise is injected into the training labels; cleanlab flags likely errors from
# out-of-fold predicted probabilities. Then the model is retrained with the flagged labels
# dropped, or corrected, which is what a human review of them would do. Without the truth, a
# reader can still estimate how many flags are right from the model's own probabilities, and
# check that the model is accurate enough for its flags to mean something.

# %%
floor = dq.detector_floor()
charts.Table(
    charts.frame(
        [
            {"Measure": "Labels flipped", "Value": f"{detection.true_errors:,}"},
            {"Measure": "Labels flagged by cleanlab", "Value": f"{detection.flagged:,}"},
            {
                "Measure": "Precision (flagged that were wrong)",
                "Value": f"{detection.precision:.1%}",
            },
            {
                "Measure": "Precision estimated without the truth",
                "Value": f"{detection.estimated_precision:.1%}",
            },
            {"Measure": "Recall (wrong that were flagged)", "Value": f"{detection.recall:.1%}"},
            {
                "Measure": "Model's out-of-fold agreement with the labels",
                "Value": f"{detection.model_accuracy:.1%} (floor {floor:.0%})",
            },
            {"Measure": "Test accuracy, noisy labels", "Value": f"{detection.accuracy_noisy:.1%}"},
            {
                "Measure": "Test accuracy, flagged dropped",
                "Value": f"{detection.accuracy_dropped:.1%}",
            },
            {
                "Measure": "Test accuracy, flagged corrected",
                "Value": f"{detection.accuracy_relabelled:.1%}",
            },
            {
                "Measure": "Test accuracy, all labels clean",
                "Value": f"{detection.accuracy_clean:.1%}",
            },
        ]
    ),
    f"{detection_noise:.0%} of the training labels of {reference.dataset} flipped at random",
)

# %% [markdown]
# ## Your plan: every split of the budget between new labels and reviews
#
# Each point spends a share of the budget on reviews and the rest on new labels (as noisy as
# yours); reviews stop at the labels that exist. Review is priced twice: picking labels at
# random, and letting the detector rank them first, so a review finds a wrong label as often
# as the detector's estimated precision above.

# %%
noise_used = float(random_review.noise_rate)
hit_rate = round(max(detection.estimated_precision, noise_used), 4)
targeted_scenario = dq.SPEC.rebuild(random_review, review_hit_rate=hit_rate)
random_plans = dq.decide(random_review, reference)
targeted = dq.decide(targeted_scenario, reference)
frontier = charts.frame(
    [
        {
            "Budget on review": p.review_share,
            "Review": review,
            "Accuracy": p.expected_accuracy,
            "low": p.accuracy_low,
            "high": p.accuracy_high,
        }
        for review, decision in (("random", random_plans), ("ranked by cleanlab", targeted))
        for p in decision.plans
    ]
)
edges = frontier.melt(
    id_vars=["Budget on review", "Review"],
    value_vars=["low", "high"],
    var_name="edge",
    value_name="Bound",
)
alt.layer(
    alt.Chart(edges)
    .mark_line(strokeDash=[3, 3], strokeWidth=1, opacity=0.7)
    .encode(
        x="Budget on review:Q",
        y="Bound:Q",
        color=alt.Color("Review:N", title="Review"),
        detail="edge:N",
    ),
    alt.Chart(frontier)
    .mark_line()  # eleven plans per line: markers would only add weight
    .encode(
        x=alt.X("Budget on review:Q", axis=alt.Axis(format="%", title="Share of budget on review")),
        y=alt.Y(
            "Accuracy:Q",
            scale=alt.Scale(zero=False),
            axis=alt.Axis(format="%", title="Predicted test accuracy (dashed: 90% band)"),
        ),
        color=alt.Color("Review:N", title="Review"),
    ),
).properties(
    title=alt.Title(
        "Predicted accuracy for each split of the budget",
        subtitle=f"{labels:,} labels at {noise_used:.0%} {reference.noise.kind} noise, "
        f"{classes} classes; ${budget_usd:,} to spend",
    ),
    description=(
        "Line chart with 90% bands: predicted accuracy against the share of the "
        "budget spent on reviewing labels, for random review and review ranked by "
        "cleanlab. " + targeted.reason
    ),
)

# %% [markdown]
# ## Your parameters, and where each default comes from
#
# The inputs of the plan with review ranked by the detector. Values measured by this
# playbook's experiments say so; a claim id means the registry default is in use.

# %%
measured_here = ["review_hit_rate"]
if noise_rate is None and noise_matrix is None:
    measured_here.append("noise_rate")
charts.inputs_table(dq.record(targeted), measured_here)

# %% [markdown]
# ## What the prediction assumes
#
# The same statements every output of `tradeoffs data-quality` carries.

# %%
charts.Table(
    charts.frame(
        [
            {"Assumption": dq.ASSUMPTION_LABELS[key].removeprefix("Assumed: "), "Stated": text}
            for key, text in dq.assumptions(targeted).items()
        ]
        + [{"Assumption": "warning", "Stated": w} for w in targeted.warnings]
    ),
    "Assumptions of the prediction, and warnings",
)

# %% [markdown]
# ## The decision

# %%
decision = targeted
names = {
    "clean": "Review (clean) the labels you have",
    "collect": "Collect new labels",
    "mix": "Split the budget",
}
verdict = (
    "its band clears every other plan's"
    if decision.measurable
    else "no measurable difference from the plan it was compared with: pilot both"
)
Markdown(
    f"**{names[decision.recommendation]}** ({decision.chosen.name}), by rule "
    f"**{decision.rule.id}** ({decision.rule.title}), with review ranked by a detector; "
    f"{verdict}. {decision.reason}\n\n"
    f"With random review instead: **{names[random_plans.recommendation]}** "
    f"({random_plans.chosen.name}, {random_plans.chosen.expected_accuracy:.1%}; "
    f"{'measurably best' if random_plans.measurable else 'no measurable difference'})."
)

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
# # Batch or real-time: what does freshness cost you?
#
# This playbook answers one question with your numbers: **can your predictions be computed on
# a schedule, and if not, what does an always-on fleet cost?** It first measures a small real
# model on this machine, so you see the throughput-latency trade-off of batching, then sizes a
# real-time fleet with queueing theory and prices both architectures. Change the parameters
# cell and run all cells; defaults marked *assumption* are ours, replace them first.

# %%
from decimal import Decimal

import altair as alt
from IPython.display import Markdown, display

from tradeoffs import batch_vs_realtime as bvr
from tradeoffs import charts
from tradeoffs.evidence import load_registry
from tradeoffs.formatting import plain, share, usd

charts.setup()
registry = load_registry()

# %% tags=["parameters"]
# Your traffic and latency target
daily_requests = 1_728_000
peak_to_mean = 2
p95_ms = 150
service_ms = None  # None: use the service time measured below on this machine
# Prices of one replica an hour (on demand; pass an interruptible price for batch if you use it)
replica_hourly_usd = 0.0816
batch_hourly_usd = None  # None: the same as replica_hourly_usd
spare_replicas = 1
# Batch schedule and what users tolerate
max_staleness_minutes = 1800
batch_interval_hours = 24
batch_max_run_hours = 1
batch_throughput_per_second = None  # None: the batched throughput measured below
# A hosted LLM API for comparison (its batch endpoint is half price at four providers);
# None: compare no API
api_model = "gpt-4o-mini"
input_tokens = 500
output_tokens = 200
seed = 0

# %% [markdown]
# ## Measure, don't assume: the batching trade-off on this machine
#
# A gradient-boosted classifier serves batches of growing size. Bigger batches raise
# throughput, because fixed per-call costs are shared, and raise the latency of each request,
# because it waits for its whole batch.

# %%
model, pool = bvr.demo_model(seed)
timings = bvr.time_batches(model, pool)
display(Markdown(f"Timings {bvr.timing_source()}."))
curve_rows = []
for t in timings:
    curve_rows.append(
        {
            "Batch size": t.batch_size,
            "Measure": "Throughput (requests/s)",
            "Value": t.throughput_per_second,
        }
    )
    curve_rows.append(
        {"Batch size": t.batch_size, "Measure": "Latency per request (ms)", "Value": t.latency_ms}
    )
first, last = timings[0], timings[-1]
measured = charts.frame(curve_rows)
throughput_chart = charts.line_chart(
    measured[measured["Measure"].str.startswith("Throughput")],
    x="Batch size",
    y="Value",
    series="Measure",
    title="Throughput against batch size",
    subtitle=f"From {plain(round(first.throughput_per_second))} to "
    f"{plain(round(last.throughput_per_second))} requests/s",
    description=(
        f"Line chart, log scales: throughput of the model rises from "
        f"{first.throughput_per_second:,.0f} requests per second at batch size 1 to "
        f"{last.throughput_per_second:,.0f} at batch size {last.batch_size}."
    ),
    x_axis=alt.Axis(title="Batch size (log scale)", values=list(bvr.BATCH_SIZES)),
    y_axis=charts.log_axis(
        "Requests per second (log scale)", first.throughput_per_second, last.throughput_per_second
    ),
    log_x=True,
    log_y=True,
    legend=False,
).properties(height=200)
latency_chart = charts.line_chart(
    measured[measured["Measure"].str.startswith("Latency")],
    x="Batch size",
    y="Value",
    series="Measure",
    title="Latency of each request against batch size",
    subtitle=f"From {first.latency_ms:.2f} ms to {last.latency_ms:.2f} ms",
    description=(
        f"Line chart, log scales: the time to serve a whole batch, which each of its "
        f"requests waits for, rises from {first.latency_ms:.2f} ms at batch size 1 to "
        f"{last.latency_ms:.2f} ms at batch size {last.batch_size}."
    ),
    x_axis=alt.Axis(title="Batch size (log scale)", values=list(bvr.BATCH_SIZES)),
    y_axis=charts.log_axis(
        "Milliseconds (log scale)", first.latency_ms, last.latency_ms, label_format="~g"
    ),
    log_x=True,
    log_y=True,
    legend=False,
).properties(height=200)
alt.vconcat(throughput_chart, latency_chart)

# %% [markdown]
# ## How far is the queueing model from this model's real service times?
#
# The sizing below uses M/M/c queueing (Erlang C), which assumes exponentially distributed
# service times: a coefficient of variation of one. Real inference is usually far more
# regular. A discrete-event simulation (ciw) with the measured service times shows how much
# the formula overstates the wait, at a load high enough to queue.

# %%
sample = bvr.service_times(model, pool)
mean_s = float(sample.mean())
cv = float(sample.std() / sample.mean())
busy_rate = 0.8 / mean_s  # one replica at 80% utilisation
formula = next(s for s in bvr.fleet_sizes(busy_rate, 1 / mean_s, bvr.P95) if s.servers >= 1)
exp_sim = bvr.simulate(busy_rate, 1, service_rate=1 / mean_s, seed=seed)
measured_sim = bvr.simulate(busy_rate, 1, service_sample=sample, seed=seed)
charts.Table(
    charts.frame(
        [
            {
                "Model of service time": "Erlang C formula (exponential)",
                "Share that waits": share(Decimal(str(formula.p_wait))),
                "p95 wait (ms)": f"{formula.wait_quantile * 1000:.3f}",
            },
            {
                "Model of service time": "Simulation, exponential service",
                "Share that waits": share(Decimal(str(exp_sim.p_wait))),
                "p95 wait (ms)": f"{exp_sim.p95_wait * 1000:.3f}",
            },
            {
                "Model of service time": "Simulation, measured service times",
                "Share that waits": share(Decimal(str(measured_sim.p_wait))),
                "p95 wait (ms)": f"{measured_sim.p95_wait * 1000:.3f}",
            },
        ]
    ),
    f"One replica at 80% utilisation; measured mean service {mean_s * 1000:.3f} ms, "
    f"coefficient of variation {cv:.2f} (exponential: 1)",
)

# %% [markdown]
# ## Your real-time fleet and your batch runs

# %%
inputs = dict(
    daily_requests=daily_requests,
    peak_to_mean=peak_to_mean,
    p95_ms=p95_ms,
    service_ms=service_ms if service_ms is not None else round(mean_s * 1000, 4),
    replica_hourly_usd=replica_hourly_usd,
    batch_hourly_usd=batch_hourly_usd,
    spare_replicas=spare_replicas,
    max_staleness_minutes=max_staleness_minutes,
    batch_interval_hours=batch_interval_hours,
    batch_max_run_hours=batch_max_run_hours,
    batch_throughput_per_second=(
        batch_throughput_per_second
        if batch_throughput_per_second is not None
        else round(last.throughput_per_second)
    ),
)
if api_model is not None:  # token counts are inputs of the API comparison only
    inputs.update(api_model=api_model, input_tokens=input_tokens, output_tokens=output_tokens)
scenario = bvr.scenario(**inputs)
decision = bvr.decide(scenario)
api = decision.api
record = bvr.record(decision)
charts.inputs_table(
    record,
    measured=[
        k
        for k, given in (
            ("service_ms", service_ms),
            ("batch_throughput_per_second", batch_throughput_per_second),
        )
        if given is None
    ],
)

# %%
charts.Table(charts.frame([{"Result": r.label, "Value": r.shown} for r in record.results]))

# %% [markdown]
# ## Replicas and tail latency as traffic grows
#
# Each step adds a replica when the p95 wait at the peak would otherwise break the target.

# %%
volumes = bvr.log_volumes(10_000, 1_000_000_000, 25)
points = bvr.cost_curve(scenario, volumes)
fleet = charts.frame(
    [
        {
            "Daily requests": p.daily_requests,
            "Replicas for the p95": p.realtime.replicas,
            "p95 latency (ms)": p.realtime.p95_wait_ms + float(scenario.service_ms),
        }
        for p in points
    ]
)
base = alt.Chart(
    fleet,
    title=alt.Title(
        "Real-time replicas and p95 latency against traffic",
        subtitle=f"Target {plain(scenario.p95_ms)} ms at a peak of {plain(scenario.peak_to_mean)}× "
        "the mean; latency = service + p95 queueing wait",
    ),
    description=(
        f"Line chart, log x scale: replicas needed grow from "
        f"{points[0].realtime.replicas} at {volumes[0]:,} requests a day to "
        f"{points[-1].realtime.replicas:,} at {volumes[-1]:,}, and p95 latency stays "
        f"under the target of {plain(scenario.p95_ms)} ms."
    ),
)
x = alt.X(
    "Daily requests:Q",
    scale=alt.Scale(type="log"),
    axis=charts.log_requests_axis(low=volumes[0], high=volumes[-1]),
)
alt.layer(
    base.mark_line(interpolate="step-after", color=charts.PALETTE[0]).encode(
        x=x,
        y=alt.Y(
            "Replicas for the p95:Q",
            scale=alt.Scale(type="log"),
            axis=alt.Axis(title="Replicas (log scale)", titleColor=charts.PALETTE[0]),
        ),
    ),
    base.mark_line(color=charts.PALETTE[1], strokeDash=[5, 3]).encode(
        x=x,
        y=alt.Y(
            "p95 latency (ms):Q",
            scale=alt.Scale(zero=True),
            axis=alt.Axis(title="p95 latency (ms)", titleColor=charts.PALETTE[1]),
        ),
    ),
).resolve_scale(y="independent")

# %% [markdown]
# ## Monthly cost of both architectures against daily volume

# %%
cost_rows = []
for p in points:
    cost_rows.append(
        {
            "Daily requests": p.daily_requests,
            "Architecture": "Real-time fleet",
            "Monthly cost (USD)": float(p.realtime.monthly_usd),
        }
    )
    cost_rows.append(
        {
            "Daily requests": p.daily_requests,
            "Architecture": "Scheduled batch",
            "Monthly cost (USD)": float(p.batch.monthly_usd),
        }
    )
costs = charts.frame(cost_rows)
charts.line_chart(
    costs,
    x="Daily requests",
    y="Monthly cost (USD)",
    series="Architecture",
    title="What each architecture costs a month",
    subtitle=f"Replica {usd(scenario.replica_hourly_usd)} an hour; batch every "
    f"{plain(scenario.batch_interval_hours)} h",
    description=(
        "Line chart, log scales: the always-on real-time fleet costs "
        f"{usd(points[0].realtime.monthly_usd)} a month at {volumes[0]:,} requests a "
        f"day and {usd(points[-1].realtime.monthly_usd)} at {volumes[-1]:,}; scheduled "
        f"batch runs cost {usd(points[0].batch.monthly_usd)} and "
        f"{usd(points[-1].batch.monthly_usd)}."
    ),
    x_axis=charts.log_requests_axis(low=volumes[0], high=volumes[-1]),
    y_axis=charts.usd_axis(
        "Monthly cost (USD, log scale)",
        log_values=charts.decades(
            costs["Monthly cost (USD)"].min(), costs["Monthly cost (USD)"].max()
        ),
    ),
    log_x=True,
    log_y=True,
)

# %% [markdown]
# ## The cost of freshness
#
# Shorter batch intervals buy fresher predictions; the always-on fleet and the API's
# synchronous endpoint are the freshest and dearest. The dashed line is what your users
# tolerate: anything left of it is acceptable, and the cheapest such option wins.

# %%
options = []
for hours in (0.25, 1, 4, 12, 24):
    b = bvr.batch(
        bvr.SPEC.rebuild(
            scenario,
            batch_interval_hours=hours,
            batch_max_run_hours=min(hours, batch_max_run_hours),
        )
    )
    options.append(
        {
            "Option": "Self-hosted batch",
            "Staleness (minutes)": float(b.staleness_minutes),
            "Monthly cost (USD)": float(b.monthly_usd),
        }
    )
options.append(
    {
        "Option": "Self-hosted real-time",
        "Staleness (minutes)": 0.01,
        "Monthly cost (USD)": float(decision.realtime.monthly_usd),
    }
)
if api is not None:
    options.append(
        {
            "Option": f"{api.model} synchronous",
            "Staleness (minutes)": 0.01,
            "Monthly cost (USD)": float(api.realtime_monthly_usd),
        }
    )
    options.append(
        {
            "Option": f"{api.model} batch",
            "Staleness (minutes)": float(api.staleness_minutes),
            "Monthly cost (USD)": float(api.batch_monthly_usd),
        }
    )
frontier = charts.frame(options)
tolerance = charts.frame(
    [{"Staleness (minutes)": float(scenario.max_staleness_minutes), "label": "what users tolerate"}]
)
alt.layer(
    alt.Chart(
        frontier,
        title=alt.Title(
            "Monthly cost against the oldest prediction a user sees",
            subtitle="Batch every 15 min, 1 h, 4 h, 12 h and 24 h; real time at the left edge",
        ),
        description=(
            "Scatter chart, log scales: monthly cost against staleness in minutes for "
            "self-hosted batch at several intervals, self-hosted real time"
            + (f", and the {api.model} API synchronous and batch. " if api else ". ")
            + decision.reason
        ),
    )
    .mark_point(filled=True, size=90)
    .encode(
        x=alt.X(
            "Staleness (minutes):Q",
            scale=alt.Scale(type="log"),
            axis=alt.Axis(
                title="Oldest prediction (minutes, log scale)",
                values=charts.decades(
                    frontier["Staleness (minutes)"].min(), frontier["Staleness (minutes)"].max()
                ),
                labelExpr="datum.value < 0.1 ? 'live' : format(datum.value, '~g')",
            ),
        ),
        y=alt.Y(
            "Monthly cost (USD):Q",
            scale=alt.Scale(type="log"),
            axis=charts.usd_axis(
                "Monthly cost (USD, log scale)",
                log_values=charts.decades(
                    frontier["Monthly cost (USD)"].min(), frontier["Monthly cost (USD)"].max()
                ),
            ),
        ),
        color=alt.Color("Option:N", title=None),
        shape=alt.Shape("Option:N", title=None),
    ),
    charts.vertical_markers(tolerance, x="Staleness (minutes)", label="label", flip_above=100),
)

# %% [markdown]
# ## The decision

# %%
verdict = "Batch" if decision.recommendation == "batch" else "Serve in real time"
on_the_api = (
    f"\n\nOn the hosted API, the batch endpoint would cost {usd(api.batch_monthly_usd)} a month "
    f"against {usd(api.realtime_monthly_usd)} synchronous, with results within "
    f"{plain(api.window_hours)} h (evidence {api.claim}, "
    f"{registry.claim(api.claim).verdict.label.lower()})."
    if api is not None
    else ""
)
Markdown(
    f"**{verdict}**, by rule **{decision.rule.id}** ({decision.rule.title}). {decision.reason}"
    + on_the_api
)

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
# a schedule, and if not, what does an always-on fleet cost?** It sizes a real-time fleet for
# the p95 of response time at the busiest hour, chooses the longest batch cadence your users
# tolerate, prices both, and checks the queueing model against a simulation. The default
# workload is a model served on one GPU per replica; at the end, the playbook measures a small
# classifier on this machine, so you see how to plug in a measurement of your own. Change the
# parameters cell and run all cells; defaults marked *assumption* are ours, replace them first.

# %%
from decimal import Decimal

import altair as alt
from IPython.display import Markdown, display

from tradeoffs import batch_vs_realtime as bvr
from tradeoffs import charts
from tradeoffs._errors import InvalidParameterError
from tradeoffs._queueing import Service, erlang_c_direct, response_quantile, simulate
from tradeoffs.evidence import load_registry, value
from tradeoffs.formatting import plain, share, usd

charts.setup()
registry = load_registry()

# %% tags=["parameters"]
# Your traffic and the real-time service (None: the handbook's default)
daily_requests = 1_728_000
peak_to_mean = 2
service_ms = 50  # mean time to serve one request on one replica
service_cv = 0.3  # its coefficient of variation: 1 is exponential, inference is far lower
p95_ms = 150  # target for the p95 of response time (queueing wait + service)
# Prices of one replica an hour (on demand; pass an interruptible price for batch if you use it)
replica_hourly_usd = 2.79
batch_hourly_usd = None  # None: the same as replica_hourly_usd
spare_replicas = 1
# What users tolerate, and the batch runs
max_staleness_minutes = 1800
batch_interval_hours = None  # None: the longest cadence whose staleness fits the tolerance
entities = 1_000_000  # users, items or accounts each run scores
batch_throughput_per_second = 400  # predictions a second one replica makes on batched input
batch_max_run_hours = 1
batch_startup_minutes = 5
batch_min_billed_minutes = 1
prediction_bytes = 200
storage_usd_per_gb_month = 0.023
lookup_store_monthly_usd = 150
# A hosted LLM API for comparison (its batch endpoint is half price at four providers);
# None: compare no API
api_model = "gpt-5.4-mini"  # a current model with no shutdown in the registry
input_tokens = 500
output_tokens = 200
seed = 0

# %% [markdown]
# ## Your real-time fleet and your batch runs
#
# The first table shows every input the model used and where its default comes from; the
# second, what it computed.

# %%
inputs = dict(
    daily_requests=daily_requests,
    peak_to_mean=peak_to_mean,
    service_ms=service_ms,
    service_cv=service_cv,
    p95_ms=p95_ms,
    replica_hourly_usd=replica_hourly_usd,
    batch_hourly_usd=batch_hourly_usd,
    spare_replicas=spare_replicas,
    max_staleness_minutes=max_staleness_minutes,
    batch_interval_hours=batch_interval_hours,
    entities=entities,
    batch_throughput_per_second=batch_throughput_per_second,
    batch_max_run_hours=batch_max_run_hours,
    batch_startup_minutes=batch_startup_minutes,
    batch_min_billed_minutes=batch_min_billed_minutes,
    prediction_bytes=prediction_bytes,
    storage_usd_per_gb_month=storage_usd_per_gb_month,
    lookup_store_monthly_usd=lookup_store_monthly_usd,
)
if api_model is not None:  # token counts are inputs of the API comparison only
    inputs.update(api_model=api_model, input_tokens=input_tokens, output_tokens=output_tokens)
scenario = bvr.scenario(**inputs)
decision = bvr.decide(scenario)
rt, bt, api = decision.realtime, decision.batch, decision.api
record = bvr.record(decision)
charts.inputs_table(record)

# %%
charts.Table(charts.frame([{"Result": r.label, "Value": r.shown} for r in record.results]))

# %% [markdown]
# ## Why this many replicas: the p95 of response time
#
# A request's response time is its wait in the queue plus its own service. The fleet is the
# smallest whose p95 of response time at the peak meets the target. Even an idle fleet cannot
# beat the service time's own p95, so a target at or under it is refused. The model is exact
# M/M/c when service times are exponential (CV of one) and the Allen-Cunneen approximation with
# gamma service times otherwise.

# %%
rate, service = scenario.peak_arrivals_per_second, scenario.service
stable = int(rate * service.mean) + 1
fleet_rows = []
for servers in range(max(stable, rt.replicas - 2), rt.replicas + 3):
    p95_response = response_quantile(servers, rate, service, bvr.P95) * 1000
    fleet_rows.append(
        {
            "Replicas": servers,
            "Utilisation": share(Decimal(str(rate * service.mean / servers))),
            "Share that queues": share(Decimal(str(erlang_c_direct(servers, rate * service.mean)))),
            "p95 response (ms)": f"{p95_response:,.1f}",
            "Meets the target": "yes" if p95_response <= float(scenario.p95_ms) else "no",
        }
    )
charts.Table(
    charts.frame(fleet_rows),
    f"At the peak of {rate:,.1f} requests/s, {plain(scenario.service_ms)} ms mean service, "
    f"CV {plain(scenario.service_cv)}: target {plain(scenario.p95_ms)} ms, lowest reachable "
    f"{scenario.min_p95_ms:,.1f} ms; {rt.replicas} replicas meet it",
)

# %% [markdown]
# ## Check the response-time model against a simulation
#
# The same fleet at the same peak, simulated request by request with ciw: Poisson arrivals,
# first come first served, gamma service times with the scenario's CV, and exponential ones for
# comparison. The model should land within a few per cent of the simulation; if it does not
# for your inputs, trust the simulation.


# %%
def simulated_p95_ms(
    arrivals: float, servers: int, service: Service | None = None, sample: object = None
) -> float:
    """p95 of response time (wait + service) in a ciw simulation of 40,000 requests: service
    times of the given distribution, or replaying a measured sample."""
    run = simulate(
        arrivals, servers, service=service, service_sample=sample, customers=40_000, seed=seed
    )
    return run.p95_response * 1000


check_rows = []
for label, svc in (
    (f"Gamma, CV {plain(scenario.service_cv)} (your input)", service),
    ("Exponential, CV 1 (exact M/M/c)", Service(service.mean, 1.0)),
):
    model_ms = response_quantile(rt.replicas, rate, svc, bvr.P95) * 1000
    sim_ms = simulated_p95_ms(rate, rt.replicas, svc)
    check_rows.append(
        {
            "Service times": label,
            "Model p95 response (ms)": f"{model_ms:,.1f}",
            "Simulated p95 response (ms)": f"{sim_ms:,.1f}",
            "Model against simulation": f"{(model_ms / sim_ms - 1) * 100:+.1f}%",
        }
    )
charts.Table(
    charts.frame(check_rows),
    f"{rt.replicas} replicas at {rate:,.1f} requests/s, {plain(scenario.service_ms)} ms mean "
    "service; ciw simulation of 40,000 requests",
)

# %% [markdown]
# ## Replicas and tail latency as traffic grows
#
# Each step adds a replica when the p95 of response time at the peak would otherwise break the
# target; between steps, the p95 climbs towards it.

# %%
volumes = bvr.log_volumes(10_000, 1_000_000_000, 25)
points = bvr.cost_curve(scenario, volumes)
fleet = charts.frame(
    [
        {
            "Daily requests": p.daily_requests,
            "Replicas for the p95": p.realtime.replicas,
            "p95 response time (ms)": p.realtime.p95_response_ms,
        }
        for p in points
    ]
)
base = alt.Chart(
    fleet,
    title=alt.Title(
        "Real-time replicas and p95 response time against traffic",
        subtitle=f"Target {plain(scenario.p95_ms)} ms at a peak of {plain(scenario.peak_to_mean)}× "
        f"the mean; no fleet goes below {scenario.min_p95_ms:,.0f} ms, the service's own p95",
    ),
    description=(
        f"Line chart, log x scale: replicas needed grow from "
        f"{points[0].realtime.replicas} at {volumes[0]:,} requests a day to "
        f"{points[-1].realtime.replicas:,} at {volumes[-1]:,}, and the p95 of response time "
        f"stays between {fleet['p95 response time (ms)'].min():,.0f} and "
        f"{fleet['p95 response time (ms)'].max():,.0f} ms, under the target of "
        f"{plain(scenario.p95_ms)} ms."
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
            axis=alt.Axis(
                title="Replicas (log scale)",
                titleColor=charts.PALETTE[0],
                format="~s",
                values=charts.decades(1, points[-1].realtime.replicas),
            ),
        ),
    ),
    base.mark_line(color=charts.PALETTE[1], strokeDash=[5, 3]).encode(
        x=x,
        y=alt.Y(
            "p95 response time (ms):Q",
            scale=alt.Scale(zero=True),
            axis=alt.Axis(title="p95 response time (ms)", titleColor=charts.PALETTE[1]),
        ),
    ),
).resolve_scale(y="independent")

# %% [markdown]
# ## The cadence the model chose, and what each cadence costs
#
# Unless you set the interval, the model takes the longest cadence, up to the longest the
# handbook considers, whose worst-case staleness (the interval plus the run) fits what your
# users tolerate. Every run pays its start-up and at least the minimum billed time, so a
# shorter cadence costs more; the stored predictions and the lookup store cost the same at
# any cadence.

# %%
origin = scenario.inputs.origins["batch_interval_hours"]
run_minutes = bt.run_hours * 60
why = (
    "you set it"
    if origin.given
    else f"{origin.note}: users tolerate {plain(scenario.max_staleness_minutes)} minutes, a "
    f"run takes {plain(round(run_minutes, 1))} minutes, and the handbook considers cadences up "
    f"to {plain(value('assume-batch.interval_hours'))} h, in whole hours (whole minutes under "
    "an hour)"
)
display(
    Markdown(
        f"**A batch every {plain(round(bt.interval_hours, 2))} h**: {why}. "
        f"Each run starts up for {plain(scenario.batch_startup_minutes)} minutes, then scores "
        f"{scenario.entities:,} entities at {plain(scenario.batch_throughput_per_second)} a "
        f"second on {bt.replicas} replica{'s' if bt.replicas > 1 else ''}; the oldest "
        f"prediction a user sees is {plain(round(bt.staleness_minutes, 1))} minutes old, "
        f"{'within' if bt.staleness_minutes <= scenario.max_staleness_minutes else 'beyond'} "
        "the tolerance."
    )
)
cadences = []
for hours in sorted({0.25, 0.5, 1, 2, 4, 8, 12, 24, float(bt.interval_hours)}):
    try:
        b = bvr.batch(bvr.SPEC.rebuild(scenario, batch_interval_hours=hours))
    except InvalidParameterError:  # a run would not fit between two starts
        continue
    cadences.append(b)
charts.Table(
    charts.frame(
        [
            {
                "Every (h)": plain(round(b.interval_hours, 2)),
                "Runs a month": f"{b.runs_per_month:,.0f}",
                "Replicas per run": b.replicas,
                "Oldest prediction (minutes)": plain(round(b.staleness_minutes, 1)),
                "Runs, monthly": usd(b.compute_monthly_usd),
                "Batch, monthly": usd(b.monthly_usd),
                "Within the tolerance": (
                    "yes" if b.staleness_minutes <= scenario.max_staleness_minutes else "no"
                ),
            }
            for b in cadences
        ]
    ),
    f"Batch cost against cadence; the model chose every {plain(round(bt.interval_hours, 2))} h. "
    f"Storage {usd(bt.storage_monthly_usd)} and lookup store {usd(bt.lookup_monthly_usd)} a "
    "month at any cadence",
)

# %% [markdown]
# ## Monthly cost of both architectures against daily volume
#
# The real-time fleet grows with the traffic at the peak. Batch scores every entity on each
# run whatever the traffic, so its cost stays flat as requests grow.

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
    f"{plain(round(bt.interval_hours, 2))} h over {scenario.entities:,} entities",
    description=(
        "Line chart, log scales: the always-on real-time fleet costs "
        f"{usd(points[0].realtime.monthly_usd)} a month at {volumes[0]:,} requests a "
        f"day and {usd(points[-1].realtime.monthly_usd)} at {volumes[-1]:,}; scheduled "
        f"batch runs over the same entities cost {usd(points[0].batch.monthly_usd)} at "
        "any volume."
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
# Shorter batch cadences buy fresher predictions at a higher price; the always-on fleet and the
# API's synchronous endpoint are the freshest. The dashed line is what your users tolerate:
# anything left of it is acceptable, and the cheapest such option wins.

# %%
options = [
    {
        "Option": "Self-hosted batch",
        "Staleness (minutes)": float(b.staleness_minutes),
        "Monthly cost (USD)": float(b.monthly_usd),
    }
    for b in cadences
]
options.append(
    {
        "Option": "Self-hosted real-time",
        "Staleness (minutes)": 0.01,
        "Monthly cost (USD)": float(rt.monthly_usd),
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
            subtitle="Batch every "
            + ", ".join(f"{plain(round(b.interval_hours, 2))} h" for b in cadences)
            + "; real time at the left edge",
        ),
        description=(
            "Scatter chart, log scales: monthly cost against staleness in minutes for "
            "self-hosted batch at several cadences, its cost rising as the cadence shortens, "
            "self-hosted real time"
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
# ## Measure, don't assume: a model timed on this machine
#
# The defaults above describe a GPU-served model; yours has its own service time and
# variability. This section measures a small gradient-boosted classifier on this machine, as
# you would measure your model. Bigger batches raise throughput, because fixed per-call costs
# are shared, and raise the latency of each request, because it waits for its whole batch.

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
# ## Its service time and variability, against the model
#
# One request at a time, the classifier's service times give a mean and a coefficient of
# variation, the two numbers the queueing model needs. The table checks the model's gamma
# shape against a simulation that replays the measured times, on one replica busy enough to
# queue, and shows how far the exponential assumption would overstate the tail.

# %%
sample = bvr.service_times(model, pool)
mean_s = float(sample.mean())
cv = float(sample.std() / sample.mean())
busy_rate = 0.8 / mean_s  # one replica at 80% utilisation
measured_service = Service(mean_s, min(max(cv, 0.05), 5))  # the calculator's range
tail_rows = [
    ("Model, exponential (CV 1)", response_quantile(1, busy_rate, Service(mean_s, 1.0), bvr.P95)),
    (
        f"Model, gamma at the measured CV {cv:.2f}",
        response_quantile(1, busy_rate, measured_service, bvr.P95),
    ),
    (
        "Simulation replaying the measured times",
        simulated_p95_ms(busy_rate, 1, sample=sample) / 1000,
    ),
]
charts.Table(
    charts.frame(
        [{"Service times": k, "p95 response (ms)": f"{v * 1000:.3f}"} for k, v in tail_rows]
    ),
    f"One replica at 80% utilisation; measured mean service {mean_s * 1000:.3f} ms, "
    f"coefficient of variation {cv:.2f} (exponential: 1)",
)

# %% [markdown]
# ## Plug your measurement in
#
# The same decision with the measured classifier in place of the default workload: its mean
# service time and CV, its batched throughput, and the price of a small CPU instance, which is
# enough for a model this size. To make your own measurement the main scenario, put its mean
# and CV in `service_ms` and `service_cv` in the parameters cell, with your replica price and
# batched throughput.

# %%
cpu = "cpu-price-aws-m7g-large"
mine = bvr.decide(
    bvr.SPEC.rebuild(
        scenario,
        service_ms=round(mean_s * 1000, 4),
        service_cv=round(measured_service.cv, 2),
        replica_hourly_usd=value(f"{cpu}.hourly"),
        batch_hourly_usd=None,
        batch_throughput_per_second=round(last.throughput_per_second),
    )
)


def summary(d: bvr.Decision) -> dict[str, str]:
    s = d.scenario
    return {
        "Mean service (ms)": plain(s.service_ms),
        "Service CV": plain(s.service_cv),
        "Replica an hour": f"${plain(s.replica_hourly_usd)}",
        "Lowest reachable p95 (ms)": f"{s.min_p95_ms:,.2f}",
        "Replicas (with spares)": str(d.realtime.replicas_provisioned),
        "p95 response (ms)": f"{d.realtime.p95_response_ms:,.2f}",
        "Real-time, monthly": usd(d.realtime.monthly_usd),
        "Batch cadence (h)": plain(round(d.batch.interval_hours, 2)),
        "Batch, monthly": usd(d.batch.monthly_usd),
        "Recommendation": f"{d.recommendation} ({d.rule.id})",
    }


ours, theirs = summary(decision), summary(mine)
charts.Table(
    charts.frame(
        [
            {"": key, "Default workload (GPU)": ours[key], "Measured classifier (CPU)": theirs[key]}
            for key in ours
        ]
    ),
    f"CPU replica price: {cpu} ({registry.claim(cpu).verdict.label.lower()}); every other "
    "input as in the parameters cell",
)

# %% [markdown]
# ## The decision

# %%
verdict = "Batch" if decision.recommendation == "batch" else "Serve in real time"
notes = [w for w in bvr.warnings(decision) if api is None or api.model not in w]
if api is not None:
    api_verdict = f"{registry.claim(api.claim).verdict.label.lower()}"
    if api.meets_staleness:
        notes.append(
            f"On the hosted API, the batch endpoint fits your tolerance (results up to "
            f"{plain(round(api.staleness_minutes, 1))} minutes old) and costs "
            f"{usd(api.batch_monthly_usd)} a month against {usd(api.realtime_monthly_usd)} "
            f"synchronous (evidence {api.claim}, {api_verdict})."
        )
    else:
        notes.append(
            f"On the hosted API, the batch endpoint would cost {usd(api.batch_monthly_usd)} a "
            f"month against {usd(api.realtime_monthly_usd)} synchronous (evidence {api.claim}, "
            f"{api_verdict}), but its results can be up to "
            f"{plain(round(api.staleness_minutes, 1))} minutes old at this cadence, beyond "
            f"the {plain(scenario.max_staleness_minutes)} minutes your users tolerate: use the "
            "synchronous endpoint for this workload."
        )
Markdown(
    f"**{verdict}**, by rule **{decision.rule.id}** ({decision.rule.title}). {decision.reason}"
    + "".join(f"\n\n{note}" for note in notes)
)

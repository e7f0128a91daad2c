"""M/M/c queueing: Erlang C and the waiting-time distribution, numerically stable.

The textbook formula for Erlang C divides factorials and powers that overflow long before a
fleet reaches a few hundred replicas. The Erlang B recursion
``B(k) = a·B(k-1) / (k + a·B(k-1))`` stays between 0 and 1 at every step, and Erlang C follows
from it as ``C = c·B / (c - a·(1 - B))``; sizing walks c upwards carrying B along, so finding
the replica count costs O(c) however large c is.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of M/M/c/c with ``offered_load`` = arrival rate x mean service time."""
    b = 1.0
    for k in range(1, servers + 1):
        b = offered_load * b / (k + offered_load * b)
    return b


def erlang_c_from_b(servers: int, offered_load: float, b: float) -> float:
    """Probability that an arrival waits in M/M/c, from Erlang B of the same c and load."""
    if offered_load >= servers:
        return 1.0
    return servers * b / (servers - offered_load * (1.0 - b))


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival has to wait (all ``servers`` busy) in a stable M/M/c."""
    return erlang_c_from_b(servers, offered_load, erlang_b(servers, offered_load))


def wait_quantile(
    servers: int, arrival_rate: float, service_rate: float, p_wait: float, q: float
) -> float:
    """The q-quantile of the queueing wait, in the time unit of the rates.

    In M/M/c under first-come-first-served, P(W > t) = C · exp(-(cμ - λ)t): the quantile is 0
    when fewer than (1 - q) of arrivals wait at all.
    """
    tail = 1.0 - q
    if p_wait <= tail:
        return 0.0
    drain = servers * service_rate - arrival_rate
    if drain <= 0:
        return math.inf
    return math.log(p_wait / tail) / drain


@dataclass(frozen=True)
class QueueState:
    """One candidate fleet size with its waiting behaviour at the given traffic."""

    servers: int
    utilisation: float
    p_wait: float
    wait_quantile: float


def fleet_sizes(
    arrival_rate: float, service_rate: float, q: float, start: int = 1
) -> Iterator[QueueState]:
    """Stable fleets of increasing size from ``start``, each with its wait quantile."""
    arrival_rate, service_rate = float(arrival_rate), float(service_rate)
    load = arrival_rate / service_rate
    b = 1.0
    servers = 0
    while True:
        servers += 1
        b = load * b / (servers + load * b)
        if servers < start or servers <= load:
            continue
        c = erlang_c_from_b(servers, load, b)
        yield QueueState(
            servers=servers,
            utilisation=load / servers,
            p_wait=c,
            wait_quantile=wait_quantile(servers, arrival_rate, service_rate, c, q),
        )


@dataclass(frozen=True)
class Simulated:
    """What a discrete-event simulation of the queue observed."""

    customers: int
    p_wait: float
    p95_wait: float


def simulate(
    arrival_rate: float,
    servers: int,
    *,
    service_rate: float | None = None,
    service_sample: Sequence[float] | None = None,
    customers: int = 20_000,
    seed: int = 0,
) -> Simulated:
    """Simulate a c-server FIFO queue with ciw: exponential service at ``service_rate``, or
    service times drawn from a measured ``service_sample`` (M/G/c).

    The first tenth of the run is discarded as warm-up.
    """
    import ciw

    if (service_rate is None) == (service_sample is None):
        raise ValueError("give exactly one of service_rate and service_sample")
    if service_rate is not None:
        service = ciw.dists.Exponential(rate=service_rate)
    else:
        assert service_sample is not None
        service = ciw.dists.Empirical(observations=[float(t) for t in service_sample])
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=arrival_rate)],
        service_distributions=[service],
        number_of_servers=[servers],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    horizon = customers / arrival_rate
    sim.simulate_until_max_time(horizon)
    waits = sorted(r.waiting_time for r in sim.get_all_records() if r.arrival_date > horizon / 10)
    if not waits:
        return Simulated(0, 0.0, 0.0)
    waited = sum(1 for w in waits if w > 1e-12)
    return Simulated(len(waits), waited / len(waits), float(waits[int(0.95 * (len(waits) - 1))]))

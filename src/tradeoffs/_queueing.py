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
from typing import Any


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
    p95_response: float = 0.0
    """The 95th percentile of response time: the wait plus the request's own service."""


def simulate(
    arrival_rate: float,
    servers: int,
    *,
    service_rate: float | None = None,
    service_sample: Sequence[float] | None = None,
    service: Service | None = None,
    customers: int = 20_000,
    seed: int = 0,
) -> Simulated:
    """Simulate a c-server FIFO queue with ciw: exponential service at ``service_rate``,
    service times drawn from a measured ``service_sample`` (M/G/c), or a :class:`Service`
    (exponential at CV 1, gamma otherwise).

    The first tenth of the run is discarded as warm-up.
    """
    import ciw

    if sum(given is not None for given in (service_rate, service_sample, service)) != 1:
        raise ValueError("give exactly one of service_rate, service_sample and service")
    dist: Any
    if service_sample is not None:
        dist = ciw.dists.Empirical(observations=[float(t) for t in service_sample])
    elif service is not None and not service.exponential:
        dist = ciw.dists.Gamma(shape=service.shape, scale=service.mean / service.shape)
    else:
        rate = 1 / service.mean if service is not None else service_rate
        dist = ciw.dists.Exponential(rate=rate)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=arrival_rate)],
        service_distributions=[dist],
        number_of_servers=[servers],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    horizon = customers / arrival_rate
    sim.simulate_until_max_time(horizon)
    kept = [r for r in sim.get_all_records() if r.arrival_date > horizon / 10]
    if not kept:
        return Simulated(0, 0.0, 0.0)
    waits = sorted(r.waiting_time for r in kept)
    responses = sorted(r.waiting_time + r.service_time for r in kept)
    at = int(0.95 * (len(kept) - 1))
    waited = sum(1 for w in waits if w > 1e-12)
    return Simulated(len(kept), waited / len(kept), float(waits[at]), float(responses[at]))


# --- Response time: wait plus one's own service ---------------------------------------------------


def erlang_c_direct(servers: int, offered_load: float) -> float:
    """Erlang C in O(1) for any fleet size: Erlang B is the Poisson pmf over its cdf at c."""
    from scipy.stats import poisson

    if offered_load >= servers:
        return 1.0
    if offered_load <= 0:
        return 0.0
    b = math.exp(
        float(poisson.logpmf(servers, offered_load) - poisson.logcdf(servers, offered_load))
    )
    return erlang_c_from_b(servers, offered_load, b)


@dataclass(frozen=True)
class Service:
    """A service-time distribution: its mean (seconds) and coefficient of variation (CV).

    CV 1 is the exponential of M/M/c; any other CV is a gamma distribution with that mean and
    CV (CV 0.2, regular inference, is a gamma of shape 25)."""

    mean: float
    cv: float

    @property
    def exponential(self) -> bool:
        return self.cv == 1.0

    @property
    def shape(self) -> float:
        return 1.0 / self.cv**2

    def survival(self, t: float) -> float:
        """P(S > t)."""
        if t <= 0:
            return 1.0
        if self.exponential:
            return math.exp(-t / self.mean)
        from scipy.special import gammaincc

        return float(gammaincc(self.shape, t * self.shape / self.mean))

    def quantile(self, q: float) -> float:
        """The q-quantile of the service time: the lowest q-quantile of response time any
        fleet can reach, since a request takes at least its own service."""
        if self.exponential:
            return -self.mean * math.log(1.0 - q)
        from scipy.special import gammaincinv

        return float(gammaincinv(self.shape, q)) * self.mean / self.shape


def conditional_wait_rate(servers: int, arrival_rate: float, service: Service) -> float:
    """Rate of the exponential wait of those who wait: cμ - λ in M/M/c; for other service
    variability, scaled so the mean wait is M/M/c's times (1 + CV²)/2 (Allen-Cunneen)."""
    drain = servers / service.mean - arrival_rate
    return drain * 2.0 / (1.0 + service.cv**2)


def response_tail(t: float, servers: int, arrival_rate: float, service: Service) -> float:
    """P(T > t) for the response time T = W + S of a FIFO c-server queue.

    Exponential service: exact M/M/c (W is 0 with probability 1 - C, else exponential at
    rate cμ - λ, and independent of the request's own service S). Otherwise the standard M/G/c
    approximation: the same probability of waiting, the Allen-Cunneen mean wait, and a gamma
    S; the convolution is integrated numerically. Checked against ciw in the tests.
    """
    load = arrival_rate * service.mean
    if load >= servers:
        return 1.0
    c = erlang_c_direct(servers, load)
    theta = conditional_wait_rate(servers, arrival_rate, service)
    if service.exponential:
        mu = 1.0 / service.mean
        if abs(theta - mu) <= 1e-9 * mu:
            convolved = (1.0 + mu * t) * math.exp(-mu * t)
        else:
            convolved = (theta * math.exp(-mu * t) - mu * math.exp(-theta * t)) / (theta - mu)
        return (1.0 - c) * math.exp(-mu * t) + c * convolved
    from scipy.integrate import quad

    waited, _ = quad(
        lambda w: theta * math.exp(-theta * w) * service.survival(t - w), 0.0, t, limit=200
    )
    return (1.0 - c) * service.survival(t) + c * (float(waited) + math.exp(-theta * t))


def response_quantile(servers: int, arrival_rate: float, service: Service, q: float) -> float:
    """The q-quantile of response time (seconds), by root-finding on :func:`response_tail`."""
    from scipy.optimize import brentq

    tail = 1.0 - q
    low, high = service.quantile(q) * (1 - 1e-12), service.mean * 10
    while response_tail(high, servers, arrival_rate, service) > tail:
        high *= 2
    return float(
        brentq(
            lambda t: response_tail(t, servers, arrival_rate, service) - tail,
            low,
            high,
            xtol=1e-12,
            rtol=1e-10,
        )
    )


def smallest_fleet(
    arrival_rate: float, service: Service, target: float, q: float, max_servers: int
) -> int | None:
    """The fewest servers whose q-quantile of response time is at most ``target`` seconds,
    or None if more than ``max_servers`` would be needed.

    More servers never lengthen the response time, so the fleet is found by doubling from the
    smallest stable fleet and bisecting: about 2·log2(c) evaluations whatever c is."""
    from tradeoffs._search import smallest_passing

    tail = 1.0 - q

    def meets(servers: int) -> bool:
        return response_tail(target, servers, arrival_rate, service) <= tail

    stable = max(1, math.floor(arrival_rate * service.mean) + 1)  # the smallest stable fleet
    return smallest_passing(meets, stable, max(stable, max_servers))

"""Erlang C against exact values and a discrete-event simulation (ciw)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradeoffs._queueing import erlang_c, fleet_sizes, simulate, wait_quantile


def erlang_c_exact(c: int, a: Fraction) -> Fraction:
    """The textbook closed form, in exact rational arithmetic (fine for small c)."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_worked_example() -> None:
    """40 req/s, 50 ms service (a = 2), 4 replicas: P(wait) = 4/23 = 0.174, p95 wait 31.2 ms."""
    assert erlang_c(4, 2.0) == pytest.approx(4 / 23, rel=1e-12)
    p95 = wait_quantile(4, 40.0, 20.0, erlang_c(4, 2.0), 0.95)
    assert p95 * 1000 == pytest.approx(31.16, abs=0.01)
    fleet = next(s for s in fleet_sizes(40.0, 20.0, 0.95) if s.wait_quantile <= 0.100)
    assert (fleet.servers, round(fleet.p_wait, 3)) == (4, 0.174)


def test_single_server_waits_with_probability_rho() -> None:
    """M/M/1: an arrival waits exactly when the server is busy, with probability ρ."""
    for rho in (0.1, 0.5, 0.9, 0.99):
        assert erlang_c(1, rho) == pytest.approx(rho, rel=1e-12)


@pytest.mark.parametrize(("c", "a"), [(2, "1"), (3, "2.5"), (10, "7"), (25, "20"), (30, "29.5")])
def test_matches_the_exact_closed_form(c: int, a: str) -> None:
    exact = erlang_c_exact(c, Fraction(a))
    assert erlang_c(c, float(a)) == pytest.approx(float(exact), rel=1e-10)


def test_stable_for_thousands_of_servers() -> None:
    """The closed form overflows long before this; the recursion must not."""
    for c, a in ((2_000, 1_950.0), (10_000, 9_900.0), (50_000, 49_800.0)):
        p = erlang_c(c, a)
        assert 0.0 < p < 1.0 and math.isfinite(p)
    big = next(s for s in fleet_sizes(40_000.0, 1.0, 0.95) if s.wait_quantile <= 0.05)
    assert 40_000 < big.servers < 41_000


def test_unstable_queue_always_waits() -> None:
    assert erlang_c(3, 3.0) == 1.0
    assert erlang_c(3, 5.0) == 1.0


def test_simulation_agrees_with_erlang_c() -> None:
    """ciw, M/M/4 at λ = 40/s and μ = 20/s: the formula's P(wait) and p95 wait."""
    sim = simulate(40.0, 4, service_rate=20.0, customers=40_000, seed=1)
    assert sim.customers > 30_000
    assert sim.p_wait == pytest.approx(4 / 23, abs=0.02)
    assert sim.p95_wait * 1000 == pytest.approx(31.16, rel=0.15)


def test_regular_service_waits_less_than_the_exponential_model() -> None:
    """Deterministic service (coefficient of variation 0) queues less than M/M/1 predicts."""
    deterministic = simulate(16.0, 1, service_sample=[0.05] * 10, customers=20_000, seed=2)
    exponential = wait_quantile(1, 16.0, 20.0, erlang_c(1, 0.8), 0.95)
    assert deterministic.p95_wait < 0.7 * exponential


@settings(max_examples=60, deadline=None)
@given(st.floats(0.1, 2_000.0), st.floats(1.0, 500.0), st.floats(0.001, 0.5), st.floats(1.0, 4.0))
def test_more_traffic_never_needs_fewer_replicas(
    rate: float, service_rate: float, budget: float, factor: float
) -> None:
    def needed(r: float) -> int:
        return next(
            s for s in fleet_sizes(r, service_rate, 0.95) if s.wait_quantile <= budget
        ).servers

    assert needed(rate * factor) >= needed(rate)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.1, 2_000.0), st.floats(1.0, 500.0), st.floats(0.0, 0.5), st.floats(0.0, 0.5))
def test_a_looser_target_never_needs_more_replicas(
    rate: float, service_rate: float, tight: float, extra: float
) -> None:
    def needed(budget: float) -> int:
        return next(
            s for s in fleet_sizes(rate, service_rate, 0.95) if s.wait_quantile <= budget
        ).servers

    assert needed(tight + extra) <= needed(tight)


# --- Response time (wait + service) ----------------------------------------------------------


def mmc_response_tail_textbook(t: float, c: int, lam: float, mu: float) -> float:
    """P(T > t) in M/M/c (Gross & Harris): e^{-μt}[1 + C (1 - e^{-(cμ-λ-μ)t}) / (c - 1 - λ/μ)],
    with the exact Erlang C; the limit (1 + Cμt) e^{-μt} when c - 1 = λ/μ."""
    a = lam / mu
    pw = float(erlang_c_exact(c, Fraction(a).limit_denominator(10**9)))
    k = c - 1 - a
    if abs(k) < 1e-12:
        return (1 + pw * mu * t) * math.exp(-mu * t)
    return math.exp(-mu * t) * (1 + pw * (1 - math.exp(-(c * mu - lam - mu) * t)) / k)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.5, 200), st.floats(0.005, 0.5), st.floats(1.05, 6), st.integers(0, 10**6))
def test_mmc_fleet_is_the_smallest_meeting_the_p95_of_response_time(
    lam: float, service_s: float, slack: float, seed: int
) -> None:
    """With CV 1 the model's fleet is the smallest c whose exact p95 response time meets the
    target, by brute force over c with the textbook formula."""
    from tradeoffs._queueing import Service, smallest_fleet

    if lam * service_s > 50:  # keep the brute force (and exact Erlang C) small
        lam = 49.5 / service_s
    target = slack * math.log(20) * service_s  # above the reachable minimum, ln(20) x mean
    fleet = smallest_fleet(lam, Service(service_s, 1.0), target, 0.95, 10**6)
    mu = 1 / service_s
    c = math.floor(lam * service_s + 1e-9) + 1
    while mmc_response_tail_textbook(target, c, lam, mu) > 0.05 + 1e-12:
        c += 1
    assert fleet == c or (abs(mmc_response_tail_textbook(target, c - 1, lam, mu) - 0.05) < 1e-9)


def test_response_tail_matches_the_textbook_formula() -> None:
    from tradeoffs._queueing import Service, response_tail

    for c, lam, mu in [(4, 40.0, 20.0), (1, 5.0, 10.0), (3, 39.9, 20.0), (10, 150.0, 20.0)]:
        for t in (0.01, 0.05, 0.15, 0.5):
            ours = response_tail(t, c, lam, Service(1 / mu, 1.0))
            assert ours == pytest.approx(mmc_response_tail_textbook(t, c, lam, mu), rel=1e-9)


def ciw_p95_response(lam: float, servers: int, mean: float, cv: float, seed: int) -> float:
    import ciw

    if cv == 1:
        service = ciw.dists.Exponential(rate=1 / mean)
    else:
        shape = 1 / cv**2
        service = ciw.dists.Gamma(shape=shape, scale=mean / shape)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=lam)],
        service_distributions=[service],
        number_of_servers=[servers],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    horizon = 40_000 / lam
    sim.simulate_until_max_time(horizon)
    times = sorted(
        r.waiting_time + r.service_time
        for r in sim.get_all_records()
        if r.arrival_date > horizon / 10
    )
    return float(times[int(0.95 * (len(times) - 1))])


@pytest.mark.parametrize(
    ("cv", "servers", "rho"),
    [(0.2, 3, 0.8), (0.2, 8, 0.9), (0.5, 2, 0.85), (0.5, 6, 0.7), (1.0, 4, 0.9), (1.5, 3, 0.8)],
)
def test_the_response_time_approximation_is_close_to_a_simulation(
    cv: float, servers: int, rho: float
) -> None:
    """Gamma service of the given CV, simulated by ciw: the p95 of response time agrees within
    10% (6% in the cases we checked by hand; a simulation of 40,000 requests is itself noisy)."""
    from tradeoffs._queueing import Service, response_quantile

    mean = 0.05
    lam = rho * servers / mean
    model = response_quantile(servers, lam, Service(mean, cv), 0.95)
    simulated = ciw_p95_response(lam, servers, mean, cv, seed=7)
    assert model == pytest.approx(simulated, rel=0.10)


def test_the_lowest_reachable_p95_is_the_service_times_own() -> None:
    from scipy.stats import gamma

    from tradeoffs._queueing import Service

    assert Service(0.05, 1.0).quantile(0.95) == pytest.approx(0.05 * math.log(20), rel=1e-12)
    shape = 1 / 0.3**2
    assert Service(0.05, 0.3).quantile(0.95) == pytest.approx(
        gamma.ppf(0.95, shape, scale=0.05 / shape), rel=1e-9
    )

"""Erlang B/C/A against textbook values, a brute-force CTMC solve, and invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from incentsim.validation.queueing import erlang_a, erlang_b, erlang_c


def ctmc_stationary(agents: int, lam: float, mu: float, theta: float, states: int) -> np.ndarray:
    """Stationary law of the M/M/c+M chain by a dense linear solve of pi Q = 0, sum(pi) = 1.

    One balance equation is redundant; it is replaced by the normalisation.
    """
    q = np.zeros((states, states))
    for n in range(states):
        if n + 1 < states:
            q[n, n + 1] = lam
        if n > 0:
            q[n, n - 1] = min(n, agents) * mu + max(n - agents, 0) * theta
        q[n, n] = -q[n].sum()
    a = q.T.copy()
    a[-1] = 1.0
    b = np.zeros(states)
    b[-1] = 1.0
    return np.linalg.solve(a, b)


def ctmc_figures(agents: int, calls_per_hour: float, handle: float, patience: float | None,
                 states: int = 600) -> dict[str, float]:
    lam, mu = calls_per_hour / 60.0, 1.0 / handle
    theta = 0.0 if patience is None else 1.0 / patience
    pi = ctmc_stationary(agents, lam, mu, theta, states)
    n = np.arange(states)
    queue = np.clip(n - agents, 0, None)
    return {"p_wait": pi[agents:].sum(), "mean_wait": pi @ queue / lam,
            "p_abandon": theta * (pi @ queue) / lam}


# ------------------------------------------------------------------ textbook values
def test_erlang_b_tabulated() -> None:
    assert erlang_b(1, 2.0) == pytest.approx(2.0 / 3.0)
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=5e-6)  # Erlang B table
    assert erlang_b(5, 2.0) == pytest.approx(0.036697, abs=5e-6)


def test_erlang_c_single_agent_is_mm1() -> None:
    # M/M/1: P(wait) = rho, Wq = rho / (mu - lambda)
    q = erlang_c(1, calls_per_hour=45, mean_handle_time=1)
    rho = 0.75
    assert q.p_wait == pytest.approx(rho)
    assert q.mean_wait == pytest.approx(rho / (1.0 - rho))
    assert q.service_level(2.0) == pytest.approx(1 - rho * math.exp(-(1 - rho) * 2.0))


def test_erlang_c_two_agents_closed_form() -> None:
    # M/M/2: C = a^2 / (2 + a)
    a = 1.5
    q = erlang_c(2, calls_per_hour=60 * a / 3, mean_handle_time=3)
    assert q.p_wait == pytest.approx(a * a / (2 + a))
    assert q.mean_wait == pytest.approx(q.p_wait * 3 / (2 - a))


def test_erlang_c_tabulated_call_centre() -> None:
    # C(10 agents, 8 Erlangs) = 0.4092 (standard Erlang C table)
    q = erlang_c(10, calls_per_hour=48, mean_handle_time=10)
    assert q.p_wait == pytest.approx(0.40918, abs=5e-5)
    assert q.utilisation == pytest.approx(0.8)


@pytest.mark.parametrize(("agents", "load"), [(3, 2.1), (13, 10.0), (40, 36.5), (90, 85.0)])
def test_erlang_c_matches_textbook_sum(agents: int, load: float) -> None:
    # the textbook formula with factorials, fine at these sizes
    top = load**agents / math.factorial(agents) * agents / (agents - load)
    bottom = sum(load**k / math.factorial(k) for k in range(agents)) + top
    q = erlang_c(agents, calls_per_hour=load * 60 / 4, mean_handle_time=4)
    assert q.p_wait == pytest.approx(top / bottom, rel=1e-10)
    # service level: delayed callers wait Exp((c - a) / h)
    assert q.service_level(1.0) == pytest.approx(1 - top / bottom * math.exp(-(agents - load) / 4))


def test_erlang_c_large_centre_is_stable() -> None:
    q = erlang_c(5000, calls_per_hour=4950 * 12, mean_handle_time=5)
    assert 0.0 < q.p_wait < 1.0 and math.isfinite(q.mean_wait)


def test_erlang_a_with_patience_equal_to_handle_time_is_poisson() -> None:
    # theta = mu: the death rate is n * mu in every state, so N ~ Poisson(a) (M/M/inf)
    a = 9.0
    q = erlang_a(8, calls_per_hour=60 * a / 4, mean_handle_time=4, mean_patience=4)
    n = stats.poisson(a)
    assert q.p_wait == pytest.approx(n.sf(7), rel=1e-9)
    k = np.arange(8, 200)
    mean_queue = float(((k - 8) * n.pmf(k)).sum())
    assert q.mean_wait == pytest.approx(mean_queue / (a / 4), rel=1e-9)


# ------------------------------------------------------------------ brute-force CTMC
@pytest.mark.parametrize(("agents", "cph", "handle", "patience"), [
    (1, 40, 1.0, 2.0), (5, 50, 5.0, 3.0), (12, 130, 6.0, 10.0), (20, 300, 4.0, 1.5),
    (30, 340, 5.0, 8.0),
])
def test_erlang_a_matches_ctmc(agents: int, cph: float, handle: float, patience: float) -> None:
    q = erlang_a(agents, cph, handle, patience)
    ref = ctmc_figures(agents, cph, handle, patience)
    assert q.p_wait == pytest.approx(ref["p_wait"], abs=1e-9)
    assert q.p_abandon == pytest.approx(ref["p_abandon"], abs=1e-9)
    assert q.mean_wait == pytest.approx(ref["mean_wait"], rel=1e-8)


@pytest.mark.parametrize(("agents", "cph", "handle"), [(1, 30, 1.0), (8, 60, 6.0), (25, 280, 5.0)])
def test_erlang_c_matches_ctmc(agents: int, cph: float, handle: float) -> None:
    q = erlang_c(agents, cph, handle)
    ref = ctmc_figures(agents, cph, handle, None, states=800)
    assert q.p_wait == pytest.approx(ref["p_wait"], abs=1e-9)
    assert q.mean_wait == pytest.approx(ref["mean_wait"], rel=1e-8)


# ------------------------------------------------------------------ errors
def test_unstable_erlang_c_names_the_parameters() -> None:
    with pytest.raises(ValueError, match=r"agents.*calls_per_hour \* mean_handle_time"):
        erlang_c(5, calls_per_hour=60, mean_handle_time=5)


def test_bad_inputs_listed_together() -> None:
    with pytest.raises(ValueError) as info:
        erlang_a(0, -3, float("nan"), 0)
    text = str(info.value)
    for field in ("agents", "calls_per_hour", "mean_handle_time", "mean_patience"):
        assert field in text
    with pytest.raises(ValueError, match="t"):
        erlang_c(3, 10, 5).service_level(-1)


# ------------------------------------------------------------------ invariants
stable = st.tuples(
    st.integers(1, 200),
    st.floats(0.05, 0.99),
    st.floats(0.5, 30.0),
).map(lambda t: (t[0], t[1] * t[0] * 60 / t[2], t[2]))


@settings(max_examples=150, deadline=None)
@given(stable)
def test_erlang_c_invariants(params: tuple[int, float, float]) -> None:
    agents, cph, handle = params
    q = erlang_c(agents, cph, handle)
    more = erlang_c(agents + 1, cph, handle)
    assert 0.0 <= q.p_wait <= 1.0
    assert more.p_wait <= q.p_wait + 1e-12 and more.mean_wait <= q.mean_wait + 1e-12
    assert 0.0 <= q.service_level(0.0) <= q.service_level(1.0) <= q.service_level(60.0) <= 1.0
    assert q.service_level(0.0) == pytest.approx(1.0 - q.p_wait)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 150), st.floats(0.1, 2.5), st.floats(0.5, 20.0), st.floats(0.05, 60.0))
def test_erlang_a_invariants(agents: int, load_per_agent: float, handle: float,
                             patience: float) -> None:
    cph = load_per_agent * agents * 60 / handle
    q = erlang_a(agents, cph, handle, patience)
    more = erlang_a(agents + 1, cph, handle, patience)
    assert 0.0 <= q.p_abandon <= q.p_wait <= 1.0
    assert 0.0 <= q.utilisation <= 1.0 + 1e-12
    assert more.p_wait <= q.p_wait + 1e-9 and more.p_abandon <= q.p_abandon + 1e-9
    assert more.mean_wait <= q.mean_wait + 1e-9
    # flow balance: answered calls = busy agents / handle time
    answered = cph / 60 * (1 - q.p_abandon)
    assert answered == pytest.approx(q.utilisation * agents / handle, rel=1e-6)
    # a longer patience means fewer abandon
    assert erlang_a(agents, cph, handle, patience * 2).p_abandon <= q.p_abandon + 1e-12


@settings(max_examples=60, deadline=None)
@given(stable)
def test_erlang_a_tends_to_erlang_c(params: tuple[int, float, float]) -> None:
    agents, cph, handle = params
    c = erlang_c(agents, cph, handle)
    if c.utilisation > 0.97:  # the approach is slow right at the edge of stability
        return
    a = erlang_a(agents, cph, handle, mean_patience=handle * 1e7)
    assert a.p_wait == pytest.approx(c.p_wait, abs=1e-4)
    assert a.mean_wait == pytest.approx(c.mean_wait, rel=1e-3, abs=1e-6)
    assert a.p_abandon < 1e-3
    inf = erlang_a(agents, cph, handle, mean_patience=math.inf)
    assert inf.p_wait == c.p_wait and inf.p_abandon == 0.0

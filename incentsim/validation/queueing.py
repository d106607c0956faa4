"""Queueing theory for the pure queueing special case: Erlang C (M/M/c) and Erlang A (M/M/c+M).

These are the known answers the simulation engine is checked against
(:meth:`incentsim.Scenario.erlang`). Both are computed from first principles and
are numerically stable for thousands of agents:

* **Erlang B** by the recursion ``B(0) = 1``, ``B(n) = a B(n-1) / (n + a B(n-1))``,
  which never forms ``a**c`` or ``c!`` and so never overflows.
* **Erlang C** from Erlang B: ``C = c B / (c - a (1 - B))`` (Erlang 1917; see
  Gans, Koole & Mandelbaum 2003, *Telephone call centers: tutorial, review and
  research prospects*, MSOM 5(2)). The wait of a delayed caller is exponential
  with rate ``(c - a) / h``, which gives the service level in closed form.
* **Erlang A** (M/M/c+M, Palm 1943; Garnett, Mandelbaum & Reiman 2002, MSOM 4(3))
  from the stationary distribution of its birth-death chain: births at the call
  rate, deaths at ``n mu`` while ``n <= c`` and ``c mu + (n - c) theta`` above, with
  ``theta = 1 / mean_patience``. The unnormalised probabilities are accumulated in
  log space (so no term overflows) over a state space truncated adaptively: it is
  extended until the log-probability has fallen 60 nats (a factor ``1e-26``) below
  its peak and is still falling, which makes the neglected tail mass far below
  double precision. Because abandonment makes the death rate grow without bound
  the tail decays faster than geometrically, so the chain stays short unless
  patience is extremely long relative to handle time.

Units follow the rest of the project: calls per hour, times in minutes.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from incentsim.errors import InputError, Problem

#: How far (in nats) below its peak the stationary log-probability must fall before
#: the Erlang A state space is cut off.
_TAIL_NATS = 60.0
#: States added per extension of the Erlang A state space.
_CHUNK = 4096
#: Hard ceiling on the Erlang A state space (reached only for absurdly long patience).
_MAX_STATES = 50_000_000


@dataclass(frozen=True)
class ErlangC:
    """Steady state of an M/M/c queue (no abandonment).

    Attributes:
        agents: Number of agents ``c``.
        calls_per_hour: Arrival rate.
        mean_handle_time: Mean handle time in minutes.
        load: Offered load in Erlangs, ``a = calls_per_hour * mean_handle_time / 60``.
        p_wait: Probability that a caller waits at all (finds every agent busy).
        mean_wait: Mean minutes in queue over all callers (zero for those answered at once).
        utilisation: Share of agent time spent handling calls, ``a / c``.
    """

    agents: int
    calls_per_hour: float
    mean_handle_time: float
    load: float
    p_wait: float
    mean_wait: float
    utilisation: float

    def service_level(self, t: float) -> float:
        """Share of callers answered within ``t`` minutes, ``P(wait <= t)``.

        Args:
            t: Answer-time target in minutes (non-negative).

        Returns:
            ``1 - p_wait * exp(-(c - a) t / h)``.
        """
        if not t >= 0:
            raise InputError.single("service_level", "t", f"must be >= 0 minutes (got {t!r})")
        rate = (self.agents - self.load) / self.mean_handle_time
        return 1.0 - self.p_wait * math.exp(-rate * t)


@dataclass(frozen=True)
class ErlangA:
    """Steady state of an M/M/c+M queue (exponential patience: callers abandon).

    Attributes:
        agents: Number of agents ``c``.
        calls_per_hour: Arrival rate.
        mean_handle_time: Mean handle time in minutes.
        mean_patience: Mean patience in minutes.
        load: Offered load in Erlangs.
        p_wait: Probability that a caller finds every agent busy and has to wait.
        p_abandon: Share of callers who hang up before being answered.
        mean_wait: Mean minutes in queue over all callers, counting the time until
            answer or abandonment (zero for those answered at once).
        utilisation: Share of agent time spent handling calls.
        states: Length of the truncated state space used.
    """

    agents: int
    calls_per_hour: float
    mean_handle_time: float
    mean_patience: float
    load: float
    p_wait: float
    p_abandon: float
    mean_wait: float
    utilisation: float
    states: int


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of an M/M/c/c loss system (Erlang B), by the stable recursion.

    Args:
        agents: Number of servers ``c`` (>= 0).
        load: Offered load in Erlangs (>= 0).

    Returns:
        ``B(c, a)``, the probability that an arrival finds every server busy.
    """
    blocking = 1.0
    for n in range(1, int(agents) + 1):
        blocking = load * blocking / (n + load * blocking)
    return blocking


def _positive(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value) > 0


def _check(source: str, agents: int, calls_per_hour: float, mean_handle_time: float,
           mean_patience: float | None = None) -> None:
    problems = []
    if not (isinstance(agents, numbers.Integral) and _positive(agents)):
        problems.append(Problem("agents", f"must be a whole number >= 1 (got {agents!r})"))
    if not (_positive(calls_per_hour) and math.isfinite(calls_per_hour)):
        problems.append(Problem("calls_per_hour",
                                f"must be a finite number > 0 (got {calls_per_hour!r})"))
    if not (_positive(mean_handle_time) and math.isfinite(mean_handle_time)):
        problems.append(Problem("mean_handle_time",
                                f"must be finite minutes > 0 (got {mean_handle_time!r})"))
    if mean_patience is not None and not _positive(mean_patience):
        problems.append(Problem("mean_patience",
                                f"must be minutes > 0, or math.inf (got {mean_patience!r})"))
    if problems:
        raise InputError(source, problems)


def erlang_c(agents: int, calls_per_hour: float, mean_handle_time: float) -> ErlangC:
    """Erlang C: waiting in an M/M/c queue where nobody hangs up.

    Args:
        agents: Number of agents.
        calls_per_hour: Poisson arrival rate per hour.
        mean_handle_time: Mean (exponential) handle time in minutes.

    Returns:
        The steady-state :class:`ErlangC` figures.

    Raises:
        InputError: (a ``ValueError``) for non-positive inputs, or when the offered
            load ``calls_per_hour * mean_handle_time / 60`` is at least ``agents``:
            the queue then grows without bound and has no steady state.

    Example:
        >>> q = erlang_c(agents=10, calls_per_hour=48, mean_handle_time=10)
        >>> round(q.p_wait, 4), round(q.mean_wait, 3)
        (0.4092, 2.046)
    """
    _check("erlang_c", agents, calls_per_hour, mean_handle_time)
    agents, calls_per_hour, mean_handle_time = int(agents), float(calls_per_hour), float(
        mean_handle_time)
    load = calls_per_hour * mean_handle_time / 60.0
    if load >= agents:
        raise InputError.single(
            "erlang_c", "agents",
            f"offered load calls_per_hour * mean_handle_time / 60 = {calls_per_hour} * "
            f"{mean_handle_time} / 60 = {load:g} Erlangs needs agents > {load:g} for a steady "
            f"state (got agents={agents}); add agents, lower calls_per_hour or mean_handle_time, "
            "or use erlang_a with a mean_patience",
        )
    blocking = erlang_b(agents, load)
    p_wait = agents * blocking / (agents - load * (1.0 - blocking))
    mean_wait = p_wait * mean_handle_time / (agents - load)
    return ErlangC(agents=int(agents), calls_per_hour=float(calls_per_hour),
                   mean_handle_time=float(mean_handle_time), load=load, p_wait=p_wait,
                   mean_wait=mean_wait, utilisation=load / agents)


def _log_stationary(agents: int, arrival_rate: float, service_rate: float,
                    abandon_rate: float) -> np.ndarray:
    """Unnormalised log stationary probabilities of the M/M/c+M chain, adaptively truncated."""
    log_lambda = math.log(arrival_rate)
    n = np.arange(1, agents + 1, dtype=float)
    log_pi = np.concatenate(([0.0], np.cumsum(log_lambda - np.log(n * service_rate))))
    chunks = [log_pi]
    last = log_pi[-1]
    peak = log_pi.max()
    start = agents + 1
    while True:
        n = np.arange(start, start + _CHUNK, dtype=float)
        death = agents * service_rate + (n - agents) * abandon_rate
        block = last + np.cumsum(log_lambda - np.log(death))
        chunks.append(block)
        peak = max(peak, block.max())
        last = block[-1]
        start += _CHUNK
        falling = death[-1] > arrival_rate
        if falling and last < peak - _TAIL_NATS:
            break
        if start > _MAX_STATES:
            raise InputError.single(
                "erlang_a", "mean_patience",
                "patience is so long relative to handle time that the queue needs more than "
                f"{_MAX_STATES} states; use erlang_c (no abandonment) if the load allows",
            )
    out = np.concatenate(chunks)
    # trim the far tail that lies below the cut-off
    keep = np.nonzero(out >= peak - _TAIL_NATS - 10.0)[0]
    return out[: keep[-1] + 1]


def erlang_a(agents: int, calls_per_hour: float, mean_handle_time: float,
             mean_patience: float) -> ErlangA:
    """Erlang A: waiting and abandonment in an M/M/c+M queue (exponential patience).

    Unlike Erlang C it has a steady state at any load, because callers who wait
    too long hang up.

    Args:
        agents: Number of agents.
        calls_per_hour: Poisson arrival rate per hour.
        mean_handle_time: Mean (exponential) handle time in minutes.
        mean_patience: Mean (exponential) patience in minutes; ``math.inf`` gives Erlang C.

    Returns:
        The steady-state :class:`ErlangA` figures.

    Raises:
        InputError: (a ``ValueError``) for non-positive inputs.

    Example:
        >>> q = erlang_a(agents=10, calls_per_hour=48, mean_handle_time=10, mean_patience=5)
        >>> 0 < q.p_abandon < q.p_wait < 1
        True
    """
    _check("erlang_a", agents, calls_per_hour, mean_handle_time, mean_patience)
    agents, calls_per_hour = int(agents), float(calls_per_hour)
    mean_handle_time, mean_patience = float(mean_handle_time), float(mean_patience)
    if math.isinf(mean_patience):
        c = erlang_c(agents, calls_per_hour, mean_handle_time)
        return ErlangA(agents=c.agents, calls_per_hour=c.calls_per_hour,
                       mean_handle_time=c.mean_handle_time, mean_patience=math.inf, load=c.load,
                       p_wait=c.p_wait, p_abandon=0.0, mean_wait=c.mean_wait,
                       utilisation=c.utilisation, states=0)
    arrival_rate = calls_per_hour / 60.0  # per minute
    service_rate = 1.0 / mean_handle_time
    abandon_rate = 1.0 / mean_patience
    log_pi = _log_stationary(int(agents), arrival_rate, service_rate, abandon_rate)
    pi = np.exp(log_pi - logsumexp(log_pi))
    states = np.arange(pi.size)
    queue = np.clip(states - agents, 0, None)
    busy = np.minimum(states, agents)
    mean_queue = float(pi @ queue)
    p_wait = float(pi[agents:].sum())
    return ErlangA(
        agents=int(agents), calls_per_hour=float(calls_per_hour),
        mean_handle_time=float(mean_handle_time), mean_patience=float(mean_patience),
        load=arrival_rate * mean_handle_time,
        p_wait=min(max(p_wait, 0.0), 1.0),
        # Little's law on the queue and the abandonment flow theta * E[queue] = lambda * P(ab)
        p_abandon=min(max(abandon_rate * mean_queue / arrival_rate, 0.0), 1.0),
        mean_wait=mean_queue / arrival_rate,
        utilisation=float(pi @ busy) / agents,
        states=int(pi.size),
    )

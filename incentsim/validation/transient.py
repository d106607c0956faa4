"""Exact answers for time-varying queues: the transient birth-death chain, hour by hour.

With Poisson arrivals whose rate is constant within each stretch (an opening hour),
exponential handle times, exponential patience and ``c`` agents on duty, the number
of callers in the system is a birth-death chain: births at the arrival rate ``lam``,
deaths at ``min(n, c) mu + max(n - c, 0) theta``. Its distribution over time solves
the Kolmogorov forward equations ``dp/dt = p Q``, exactly ``p(t + s) = p(t) expm(Q s)``
within a stretch (``scipy.linalg.expm``), so a whole working calendar is a chain of
matrix exponentials. A caller arriving at ``t`` waits when every agent is busy,
``N(t) >= c``; Poisson arrivals see time averages (PASTA, Wolff 1982), so the share of
a stretch's callers who wait is the time average of ``P(N >= c)`` over it, integrated
here by Simpson's rule on sub-steps.

When agents come on duty the chain is exact for the engine (they take waiting calls
at once). When agents go off duty the engine lets them finish the call in hand,
which a one-dimensional chain cannot follow, so checks use staffing that never drops
while calls may be in the system (:mod:`incentsim.validation.staffing`).

The state space is truncated at ``n_max`` callers, chosen so that the probability
mass beyond it stays below ``1e-12`` (checked: the chain reports the mass it lost).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.linalg import expm


@dataclass(frozen=True)
class Stretch:
    """A stretch of constant arrival rate and staffing.

    Attributes:
        minutes: Its length.
        calls_per_hour: Arrival rate.
        agents: Agents on duty.
    """

    minutes: float
    calls_per_hour: float
    agents: int


@dataclass(frozen=True)
class TransientResult:
    """What the chain gives per stretch (arrays aligned with the stretches).

    Attributes:
        p_wait: Share of the stretch's callers who find every agent busy.
        mean_queue: Time-average number of callers waiting.
        arrivals: Expected callers arriving in the stretch.
        lost_mass: Probability mass beyond the truncation at the end (should be ~0).
    """

    p_wait: np.ndarray
    mean_queue: np.ndarray
    arrivals: np.ndarray
    lost_mass: float


def generator(calls_per_hour: float, agents: int, mean_handle_time: float, mean_patience: float | None,
              n_max: int) -> np.ndarray:
    """The birth-death generator on states ``0..n_max`` (rates per minute; births stop at ``n_max``)."""
    lam = calls_per_hour / 60.0
    mu = 1.0 / mean_handle_time
    theta = 0.0 if mean_patience is None else 1.0 / mean_patience
    n = np.arange(n_max + 1, dtype=float)
    death = np.minimum(n, agents) * mu + np.maximum(n - agents, 0.0) * theta
    q = np.zeros((n_max + 1, n_max + 1))
    idx = np.arange(n_max)
    q[idx, idx + 1] = lam
    q[idx + 1, idx] = death[1:]
    q[np.arange(n_max + 1), np.arange(n_max + 1)] = -q.sum(axis=1)
    return q


def transient(stretches: Sequence[Stretch], mean_handle_time: float, mean_patience: float | None,
              n_max: int = 200, substeps: int = 12) -> TransientResult:
    """Run the chain through ``stretches`` from an empty centre.

    Args:
        stretches: The calendar, in order (working time: nights skipped).
        mean_handle_time: Mean handle time (minutes, exponential).
        mean_patience: Mean patience (minutes, exponential); ``None``: nobody abandons.
        n_max: Truncation of the state space.
        substeps: Sub-steps per stretch for Simpson's rule (even).
    """
    if substeps % 2:
        raise ValueError("substeps must be even (Simpson's rule)")
    p = np.zeros(n_max + 1)
    p[0] = 1.0
    cache: dict[tuple[float, float, int], np.ndarray] = {}
    p_wait, queue, arrivals = [], [], []
    weights = np.ones(substeps + 1)
    weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
    weights /= weights.sum()
    n = np.arange(n_max + 1)
    for stretch in stretches:
        key = (stretch.minutes, stretch.calls_per_hour, stretch.agents)
        if key not in cache:
            q = generator(stretch.calls_per_hour, stretch.agents, mean_handle_time, mean_patience, n_max)
            cache[key] = expm(q * (stretch.minutes / substeps))
        step = cache[key]
        busy = n >= stretch.agents
        waiting = np.maximum(n - stretch.agents, 0)
        wait_path, queue_path = [float(p[busy].sum())], [float(p @ waiting)]
        for _ in range(substeps):
            p = p @ step
            wait_path.append(float(p[busy].sum()))
            queue_path.append(float(p @ waiting))
        p_wait.append(float(weights @ np.asarray(wait_path)))
        queue.append(float(weights @ np.asarray(queue_path)))
        arrivals.append(stretch.calls_per_hour * stretch.minutes / 60.0)
    return TransientResult(p_wait=np.asarray(p_wait), mean_queue=np.asarray(queue), arrivals=np.asarray(arrivals),
                           lost_mass=float(p[-1]))


__all__ = ["Stretch", "TransientResult", "generator", "transient"]

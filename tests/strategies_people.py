"""Shared helpers for people and measurement tests: synthetic call tables and readings.

``synthetic_calls`` builds a call table in the engine's layout from common random
numbers and a :class:`ConductPlan`, applying conduct the way the engine does
(care, speed, rushing, dumping, begging), so the pure functions can be tested
end to end without the engine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from incentsim.behaviour.conduct import ConductPlan
from incentsim.behaviour.perception import LEVERS, Reading
from incentsim.scenario.behaviour import Conduct

METRIC_NAMES = ("aht", "qa", "csat", "transfer_rate", "calls")


def reading(n: int, *, stakes: float = 0.0, completion: float = 0.0, p_warning: float = 0.0,
            p_fire: float = 0.0, ranked: float = 0.0, pay: float = 0.0, **returns: float) -> Reading:
    """A reading of ``n`` agents with the same values for everyone (returns by lever name)."""
    unknown = set(returns) - set(LEVERS)
    if unknown:
        raise ValueError(f"unknown levers {unknown}")
    values = np.zeros((n, len(LEVERS)))
    for lever, value in returns.items():
        values[:, LEVERS.index(lever)] = value
    full = np.full
    return Reading(returns=values, stakes=full(n, stakes), completion=full(n, completion),
                   p_warning=full(n, p_warning), p_fire=full(n, p_fire), ranked=full(n, ranked),
                   expected_pay=full(n, pay))


def readings_strategy(n: int) -> st.SearchStrategy[Reading]:
    """Readings of ``n`` agents with any returns, stakes and sanction risks."""
    def arr(lo: float, hi: float) -> st.SearchStrategy[np.ndarray]:
        return st.lists(st.floats(lo, hi), min_size=n, max_size=n).map(np.array)

    return st.builds(
        Reading,
        returns=st.lists(st.floats(-5000, 5000), min_size=n * len(LEVERS), max_size=n * len(LEVERS)).map(
            lambda v: np.array(v).reshape(n, len(LEVERS))),
        stakes=arr(0, 1000), completion=arr(0, 1), p_warning=arr(0, 1), p_fire=arr(0, 1),
        ranked=arr(0, 1), expected_pay=arr(0, 1000),
    )


def synthetic_calls(n: int, seed: int, plan: ConductPlan | None = None, n_agents: int = 10,
                    periods: int = 1, conduct: Conduct | None = None,
                    abandon_share: float = 0.05) -> pd.DataFrame:
    """A call table in the engine's layout, with ``plan`` applied per call.

    The same ``seed`` gives the same base draws whatever the plan (common random numbers).
    """
    conduct = conduct or Conduct()
    plan = plan or ConductPlan.neutral(n_agents)
    rng = np.random.default_rng(seed)
    u = rng.random((9, n))
    agent = rng.integers(0, n_agents, n)
    abandoned = u[0] < abandon_share
    upset = np.clip(rng.beta(2, 5, n) + 0.3 * (u[1] < 0.15), 0, 1)
    base_time = rng.lognormal(np.log(6.0), 0.6, n)
    care = plan.care[agent]
    rushed = ~abandoned & (u[2] < plan.rush[agent])
    dumped = ~abandoned & (upset >= conduct.dump_threshold) & (u[3] < plan.dump[agent])
    begged = ~abandoned & ~dumped & (u[4] < plan.beg[agent])
    escalated = ~abandoned & ~dumped & (u[5] < 0.05)
    handle = base_time * (1 + conduct.care_time * (care - 1)) * plan.speed[agent]
    handle = np.where(rushed, handle * conduct.rush_time_factor, handle)
    handle = np.where(dumped, conduct.dump_handle_time, handle)
    p_res = np.clip(0.8 + conduct.care_resolution * (care - 1), 0, 1)
    p_res = np.where(rushed, p_res * conduct.rush_resolution_factor, p_res)
    resolved = ~abandoned & np.where(dumped | escalated, u[6] < 0.9, u[6] < p_res)
    transfer = np.select([dumped, escalated], ["dump", "escalation"], "none")
    tier2_wait = np.where(dumped | escalated, rng.exponential(3.0, n), 0.0)
    survey_agent = np.where(dumped | escalated, -1, agent)
    call_id = np.arange(n)
    repeat_of = np.full(n, -2)
    comes_back = np.flatnonzero(~resolved & ~abandoned & (u[7] < 0.5))
    comes_back = comes_back[comes_back < n - 1]
    targets = np.minimum(comes_back + 1 + (u[8][comes_back] * 50).astype(int), n - 1)
    repeat_of[targets] = comes_back
    return pd.DataFrame({
        "call_id": call_id,
        "customer_id": rng.integers(0, max(1, n // 3), n),
        "call_type": np.zeros(n, dtype=int),
        "period": np.sort(rng.integers(0, periods, n)),
        "day": np.zeros(n, dtype=int),
        "arrival_time": np.sort(rng.random(n)) * 1000,
        "wait_time": rng.exponential(1.0, n),
        "abandoned": abandoned,
        "agent": np.where(abandoned, -2, agent),
        "handle_time": np.where(abandoned, np.nan, handle),
        "transfer": np.where(abandoned, "none", transfer),
        "rushed": rushed,
        "begged": begged,
        "care": np.where(abandoned, np.nan, care),
        "upset": upset,
        "resolved": resolved,
        "tier2_wait": tier2_wait,
        "tier2_handle_time": np.where(dumped | escalated, 10.0, np.nan),
        "repeat_of": repeat_of,
        "defect_day": np.zeros(n, dtype=bool),
        "survey_agent": np.where(abandoned, -2, survey_agent),
        "u_survey": rng.random(n),
        "z_rating": rng.standard_normal(n),
        "u_annoy": rng.random(n),
    })

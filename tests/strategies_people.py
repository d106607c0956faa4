"""Shared helpers for people and measurement tests: synthetic call tables and signals.

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
from incentsim.policies.base import Signals
from incentsim.scenario.behaviour import Conduct

METRIC_NAMES = ("aht", "qa", "csat", "transfer_rate", "calls")

signals_strategy = st.builds(
    Signals,
    individual_metrics=st.lists(st.sampled_from(METRIC_NAMES), unique=True, max_size=3).map(tuple),
    team_metrics=st.lists(st.sampled_from(METRIC_NAMES), unique=True, max_size=3).map(tuple),
    contingency=st.sampled_from(["none", "engagement", "completion", "performance"]),
    individual_stakes=st.floats(0, 1000),
    team_stakes=st.floats(0, 1000),
    ranking=st.booleans(),
    threat=st.floats(0, 1),
    handle_time_target=st.one_of(st.none(), st.floats(1, 20)),
    feedback=st.floats(0, 1),
    process_improvement=st.floats(0, 1),
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

"""Synthetic measured KPI frames, for trying and testing policies without a simulation.

Assumption (not calibrated): a plausible month-by-month table of the columns in
:data:`~incentsim.policies.MEASURED_COLUMNS`, with the awkward cases a policy
must survive: agents who quit or are fired and then vanish, a new hire who
arrives late with few calls, agents with no survey response or no QA sample
(NaN ``csat`` / ``qa``), and one persistently slow, poorly rated agent.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from incentsim.policies.base import MEASURED_COLUMNS


def synthetic_measured(seed: int | np.random.Generator = 0, agents: int = 12, periods: int = 5, *,
                       response_rate: float = 0.2, qa_samples: int = 4,
                       calls_per_period: float = 800.0, team_size: int = 4) -> pd.DataFrame:
    """A measured KPI frame with leavers, a late hire, missing surveys and an outlier.

    Args:
        seed: Seed or generator (the frame is a pure function of it).
        agents: Agents at the start (>= 1).
        periods: Review periods (>= 1).
        response_rate: Mean survey response rate.
        qa_samples: QA-scored calls per agent per period (some agents get none).
        calls_per_period: Mean calls per experienced agent per period.
        team_size: Agents per team (``team`` is the agent's seat over ``team_size``;
            the late hire takes the seat of the agent who quit).

    Returns:
        One row per agent per period worked, columns :data:`MEASURED_COLUMNS`.

    Example:
        >>> from incentsim.policies import synthetic_measured
        >>> frame = synthetic_measured(seed=1, agents=6, periods=3)
        >>> sorted(frame["period"].unique().tolist())
        [0, 1, 2]
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    speed = {a: float(rng.lognormal(0.0, 0.08)) for a in range(agents)}
    quality = {a: float(rng.normal(0.88, 0.03)) for a in range(agents)}
    tenure = {a: float(rng.uniform(40.0, 900.0)) for a in range(agents)}
    if agents >= 3:
        speed[agents - 1], quality[agents - 1] = 1.6, 0.6  # the persistent outlier
    leaves = {}
    if agents >= 4 and periods >= 2:
        leaves[1] = (1, "quit")
    if agents >= 6 and periods >= 3:
        leaves[2] = (2, "fired")
    seat = {a: a for a in range(agents)}
    roster = list(range(agents))
    next_id = agents
    rows = []
    for period in range(periods):
        if period >= 2 and agents >= 4 and next_id == agents:
            roster.append(next_id)  # a green replacement arrives late
            speed[next_id], quality[next_id], tenure[next_id] = 1.3, 0.8, 0.0
            seat[next_id] = 1
            next_id += 1
        for agent in list(roster):
            status = "active"
            if leaves.get(agent, (None,))[0] == period:
                status = leaves[agent][1]
                roster.remove(agent)
            share = 0.3 if tenure[agent] < 21 else 1.0
            calls = int(rng.poisson(calls_per_period * share))
            tenure[agent] += 21.0
            aht = float(6.5 * speed[agent] * rng.lognormal(0.0, 0.05)) if calls else math.nan
            responses = int(rng.binomial(calls, response_rate * rng.uniform(0.0, 1.5)))
            positive = int(rng.binomial(responses, min(quality[agent] + 0.05, 1.0)))
            sampled = min(int(rng.binomial(qa_samples, 0.85)), calls)
            qa = float(np.clip(rng.normal(100 * quality[agent] - 8, 12 / math.sqrt(sampled)), 0, 100)
                       ) if sampled else math.nan
            transfer_rate = float(rng.binomial(calls, 0.08 * speed[agent]) / calls) if calls \
                else math.nan
            team = seat[agent] // max(1, team_size)
            rows.append((agent, period, team, status, tenure[agent], calls, aht, qa, sampled,
                         positive / responses if responses else math.nan, responses, positive,
                         transfer_rate))
    frame = pd.DataFrame(rows, columns=list(MEASURED_COLUMNS))
    return frame.astype({"agent": "int64", "period": "int64", "team": "int64", "calls": "int64",
                         "qa_samples": "int64", "survey_responses": "int64",
                         "survey_positive": "int64"})

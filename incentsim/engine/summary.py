"""Outcome measures of a run: service, customers, gaming, workforce, money.

Each measure is defined once here so that ``run.summary()``, experiments and
reports agree. Denominators are said in each line's comment.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from incentsim.scenario import Scenario

#: Summary keys in the order reports show them.
SUMMARY_KEYS: tuple[str, ...] = (
    "calls", "mean_wait", "p_wait", "service_level", "abandon_rate",
    "measured_csat", "true_csat", "csat_gap", "fcr", "repeat_rate",
    "beg_rate", "dump_rate", "rush_rate",
    "mean_intrinsic_motivation", "mean_stress", "quits", "fired",
    "bonus_paid", "management_cost", "churn_rate", "cost_per_resolved_call",
)


def _share(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else math.nan


def summarise(calls: pd.DataFrame, agents: pd.DataFrame, scenario: Scenario,
              *, churned: int = 0, customers: int = 0, hires: int = 0,
              management_cost: float = 0.0) -> dict[str, float]:
    """Compute the summary of one run from its full call table and agent-periods.

    ``cost_per_resolved_call`` is wages, bonuses, hiring, failure demand and the
    cost of the management hours the reviews used, over calls resolved.
    """
    c = scenario.center
    done = calls["answered"].to_numpy() | calls["abandoned"].to_numpy()  # left the tier-1 queue
    answered = calls["answered"].to_numpy()
    wait = calls["wait_time"].to_numpy()[done]
    n_done = int(done.sum())
    n_answered = int(answered.sum())
    quick = answered & (calls["wait_time"].to_numpy() <= c.service_level_seconds / 60.0)
    transfer = calls["transfer"].to_numpy()  # "none" | "escalation" | "dump"
    resolved = calls["resolved"].to_numpy() & answered
    responded = calls["survey_responded"].to_numpy() if "survey_responded" in calls else np.zeros(len(calls), bool)
    rating = calls["survey_rating"].to_numpy() if "survey_rating" in calls else np.full(len(calls), np.nan)
    positive = int((rating[responded] >= 4).sum())
    satisfied_at = scenario.measurement.satisfaction.satisfied_at
    truly = calls["true_satisfaction"].to_numpy() >= satisfied_at
    measured_csat = _share(positive, int(responded.sum()))
    true_csat = _share(int((truly & answered).sum()), n_answered)
    wages = (c.tier1_agents + c.tier2_agents) * c.hours_per_day * c.days_per_month * c.months * c.wage_per_hour
    bonus = float(agents["bonus"].sum()) if "bonus" in agents else 0.0
    repeats = int((calls["repeat_of"].to_numpy() >= 0).sum())
    cost = (wages + bonus + hires * scenario.costs.hiring_cost + repeats * scenario.costs.repeat_call_cost
            + management_cost)
    status = agents["status"] if "status" in agents else pd.Series(dtype=object)
    out = {
        "calls": float(len(calls)),
        "mean_wait": float(wait.mean()) if n_done else math.nan,  # over callers who left the queue
        "p_wait": _share(int((wait > 0).sum()), n_done),
        "service_level": _share(int(quick.sum()), n_done),  # answered in time / (answered + abandoned)
        "abandon_rate": _share(n_done - n_answered, n_done),
        "measured_csat": measured_csat,  # share of survey responses rated 4-5
        "true_csat": true_csat,  # share of answered callers truly satisfied
        "csat_gap": measured_csat - true_csat,
        "fcr": _share(int((resolved & (transfer == "none")).sum()), n_answered),
        "repeat_rate": _share(repeats, len(calls)),
        "beg_rate": _share(int(calls["begged"].sum()), n_answered),
        "dump_rate": _share(int((transfer == "dump").sum()), n_answered),
        "rush_rate": _share(int(calls["rushed"].sum()), n_answered),
        "mean_intrinsic_motivation": float(agents["intrinsic_motivation"].mean())
        if "intrinsic_motivation" in agents and len(agents) else math.nan,
        "mean_stress": float(agents["stress"].mean()) if "stress" in agents and len(agents) else math.nan,
        # an agent who left can still appear later, when calls they answered close
        "quits": float(agents.loc[(status == "quit").to_numpy(), "agent"].nunique()) if len(agents) else 0.0,
        "fired": float(agents.loc[(status == "fired").to_numpy(), "agent"].nunique()) if len(agents) else 0.0,
        "bonus_paid": bonus,
        "management_cost": float(management_cost),
        "churn_rate": _share(churned, customers),
        "cost_per_resolved_call": _share(cost, int(resolved.sum())),
    }
    return {k: out[k] for k in SUMMARY_KEYS}

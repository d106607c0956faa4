"""What passes between a policy and the rest of the model: the measured frame and the review.

A policy reads a *measured* frame (one row per agent per period so far, the
columns in :data:`MEASURED_COLUMNS` and nothing else) and returns a
:class:`Review`: what it does to each agent (payouts, ranks, sanctions,
coaching) and how management time was spent (``process_improvement``).

Everything downstream reads only the review: the engine applies it, the
management-time account costs it, and people react to it. Agents feel an
incentive only through the consequences a review produces, or would produce,
for their own measured numbers (:mod:`incentsim.behaviour.perception`), never
through a policy's class, name or any declaration. So two policies with the
same ``review`` drive the same behaviour, seed for seed.

This module is imported by :mod:`incentsim.policies`, :mod:`incentsim.measurement`,
:mod:`incentsim.behaviour` and :mod:`incentsim.engine`, and imports none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

#: Columns of the measured KPI frame a policy receives (one row per agent per period so far).
MEASURED_COLUMNS: tuple[str, ...] = (
    "agent",            # int id
    "period",           # review period index, 0-based
    "team",             # team index (tier-1 agents in teams of center.team_size)
    "status",           # "active" | "quit" | "fired" (HR knows this)
    "tenure_days",      # working days employed at period end
    "calls",            # calls answered and closed in the period
    "aht",              # mean handle time (minutes), measured exactly
    "qa",               # mean QA score of sampled calls (0..100), NaN if none sampled
    "qa_samples",       # calls QA scored
    "csat",             # share of survey responses rated 4 or 5, NaN if none
    "survey_responses", # surveys attributed to the agent
    "survey_positive",  # of which rated 4 or 5
    "transfer_rate",    # share of answered calls transferred
)

#: Metrics a policy may name (measured KPIs) and whether higher is better.
METRICS: dict[str, bool] = {"aht": False, "qa": True, "csat": True, "transfer_rate": False,
                            "calls": True}

#: Observation count behind each metric (survey responses for ``csat``, QA samples for ``qa``).
COUNT_COLUMN: dict[str, str] = {
    "csat": "survey_responses",
    "qa": "qa_samples",
    "aht": "calls",
    "transfer_rate": "calls",
    "calls": "calls",
}

Sanction = Literal["warning", "fire"]
SANCTIONS: tuple[str, ...] = ("warning", "fire")


@dataclass(frozen=True)
class Review:
    """What a policy does at the end of one review period.

    Attributes:
        payouts: Money per agent id this period (>= 0 unless the policy declares
            fines). Agents left out are paid nothing.
        ranks: Rank per agent id (1 = best), where the policy ranks.
        sanctions: ``warning`` or ``fire`` per agent id.
        coaching: Agent ids coached one to one this period (informational
            feedback that closes part of a below-average skill gap; it takes the
            agent's and a manager's time).
        process_improvement: Share of the period's management hours spent
            improving the process with the team, 0 to 1 (the rest goes on
            monitoring, ranking, bonus administration and coaching). It is an
            action: the hours are spent and costed, agents take part, and the
            process improves (:mod:`incentsim.behaviour.process`).
    """

    payouts: Mapping[int, float] = field(default_factory=dict)
    ranks: Mapping[int, int] = field(default_factory=dict)
    sanctions: Mapping[int, Sanction] = field(default_factory=dict)
    coaching: frozenset[int] = frozenset()
    process_improvement: float = 0.0


__all__ = ["COUNT_COLUMN", "MEASURED_COLUMNS", "METRICS", "SANCTIONS", "Review", "Sanction"]

"""A tiny scenario for the what-if page's tests: two policies, six agents, two short months."""

from __future__ import annotations

from strategies_experiment import small_baseline

import incentsim as isim


def tiny() -> isim.Scenario:
    return small_baseline(**{
        "name": "tiny", "center.tier1_agents": 6, "center.tier2_agents": 1, "center.months": 2,
        "center.days_per_month": 2, "demand.calls_per_hour": 28.0, "baseline": "flat",
        "policies": {"flat": {"type": "Flat"},
                     "bonus": {"type": "IndividualBonus", "metric": "csat", "threshold": 0.9, "amount": 100}}})

"""The result of one simulation run: calls, agent-periods and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from incentsim.engine.summary import summarise
from incentsim.scenario import Scenario


@dataclass
class Run:
    """One replication of one policy on one scenario.

    Attributes:
        scenario: The scenario simulated.
        policy: The policy in force (``repr`` and parameters are in :attr:`meta`).
        seed: The experiment seed.
        replication: The replication index (shared random streams across policies).
        calls: One row per call that arrived: truth and measurement side by side
            (empty when the run was made with ``keep_calls=False``).
        agents: One row per agent per period: measured KPIs, truth, motivation, pay, status.
        days: One row per working day (defect days).
        meta: Timings and counts.
    """

    scenario: Scenario
    policy: Any
    seed: int
    replication: int
    calls: pd.DataFrame
    agents: pd.DataFrame
    days: pd.DataFrame
    totals: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, float]:
        """One row of outcome measures: service, customers, gaming, workforce, money."""
        return dict(self.totals)

    def __repr__(self) -> str:
        return (f"Run(scenario={self.scenario.name!r}, policy={self.policy!r}, seed={self.seed}, "
                f"replication={self.replication}, calls={int(self.totals.get('calls', 0))})")


__all__ = ["Run", "summarise"]

"""The end-of-period review: measure, let the policy decide, apply, and let people react.

Data flow per period (one way): the period's calls -> truth (true satisfaction)
-> measurement (surveys, QA, KPIs) -> the policy, which sees only the measured
columns -> payouts, ranks, sanctions, coaching, signals -> motivation update,
quits and firings, process improvement -> the conduct plan for the next period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incentsim.engine.center import Center
from incentsim.policies.base import MEASURED_COLUMNS, Policy, Review


class Reviewer:
    """Runs the reviews of one replication and keeps the agent-period rows.

    Args:
        center: The live centre.
        policy: The policy in force.
    """

    def __init__(self, center: Center, policy: Policy) -> None:
        self.center = center
        self.policy = policy
        self.signals = policy.signals()
        self.rows: list[pd.DataFrame] = []
        self.hires = 0
        self.period_start = 0  # index into center.rec.arrived

    def measured(self) -> pd.DataFrame:
        """Measured KPIs of every period so far (what a manager could see)."""
        return pd.concat(self.rows, ignore_index=True)[list(MEASURED_COLUMNS)]

    def __call__(self, period: int) -> None:
        """Review ``period``: measure it, apply the policy's decisions, let people react."""
        center = self.center
        arrived = np.asarray(center.rec.arrived, dtype=np.int64)
        cols = center.rec.columns
        in_period = np.fromiter((cols["period"][i] == period for i in arrived.tolist()),
                                dtype=bool, count=arrived.size)
        calls = center.rec.frame(arrived[in_period])
        rows = self._kpis(calls, period)
        self.rows.append(rows)
        review = self.policy.review(self.measured(), period)
        self._apply(review, period)

    def _kpis(self, calls: pd.DataFrame, period: int) -> pd.DataFrame:
        center = self.center
        answered = calls[calls["answered"]]
        g = answered.groupby("agent")
        frame = pd.DataFrame({
            "calls": g.size(),
            "aht": g["handle_time"].mean(),
            "transfer_rate": g["transfer"].apply(lambda s: float((s != "none").mean())),
        })
        now = center.env.now
        seats = range(center.n_seats)
        ids = [center.seat_agent[s] for s in seats]
        frame = frame.reindex(sorted(set(ids) | set(frame.index)))
        frame.index.name = "agent"
        frame = frame.reset_index()
        frame["period"] = period
        seat_of = {center.seat_agent[s]: s for s in seats}
        frame["status"] = "active"
        frame["tenure_days"] = [center.tenure_days(seat_of[a], now) if a in seat_of else np.nan
                                for a in frame["agent"]]
        frame["calls"] = frame["calls"].fillna(0).astype(int)
        for col in ("qa", "csat"):
            frame[col] = np.nan
        frame["qa_samples"] = 0
        frame["survey_responses"] = 0
        frame["survey_positive"] = 0
        frame["bonus"] = 0.0
        frame["rank"] = pd.NA
        return frame

    def _apply(self, review: Review, period: int) -> None:
        center = self.center
        rows = self.rows[-1]
        idx = {a: k for k, a in enumerate(rows["agent"])}
        for agent, amount in review.payouts.items():
            if agent in idx:
                rows.loc[idx[agent], "bonus"] = float(amount)
        for agent, rank in review.ranks.items():
            if agent in idx:
                rows.loc[idx[agent], "rank"] = int(rank)
        for agent in review.coaching:
            center.coach(agent)
        seat_of = {center.seat_agent[s]: s for s in range(center.n_seats)}
        for agent, sanction in review.sanctions.items():
            if sanction == "fire" and agent in seat_of:
                rows.loc[idx[agent], "status"] = "fired"
                center.replace_agent(seat_of[agent], center.env.now)
                self.hires += 1
        if review.signals is not None:
            self.signals = review.signals
        center.refresh_seats()

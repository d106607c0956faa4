"""Team bonus: everyone is paid when the team as a whole reaches a goal.

Source 001: "the team will earn a satisfied rating on 85% of surveys this
month"; the team leader reviewed survey feedback with the team (not the score),
took product issues to the product team, and tier 1 and tier 2 removed
avoidable transfers together. Source 000: team goals that promote cooperation
and process innovation. Teams are the groups of ``center.team_size`` tier-1
agents in the measured frame's ``team`` column; each team is paid on its own
metric, so one agent's effect on the team's number shrinks as the team grows
(free riding).
"""

from __future__ import annotations

import pandas as pd

from incentsim.policies._checks import Checker
from incentsim.policies.base import Policy, Review
from incentsim.policies.bonus import check_threshold
from incentsim.policies.kpis import meets, period_rows, team_values


class TeamBonus(Policy):
    """Pay ``amount`` to every active member of each team whose ``metric`` reaches ``threshold``.

    Each team (the period's rows sharing a ``team`` value) is judged on its own
    number: team ``csat`` is ``sum(survey_positive) / sum(survey_responses)``
    over its rows (see :mod:`incentsim.policies.kpis` for the other metrics).
    The threshold is a maximum for lower-is-better metrics. As in source 001,
    the team leader reviews survey feedback with the team and spends some
    management time on process fixes (``process_improvement``).

    Args:
        metric: The team metric paid on, one of :data:`~incentsim.policies.METRICS`.
        threshold: Team level to reach (0.85 = 85% satisfied for ``csat``).
        amount: Money paid to each active agent of a qualifying team (>= 0).
        min_responses: Observations a team needs behind the metric (default 3).
        process_improvement: Share of management time spent with the team on
            process fixes, 0 to 1 (default 0.2: source 001's team leader took
            product issues to the product team and cut avoidable transfers).
        stop_after: Periods the money runs before it is withdrawn; ``None``
            (default) for the whole horizon. Process work continues after.

    Example:
        >>> from incentsim.policies import TeamBonus, synthetic_measured
        >>> team = TeamBonus(metric="csat", threshold=0.5, amount=100)
        >>> len(team.review(synthetic_measured(seed=1, agents=4, periods=1), 0).payouts)
        4
    """

    def __init__(self, metric: str, threshold: float, amount: float = 100.0,
                 min_responses: int = 3, process_improvement: float = 0.2,
                 stop_after: int | None = None) -> None:
        self.metric = metric
        self.threshold = threshold
        self.amount = amount
        self.min_responses = min_responses
        self.process_improvement = process_improvement
        self.stop_after = stop_after

    def _validate(self) -> None:
        check = Checker(type(self).__name__)
        check.metric("metric", self.metric)
        check_threshold(check, self.metric, self.threshold)
        check.number("amount", self.amount, low=0)
        check.integer("min_responses", self.min_responses, low=1)
        check.number("process_improvement", self.process_improvement, low=0, high=1)
        check.integer("stop_after", self.stop_after, low=1, optional=True)
        check.raise_if_any()

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Pay the active members of every team that reached the threshold this period."""
        self._validate()
        process = float(self.process_improvement)
        if self.stop_after is not None and period >= self.stop_after:
            return Review(process_improvement=process)
        payouts: dict[int, float] = {}
        rows = period_rows(measured, period)
        team = rows["team"].to_numpy()
        agents = rows["agent"].to_numpy()
        active = rows["status"].to_numpy() == "active"
        for t, (value, count) in team_values(rows, self.metric).items():
            if count >= self.min_responses and meets(value, self.threshold, self.metric):
                payouts.update({int(a): float(self.amount) for a in agents[(team == t) & active]})
        return Review(payouts=payouts, process_improvement=process)

"""Team bonus: everyone is paid when the team as a whole reaches a goal.

Source 001: "the team will earn a satisfied rating on 85% of surveys this
month"; the team leader reviewed survey feedback with the team (not the score),
took product issues to the product team, and tier 1 and tier 2 removed
avoidable transfers together. Source 000: team goals that promote cooperation
and process innovation.
"""

from __future__ import annotations

import pandas as pd

from incentsim.policies._checks import Checker
from incentsim.policies.base import Policy, Review, Signals
from incentsim.policies.bonus import check_threshold
from incentsim.policies.kpis import active_rows, meets, period_rows, team_value


class TeamBonus(Policy):
    """Pay ``amount`` to every active agent when the team's ``metric`` reaches ``threshold``.

    The team is every tier-1 agent; team ``csat`` is
    ``sum(survey_positive) / sum(survey_responses)`` over the period's rows (see
    :mod:`incentsim.policies.kpis` for the other metrics). The threshold is a
    maximum for lower-is-better metrics. Survey feedback is reviewed as a team,
    which sends informational feedback and spends some management time on
    process fixes (fewer avoidable transfers, product issues fed back).

    Args:
        metric: The team metric paid on, one of :data:`~incentsim.policies.METRICS`.
        threshold: Team level to reach (0.85 = 85% satisfied for ``csat``).
        amount: Money paid to each active agent when the team qualifies (>= 0).
        min_responses: Observations the team needs behind the metric (default 3).
        feedback: Strength of the team's reviews of survey feedback, 0 to 1 (default 0.6).
        process_improvement: Share of management time on process fixes that the
            feedback reviews lead to, 0 to 1 (default 0.2).
        stop_after: Periods the money runs before it is withdrawn; ``None``
            (default) for the whole horizon. Feedback reviews continue after.

    Example:
        >>> from incentsim.policies import TeamBonus
        >>> TeamBonus(metric="csat", threshold=0.85, amount=100).signals().team_stakes
        100.0
    """

    def __init__(self, metric: str, threshold: float, amount: float = 100.0,
                 min_responses: int = 3, feedback: float = 0.6,
                 process_improvement: float = 0.2, stop_after: int | None = None) -> None:
        self.metric = metric
        self.threshold = threshold
        self.amount = amount
        self.min_responses = min_responses
        self.feedback = feedback
        self.process_improvement = process_improvement
        self.stop_after = stop_after

    def _validate(self) -> None:
        check = Checker(type(self).__name__)
        check.metric("metric", self.metric)
        check_threshold(check, self.metric, self.threshold)
        check.number("amount", self.amount, low=0)
        check.integer("min_responses", self.min_responses, low=1)
        check.number("feedback", self.feedback, low=0, high=1)
        check.number("process_improvement", self.process_improvement, low=0, high=1)
        check.integer("stop_after", self.stop_after, low=1, optional=True)
        check.raise_if_any()

    def signals(self) -> Signals:
        """The team's ``metric`` pays ``amount`` each; feedback reviewed as a team."""
        self._validate()
        return Signals(team_metrics=(self.metric,), contingency="performance",
                       team_stakes=float(self.amount), feedback=float(self.feedback),
                       process_improvement=float(self.process_improvement))

    def _after_stop(self) -> Signals:
        return Signals(feedback=float(self.feedback),
                       process_improvement=float(self.process_improvement))

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Pay every active agent if the team reached the threshold this period."""
        self._validate()
        if self.stop_after is not None and period >= self.stop_after:
            return Review(signals=self._after_stop())
        value, count = team_value(period_rows(measured, period), self.metric)
        payouts: dict[int, float] = {}
        if count >= self.min_responses and meets(value, self.threshold, self.metric):
            payouts = {int(a): float(self.amount) for a in active_rows(measured, period)["agent"]}
        last = self.stop_after is not None and period + 1 >= self.stop_after
        return Review(payouts=payouts, signals=self._after_stop() if last else self.signals())

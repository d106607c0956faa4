"""Individual bonus: pay each agent who reaches a threshold on one measured metric.

Source 001: "$100 for a satisfied rating on 95% or more of surveys each month",
which produced survey begging and upset callers transferred to colleagues.
Source 004: paying on loyalty scores when few customers answer the survey.
Source 002: with ``stop_after``, a bonus that runs some months and then stops
(rewards become expected and their absence resented).
"""

from __future__ import annotations

import pandas as pd

from incentsim.policies._checks import Checker
from incentsim.policies.base import METRICS, Policy, Review
from incentsim.policies.kpis import active_values, meets


class IndividualBonus(Policy):
    """Pay ``amount`` to every active agent whose own ``metric`` reaches ``threshold``.

    For a higher-is-better metric (``csat``, ``qa``, ``calls``) the threshold is
    a minimum; for a lower-is-better one (``aht``, ``transfer_rate``) it is a
    maximum. An agent qualifies only with at least ``min_responses``
    observations behind the metric that period (survey responses for ``csat``,
    QA-scored calls for ``qa``, answered calls otherwise).

    Args:
        metric: The metric paid on, one of :data:`~incentsim.policies.METRICS`.
        threshold: Level to reach (``csat`` is a share, 0.95 = 95% satisfied;
            ``qa`` 0..100; ``aht`` minutes).
        amount: Money paid per qualifying agent per period (>= 0).
        min_responses: Observations needed to qualify (default 3).
        stop_after: Periods the scheme runs before it is withdrawn; ``None``
            (default) runs it for the whole horizon. After it stops nobody is paid.
        process_improvement: Share of management time spent improving the process,
            0 to 1 (default 0).

    Example:
        >>> from incentsim.policies import IndividualBonus, synthetic_measured
        >>> bonus = IndividualBonus(metric="csat", threshold=0.8, amount=100)
        >>> sorted(bonus.review(synthetic_measured(seed=1, agents=4, periods=1), 0).payouts.values())
        [100.0, 100.0]
    """

    def __init__(self, metric: str, threshold: float, amount: float = 100.0,
                 min_responses: int = 3, stop_after: int | None = None,
                 process_improvement: float = 0.0) -> None:
        self.metric = metric
        self.threshold = threshold
        self.amount = amount
        self.min_responses = min_responses
        self.stop_after = stop_after
        self.process_improvement = process_improvement

    def _validate(self) -> None:
        check = Checker(type(self).__name__)
        check.metric("metric", self.metric)
        check_threshold(check, self.metric, self.threshold)
        check.number("amount", self.amount, low=0)
        check.integer("min_responses", self.min_responses, low=1)
        check.integer("stop_after", self.stop_after, low=1, optional=True)
        check.number("process_improvement", self.process_improvement, low=0, high=1)
        check.raise_if_any()

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Pay every active agent who reached the threshold this period."""
        self._validate()
        process = float(self.process_improvement)
        if self.stop_after is not None and period >= self.stop_after:
            return Review(process_improvement=process)
        values = active_values(measured, period, self.metric, self.min_responses)
        payouts = {int(agent): float(self.amount) for agent, value in values.items()
                   if meets(value, self.threshold, self.metric)}
        return Review(payouts=payouts, process_improvement=process)


def check_threshold(check: Checker, metric: object, threshold: object) -> None:
    """A threshold must be a number on the metric's scale (shares within 0..1, QA within 0..100)."""
    scale = {"csat": (0.0, 1.0), "transfer_rate": (0.0, 1.0), "qa": (0.0, 100.0)}
    if isinstance(metric, str) and metric in scale:
        low, high = scale[metric]
        check.number("threshold", threshold, low=low, high=high)
    elif isinstance(metric, str) and metric in METRICS:
        check.number("threshold", threshold, low=0)
    else:
        check.number("threshold", threshold)

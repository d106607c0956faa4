"""Handle-time target: agents are held to a number of minutes per call.

Source 001: a technical-support agent expected to average six minutes a call
whatever the call's complexity, which caused stress and worse service.
Source 003: metrics that reward hanging up fast rather than staying until the
problem is fixed.
"""

from __future__ import annotations

import pandas as pd

from incentsim.policies._checks import Checker
from incentsim.policies.base import Policy, Review
from incentsim.policies.kpis import active_values, periods_so_far

#: What happens to an agent who misses the target for ``periods`` periods in a row.
SANCTION_CHOICES: tuple[str, ...] = ("none", "warning", "fire")


class HandleTimeTarget(Policy):
    """Hold every agent to ``minutes`` of average handle time, sanctioning repeated misses.

    An agent misses a period when their measured AHT exceeds
    ``minutes * (1 + tolerance)``; at the ``periods``-th consecutive missed
    period, and at every consecutive miss after it, they get ``sanction``.
    Agents feel the target through those sanctions: an agent whose AHT is well
    under the target feels nothing, one near or above it feels the warning or
    firing it risks.

    Args:
        minutes: Target average handle time in minutes (> 0).
        sanction: ``"warning"`` (default), ``"fire"`` or ``"none"`` (the target
            is only monitored).
        tolerance: Share above the target tolerated before a period counts as
            missed (default 0.0).
        periods: Consecutive missed periods before the sanction (default 1).
        min_calls: Calls an agent needs in a period for it to count (default 20).
        process_improvement: Share of management time spent improving the process,
            0 to 1 (default 0).

    Example:
        >>> from incentsim.policies import HandleTimeTarget, synthetic_measured
        >>> target = HandleTimeTarget(minutes=6)
        >>> dict(target.review(synthetic_measured(seed=1, agents=4, periods=1), 0).sanctions)
        {0: 'warning', 2: 'warning', 3: 'warning'}
    """

    def __init__(self, minutes: float, sanction: str = "warning", tolerance: float = 0.0,
                 periods: int = 1, min_calls: int = 20, process_improvement: float = 0.0) -> None:
        self.minutes = minutes
        self.sanction = sanction
        self.tolerance = tolerance
        self.periods = periods
        self.min_calls = min_calls
        self.process_improvement = process_improvement

    def _validate(self) -> None:
        check = Checker(type(self).__name__)
        check.number("minutes", self.minutes, low=0, low_open=True)
        check.choice("sanction", self.sanction, SANCTION_CHOICES)
        check.number("tolerance", self.tolerance, low=0)
        check.integer("periods", self.periods, low=1)
        check.integer("min_calls", self.min_calls, low=1)
        check.number("process_improvement", self.process_improvement, low=0, high=1)
        check.raise_if_any()

    def _missed(self, measured: pd.DataFrame, period: int) -> set[int]:
        aht = active_values(measured, period, "aht", self.min_calls)
        limit = self.minutes * (1.0 + self.tolerance)
        return {int(a) for a, v in aht.items() if v > limit}

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Sanction agents who missed the target ``periods`` times in a row."""
        self._validate()
        sanctions: dict[int, str] = {}
        if self.sanction != "none":
            history = periods_so_far(measured, period)[-self.periods:]
            consecutive = len(history) == self.periods and history[0] == period - self.periods + 1
            if consecutive:
                streak = set.intersection(*(self._missed(measured, p) for p in history))
                sanctions = {a: self.sanction for a in sorted(streak)}
        return Review(sanctions=sanctions,  # type: ignore[arg-type]
                      process_improvement=float(self.process_improvement))

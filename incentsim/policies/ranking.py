"""Forced ranking ("rank and yank"): reward the top, sanction and finally fire the bottom.

Source 000: agents ranked on AHT and QA each month although only 13-22% of
them ranked non-randomly; Deming's point against ranking people (Out of the
Crisis, 1982). The composite rank is an assumption documented in
``docs/reference/policies/forced-ranking.md``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from incentsim.contract import COUNT_COLUMN
from incentsim.policies._checks import Checker
from incentsim.policies.base import METRICS, Policy, Review
from incentsim.policies.kpis import active_rows, periods_so_far


def composite_ranks(rows: pd.DataFrame, metrics: tuple[str, ...] | list[str]) -> dict[int, int]:
    """Rank agents (1 = best) by the mean of their per-metric percentile ranks.

    Each metric is turned into a percentile rank among the agents with a value
    (ties share the average rank; lower-is-better metrics are flipped), the
    percentiles are averaged over the metrics the agent has, and the result is
    ranked with ties broken by agent id so ranks are ``1..n`` and unique.
    Agents with no value on any metric are not ranked.
    """
    if not metrics:
        return {}
    agents = rows["agent"].to_numpy(dtype=np.int64)
    total = np.zeros(agents.size)
    counted = np.zeros(agents.size)
    for m in metrics:
        values = rows[m].to_numpy(dtype=float)
        ok = np.isfinite(values) & (rows[COUNT_COLUMN[m]].to_numpy(dtype=float) >= 1)
        if not ok.any():
            continue
        oriented = values[ok] if METRICS[m] else -values[ok]
        total[ok] += rankdata(oriented, method="average") / ok.sum()
        counted[ok] += 1
    ranked = counted > 0
    score = total[ranked] / counted[ranked]
    order = np.lexsort((agents[ranked], -score))
    return {int(agent): i + 1 for i, agent in enumerate(agents[ranked][order])}


class ForcedRanking(Policy):
    """Rank agents on measured metrics every period; pay the top, sanction the bottom.

    The best ``floor(top_share * n)`` ranked agents get ``bonus`` each; the worst
    ``floor(bottom_share * n)`` get a warning, and an agent in the bottom group
    for ``fire_after`` consecutive periods is fired.

    Args:
        metrics: Metrics ranked on (e.g. ``["aht", "qa"]``), from
            :data:`~incentsim.policies.METRICS`.
        top_share: Share of ranked agents rewarded (default 0.1).
        bonus: Money paid to each rewarded agent (default 100).
        bottom_share: Share of ranked agents sanctioned (default 0.1).
        fire_after: Consecutive bottom periods before firing (default 3);
            ``0`` or ``None`` never fires (scenario files write ``0``).
        process_improvement: Share of management time spent improving the process,
            0 to 1 (default 0).

    Example:
        >>> from incentsim.policies import ForcedRanking, synthetic_measured
        >>> ranking = ForcedRanking(metrics=["aht", "qa"])
        >>> review = ranking.review(synthetic_measured(seed=1, agents=10, periods=1), 0)
        >>> len(review.ranks), list(review.sanctions.values())
        (10, ['warning'])
    """

    def __init__(self, metrics: list[str] | tuple[str, ...], top_share: float = 0.1,
                 bonus: float = 100.0, bottom_share: float = 0.1,
                 fire_after: int | None = 3, process_improvement: float = 0.0) -> None:
        self.metrics = metrics
        self.top_share = top_share
        self.bonus = bonus
        self.bottom_share = bottom_share
        self.fire_after = fire_after
        self.process_improvement = process_improvement

    def _validate(self) -> None:
        check = Checker(type(self).__name__)
        check.metrics("metrics", self.metrics)
        check.number("top_share", self.top_share, low=0, high=1)
        check.number("bonus", self.bonus, low=0)
        check.number("bottom_share", self.bottom_share, low=0, high=1)
        check.integer("fire_after", self.fire_after, low=0, optional=True)
        check.number("process_improvement", self.process_improvement, low=0, high=1)
        if not check.problems and self.top_share + self.bottom_share > 1:
            check.fail("bottom_share", f"top_share + bottom_share must be <= 1 "
                                       f"(got {self.top_share} + {self.bottom_share})")
        check.raise_if_any()

    def _groups(self, measured: pd.DataFrame, period: int) -> tuple[dict[int, int], list[int], list[int]]:
        ranks = composite_ranks(active_rows(measured, period), list(self.metrics))
        n = len(ranks)
        by_rank = sorted(ranks, key=ranks.__getitem__)
        n_top = math.floor(self.top_share * n + 1e-9)
        n_bottom = min(math.floor(self.bottom_share * n + 1e-9), n - n_top)
        return ranks, by_rank[:n_top], by_rank[n - n_bottom:]

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Rank, pay the top group, warn the bottom group and fire persistent bottom agents."""
        self._validate()
        ranks, top, bottom = self._groups(measured, period)
        sanctions: dict[int, str] = {agent: "warning" for agent in bottom}
        fire_after = self.fire_after or 0
        if fire_after > 0 and bottom:
            earlier = [p for p in periods_so_far(measured, period) if p < period]
            earlier = earlier[-(fire_after - 1):] if fire_after > 1 else []
            if len(earlier) == fire_after - 1 and all(
                    p == period - len(earlier) + i for i, p in enumerate(earlier)):
                streak = set(bottom)
                for p in earlier:
                    streak &= set(self._groups(measured, p)[2])
                sanctions.update({agent: "fire" for agent in streak})
        payouts = {agent: float(self.bonus) for agent in top}
        return Review(payouts=payouts, ranks=ranks, sanctions=sanctions,  # type: ignore[arg-type]
                      process_improvement=float(self.process_improvement))

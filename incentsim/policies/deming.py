"""Deming-style management: act on people only when a control chart says so.

Source 000: most of the variation in AHT and QA comes from the process, so
"manage up or manage out" only statistical outliers and spend management time
improving the process. W. Edwards Deming, Out of the Crisis (1982): eliminate
ranking and pay on numbers, use control charts to tell special causes from
common causes. Chart choice follows Wheeler (Understanding Variation, 1993):
a p chart for proportions with per-agent sample sizes, an XmR chart otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incentsim.contract import COUNT_COLUMN
from incentsim.policies._checks import Checker
from incentsim.policies.base import METRICS, Policy, Review
from incentsim.policies.kpis import active_rows, periods_so_far

#: d2 of a moving range of two (Wheeler 1993): an XmR chart's sigma is the mean moving range over d2.
XMR_D2 = 1.128

#: Metrics charted with a p chart (a proportion with its own sample size per agent):
#: the column holding hits (or the proportion) and the sample-size column.
_P_CHART: dict[str, tuple[str, str]] = {"csat": ("survey_positive", "survey_responses"),
                                        "transfer_rate": ("transfer_rate", "calls")}


def outliers(rows: pd.DataFrame, metric: str, sigma: float = 3.0) -> set[int]:
    """Agents whose ``metric`` falls outside the control limits on the bad side.

    The limits come from the period's agents taken together (the system), as
    :func:`incentsim.stats.control_chart` draws them: a p chart for ``csat`` and
    ``transfer_rate`` (limits ``p +- sigma*sqrt(p(1-p)/n_i)`` with each agent's own
    sample size), an XmR chart of the agents' values in id order for ``aht``,
    ``qa`` and ``calls`` (limits ``mean +- sigma * mR / 1.128``). Only the bad
    side counts: high AHT or transfers, low QA, CSAT or calls.
    """
    ordered = rows.sort_values("agent", kind="stable")
    agents = ordered["agent"].to_numpy()
    count = ordered[COUNT_COLUMN[metric]].to_numpy(dtype=float)
    if metric == "csat":
        values = ordered["survey_positive"].to_numpy(dtype=float)
    else:
        values = ordered[metric].to_numpy(dtype=float)
    return _outliers(agents, values, count, metric, sigma)


def _outliers(agents: np.ndarray, values: np.ndarray, count: np.ndarray, metric: str,
              sigma: float) -> set[int]:
    """:func:`outliers` on arrays in agent order (``values`` are hits for ``csat``)."""
    if metric in _P_CHART:
        share = values if metric == "transfer_rate" else values / np.where(count > 0, count, 1.0)
        ok = (count >= 1) & np.isfinite(share)
        if ok.sum() < 2:
            return set()
        p, n = np.clip(share[ok], 0.0, 1.0), count[ok]
        centre = float(np.sum(p * n) / np.sum(n))
        spread = sigma * np.sqrt(centre * (1 - centre) / n)
        agents, values = agents[ok], p
    else:
        ok = (count >= 1) & np.isfinite(values)
        if ok.sum() < 2:
            return set()
        agents, values = agents[ok], values[ok]
        centre = float(values.mean())
        spread = sigma * float(np.mean(np.abs(np.diff(values)))) / XMR_D2
    bad = values < centre - spread if METRICS[metric] else values > centre + spread
    return {int(a) for a in agents[bad]}


class DemingManagement(Policy):
    """Control charts on agent metrics; coach only persistent outliers; improve the process.

    No individual pay and no ranking. Each period every metric is charted
    across the agents (see :func:`outliers`); an agent outside the limits on the
    bad side of any metric in at least ``outside_periods`` of the last
    ``window`` periods is coached. With ``remove_after`` set, an agent still
    meeting that rule after being coached in ``remove_after`` earlier reviews
    is removed ("manage out", source 000). Management time not spent on charts
    and coaching goes to improving the process with the team (source 000:
    "time better spent improving the process").

    Args:
        metrics: Metrics charted (default ``("aht", "qa", "csat")``).
        sigma: Width of the control limits in standard errors (default 3).
        outside_periods: Periods outside the limits needed for coaching (default 2).
        window: The last periods looked at (default 3).
        remove_after: Earlier coachings after which a persistent outlier is
            removed; ``None`` (default) or ``0`` never removes (scenario files
            omit it or write ``0``).
        process_improvement: Share of management time spent improving the
            process, 0 to 1 (default 0.5).

    Example:
        >>> from incentsim.policies import DemingManagement, synthetic_measured
        >>> deming = DemingManagement()
        >>> review = deming.review(synthetic_measured(seed=1, agents=12, periods=3), 2)
        >>> sorted(review.coaching), review.process_improvement
        ([11], 0.5)
    """

    def __init__(self, metrics: list[str] | tuple[str, ...] = ("aht", "qa", "csat"),
                 sigma: float = 3.0, outside_periods: int = 2, window: int = 3,
                 remove_after: int | None = None, process_improvement: float = 0.5) -> None:
        self.metrics = metrics
        self.sigma = sigma
        self.outside_periods = outside_periods
        self.window = window
        self.remove_after = remove_after
        self.process_improvement = process_improvement

    def _validate(self) -> None:
        check = Checker(type(self).__name__)
        check.metrics("metrics", self.metrics)
        check.number("sigma", self.sigma, low=0, low_open=True)
        check.integer("outside_periods", self.outside_periods, low=1)
        check.integer("window", self.window, low=1)
        check.integer("remove_after", self.remove_after, low=0, optional=True)
        check.number("process_improvement", self.process_improvement, low=0, high=1)
        if not check.problems and self.outside_periods > self.window:
            check.fail("outside_periods", f"must be <= window (got {self.outside_periods} > "
                                          f"{self.window})")
        check.raise_if_any()

    def _flagged(self, measured: pd.DataFrame, periods: list[int]
                 ) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
        """Active agents outside the limits on any charted metric, and active agents, per period."""
        ordered = measured.sort_values(["period", "agent"], kind="stable")
        period_of = ordered["period"].to_numpy()
        agents = ordered["agent"].to_numpy()
        active = (ordered["status"] == "active").to_numpy()
        columns = {m: (ordered["survey_positive" if m == "csat" else m].to_numpy(dtype=float),
                       ordered[COUNT_COLUMN[m]].to_numpy(dtype=float)) for m in self.metrics}
        out: dict[int, set[int]] = {}
        present: dict[int, set[int]] = {}
        for p in periods:
            rows = period_of == p
            flagged: set[int] = set()
            for metric, (values, count) in columns.items():
                flagged |= _outliers(agents[rows], values[rows], count[rows], metric, self.sigma)
            present[p] = {int(a) for a in agents[rows & active]}
            out[p] = flagged & present[p]
        return out, present

    def _coached(self, measured: pd.DataFrame, periods: list[int]) -> dict[int, set[int]]:
        """Agents meeting the coaching rule at each review in ``periods``."""
        flagged, present = self._flagged(measured, periods)
        coached: dict[int, set[int]] = {}
        for i, p in enumerate(periods):
            recent = [flagged[q] for q in periods[max(0, i - self.window + 1): i + 1]
                      if q > p - self.window]
            active = present[p]
            coached[p] = {a for a in flagged[p].union(*recent)
                          if a in active and sum(a in f for f in recent) >= self.outside_periods}
        return coached

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        """Coach persistent outliers; remove those coaching did not help (if enabled)."""
        self._validate()
        periods = periods_so_far(measured, period)
        coached = self._coached(measured, periods)
        now = coached.get(period, set())
        sanctions: dict[int, str] = {}
        if self.remove_after:
            for agent in sorted(now):
                earlier = sum(agent in coached[p] for p in periods if p < period)
                if earlier >= self.remove_after:
                    sanctions[agent] = "fire"
        return Review(sanctions=sanctions,  # type: ignore[arg-type]
                      coaching=frozenset(a for a in now if a not in sanctions),
                      process_improvement=float(self.process_improvement))


def active_ids(measured: pd.DataFrame, period: int) -> set[int]:
    """Ids of agents active at the end of ``period``."""
    return {int(a) for a in active_rows(measured, period)["agent"]}

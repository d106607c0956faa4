"""Figures for the statistics: control charts and rank churn.

The rank-churn figure shows each agent's place in every period's league table (a "bump
chart"): when ranking is mostly chance (source 000) the lines cross everywhere and only a
few agents hold a place; the agents :func:`~incentsim.stats.rank_consistency` flags are
drawn in colour. Matplotlib is imported when a function is called, not on import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from incentsim.stats.control_chart import ControlChart
from incentsim.stats.panel import check_panel

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from incentsim.stats.rank_consistency import RankConsistency

__all__ = ["plot_control_chart", "plot_rank_churn"]

_RULE_LABELS = {
    "beyond_limits": "beyond limits",
    "2_of_3_beyond_2_sigma": "2 of 3 beyond 2 sigma",
    "4_of_5_beyond_1_sigma": "4 of 5 beyond 1 sigma",
    "8_on_one_side": "8 on one side",
}


def _new_axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(8, 4))
    return ax


def plot_control_chart(chart: ControlChart, ax: Axes | None = None, title: str | None = None
                       ) -> Axes:
    """Draw a control chart: the points, centre line, limits and signalled points.

    Limits that vary by point are drawn as steps. Points with a signal are ringed in red
    and the legend names the rules that fired. The attached range chart (``.secondary``)
    is not drawn; pass it to this function on its own axes to show it.

    Args:
        chart: A chart from :func:`~incentsim.stats.control_chart`.
        ax: Axes to draw on; a new figure's axes when None.
        title: Title; defaults to the chart's kind.

    Returns:
        The axes drawn on.
    """
    ax = _new_axes(ax)
    x = np.arange(len(chart.values))
    ax.plot(x, chart.values, marker="o", color="0.25", linewidth=1, markersize=4,
            label=chart.label)
    ax.step(x, chart.per_point("center"), where="mid", color="tab:green", linewidth=1.2,
            label="centre")
    ax.step(x, chart.per_point("ucl"), where="mid", color="tab:red", linestyle="--",
            linewidth=1, label="limits")
    ax.step(x, chart.per_point("lcl"), where="mid", color="tab:red", linestyle="--",
            linewidth=1)
    flagged = chart.out_of_control
    if flagged:
        rules = sorted({_RULE_LABELS.get(s.rule, s.rule) for s in chart.signals})
        ax.scatter(x[flagged], chart.values[flagged], s=80, facecolors="none",
                   edgecolors="red", linewidths=1.5, zorder=3,
                   label="signal: " + "; ".join(rules))
    ax.set_title(title if title is not None else f"{chart.kind} chart")
    ax.set_xlabel("point")
    ax.set_ylabel(chart.label)
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_rank_churn(df: pd.DataFrame, agent: str, period: str, metric: str,
                    higher_is_better: bool, result: RankConsistency | None = None,
                    ax: Axes | None = None, title: str | None = None) -> Axes:
    """Draw each agent's rank in each period, flagged agents in colour.

    Rank 1 is the best in the period (ties share the average rank); periods are in sorted
    order; agents missing a period have a gap.

    Args:
        df: Panel with one row per agent per period.
        agent: Column identifying the agent.
        period: Column identifying the period.
        metric: Metric column ranked.
        higher_is_better: Whether larger values rank first.
        result: A :class:`~incentsim.stats.rank_consistency.RankConsistency` for this
            metric; its non-random agents are highlighted. None highlights nobody.
        ax: Axes to draw on; a new figure's axes when None.
        title: Title; defaults to one naming the metric.

    Returns:
        The axes drawn on.
    """
    clean = check_panel(df, agent, period, [metric])
    ranks = clean.assign(rank=clean.groupby(period)[metric].rank(ascending=not higher_is_better))
    wide = ranks.pivot(index=period, columns=agent, values="rank").sort_index()
    flagged: set[object] = set()
    if result is not None:
        table = result.agents
        flagged = set(table.loc[table["non_random"], "agent"])
    ax = _new_axes(ax)
    positions = np.arange(len(wide.index))
    for name in wide.columns:
        if name in flagged:
            continue
        ax.plot(positions, wide[name].to_numpy(), color="0.7", linewidth=0.7, alpha=0.8)
    for name in wide.columns:
        if name in flagged:
            ax.plot(positions, wide[name].to_numpy(), linewidth=2, marker="o", markersize=3,
                    label=str(name))
    ax.invert_yaxis()
    ax.set_xticks(positions)
    ax.set_xticklabels([str(p) for p in wide.index], rotation=45, ha="right", fontsize="small")
    ax.set_xlabel(period)
    ax.set_ylabel(f"rank on {metric} (1 = best)")
    ax.set_title(title if title is not None else
                 f"Rank churn on {metric}: {len(flagged)} of {wide.shape[1]} agents non-random")
    if flagged:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="x-small",
                  title="non-random", title_fontsize="small")
    return ax

"""Agent-level figures: people over time, control charts per agent, rank churn.

They read one row per agent per review period (an Experiment's ``agents``).
Motivation and stress over time show the crowding-out and pressure the model's
people side produces (Deci, Koestner & Ryan 1999; DESIGN section 2). Control
charts per agent are Deming's tool for telling a special cause from the system's
noise (source 000: act only on statistical outliers), drawn with
:func:`incentsim.stats.control_chart`. The rank-churn bump chart shows each
agent's league-table place period by period: when numbers are mostly system
variation the lines cross everywhere (source 000's 13-22% of agents ranking
consistently); agents :func:`incentsim.stats.rank_consistency` flags are drawn bold.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from incentsim.errors import InputError
from incentsim.report import units
from incentsim.report.inputs import agents_of, policies_of, policy_rows
from incentsim.report.style import apply, new_figure, note, policy_colors, styled
from incentsim.stats.comparison import mean_ci

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: People-state columns drawn over time by default.
PEOPLE_METRICS: tuple[str, ...] = ("intrinsic_motivation", "stress")


def _require_metric(frame: pd.DataFrame, metric: str) -> None:
    if metric not in frame.columns:
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and c not in ("point", "replication", "agent", "period")]
        raise InputError.single("report", "metric", f"{metric!r} is not an agent column; allowed: "
                                f"{', '.join(map(str, numeric))}")


def period_means(agents: pd.DataFrame, metric: str, confidence: float = 0.95) -> pd.DataFrame:
    """Per policy and period: the mean over replications of the agents' mean, with its interval.

    Each replication contributes one number per period (the mean over the agents
    measured in it), so the interval is over independent replications.

    Returns:
        Columns ``policy``, ``period``, ``n``, ``mean``, ``low``, ``high`` (NaN bounds below two replications).
    """
    _require_metric(agents, metric)
    values = pd.to_numeric(agents[metric], errors="coerce")
    per_run = (agents.assign(_value=values).dropna(subset=["_value"])
               .groupby(["policy", "replication", "period"], sort=True)["_value"].mean().reset_index())
    rows = []
    for (policy, period), part in per_run.groupby(["policy", "period"], sort=True):
        sample = part["_value"].to_numpy(float)
        if sample.size >= 2:
            ci = mean_ci(sample, confidence)
            rows.append({"policy": policy, "period": period, "n": sample.size, "mean": ci.mean,
                         "low": ci.low, "high": ci.high})
        else:
            rows.append({"policy": policy, "period": period, "n": sample.size, "mean": float(sample.mean()),
                         "low": math.nan, "high": math.nan})
    return pd.DataFrame(rows, columns=["policy", "period", "n", "mean", "low", "high"])


@styled
def plot_people_over_time(source: Any, metrics: Sequence[str] = PEOPLE_METRICS, point: int | None = None,
                          axes: Sequence[Axes] | None = None) -> Figure:
    """Mean agent state per review period, one line per policy with its 95% band over replications.

    Args:
        source: An Experiment, or its agent-periods frame.
        metrics: Agent columns to draw, one panel each (default motivation and stress).
        point: Sweep point / scenario to draw when the results hold several.
        axes: Axes to draw on, one per metric; a new figure when None.

    Returns:
        The figure: one axes per metric, one line per policy.
    """
    agents = agents_of(source, point)
    policies = policies_of(source, agents)
    colors = policy_colors(policies)
    if axes is None:
        figure, grid = new_figure(1, len(metrics), width=4.6 * len(metrics), height=3.6)
        panels = list(grid.ravel())
    else:
        panels = list(axes)[:len(metrics)]
        figure = cast("Figure", panels[0].figure)
    for ax, metric in zip(panels, metrics, strict=True):
        apply(ax)
        means = period_means(agents, metric)
        scale = units.agent_metric(metric)[1]
        for policy in policies:
            line = means[means["policy"] == policy]
            if line.empty:
                continue
            x = line["period"].to_numpy(float) + 1
            ax.plot(x, line["mean"] * scale, marker="o", markersize=4, color=colors[policy], label=policy)
            ax.fill_between(x, line["low"] * scale, line["high"] * scale, color=colors[policy], alpha=0.18,
                            linewidth=0)
        if means.empty:
            note(ax, "not measured")
        ax.set_title(f"{units.agent_metric(metric)[0].capitalize()} over time")
        ax.set_xlabel("review period")
        ax.set_ylabel(units.agent_axis_label(metric))
        periods = np.sort(pd.unique(agents["period"]).astype(float)) + 1
        if periods.size:
            ax.set_xticks(periods)
    handles, names = panels[0].get_legend_handles_labels()
    if handles:  # below the panels, never over a line
        figure.legend(handles, names, loc="outside lower center", ncol=min(len(names), 6))
    figure.suptitle("Agents' state by review period: mean over agents, 95% band over replications", fontsize=11)
    return figure


def _one_run(source: Any, policy: str | None, replication: int | None, point: int | None
             ) -> tuple[pd.DataFrame, str, int]:
    agents = agents_of(source, point)
    policies = policies_of(source, agents)
    chosen = policy if policy is not None else policies[0]
    rows = policy_rows(agents, chosen)
    replications = sorted(pd.unique(rows["replication"]).tolist())
    rep = replication if replication is not None else replications[0]
    if rep not in replications:
        raise InputError.single("report", "replication", f"{rep!r} not found for {chosen!r}; allowed: "
                                f"{replications}")
    return rows[rows["replication"] == rep], chosen, int(rep)


@styled
def plot_agent_control_charts(source: Any, policy: str | None = None, metric: str = "aht",
                              replication: int | None = None, agents: Sequence[Any] | None = None,
                              max_agents: int = 6, point: int | None = None,
                              axes: Sequence[Axes] | None = None) -> Figure:
    """XmR control charts of one metric, one panel per agent, for one policy and replication.

    Points outside the limits, or breaking a Western Electric rule, are ringed: only
    those are worth a manager's question; the rest is the system's noise.

    Args:
        source: An Experiment, or its agent-periods frame.
        policy: Policy whose run to chart (default the first).
        metric: Agent column to chart (default average handle time).
        replication: Replication to chart (default the first).
        agents: Agents to chart (default the first ``max_agents`` in the run).
        max_agents: How many agents to chart when ``agents`` is not given.
        point: Sweep point / scenario when the results hold several.
        axes: Axes to draw on, one per agent; a new figure when None.

    Returns:
        The figure: one axes per agent.
    """
    from incentsim.stats import control_chart, plot_control_chart

    run, chosen, rep = _one_run(source, policy, replication, point)
    _require_metric(run, metric)
    names = list(agents) if agents is not None else list(dict.fromkeys(run["agent"]))[:max_agents]
    name, scale, _, _ = units.agent_metric(metric)
    if axes is None:
        cols = max(1, min(3, len(names)))
        rows = max(1, math.ceil(len(names) / cols))
        figure, grid = new_figure(rows, cols, width=3.8 * cols, height=2.7 * rows)
        panels = list(grid.ravel())
        for spare in panels[len(names):]:
            figure.delaxes(spare)
        panels = panels[:len(names)]
    else:
        panels = list(axes)[:len(names)]
        figure = cast("Figure", panels[0].figure)
    for i, (ax, agent) in enumerate(zip(panels, names, strict=True)):
        apply(ax)
        series = run[run["agent"] == agent].sort_values("period")
        values = pd.to_numeric(series[metric], errors="coerce").to_numpy(float) * scale
        periods = series["period"].to_numpy()[~np.isnan(values)]
        values = values[~np.isnan(values)]
        if values.size < 2:
            note(ax, f"agent {agent}: fewer than 2 measured periods")
            ax.set_title(f"agent {agent}")
            continue
        chart = control_chart(values, kind="xmr")
        plot_control_chart(chart, ax=ax, title=f"agent {agent}")
        ax.set_xticks(np.arange(values.size), [str(int(p) + 1) for p in periods])
        ax.set_xlabel("review period")
        ax.set_ylabel(units.agent_axis_label(metric))
        legend = ax.get_legend()
        if legend is not None:
            if i == 0:  # one legend for all panels, below them, never over a point
                figure.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3)
            legend.remove()
    figure.suptitle(f"Control charts (XmR) of {name} per agent: {chosen}, replication {rep}", fontsize=11)
    return figure


@styled
def plot_rank_churn(source: Any, policy: str | None = None, metric: str | None = None,
                    replication: int | None = None, point: int | None = None, ax: Axes | None = None) -> Axes:
    """Each agent's league-table place, period by period (a bump chart), for one run.

    Agents whose better-half/worse-half record beats a coin flip
    (:func:`incentsim.stats.rank_consistency`) are drawn in colour; the grey rest
    change places by chance.

    Args:
        source: An Experiment, or its agent-periods frame.
        policy: Policy whose run to draw (default the first).
        metric: Agent column to rank on; default the policy's own ``rank`` when it
            ranked anyone, else measured satisfaction (``csat``).
        replication: Replication to draw (default the first).
        point: Sweep point / scenario when the results hold several.
        ax: Axes to draw on; a new figure's axes when None.

    Returns:
        The axes, one line per agent.
    """
    from incentsim.stats import rank_consistency

    run, chosen, rep = _one_run(source, policy, replication, point)
    if metric is None:
        ranked = "rank" in run.columns and pd.to_numeric(run["rank"], errors="coerce").notna().any()
        metric = "rank" if ranked else "csat"
    _require_metric(run, metric)
    direction = units.agent_metric(metric)[3]
    higher = True if direction is None else bool(direction)
    if ax is None:
        _, grid = new_figure(width=8.0, height=4.2)
        ax = grid[0, 0]
    apply(ax)
    panel = run[["agent", "period", metric]].copy()
    panel[metric] = pd.to_numeric(panel[metric], errors="coerce").astype(float)
    panel["period"] = panel["period"].astype(int) + 1
    title = f"Rank churn on {units.agent_metric(metric)[0]}: {chosen}, replication {rep}"
    if panel["period"].nunique() < 2 or panel[metric].notna().sum() == 0:
        note(ax, "fewer than 2 review periods with measurements: no ranks to follow")
        ax.set_title(title)
        return ax
    try:
        result = rank_consistency(panel, "agent", "period", metric, higher_is_better=higher)
    except InputError:
        result = None
    flagged = set() if result is None else set(result.agents.loc[result.agents["non_random"], "agent"])
    ranks = panel.assign(place=panel.groupby("period")[metric].rank(ascending=not higher))
    wide = ranks.pivot(index="period", columns="agent", values="place").sort_index()
    x = wide.index.to_numpy(float)
    palette = policy_colors([str(a) for a in wide.columns])
    for agent in wide.columns:
        bold = agent in flagged
        ax.plot(x, wide[agent].to_numpy(float), color=palette[str(agent)], marker="o",
                linewidth=2.4 if bold else 1.0, markersize=5 if bold else 3, alpha=1.0 if bold else 0.55)
        last = wide[agent].dropna()
        if len(wide.columns) <= 30 and not last.empty:
            ax.annotate(f"agent {agent}" + (" *" if bold else ""), (float(last.index[-1]), float(last.iloc[-1])),
                        xytext=(6, 0), textcoords="offset points", va="center", fontsize=7,
                        color=palette[str(agent)])
    ax.invert_yaxis()
    ax.set_xticks(x, [str(int(p)) for p in x])
    ax.set_xlim(x.min() - 0.2, x.max() + 0.6)
    ax.set_ylabel(f"place on {units.agent_metric(metric)[0]} (1 = best)")
    ax.set_title(f"{title}\n{len(flagged)} of {wide.shape[1]} agents rank consistently better or worse "
                 "than chance (*)", fontsize=10)
    ax.set_xlabel("review period")
    return ax


#: Agent metrics the rank-stability figure follows (those present are drawn).
STABILITY_METRICS: tuple[str, ...] = ("aht", "qa", "csat")


def rank_stability(agents: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per run, the share of better-half agents who are in the better half again the next period.

    In each period the agents measured on ``metric`` are split at the median (ties
    at the median count in neither half, as in :func:`incentsim.stats.rank_consistency`).
    Of the agents in the better half in period ``t`` and measured in ``t + 1``, the
    share in the better half again is averaged over consecutive periods. A fair
    coin gives 50%; a league table that tells people apart gives more.

    Returns:
        One row per policy and replication: ``policy``, ``replication``, ``stay``
        (the share, NaN if no pair of periods), ``agents`` (distinct agents ranked).
    """
    _require_metric(agents, metric)
    direction = units.agent_metric(metric)[3]
    higher = True if direction is None else bool(direction)
    rows = []
    for (policy, replication), run in agents.groupby(["policy", "replication"], sort=False):
        values = run.assign(_v=pd.to_numeric(run[metric], errors="coerce")).dropna(subset=["_v"])
        median = values.groupby("period")["_v"].transform("median")
        better = values["_v"] > median if higher else values["_v"] < median
        halves = values.assign(_better=better, _tie=values["_v"] == median)
        top = {p: set(part.loc[part["_better"], "agent"]) for p, part in halves.groupby("period")}
        seen = {p: set(part["agent"]) for p, part in halves.groupby("period")}
        periods = sorted(top)
        stays = []
        for before, after in zip(periods[:-1], periods[1:], strict=True):
            followed = top[before] & seen[after]
            if followed:
                stays.append(len(followed & top[after]) / len(followed))
        rows.append({"policy": str(policy), "replication": replication,
                     "stay": float(np.mean(stays)) if stays else math.nan,
                     "agents": int(values["agent"].nunique())})
    return pd.DataFrame(rows, columns=["policy", "replication", "stay", "agents"])


@styled
def plot_rank_stability(source: Any, metrics: Sequence[str] = STABILITY_METRICS, point: int | None = None,
                        axes: Sequence[Axes] | None = None) -> Figure:
    """Does a good month predict a good month? One bar per policy, one panel per metric.

    Each bar is the share of agents in the better half of a period's league table
    who are in the better half again the next period (mean over replications, 95%
    interval); the dashed line at 50% is a coin flip. Bars near the line mean the
    ranking is mostly the system's noise (source 000); bars well above it mean
    people differ in ways the metric sees. Every policy is drawn, on the same metrics.

    Args:
        source: An Experiment, or its agent-periods frame.
        metrics: Agent columns to rank on (those present are drawn).
        point: Sweep point / scenario when the results hold several.
        axes: Axes to draw on, one per metric; a new figure when None.

    Returns:
        The figure.
    """
    agents = agents_of(source, point)
    policies = policies_of(source, agents)
    shown = [m for m in metrics if m in agents.columns and pd.to_numeric(agents[m], errors="coerce").notna().any()]
    if not shown:
        raise InputError.single("report", "metrics", f"none of {list(metrics)} is in the agent data")
    if axes is None:
        figure, grid = new_figure(1, len(shown), width=max(4.2 * len(shown), 6.0), height=3.6)
        panels = list(grid.ravel())
    else:
        panels = list(axes)[:len(shown)]
        figure = cast("Figure", panels[0].figure)
    colors = policy_colors(policies)
    for ax, metric in zip(panels, shown, strict=True):
        apply(ax)
        stability = rank_stability(agents, metric)
        x = np.arange(len(policies))
        for i, policy in enumerate(policies):
            sample = stability.loc[stability["policy"] == policy, "stay"].dropna().to_numpy(float)
            if sample.size == 0:
                continue
            mean = float(sample.mean()) * 100
            if sample.size >= 2:
                ci = mean_ci(sample, 0.95)
                error = [[mean - max(ci.low * 100, 0.0)], [min(ci.high * 100, 100.0) - mean]]
            else:
                error = None
            ax.bar(x[i], mean, 0.7, color=colors[policy], yerr=error, capsize=3, error_kw={"linewidth": 1})
        ax.axhline(50, color="0.3", linestyle="--", linewidth=1)
        ax.set_ylim(0, 100)
        ax.set_yticks([0, 25, 50, 75, 100], ["0", "25", "50\ncoin flip", "75", "100"])
        ax.set_xticks(x, policies, rotation=30, ha="right")
        name = units.agent_metric(metric)[0]
        ax.set_title(name[:1].upper() + name[1:])
        ax.set_ylabel("better half again next period (%)")
    figure.suptitle("Does a good period predict a good period? (mean over replications, 95% interval)",
                    fontsize=11)
    return figure

"""Reading a review period's KPIs from the measured frame.

The helpers every built-in policy uses to turn the measured frame (one row per
agent per period, :data:`~incentsim.policies.MEASURED_COLUMNS`) into the
numbers a manager acts on. User-written policies may use them too.

Conventions (assumption, stated in ``docs/reference/policies/``):

* Only agents whose status in the period is ``active`` are paid, ranked,
  sanctioned or coached; agents who quit or were fired are gone.
* An agent's metric counts only if enough observations lie behind it: survey
  responses for ``csat``, QA-scored calls for ``qa``, answered calls for the rest.
* A team is the tier-1 agents sharing a ``team`` value in the period (including
  those who left during it, since their calls were part of the team's work).
  Team ``csat`` is
  ``sum(survey_positive) / sum(survey_responses)``; team ``qa`` is the mean over
  every scored call; team ``aht`` and ``transfer_rate`` are weighted by calls;
  team ``calls`` is the mean number of calls per agent.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from incentsim.contract import COUNT_COLUMN, METRICS


def period_rows(measured: pd.DataFrame, period: int) -> pd.DataFrame:
    """Every agent's row for ``period`` (the team, including leavers), in agent order.

    Sorting makes every sum below independent of the frame's row order, so a
    review never depends on how the rows happen to be arranged.
    """
    return _select(measured, measured["period"].to_numpy() == period)


def active_rows(measured: pd.DataFrame, period: int) -> pd.DataFrame:
    """Rows for ``period`` of agents still active at its end."""
    return _select(measured, _active(measured, period))


def _active(measured: pd.DataFrame, period: int) -> np.ndarray:
    """Which rows are of ``period`` and of agents still active at its end."""
    return (measured["period"].to_numpy() == period) & (measured["status"].to_numpy() == "active")


def _agent_order(agents: np.ndarray) -> np.ndarray | None:
    """The stable order that sorts ``agents`` (``None`` when they already strictly increase)."""
    if agents.size > 1 and not (np.diff(agents) > 0).all():
        return np.argsort(agents, kind="stable")
    return None


def _repeated(sorted_agents: np.ndarray) -> bool:
    """Whether sorted agent ids hold an agent twice."""
    return bool(sorted_agents.size > 1 and not (np.diff(sorted_agents) > 0).all())


def _select(measured: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The rows where ``mask`` holds, in (stable) agent order, taken in one step.

    The same rows, index labels and order as filtering with ``mask`` and then
    sorting by agent; only the positions are worked out with numpy first.
    """
    if mask.all():
        rows = measured.copy(deep=False)
        order = _agent_order(rows["agent"].to_numpy())
        return rows if order is None else rows.iloc[order]
    positions = np.flatnonzero(mask)
    order = _agent_order(measured["agent"].to_numpy()[positions])
    return measured.take(positions if order is None else positions[order])


def agent_values(rows: pd.DataFrame, metric: str, min_count: int = 1) -> pd.Series:
    """Per-agent value of ``metric`` (indexed by agent id, sorted).

    NaN where fewer than ``min_count`` observations (``COUNT_COLUMN``) lie behind it.
    """
    values = rows[metric].to_numpy(dtype=float, copy=True)
    counts = rows[COUNT_COLUMN[metric]].to_numpy(dtype=float)
    values[counts < max(min_count, 1)] = np.nan
    agents = rows["agent"].to_numpy()
    order = _agent_order(agents)
    if order is not None:
        if _repeated(agents[order]):                           # repeated agents: pandas' own order
            return pd.Series(values, index=agents).sort_index()
        values, agents = values[order], agents[order]
    return pd.Series(values, index=pd.Index(agents))


def active_values(measured: pd.DataFrame, period: int, metric: str, min_count: int = 1) -> pd.Series:
    """``agent_values(active_rows(measured, period), metric, min_count)``, without building the rows.

    The same Series (values, agent index and order); the columns needed are read
    straight from ``measured``, which matters when a review is asked many times.
    """
    positions = np.flatnonzero(_active(measured, period))
    agents = measured["agent"].to_numpy()[positions]
    order = _agent_order(agents)
    if order is not None:
        if _repeated(agents[order]):                           # repeated agents: the general path
            return agent_values(active_rows(measured, period), metric, min_count)
        positions, agents = positions[order], agents[order]
    values = measured[metric].to_numpy(dtype=float)[positions]
    counts = measured[COUNT_COLUMN[metric]].to_numpy(dtype=float)[positions]
    values[counts < max(min_count, 1)] = np.nan
    return pd.Series(values, index=pd.Index(agents))


def team_value(rows: pd.DataFrame, metric: str) -> tuple[float, float]:
    """The team's value of ``metric`` and the observations behind it.

    Returns:
        ``(value, count)``; ``value`` is NaN if no observation lies behind it.
    """
    if metric == "csat":
        responses = float(rows["survey_responses"].sum())
        positive = float(rows["survey_positive"].sum())
        return (positive / responses if responses > 0 else math.nan), responses
    if metric == "calls":
        n = len(rows)
        return (float(rows["calls"].sum()) / n if n else math.nan), float(rows["calls"].sum())
    count_col = COUNT_COLUMN[metric]
    weights = rows[count_col].to_numpy(dtype=float)
    values = rows[metric].to_numpy(dtype=float)
    ok = (weights > 0) & np.isfinite(values)
    total = float(weights[ok].sum())
    if total <= 0:
        return math.nan, 0.0
    return float((values[ok] * weights[ok]).sum() / total), total


def team_values(rows: pd.DataFrame, metric: str) -> dict[int, tuple[float, float]]:
    """:func:`team_value` of every team in a period's rows (by ascending team index).

    Computed with sums per team in one pass; the same numbers as
    :func:`team_value` on each team's rows.
    """
    team = rows["team"].to_numpy(dtype=np.int64)
    if team.size == 0:
        return {}
    ids, index = np.unique(team, return_inverse=True)
    k = ids.size

    def per_team(values: np.ndarray) -> np.ndarray:
        return np.bincount(index, weights=values, minlength=k)

    if metric == "csat":
        responses = per_team(rows["survey_responses"].to_numpy(dtype=float))
        positive = per_team(rows["survey_positive"].to_numpy(dtype=float))
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(responses > 0, positive / np.maximum(responses, 1e-300), np.nan)
        return {int(t): (float(v), float(c)) for t, v, c in zip(ids, value, responses, strict=True)}
    if metric == "calls":
        calls = per_team(rows["calls"].to_numpy(dtype=float))
        size = np.bincount(index, minlength=k).astype(float)
        return {int(t): (float(c / n), float(c)) for t, c, n in zip(ids, calls, size, strict=True)}
    weights = rows[COUNT_COLUMN[metric]].to_numpy(dtype=float)
    values = rows[metric].to_numpy(dtype=float)
    ok = (weights > 0) & np.isfinite(values)
    total = per_team(np.where(ok, weights, 0.0))
    weighted = per_team(np.where(ok, values * weights, 0.0))
    return {int(t): ((float(w / c), float(c)) if c > 0 else (math.nan, 0.0))
            for t, w, c in zip(ids, weighted, total, strict=True)}


def teams(rows: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """A period's rows split by ``team`` (ascending team index)."""
    team = rows["team"].to_numpy()
    return {int(t): rows[team == t] for t in np.unique(team)}


def meets(value: float, threshold: float, metric: str) -> bool:
    """Whether ``value`` reaches ``threshold`` (a maximum for lower-is-better metrics)."""
    if not math.isfinite(value):
        return False
    return value >= threshold if METRICS[metric] else value <= threshold


def periods_so_far(measured: pd.DataFrame, period: int) -> list[int]:
    """The distinct review periods ``<= period`` present in the frame, ascending."""
    present = measured["period"].to_numpy()
    return sorted(int(p) for p in np.unique(present[present <= period]))

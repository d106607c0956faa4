"""Rank consistency: is an agent's place in the league table more than a coin flip?

Source 000 asked of 55 agents and several months of average handle time (AHT) and QA
scores: if results were decided by the process alone, whether an agent lands in the
better half of a month's ranking would be a coin flip, month after month. An agent who
lands there (or in the worse half) far more often than a fair coin allows ranks
"non-randomly". It found 13% of agents non-random on QA, 22% on AHT and under 6% on both.

The procedure, exactly:

1. Per metric, rows with a missing value are dropped (the agent was not measured).
2. In each period, the median is taken over the agents measured in that period. An agent
   strictly better than the median is in the better half, strictly worse in the worse
   half. An agent exactly *at* the median is a tie and that period is not counted for
   that agent (the sign test's usual treatment of zero differences). With an odd number
   of agents the middle agent is such a tie, which keeps the coin fair for everyone
   else: exactly as many agents are above as below.
3. Per agent, ``periods`` counts the periods counted and ``better_half`` those in the
   better half. A two-sided exact binomial test (:func:`scipy.stats.binomtest`) of
   ``better_half`` out of ``periods`` against 0.5 gives ``p_value``; the agent is
   ``non_random`` when ``p_value <= alpha``. Agents with fewer than ``min_periods``
   counted periods are listed but not tested and do not enter the shares.
4. ``chance_share`` is the exact probability that a fair coin is flagged, computed for
   each tested agent's own number of periods and averaged. With few periods it is far
   below ``alpha``: with five periods even five out of five has p = 0.0625, so nobody
   can be flagged at 0.05.
5. With several metrics, an agent is non-random overall when flagged on every metric;
   the chance share of that is the product of the per-metric chances (metrics treated
   as independent under chance), averaged over agents tested on every metric.

Ties caveat: when many agents share the median value (coarse QA scales), "strictly above"
and "strictly below" need not be equally likely; ``tied_share`` reports how often ties
occurred so the reader can judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats as sps

from incentsim.errors import InputError, Problem
from incentsim.stats.panel import check_panel

__all__ = ["RankConsistency", "chance_flag_probability", "rank_consistency"]

_BASE_COLUMNS = ["agent", "present", "periods", "better_half", "p_value", "non_random",
                 "direction", "tested"]


@lru_cache(maxsize=8192)
def _binom_p(better: int, periods: int) -> float:
    return float(sps.binomtest(better, periods, 0.5, alternative="two-sided").pvalue)


@lru_cache(maxsize=4096)
def chance_flag_probability(periods: int, alpha: float = 0.05) -> float:
    """Probability that a fair coin tossed ``periods`` times is flagged non-random.

    This is the exact size of the two-sided binomial test at ``alpha``: the total
    binomial(periods, 0.5) probability of the counts whose p-value is at most ``alpha``.

    Args:
        periods: Number of counted periods (tosses), at least 0.
        alpha: Significance level, strictly between 0 and 1.

    Returns:
        The probability, at most ``alpha`` (0 when no count can reach ``alpha``).
    """
    if periods <= 0:
        return 0.0
    counts = np.arange(periods + 1)
    flagged = np.array([_binom_p(int(k), periods) <= alpha for k in counts])
    return float(sps.binom.pmf(counts[flagged], periods, 0.5).sum())


def _periods_for_power(alpha: float) -> int:
    """Fewest periods at which a perfect record can be flagged at ``alpha``."""
    periods = 1
    while chance_flag_probability(periods, alpha) == 0.0:
        periods += 1
    return periods


def _poisson_binomial_tail(probabilities: np.ndarray, at_least: int) -> float:
    """P(at least ``at_least`` successes) among independent trials with these chances."""
    dist = np.zeros(len(probabilities) + 1)
    dist[0] = 1.0
    for p in probabilities:
        dist[1:] = dist[1:] * (1 - p) + dist[:-1] * p
        dist[0] *= 1 - p
    return float(min(1.0, dist[at_least:].sum()))


@dataclass(frozen=True)
class RankConsistency:
    """Result of :func:`rank_consistency`.

    Attributes:
        agents: One row per agent: ``agent``; ``present`` (periods with a value on every
            metric); ``periods`` (periods counted, i.e. not tied at the median: for
            several metrics, not tied on any); ``better_half`` (of those, periods in the
            better half: for several metrics, in the better half on all of them);
            ``p_value`` (binomial test; for several metrics the largest per-metric
            p-value, so ``non_random`` is ``p_value <= alpha``); ``non_random``;
            ``direction`` (``better``, ``worse``, ``mixed`` across metrics, or ``even``);
            ``tested`` (enough periods on every metric). With several metrics, each
            metric's own columns follow as ``<metric>_periods``, ``<metric>_better_half``,
            ``<metric>_p_value`` and ``<metric>_non_random``.
        metrics: Metric names.
        higher_is_better: Direction of each metric.
        alpha: Significance level of each test.
        min_periods: Fewest counted periods for an agent to be tested.
        n_tested: Agents tested (on every metric).
        n_non_random: Tested agents flagged (on every metric).
        share_non_random: ``n_non_random / n_tested`` (NaN if nobody was tested).
        chance_share: Share that chance alone would flag, exactly, given each agent's
            periods (NaN if nobody was tested).
        chance_p_value: Probability that chance alone flags at least ``n_non_random``
            agents, treating agents as independent (a close approximation: within a period
            the halves are fixed in size, which ties agents together slightly).
        tied_share: Share of measured agent-periods not counted because tied at the median.
        by_metric: For several metrics, each metric's own result; empty for one metric.
    """

    agents: pd.DataFrame
    metrics: tuple[str, ...]
    higher_is_better: tuple[bool, ...]
    alpha: float
    min_periods: int
    n_tested: int
    n_non_random: int
    share_non_random: float
    chance_share: float
    chance_p_value: float
    tied_share: float
    by_metric: dict[str, RankConsistency] = field(default_factory=dict)

    @property
    def expected_by_chance(self) -> float:
        """Number of tested agents chance alone would be expected to flag."""
        return self.chance_share * self.n_tested if self.n_tested else 0.0

    def _label(self) -> str:
        parts = [f"{m} ({'higher' if h else 'lower'} is better)"
                 for m, h in zip(self.metrics, self.higher_is_better, strict=True)]
        return parts[0] if len(parts) == 1 else "all of " + ", ".join(parts)

    def table(self) -> pd.DataFrame:
        """One row per metric (and one for all metrics together when there are several).

        Returns:
            Columns ``metric``, ``agents_tested``, ``non_random``, ``share_non_random``,
            ``expected_by_chance``, ``chance_share``, ``chance_p_value``.
        """
        parts = [*self.by_metric.values(), self] if self.by_metric else [self]
        return pd.DataFrame([{
            "metric": " & ".join(r.metrics),
            "agents_tested": r.n_tested,
            "non_random": r.n_non_random,
            "share_non_random": r.share_non_random,
            "expected_by_chance": r.expected_by_chance,
            "chance_share": r.chance_share,
            "chance_p_value": r.chance_p_value,
        } for r in parts])

    def _sentence(self) -> str:
        together = len(self.metrics) > 1
        label = " and ".join(self.metrics) + " together" if together else self._label()
        if self.n_tested == 0:
            return (f"On {label}: no agent has {self.min_periods} or more counted "
                    f"periods, so nobody could be tested.")
        if together:
            tested = self.agents.loc[self.agents["tested"]]
            flagged = tested.loc[tested["non_random"], "direction"]
            text = (f"On {label}: {self.n_non_random} of the {self.n_tested} agents tested on every "
                    f"metric ({self.share_non_random:.0%}) are flagged on every metric; chance alone "
                    f"would flag {self.expected_by_chance:.2f} ({self.chance_share:.2%}).")
            if len(flagged):
                text += (f" Of those, {int((flagged == 'better').sum())} are better on every metric, "
                         f"{int((flagged == 'worse').sum())} worse on every metric and "
                         f"{int((flagged == 'mixed').sum())} better on one and worse on another.")
        else:
            text = (f"On {label}: of {self.n_tested} agents, {self.n_non_random} "
                    f"({self.share_non_random:.0%}) rank better or worse than chance explains; "
                    f"chance alone would flag {self.expected_by_chance:.1f} ({self.chance_share:.1%}).")
        if self.chance_share == 0.0:
            needed = _periods_for_power(self.alpha)
            return text + (f" No agent has enough counted periods to be flagged at"
                           f" alpha={self.alpha:g}: that needs {needed} or more per agent, so"
                           f" this data cannot tell people from chance yet.")
        if self.chance_p_value < 0.05:
            text += f" Chance alone is unlikely to flag this many (p={self.chance_p_value:.2g})."
        else:
            text += f" Chance alone flags this many easily (p={self.chance_p_value:.2g})."
        needed = _periods_for_power(self.alpha)
        tested = self.agents.loc[self.agents["tested"]]
        short = int((tested["periods"] < needed).sum()) if not together else 0
        if short:
            text += (f" {short} of the {self.n_tested} tested agents {'has' if short == 1 else 'have'} fewer"
                     f" than {needed} counted periods and can never be flagged at alpha={self.alpha:g}.")
        if self.tied_share > 0.1:
            text += (f" Caution: {self.tied_share:.0%} of agent-periods tied at the median and"
                     f" were not counted.")
        return text

    def summary(self) -> str:
        """Plain-language summary, one paragraph per metric and one for all together."""
        parts = [*self.by_metric.values(), self] if self.by_metric else [self]
        return "\n".join(r._sentence() for r in parts)


def _check_arguments(metrics: list[str], directions: list[bool], alpha: float,
                     min_periods: int) -> None:
    problems: list[Problem] = []
    if not metrics:
        problems.append(Problem("metric", "at least one metric column is needed"))
    if len(directions) != len(metrics):
        problems.append(Problem("higher_is_better",
                                f"{len(directions)} direction(s) for {len(metrics)} metric(s);"
                                f" give one True/False per metric"))
    if not (0.0 < alpha < 1.0):
        problems.append(Problem("alpha", f"{alpha!r} is not strictly between 0 and 1"))
    if min_periods < 1:
        problems.append(Problem("min_periods", f"{min_periods!r} must be at least 1"))
    if problems:
        raise InputError("rank_consistency arguments", problems)


def _counts(panel: pd.DataFrame, metric: str, higher_is_better: bool) -> pd.DataFrame:
    """Per agent-period: whether counted (not tied) and whether in the better half."""
    measured = panel.loc[panel[metric].notna(), ["agent", "period", metric]]
    median = measured.groupby("period", sort=False)[metric].transform("median")
    gap = measured[metric] - median
    if not higher_is_better:
        gap = -gap
    return pd.DataFrame({"agent": measured["agent"], "period": measured["period"],
                         "counted": gap != 0, "better": gap > 0})


def _single(panel: pd.DataFrame, all_agents: pd.Index, metric: str, higher_is_better: bool,
            alpha: float, min_periods: int) -> tuple[RankConsistency, pd.DataFrame]:
    marks = _counts(panel, metric, higher_is_better)
    grouped = marks.groupby("agent", sort=False)
    per_agent = pd.DataFrame({
        "present": grouped.size(),
        "periods": grouped["counted"].sum(),
        "better_half": grouped["better"].sum(),
    }).reindex(all_agents, fill_value=0).astype(int)
    per_agent["tested"] = per_agent["periods"] >= min_periods
    per_agent["p_value"] = [
        _binom_p(int(k), int(n)) if ok else np.nan
        for k, n, ok in zip(per_agent["better_half"], per_agent["periods"],
                            per_agent["tested"], strict=True)]
    per_agent["non_random"] = per_agent["tested"] & (per_agent["p_value"] <= alpha)
    twice = 2 * per_agent["better_half"]
    per_agent["direction"] = np.where(twice > per_agent["periods"], "better",
                                      np.where(twice < per_agent["periods"], "worse", "even"))
    per_agent["chance"] = [chance_flag_probability(int(n), alpha) if ok else np.nan
                           for n, ok in zip(per_agent["periods"], per_agent["tested"],
                                            strict=True)]
    per_agent.index.name = "agent"
    table = per_agent.reset_index()
    result = _summarise(table, (metric,), (higher_is_better,), alpha, min_periods,
                        tied_share=float((~marks["counted"]).mean()) if len(marks) else 0.0)
    return result, marks


def _summarise(table: pd.DataFrame, metrics: tuple[str, ...], directions: tuple[bool, ...],
               alpha: float, min_periods: int, tied_share: float,
               by_metric: dict[str, RankConsistency] | None = None) -> RankConsistency:
    tested = table.loc[table["tested"]]
    n_tested = len(tested)
    n_flagged = int(tested["non_random"].sum())
    chances = tested["chance"].to_numpy(dtype=float)
    return RankConsistency(
        agents=table[_BASE_COLUMNS + [c for c in table.columns
                                      if c not in _BASE_COLUMNS and c != "chance"]],
        metrics=metrics, higher_is_better=directions, alpha=alpha, min_periods=min_periods,
        n_tested=n_tested, n_non_random=n_flagged,
        share_non_random=n_flagged / n_tested if n_tested else float("nan"),
        chance_share=float(chances.mean()) if n_tested else float("nan"),
        chance_p_value=_poisson_binomial_tail(chances, n_flagged) if n_tested else 1.0,
        tied_share=tied_share, by_metric=by_metric or {})


def rank_consistency(df: pd.DataFrame, agent: str, period: str, metric: str | Sequence[str],
                     higher_is_better: bool | Sequence[bool], alpha: float = 0.05,
                     min_periods: int = 2) -> RankConsistency:
    """Test each agent's better-half/worse-half record against a fair coin (source 000).

    See the module documentation for the exact procedure (ties at the median are not
    counted; odd numbers of agents; agents present only in some periods are tested on the
    periods they have).

    Args:
        df: Panel with one row per agent per period (e.g. ``run.agents``).
        agent: Column identifying the agent.
        period: Column identifying the review period.
        metric: Metric column, or a list of them.
        higher_is_better: Whether larger values are better; one per metric when
            ``metric`` is a list.
        alpha: Significance level of each agent's test.
        min_periods: Fewest counted periods for an agent to be tested (default 2).

    Returns:
        The per-agent table and shares; see :class:`RankConsistency`. Its first column
        is always called ``agent``, whatever the input column is called.

    Raises:
        InputError: If columns are missing or not numeric, an agent appears twice in a
            period, there are fewer than two periods, or the arguments do not match.
    """
    metrics = [metric] if isinstance(metric, str) else list(metric)
    directions = ([bool(higher_is_better)] if isinstance(higher_is_better, bool | np.bool_)
                  else [bool(h) for h in higher_is_better])
    _check_arguments(metrics, directions, alpha, min_periods)
    clean = check_panel(df, agent, period, metrics)
    panel = clean.rename(columns={agent: "agent", period: "period"})
    all_agents = pd.Index(pd.unique(panel["agent"]), name="agent")
    singles: dict[str, RankConsistency] = {}
    marks: dict[str, pd.DataFrame] = {}
    for name, direction in zip(metrics, directions, strict=True):
        singles[name], marks[name] = _single(panel, all_agents, name, direction, alpha,
                                             min_periods)
    if len(metrics) == 1:
        return singles[metrics[0]]
    return _combine(singles, marks, all_agents, alpha, min_periods)


def _combine(singles: dict[str, RankConsistency], marks: dict[str, pd.DataFrame],
             all_agents: pd.Index, alpha: float, min_periods: int) -> RankConsistency:
    names = list(singles)
    joint = None
    for name in names:
        frame = marks[name].set_index(["agent", "period"])[["counted", "better"]]
        frame = frame.rename(columns=lambda c, n=name: f"{c}_{n}")
        joint = frame if joint is None else joint.join(frame, how="inner")
    assert joint is not None
    counted_all = joint[[f"counted_{n}" for n in names]].all(axis=1)
    better_all = counted_all & joint[[f"better_{n}" for n in names]].all(axis=1)
    grouped = pd.DataFrame({"present": 1, "periods": counted_all, "better_half": better_all}
                           ).groupby(level="agent", sort=False).sum()
    table = grouped.reindex(all_agents, fill_value=0).astype(int)
    per = {n: singles[n].agents.set_index("agent") for n in names}
    table["tested"] = np.logical_and.reduce([per[n]["tested"].to_numpy() for n in names])
    p_values = np.column_stack([per[n]["p_value"].to_numpy(dtype=float) for n in names])
    table["p_value"] = np.where(table["tested"], p_values.max(axis=1), np.nan)
    table["non_random"] = np.logical_and.reduce(
        [per[n]["non_random"].to_numpy() for n in names])
    directions = np.column_stack([per[n]["direction"].to_numpy() for n in names])
    table["direction"] = [row[0] if (row == row[0]).all() else "mixed" for row in directions]
    chance = np.ones(len(table))
    for n in names:
        chance *= [chance_flag_probability(int(k), alpha) for k in per[n]["periods"]]
    table["chance"] = np.where(table["tested"], chance, np.nan)
    for n in names:
        for column in ("periods", "better_half", "p_value", "non_random"):
            table[f"{n}_{column}"] = per[n][column].to_numpy()
    table = table.reset_index()
    all_marks = pd.concat([m["counted"] for m in marks.values()])
    return _summarise(table, tuple(names),
                      tuple(singles[n].higher_is_better[0] for n in names), alpha, min_periods,
                      tied_share=float((~all_marks).mean()) if len(all_marks) else 0.0,
                      by_metric=singles)


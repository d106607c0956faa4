"""Rank churn: a league table of agents whose numbers are mostly system variation.

Each agent's score in a period is a lasting personal effect plus the system's
variation that period (the calls they happened to get, the surveys that came
back, the QA sample): ``score = mean + sd * (sqrt(s) * person + sqrt(1 - s) * system)``
with ``s = people_share`` and independent standard normal ``person`` (fixed for the
agent) and ``system`` (new every period). The league table is re-sorted every
period; with a small people share it churns, and the "top performers" of one
month are mostly not the top performers of the next.

Between two periods the scores of one agent correlate with coefficient ``s``,
so the chance that a top-quartile agent stays in the top quartile is the
bivariate-normal probability of both scores lying above their 75th percentile,
divided by 0.25; with ``s = 0`` it is the coin-flip 25%.

Source: source 000 (55 agents over several months: 13% non-random on QA, 22% on
AHT, under 6% on both); Deming, *Out of the Crisis* (1982), on ranking people
for results the system produces. The variance model is the one-way random
effects model (assumption: normal person and period effects).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from scipy import stats

from incentsim.demos._common import (
    SeedLike,
    check_figure_path,
    check_int,
    demo_rng,
    narrator,
    save_figure,
)
from incentsim.errors import InputError


def expected_stay_top(people_share: float, quantile: float = 0.75) -> float:
    """Chance that an agent above ``quantile`` one period is above it the next.

    Args:
        people_share: Share of score variance due to the lasting person effect
            (the correlation between an agent's scores in two periods).
        quantile: The cut-off quantile; 0.75 is the top quartile.

    Returns:
        ``P(both above) / P(above)`` for a large population of agents.
    """
    cut = stats.norm.ppf(quantile)
    if people_share >= 1.0 - 1e-9:  # scores identical period to period (and the covariance singular)
        return 1.0
    both = stats.multivariate_normal(mean=[0, 0], cov=[[1, people_share], [people_share, 1]])
    # P(X > c, Y > c) = 1 - 2 F(c) + F(c, c)
    joint = 1.0 - 2.0 * quantile + float(both.cdf([cut, cut]))
    return joint / (1.0 - quantile)


def top_quartile_stays(table: pd.DataFrame) -> tuple[int, int]:
    """Count, over consecutive periods, top-quartile places kept by the same agent.

    Args:
        table: Rows ``agent, period, rank`` (rank 1 = best).

    Returns:
        ``(stayed, possible)``: how many top-quartile agents of a period were top
        quartile again the next period, and how many top-quartile places there were.
    """
    agents = table["agent"].nunique()
    top = max(1, agents // 4)
    periods = sorted(table["period"].unique())
    stayed = possible = 0
    for before, after in zip(periods[:-1], periods[1:], strict=True):
        first = set(table.loc[(table["period"] == before) & (table["rank"] <= top), "agent"])
        second = set(table.loc[(table["period"] == after) & (table["rank"] <= top), "agent"])
        stayed += len(first & second)
        possible += len(first)
    return stayed, possible


def rank_churn(
    seed: SeedLike = 1,
    agents: int = 20,
    periods: int = 6,
    people_share: float = 0.1,
    mean: float = 85.0,
    sd: float = 5.0,
    metric: str = "QA score",
    narrate: bool = True,
    figure: str | Path | None = None,
) -> pd.DataFrame:
    """Simulate a league table period after period and show how it churns.

    Args:
        seed: Seed (or generator).
        agents: Agents in the table (at least 4).
        periods: Periods (e.g. months; at least 2).
        people_share: Share of the score's variance that belongs to the person
            (0 = pure system, 1 = pure people).
        mean: Average score.
        sd: Standard deviation of a score (people and system together).
        metric: What the score is called in the narrative and the figure; higher is better.
        narrate: Print the story.
        figure: If given, write the rank-by-period chart to this image file.

    Returns:
        One row per agent and period: ``agent``, ``period`` (1, 2, ...), ``metric``
        (the score), ``rank`` (1 = best that period), ``top_quartile``. ``df.attrs``
        holds ``stay_top`` (share of top-quartile places kept next period),
        ``stay_top_expected`` (its large-population theory) and ``stay_top_chance``.

    Example:
        >>> df = rank_churn(seed=2, narrate=False)
        >>> sorted(df.groupby("period")["rank"].max().unique().tolist())
        [20]
    """
    agents = check_int("rank_churn", "agents", agents, 4)
    periods = check_int("rank_churn", "periods", periods, 2)
    if not (isinstance(people_share, int | float) and 0.0 <= people_share <= 1.0):
        raise InputError.single("rank_churn", "people_share",
                                f"must be a share from 0 to 1 (got {people_share!r})")
    if not (isinstance(sd, int | float) and math.isfinite(sd) and sd > 0):
        raise InputError.single("rank_churn", "sd", f"must be a number > 0 (got {sd!r})")
    if figure is not None:
        check_figure_path(figure)
    rng = demo_rng(seed, "rank_churn")
    say = narrator(narrate)
    person = rng.standard_normal(agents)
    system = rng.standard_normal((periods, agents))
    score = mean + sd * (math.sqrt(people_share) * person
                         + math.sqrt(1.0 - people_share) * system)
    names = [f"A{i + 1:02d}" for i in range(agents)]
    df = pd.DataFrame({
        "agent": np.tile(names, periods),
        "period": np.repeat(np.arange(1, periods + 1), agents),
        "metric": score.ravel(),
    })
    df["rank"] = df.groupby("period")["metric"].rank(ascending=False, method="first").astype(int)
    top = max(1, agents // 4)
    df["top_quartile"] = df["rank"] <= top
    stayed, possible = top_quartile_stays(df)
    share = stayed / possible
    expected = expected_stay_top(people_share)
    chance = top / agents
    always = df.groupby("agent")["top_quartile"].all().sum()
    spread = df.groupby("agent")["rank"].agg(lambda r: r.max() - r.min())
    say(f"A league table of {agents} agents over {periods} periods, ranked on {metric}. "
        f"{people_share:.0%} of the variation in a score belongs to the person; the rest is "
        "the system: the calls, the customers, the sample.")
    first = df[df["period"] == 1].sort_values("rank")
    say(f"Period 1's top {top}: {', '.join(first['agent'][:top])}.")
    say(f"From one period to the next, {stayed} of {possible} top-quartile agents ({share:.0%}) "
        f"stayed in the top quartile; pure chance gives {chance:.0%}, and this people share "
        f"{expected:.0%} in a large centre.")
    say(f"{always} agent(s) stayed top quartile every period; the typical agent's rank "
        f"moved {int(spread.median())} places between their best and worst period.")
    df.attrs.update({"stay_top": share, "stay_top_expected": expected,
                     "stay_top_chance": chance, "people_share": float(people_share),
                     "metric_name": metric})
    if figure is not None:
        save_figure(rank_churn_figure(df), figure)
    return df


def rank_churn_figure(df: pd.DataFrame) -> Figure:
    """Each agent's rank period by period (a bump chart); period 1's top quartile in colour."""
    if not {"agent", "period", "rank"} <= set(df.columns):
        raise InputError.single("rank_churn_figure", "df", "needs the columns rank_churn returns")
    agents = df["agent"].nunique()
    top = max(1, agents // 4)
    first_top = set(df.loc[(df["period"] == df["period"].min()) & (df["rank"] <= top), "agent"])
    fig = Figure(figsize=(8, 5))
    ax = fig.add_subplot()
    colour = 0
    for agent, rows in df.sort_values("period").groupby("agent"):
        if agent in first_top:
            ax.plot(rows["period"], rows["rank"], "o-", color=f"C{colour}", lw=2, label=agent)
            colour += 1
        else:
            ax.plot(rows["period"], rows["rank"], "-", color="0.8", lw=1)
    ax.axhspan(0.5, top + 0.5, color="C2", alpha=0.08)
    ax.text(df["period"].min(), top + 0.4, " top quartile", fontsize=8, va="bottom", color="C2")
    ax.set_ylim(agents + 0.5, 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(sorted(df["period"].unique()))
    ax.set_xlabel("period (e.g. month)")
    ax.set_ylabel("rank in the league table (1 = best)")
    metric = df.attrs.get("metric_name", "score")
    share = df.attrs.get("people_share")
    note = f"; {share:.0%} of variation is the person's" if share is not None else ""
    ax.set_title(f"Rank churn on {metric}{note}", fontsize=10)
    ax.legend(title="top quartile in period 1", fontsize=8, loc="upper left",
              bbox_to_anchor=(1.01, 1.0))
    return fig

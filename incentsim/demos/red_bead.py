"""Deming's red bead experiment: willing workers, a bowl of beads, and a merit system.

A bowl holds ``beads`` beads of which ``red`` are red (defects). Each willing worker
dips a paddle with ``paddle`` holes into the bowl: a draw *without replacement* of
``paddle`` beads. The beads go back and the bowl is mixed before the next draw, so
every draw is an independent hypergeometric sample with mean ``paddle * red / beads``.
Nothing a worker does changes the count, yet the counts differ from worker to
worker and day to day. Management ranks the workers on their red beads, fires the
worst and gives the best their shifts, and the next day the "best" workers produce
whatever the system produces.

Source: W. E. Deming, *Out of the Crisis* (1982, MIT CAES) and *The New Economics*
(1993), chapter 7; source 000 carries Deming's argument against ranking people on
numbers the system makes. The np chart is the standard Shewhart attribute chart.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from incentsim.demos._common import (
    SeedLike,
    check_figure_path,
    check_int,
    demo_rng,
    narrator,
    save_figure,
)
from incentsim.errors import InputError

#: Names for the willing workers (more workers get numbered names).
WORKER_NAMES: tuple[str, ...] = ("Ann", "Ben", "Carla", "Dev", "Eve", "Femi", "Gus", "Hana",
                                 "Ivo", "Jun", "Kira", "Leo")


def worker_names(workers: int) -> list[str]:
    """Names of ``workers`` willing workers."""
    return [WORKER_NAMES[i] if i < len(WORKER_NAMES) else f"Worker {i + 1}"
            for i in range(workers)]


def hypergeometric_moments(beads: int, red: int, paddle: int) -> tuple[float, float]:
    """Mean and variance of the red beads in one paddle (hypergeometric draw).

    Args:
        beads: Beads in the bowl.
        red: Red beads in the bowl.
        paddle: Holes in the paddle (beads drawn without replacement).
    """
    p = red / beads
    mean = paddle * p
    variance = paddle * p * (1 - p) * (beads - paddle) / (beads - 1)
    return mean, variance


def np_chart_limits(red_counts: np.ndarray, paddle: int) -> dict[str, float]:
    """Centre line and three-sigma limits of an np chart of red beads per paddle.

    The limits are estimated from the data, as a manager would, by
    :func:`incentsim.stats.control_chart` (``kind="np"``): ``p`` is the pooled share
    red, the centre is ``n p`` and the limits ``n p +- 3 sqrt(n p (1 - p))``, the lower
    one floored at zero. ``signals`` counts the points that break a Western Electric
    rule (beyond the limits or a run pattern).
    """
    from incentsim.stats.control_chart import control_chart

    chart = control_chart(np.asarray(red_counts), kind="np", n=paddle)
    return {"center": float(chart.center), "lcl": float(chart.lcl), "ucl": float(chart.ucl),
            "signals": float(len(chart.out_of_control))}


def red_bead(
    seed: SeedLike = 1,
    workers: int = 6,
    days: int = 4,
    beads: int = 4000,
    red: int = 800,
    paddle: int = 50,
    fire: int | None = None,
    narrate: bool = True,
    figure: str | Path | None = None,
) -> pd.DataFrame:
    """Run the red bead experiment.

    Every worker draws once a day. After the next-to-last day management ranks the
    workers on their total red beads, fires the worst ``fire`` of them and gives
    their draws to the best, who then work extra shifts on the last day. With
    ``days=1`` nobody is fired.

    Args:
        seed: Seed (or generator) of the experiment.
        workers: Willing workers (at least 2).
        days: Working days.
        beads: Beads in the bowl.
        red: Red beads among them.
        paddle: Holes in the paddle: beads drawn per dip.
        fire: Workers fired after the ranking; default half of them. ``0`` fires nobody.
        narrate: Print the story as it unfolds.
        figure: If given, write the np chart to this image file (atomically).

    Returns:
        One row per dip: ``worker``, ``day``, ``shift`` (1 for a worker's own draw,
        2, 3, ... for extra shifts after the firing), ``red``, ``red_share``,
        ``merit_rank`` (1 = fewest red at the ranking; missing if nobody was ranked),
        ``fired`` (the worker was let go after the ranking), and the np chart's
        ``center``, ``lcl`` and ``ucl``. ``df.attrs`` holds the chart, the
        hypergeometric ``theory`` and the ``fired``/``kept`` names.

    Example:
        >>> df = red_bead(seed=1, narrate=False)
        >>> sorted(df.columns[:4])
        ['day', 'red', 'shift', 'worker']
        >>> int(df["red"].between(df["lcl"], df["ucl"]).sum()) == len(df)
        True
    """
    workers = check_int("red_bead", "workers", workers, 2)
    days = check_int("red_bead", "days", days, 1)
    beads = check_int("red_bead", "beads", beads, 2)
    red = check_int("red_bead", "red", red, 0, beads)
    paddle = check_int("red_bead", "paddle", paddle, 1, beads)
    fire = workers // 2 if fire is None else check_int("red_bead", "fire", fire, 0, workers - 1)
    if days < 2:
        fire = 0
    if figure is not None:
        check_figure_path(figure)
    rng = demo_rng(seed, "red_bead")
    say = narrator(narrate)
    names = worker_names(workers)
    bowl = np.zeros(beads, dtype=bool)
    bowl[:red] = True

    def dip() -> int:
        # the bowl is mixed between dips: each paddle is a fresh sample without replacement
        return int(bowl[rng.choice(beads, size=paddle, replace=False)].sum())

    say(f"The red bead experiment: a bowl of {beads} beads, {red} of them red "
        f"({red / beads:.0%}). {workers} willing workers each dip a paddle of {paddle}.")
    say("The customer will accept white beads only. Nothing a worker does changes the count.")
    rows: list[dict[str, object]] = []
    ranking_day = days - 1 if fire else None
    active = list(names)
    merit: dict[str, int] = {}
    fired: list[str] = []
    for day in range(1, days + 1):
        slots = workers  # the day's production stays the same after the firing
        todays: list[str] = []
        for slot in range(slots):
            worker = active[slot % len(active)]
            shift = slot // len(active) + 1
            count = dip()
            rows.append({"worker": worker, "day": day, "shift": shift, "red": count})
            todays.append(f"{worker} {count}")
        say(f"Day {day}: " + ", ".join(todays))
        if day == ranking_day:
            so_far = pd.DataFrame(rows).groupby("worker", sort=False)["red"].sum()
            order = so_far.sort_values(kind="stable")
            merit = {w: i + 1 for i, w in enumerate(order.index)}
            table = ", ".join(f"{merit[w]}. {w} ({order[w]})" for w in order.index)
            say(f"Merit ranking after day {day} (fewest red first): {table}.")
            fired = list(order.index[-fire:])
            active = [w for w in order.index if w not in fired]
            say(f"Management fires {', '.join(fired)} and gives their paddles to the best "
                f"workers, {', '.join(active)}, who work extra shifts.")

    df = pd.DataFrame(rows)
    df["red_share"] = df["red"] / paddle
    df["merit_rank"] = df["worker"].map(merit).astype("Int64")
    df["fired"] = df["worker"].isin(fired)
    chart = np_chart_limits(df["red"].to_numpy(), paddle)
    for key in ("center", "lcl", "ucl"):
        df[key] = chart[key]
    mean, variance = hypergeometric_moments(beads, red, paddle)
    outside = int((~df["red"].between(chart["lcl"], chart["ucl"])).sum())
    say(f"np chart: centre {chart['center']:.1f} red per paddle, limits {chart['lcl']:.1f} to "
        f"{chart['ucl']:.1f}; {outside} of {len(df)} dips outside, "
        f"{int(chart['signals'])} breaking a Western Electric rule. "
        f"Theory: mean {mean:.1f}, standard deviation {math.sqrt(variance):.2f}.")
    if ranking_day is not None:
        kept = df[(df["day"] > ranking_day)]
        before = df[(df["day"] <= ranking_day) & df["worker"].isin(active)]
        say(f"The 'best' workers averaged {before['red'].mean():.1f} red per paddle before the "
            f"ranking and {kept['red'].mean():.1f} after it: same system, same results.")
    else:
        say("The workers' differences are the system's: a stable process in statistical control.")
    df.attrs.update({"np_chart": chart, "theory": {"mean": mean, "variance": variance},
                     "fired": fired, "kept": active if fired else list(names),
                     "paddle": paddle})
    if figure is not None:
        save_figure(red_bead_figure(df), figure)
    return df


def red_bead_figure(df: pd.DataFrame) -> Figure:
    """The np chart of a :func:`red_bead` result: every dip in order, by day, with its limits."""
    if not {"worker", "day", "red", "center", "lcl", "ucl"} <= set(df.columns):
        raise InputError.single("red_bead_figure", "df", "needs the columns red_bead returns")
    fig = Figure(figsize=(9, 4.5))
    ax = fig.add_subplot()
    x = np.arange(1, len(df) + 1)
    workers = list(dict.fromkeys(df["worker"]))
    colours = {w: f"C{i % 10}" for i, w in enumerate(workers)}
    for worker in workers:
        mine = (df["worker"] == worker).to_numpy()
        ax.plot(x[mine], df["red"].to_numpy()[mine], "o", color=colours[worker], label=worker)
    ax.plot(x, df["red"], "-", color="0.6", lw=0.8, zorder=0)
    centre, lcl, ucl = (float(df[k].iloc[0]) for k in ("center", "lcl", "ucl"))
    ax.axhline(centre, color="k", lw=1)
    ax.axhline(ucl, color="C3", ls="--", lw=1)
    ax.axhline(lcl, color="C3", ls="--", lw=1)
    for level, label in ((ucl, "UCL"), (centre, "centre"), (lcl, "LCL")):
        ax.text(x[-1] + 0.6, level, f"{label} {level:.1f}", va="bottom", fontsize=8)
    if df["day"].nunique() <= 12:  # beyond that the day labels would overprint
        for boundary in np.nonzero(np.diff(df["day"].to_numpy()))[0]:
            ax.axvline(boundary + 1.5, color="0.85", lw=1)
        for day, rows in df.groupby("day"):
            ax.text(rows.index.to_numpy().mean() + 1, ucl * 1.08, f"day {day}", ha="center",
                    fontsize=8, color="0.3")
    ax.set_ylim(0, ucl * 1.15)
    ax.set_xlim(0.3, x[-1] + 3)
    ax.set_xlabel("dip of the paddle, in order")
    ax.set_ylabel(f"red beads per paddle of {df.attrs.get('paddle', 50)}")
    fired = df.attrs.get("fired") or []
    note = f"; fired after the ranking: {', '.join(fired)}" if fired else ""
    ax.set_title("Red bead experiment: np chart of red beads per dip" + note, fontsize=10)
    ax.legend(title="willing worker", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig

"""Deming's funnel experiment: what tampering with a stable process does to its output.

A marble dropped through a funnel held over a target lands at the funnel's
position plus a random error (normal, standard deviation ``sd`` in each
direction). The four rules say how the funnel is moved after each drop that lands
at ``z`` (a position relative to the target):

1. Leave the funnel over the target. Output varies only by the error.
2. Move the funnel from where it is by ``-z`` ("compensate for the last miss").
   The variance of the landing points doubles.
3. Put the funnel at ``-z`` measured from the target. The points swing further
   and further out on opposite sides: the variance grows without limit.
4. Put the funnel over the last landing point ``z`` (a random walk that wanders
   off: "train the next worker with the last one's results").

Rule 1 is the only one that leaves a stable system alone. Rule 2's doubled
variance is the managerial lesson: adjusting for each month's result when the
result is common-cause variation makes things worse.

Source: W. E. Deming, *Out of the Crisis* (1982, MIT CAES), chapter 11, after
Lloyd S. Nelson; Deming, *The New Economics* (1993), chapter 9.
"""

from __future__ import annotations

from collections.abc import Iterable
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

#: The four rules and what a manager might say when using them.
RULES: dict[int, str] = {
    1: "leave the funnel over the target",
    2: "move the funnel by minus the last miss, from where it is",
    3: "set the funnel at minus the last miss, from the target",
    4: "set the funnel over the last landing point",
}

#: Short labels for figure panels.
RULE_LABELS: dict[int, str] = {1: "leave it alone", 2: "compensate from last aim",
                               3: "compensate from target", 4: "aim at last landing"}


def _rules(rule: int | Iterable[int] | None) -> list[int]:
    chosen = list(RULES) if rule is None else [rule] if isinstance(rule, int | np.integer) \
        else list(rule)
    bad = [r for r in chosen if r not in RULES]
    if not chosen or bad:
        raise InputError.single("funnel", "rule", f"allowed: 1, 2, 3, 4 (got {rule!r})")
    return [int(r) for r in dict.fromkeys(chosen)]


def drop_marbles(errors: np.ndarray, rule: int) -> tuple[np.ndarray, np.ndarray]:
    """Landing points and funnel positions under one rule, for given drop errors.

    Args:
        errors: Array of shape ``(drops, 2)``: where each marble lands relative to the funnel.
        rule: 1, 2, 3 or 4 (see the module docstring).

    Returns:
        ``(landing, aim)``, each of shape ``(drops, 2)``, relative to the target.
    """
    landing = np.empty_like(errors)
    aim = np.empty_like(errors)
    funnel = np.zeros(2)
    for k, error in enumerate(errors):
        aim[k] = funnel
        landing[k] = funnel + error
        if rule == 2:
            funnel = funnel - landing[k]
        elif rule == 3:
            funnel = -landing[k]
        elif rule == 4:
            funnel = landing[k].copy()
    return landing, aim


def funnel(
    seed: SeedLike = 1,
    rule: int | Iterable[int] | None = None,
    drops: int = 50,
    sd: float = 1.0,
    narrate: bool = True,
    figure: str | Path | None = None,
) -> pd.DataFrame:
    """Run the funnel experiment under one or more rules.

    Every rule sees the same drop errors (common random numbers), so the rules'
    differences are the rules' alone.

    Args:
        seed: Seed (or generator).
        rule: A rule 1-4, a list of rules, or ``None`` for all four.
        drops: Marbles dropped per rule (at least 2).
        sd: Standard deviation of a drop's error in each direction (e.g. centimetres).
        narrate: Print the story.
        figure: If given, write the landing points per rule to this image file.

    Returns:
        One row per drop and rule: ``drop`` (1, 2, ...), ``rule``, ``x``, ``y`` (where
        it landed, relative to the target) and ``aim_x``, ``aim_y`` (where the funnel
        was). ``df.attrs["variance"]`` maps each rule to its landing variance
        (mean of the x and y variances) and ``df.attrs["variance_ratio"]`` to its
        ratio to rule 1's over the same errors.

    Example:
        >>> df = funnel(seed=3, drops=2000, narrate=False)
        >>> round(df.attrs["variance_ratio"][2], 1)
        2.0
    """
    rules = _rules(rule)
    drops = check_int("funnel", "drops", drops, 2)
    if not (isinstance(sd, int | float) and np.isfinite(sd) and sd > 0):
        raise InputError.single("funnel", "sd", f"must be a number > 0 (got {sd!r})")
    if figure is not None:
        check_figure_path(figure)
    rng = demo_rng(seed, "funnel")
    say = narrator(narrate)
    errors = rng.normal(0.0, sd, size=(drops, 2))
    frames = []
    variance: dict[int, float] = {}
    ratio: dict[int, float] = {}
    baseline = float(errors.var(axis=0, ddof=1).mean())
    say(f"The funnel experiment: {drops} marbles per rule, each landing a random "
        f"{sd:g} (standard deviation) from where the funnel points.")
    for r in rules:
        landing, aim = drop_marbles(errors, r)
        variance[r] = float(landing.var(axis=0, ddof=1).mean())
        ratio[r] = variance[r] / baseline
        frames.append(pd.DataFrame({"drop": np.arange(1, drops + 1), "rule": r,
                                    "x": landing[:, 0], "y": landing[:, 1],
                                    "aim_x": aim[:, 0], "aim_y": aim[:, 1]}))
        say(f"Rule {r} ({RULES[r]}): spread (variance) {variance[r]:.2f}, "
            f"{ratio[r]:.2f} times rule 1's on the same drops.")
    if 2 in rules:
        say("Rule 2 feels like good management - correct each miss - and doubles the variance.")
    if 3 in rules or 4 in rules:
        say("Rules 3 and 4 do not even stay put: the longer they run, the further they drift.")
    df = pd.concat(frames, ignore_index=True)
    df.attrs.update({"variance": variance, "variance_ratio": ratio, "sd": float(sd)})
    if figure is not None:
        save_figure(funnel_figure(df), figure)
    return df


def funnel_figure(df: pd.DataFrame) -> Figure:
    """Landing points of a :func:`funnel` result, one panel per rule, on common axes."""
    if not {"rule", "x", "y"} <= set(df.columns):
        raise InputError.single("funnel_figure", "df", "needs the columns funnel returns")
    rules = sorted(df["rule"].unique())
    fig = Figure(figsize=(3.2 * len(rules), 3.6))
    axes = fig.subplots(1, len(rules), squeeze=False)[0]
    reach = float(np.nanmax(np.abs(df[["x", "y"]].to_numpy()))) * 1.05
    for ax, r in zip(axes, rules, strict=True):
        rows = df[df["rule"] == r]
        ax.plot(rows["x"], rows["y"], ".", ms=4, color=f"C{r - 1}")
        ax.plot([0], [0], "+", color="k", ms=12, mew=2)
        ax.set_xlim(-reach, reach)
        ax.set_ylim(-reach, reach)
        ax.set_aspect("equal")
        ratio = df.attrs.get("variance_ratio", {}).get(r)
        extra = f"\nvariance {ratio:.2f} x rule 1's" if ratio is not None else ""
        ax.set_title(f"rule {r}: {RULE_LABELS[r]}{extra}", fontsize=9)
        ax.set_xlabel("distance from target, x")
    axes[0].set_ylabel("distance from target, y")
    fig.suptitle("Funnel experiment: where the marbles landed (+ is the target)", fontsize=10)
    return fig

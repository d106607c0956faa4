"""Policy-level figures: outcomes with confidence intervals, paired differences, the survey gap, gaming.

Each figure reads one row per policy x replication (an Experiment's
``summaries``). Means carry 95% Student-t intervals over replications; the
difference from the baseline is paired replication by replication, because every
policy met the same calls and survey draws in a replication (common random
numbers), so shared luck cancels (see :mod:`incentsim.stats.comparison`). The
measured-vs-true figure shows the gap the model's gaming opens between what
surveys report and what customers felt (DESIGN section 2; sources 001 and 003 on
survey begging and dumping). Matplotlib is imported when a figure is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from incentsim.experiment.table import comparison_table
from incentsim.report import units
from incentsim.report.inputs import baseline_of, policies_of, summaries_of
from incentsim.report.style import MEASURED_COLOR, TRUE_COLOR, apply, new_figure, note, policy_colors, styled

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Outcomes the comparison figure shows by default (those present in the results).
DEFAULT_OUTCOMES: tuple[str, ...] = (
    "true_csat", "measured_csat", "fcr", "repeat_rate", "cost_per_resolved_call", "service_level",
    "mean_intrinsic_motivation", "mean_stress", "quits",
)
#: Gaming behaviours: summary key -> what a manager calls it.
GAMING: dict[str, str] = {"beg_rate": "survey begging", "dump_rate": "dumping upset callers",
                          "rush_rate": "rushing calls"}


def _table(source: Any, outcomes: Sequence[str], baseline: str | None, point: int | None
           ) -> tuple[pd.DataFrame, list[str], str]:
    summaries = summaries_of(source, point)
    policies = policies_of(source, summaries)
    base = baseline_of(source, policies, baseline)
    present = [o for o in outcomes if o in summaries.columns]
    return comparison_table(summaries, policies, base, present), policies, base


def _grid(count: int, axes: Sequence[Axes] | None, columns: int = 3, panel: tuple[float, float] = (3.6, 2.6)
          ) -> tuple[Figure, list[Axes]]:
    if axes is not None:
        chosen = list(axes)
        if len(chosen) < count:
            raise ValueError(f"{count} panels need {count} axes, got {len(chosen)}")
        return cast("Figure", chosen[0].figure), chosen[:count]
    cols = max(1, min(columns, count))
    rows = max(1, math.ceil(count / cols))
    figure, grid = new_figure(rows, cols, width=panel[0] * cols, height=panel[1] * rows)
    flat = list(grid.ravel())
    for spare in flat[count:]:
        figure.delaxes(spare)
    return figure, flat[:count]


def _errors(mean: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Asymmetric error lengths for ``errorbar``; zero where the interval is unknown."""
    below = np.where(np.isnan(low), 0.0, mean - low)
    above = np.where(np.isnan(high), 0.0, high - mean)
    return np.vstack([np.nan_to_num(below), np.nan_to_num(above)])


@styled
def plot_policy_comparison(source: Any, outcomes: Sequence[str] = DEFAULT_OUTCOMES,
                           baseline: str | None = None, point: int | None = None,
                           axes: Sequence[Axes] | None = None) -> Figure:
    """Small multiples: each policy's mean with its 95% interval, one panel per outcome.

    Args:
        source: An Experiment, or its summaries frame (``policy``, ``replication``, outcomes).
        outcomes: Summary keys to show; those absent from the results are skipped.
        baseline: Policy drawn first and named in titles (default the experiment's).
        point: Sweep point / scenario to draw when the results hold several.
        axes: Axes to draw on, one per shown outcome; a new figure when None.

    Returns:
        The figure: one axes per outcome, policies on the vertical axis.
    """
    table, policies, base = _table(source, outcomes, baseline, point)
    shown = list(dict.fromkeys(table["outcome"]))
    figure, panels = _grid(len(shown), axes)
    colors = policy_colors(policies)
    for ax, outcome in zip(panels, shown, strict=True):
        apply(ax)
        rows = table[table["outcome"] == outcome].set_index("policy").reindex(policies)
        scale = units.unit(outcome).scale
        mean = rows["mean"].to_numpy(float) * scale
        low, high = rows["ci_low"].to_numpy(float) * scale, rows["ci_high"].to_numpy(float) * scale
        y = np.arange(len(policies))
        errors = _errors(mean, low, high)
        for i, policy in enumerate(policies):
            if np.isnan(mean[i]):
                continue
            ax.errorbar(mean[i], y[i], xerr=errors[:, i:i + 1], fmt="o", color=colors[policy],
                        capsize=3, markersize=5, linewidth=1.5)
        ax.set_yticks(y, policies)
        ax.set_ylim(len(policies) - 0.5, -0.5)
        ax.set_title(units.label(outcome))
        ax.set_xlabel(units.axis_unit(outcome))
        if np.isnan(mean).all():
            note(ax, "not measured")
    figure.suptitle(f"Outcomes by policy: mean and 95% interval over replications (baseline: {base})",
                    fontsize=11)
    return figure


@styled
def plot_paired_differences(source: Any, outcomes: Sequence[str] = DEFAULT_OUTCOMES,
                            baseline: str | None = None, point: int | None = None,
                            axes: Sequence[Axes] | None = None) -> Figure:
    """Small multiples: each policy minus the baseline, paired by replication, with its 95% interval.

    A filled marker means the interval excludes zero (a clear difference); a hollow
    one means it spans zero ("no clear difference").

    Args:
        source: An Experiment, or its summaries frame.
        outcomes: Summary keys to show; those absent are skipped.
        baseline: Policy the differences are taken against (default the experiment's).
        point: Sweep point / scenario to draw when the results hold several.
        axes: Axes to draw on, one per shown outcome; a new figure when None.

    Returns:
        The figure: one axes per outcome, the non-baseline policies on the vertical axis.
    """
    table, policies, base = _table(source, outcomes, baseline, point)
    others = [p for p in policies if p != base]
    shown = list(dict.fromkeys(table["outcome"]))
    figure, panels = _grid(len(shown), axes)
    colors = policy_colors(policies)
    for ax, outcome in zip(panels, shown, strict=True):
        apply(ax)
        ax.axvline(0.0, color="0.3", linewidth=1)
        rows = table[table["outcome"] == outcome].set_index("policy").reindex(others)
        scale = units.unit(outcome).scale
        diff = rows["diff"].to_numpy(float) * scale
        low, high = rows["diff_low"].to_numpy(float) * scale, rows["diff_high"].to_numpy(float) * scale
        errors = _errors(diff, low, high)
        for i, policy in enumerate(others):
            if np.isnan(diff[i]):
                continue
            clear = bool(low[i] > 0 or high[i] < 0)
            ax.errorbar(diff[i], i, xerr=errors[:, i:i + 1], fmt="o", color=colors[policy],
                        markerfacecolor=colors[policy] if clear else "white", capsize=3,
                        markersize=6, linewidth=1.5)
        ax.set_yticks(np.arange(len(others)), others)
        ax.set_ylim(len(others) - 0.5, -0.5)
        ax.set_title(units.label(outcome))
        u = units.unit(outcome)
        ax.set_xlabel(f"difference from {base}" + (f" ({u.difference})" if u.difference else ""))
        if not others or np.isnan(diff).all():
            note(ax, "no difference to show")
    figure.suptitle(f"Paired difference from {base} with 95% interval (hollow: interval spans 0)",
                    fontsize=11)
    return figure


@styled
def plot_satisfaction_gap(source: Any, point: int | None = None, ax: Axes | None = None) -> Axes:
    """Measured (survey) and true satisfaction side by side for each policy, with 95% intervals.

    The distance between the two bars is what surveys over- or under-state; gaming
    (begging for ratings, dumping upset callers) widens it without making customers
    any happier.

    Args:
        source: An Experiment, or its summaries frame (needs ``measured_csat`` and ``true_csat``).
        point: Sweep point / scenario to draw when the results hold several.
        ax: Axes to draw on; a new figure's axes when None.

    Returns:
        The axes, with two bar containers (measured, true) and a legend.
    """
    table, policies, _ = _table(source, ("measured_csat", "true_csat"), None, point)
    if ax is None:
        _, grid = new_figure(width=max(6.0, 1.6 * len(policies) + 2), height=4.0)
        ax = grid[0, 0]
    apply(ax)
    x = np.arange(len(policies))
    width = 0.38
    tops: list[np.ndarray] = []
    levels: dict[str, np.ndarray] = {}
    for offset, outcome, color, name in ((-width / 2, "measured_csat", MEASURED_COLOR, "measured (surveys)"),
                                         (width / 2, "true_csat", TRUE_COLOR, "true (all answered callers)")):
        rows = table[table["outcome"] == outcome].set_index("policy").reindex(policies)
        mean = rows["mean"].to_numpy(float) * 100
        levels[outcome] = mean
        errors = _errors(mean, rows["ci_low"].to_numpy(float) * 100, rows["ci_high"].to_numpy(float) * 100)
        ax.bar(x + offset, np.nan_to_num(mean), width, yerr=errors, color=color, capsize=3, label=name,
               error_kw={"linewidth": 1})
        tops.append(np.nan_to_num(mean) + errors[1])
        for missing in np.flatnonzero(np.isnan(mean)):
            ax.text(x[missing] + offset, 2, "no surveys" if outcome == "measured_csat" else "no calls",
                    rotation=90, ha="center", va="bottom", fontsize=8, color="0.3")
    for i in range(len(policies)):
        measured, true = levels["measured_csat"][i], levels["true_csat"][i]
        if not (math.isnan(measured) or math.isnan(true)):
            ax.text(x[i], max(tops[0][i], tops[1][i]) + 2, f"gap {measured - true:+.1f} pts",
                    ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, policies)
    ax.set_ylim(0, 112)
    ax.set_ylabel("satisfied customers (%)")
    ax.set_title("Measured vs true satisfaction by policy (95% intervals)")
    # below the axes, never over a bar
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    return ax


@styled
def plot_gaming_rates(source: Any, point: int | None = None, ax: Axes | None = None) -> Axes:
    """Share of answered calls with each kind of gaming, per policy, with 95% intervals.

    Args:
        source: An Experiment, or its summaries frame (``beg_rate``, ``dump_rate``, ``rush_rate``).
        point: Sweep point / scenario to draw when the results hold several.
        ax: Axes to draw on; a new figure's axes when None.

    Returns:
        The axes, with one bar container per behaviour present in the results.
    """
    table, policies, _ = _table(source, tuple(GAMING), None, point)
    behaviours = list(dict.fromkeys(table["outcome"]))
    if ax is None:
        _, grid = new_figure(width=max(6.0, 1.6 * len(policies) + 2), height=4.0)
        ax = grid[0, 0]
    apply(ax)
    x = np.arange(len(policies))
    width = 0.8 / max(1, len(behaviours))
    shades = ("#CC79A7", "#D55E00", "#E69F00")
    for k, outcome in enumerate(behaviours):
        rows = table[table["outcome"] == outcome].set_index("policy").reindex(policies)
        mean = rows["mean"].to_numpy(float) * 100
        errors = _errors(mean, rows["ci_low"].to_numpy(float) * 100, rows["ci_high"].to_numpy(float) * 100)
        ax.bar(x + (k - (len(behaviours) - 1) / 2) * width, np.nan_to_num(mean), width, yerr=errors,
               color=shades[k % len(shades)], capsize=3, label=GAMING[outcome], error_kw={"linewidth": 1})
    if not behaviours:
        note(ax, "no gaming measures in these results")
    ax.set_xticks(x, policies)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("share of answered calls (%)")
    ax.set_title("Gaming by policy (95% intervals)")
    if behaviours:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(behaviours))
    return ax

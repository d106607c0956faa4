"""The comparison table: each policy's outcomes, and paired differences from a baseline.

Replication ``r`` of every policy shares its random streams (common random
numbers), so the difference between a policy and the baseline is read
replication by replication (a paired t interval, from
:mod:`incentsim.stats.comparison`); shared luck cancels out of it. Verdicts are
plain words: ``higher`` or ``lower`` when the 95% interval of the difference
excludes zero, else ``no clear difference``. Whether higher is better is said
per outcome in :data:`OUTCOMES` (an assumption where an outcome's value is
contested, e.g. bonus paid, which is left without a direction).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd

from incentsim.stats.comparison import mean_ci, paired_difference

#: Summary key -> (plain-language label, True if higher is better, False if lower is, None if neither).
OUTCOMES: dict[str, tuple[str, bool | None]] = {
    "calls": ("calls offered", None),
    "mean_wait": ("mean wait (minutes)", False),
    "p_wait": ("share of callers who wait", False),
    "service_level": ("service level", True),
    "abandon_rate": ("abandonment rate", False),
    "measured_csat": ("measured satisfaction (surveys)", None),
    "true_csat": ("true satisfaction", True),
    "csat_gap": ("survey gap (measured - true)", None),
    "fcr": ("first-contact resolution", True),
    "repeat_rate": ("repeat-call rate", False),
    "beg_rate": ("survey begging rate", False),
    "dump_rate": ("dumped-caller rate", False),
    "rush_rate": ("rushed-call rate", False),
    "mean_intrinsic_motivation": ("intrinsic motivation", True),
    "mean_stress": ("stress", False),
    "quits": ("quits", False),
    "fired": ("firings", None),
    "bonus_paid": ("bonus paid", None),
    "churn_rate": ("customer churn", False),
    "cost_per_resolved_call": ("cost per resolved call", False),
}

#: Columns of :func:`comparison_table` besides the grouping ones.
TABLE_COLUMNS: tuple[str, ...] = ("policy", "outcome", "n", "mean", "ci_low", "ci_high", "diff",
                                  "diff_low", "diff_high", "verdict")


def verdict(low: float, high: float) -> str:
    """Plain-language verdict on a difference's confidence interval."""
    if math.isnan(low) or math.isnan(high):
        return "too few replications"
    if low > 0:
        return "higher"
    if high < 0:
        return "lower"
    return "no clear difference"


def comparison_table(summaries: pd.DataFrame, policies: Sequence[str], baseline: str,
                     outcomes: Sequence[str], groups: Sequence[str] = (),
                     confidence: float = 0.95) -> pd.DataFrame:
    """Tidy table: per group, policy and outcome, the mean with its CI and the paired difference.

    Args:
        summaries: One row per policy x replication (x group), with a ``replication`` column.
        policies: Policies in table order.
        baseline: The policy differences are taken against.
        outcomes: Summary columns to tabulate.
        groups: Columns that split the table (scenario, sweep keys); pairing is within a group.
        confidence: Confidence level of every interval.

    Returns:
        Columns ``*groups`` then :data:`TABLE_COLUMNS`. A replication where either
        side is missing (NaN) is left out of that difference; an outcome never
        measured gets NaN and the verdict ``not measured``. The baseline's own rows
        have NaN differences and the verdict ``baseline``.
    """
    rows = []
    grouped = summaries.groupby(list(groups), sort=False, dropna=False) if groups else [((), summaries)]
    for key, part in grouped:
        labels = dict(zip(groups, key if isinstance(key, tuple) else (key,), strict=True))
        by_policy = {name: frame.set_index("replication") for name, frame in part.groupby("policy", sort=False)}
        base = by_policy.get(baseline)
        for policy in policies:
            if policy not in by_policy:
                continue
            frame = by_policy[policy]
            for outcome in outcomes:
                rows.append({**labels, "policy": policy, "outcome": outcome,
                             **_cell(frame[outcome], None if base is None or policy == baseline
                                     else base[outcome], policy == baseline, confidence)})
    columns = [*groups, *TABLE_COLUMNS]
    return pd.DataFrame(rows, columns=columns)


def _cell(values: pd.Series, base: pd.Series | None, is_baseline: bool,
          confidence: float) -> dict[str, float | int | str]:
    present = values.dropna()
    out: dict[str, float | int | str] = {"n": int(present.size)}
    if present.empty:
        return out | {"mean": np.nan, "ci_low": np.nan, "ci_high": np.nan, "diff": np.nan,
                      "diff_low": np.nan, "diff_high": np.nan, "verdict": "not measured"}
    level = mean_ci(present.to_numpy(), confidence)
    out |= {"mean": level.mean, "ci_low": level.low, "ci_high": level.high}
    if is_baseline:
        return out | {"diff": np.nan, "diff_low": np.nan, "diff_high": np.nan, "verdict": "baseline"}
    if base is None:
        return out | {"diff": np.nan, "diff_low": np.nan, "diff_high": np.nan,
                      "verdict": "no baseline"}
    pairs = pd.concat([values, base], axis=1, join="inner").dropna()
    if pairs.empty:
        return out | {"diff": np.nan, "diff_low": np.nan, "diff_high": np.nan,
                      "verdict": "not measured"}
    diff = paired_difference(pairs.iloc[:, 0].to_numpy(), pairs.iloc[:, 1].to_numpy(), confidence)
    return out | {"diff": diff.mean, "diff_low": diff.low, "diff_high": diff.high,
                  "verdict": verdict(diff.low, diff.high)}


# ---------------------------------------------------------------- plain-language text
def label(outcome: str) -> str:
    """Plain-language name of an outcome."""
    return OUTCOMES.get(outcome, (outcome.replace("_", " "), None))[0]


def judgement(outcome: str, word: str) -> str:
    """``"better"`` / ``"worse"`` for a higher/lower verdict where the outcome has a direction."""
    direction = OUTCOMES.get(outcome, ("", None))[1]
    if direction is None or word not in ("higher", "lower"):
        return ""
    return "better" if (word == "higher") == direction else "worse"


def fmt(value: float | None, digits: int = 4) -> str:
    """A number to ``digits`` significant figures (thousands whole, with separators), ``-`` if missing."""
    if value is None or math.isnan(value):
        return "-"
    if abs(value) >= 10 ** digits:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def render(table: pd.DataFrame, policies: Sequence[str], baseline: str,
           confidence: float = 0.95) -> str:
    """Text for one group of a comparison table: means, then differences against the baseline."""
    shown = [p for p in policies if p in set(table["policy"])]
    outcomes = list(dict.fromkeys(table["outcome"]))
    cells = {(r.policy, r.outcome): r for r in table.itertuples(index=False)}
    width = max([len(label(o)) for o in outcomes] + [7])
    columns = {}
    for policy in shown:
        texts = []
        for outcome in outcomes:
            row = cells[(policy, outcome)]
            half = (row.ci_high - row.ci_low) / 2
            texts.append(fmt(row.mean) if math.isnan(half) else f"{fmt(row.mean)} +/- {fmt(half, 2)}")
        columns[policy] = texts
    widths = {p: max(len(p), *(len(t) for t in columns[p])) for p in shown}
    lines = [f"Mean over replications (+/- half-width of the {confidence:.0%} interval):", ""]
    header = "  " + "outcome".ljust(width) + "".join(f"  {p:>{widths[p]}}" for p in shown)
    lines += [header, "  " + "-" * (len(header) - 2)]
    for i, outcome in enumerate(outcomes):
        lines.append("  " + label(outcome).ljust(width)
                     + "".join(f"  {columns[p][i]:>{widths[p]}}" for p in shown))
    for policy in shown:
        if policy == baseline:
            continue
        lines += ["", f"{policy} against {baseline} (paired difference, {confidence:.0%} interval):"]
        unclear, clear = [], 0
        for outcome in outcomes:
            row = cells[(policy, outcome)]
            if row.verdict in ("higher", "lower"):
                clear += 1
                judged = judgement(outcome, row.verdict)
                note = f" ({judged})" if judged else ""
                lines.append(f"  {label(outcome).ljust(width)}  {row.verdict}{note} by "
                             f"{fmt(abs(row.diff))} ({fmt(row.diff_low)} to {fmt(row.diff_high)})")
            elif row.verdict == "no clear difference":
                unclear.append(label(outcome))
        if unclear:
            lines += textwrap.wrap("no clear difference in: " + ", ".join(unclear), width=96,
                                   initial_indent="  ", subsequent_indent="    ")
        if not clear and not unclear:
            lines.append("  too few replications to tell")
    return "\n".join(lines)

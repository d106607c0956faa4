"""The report's comparison tables: one per outcome group, policies as rows.

Six policies by twenty outcomes do not fit a page as one table, so the report
splits the outcomes into groups a manager reads together (customers, service,
gaming, people, money) and gives each group a table with the policies as rows
and at most six outcome columns. That fits 1,280 pixels and a printed page.
Every cell holds the mean, its 95% interval and, for every policy but the
baseline, the paired difference from the baseline with its words
(:mod:`incentsim.report.practical`): only a detectable difference is shaded,
strongly when it is also large.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from incentsim.experiment.table import comparison_table
from incentsim.report import practical, units
from incentsim.report.key_outcomes import with_derived

#: Outcome groups in report order: title -> outcomes (those present are shown).
GROUPS: dict[str, tuple[str, ...]] = {
    "Customers": ("true_csat", "measured_csat", "csat_gap", "fcr", "repeat_rate", "churn_rate"),
    "Service": ("service_level", "mean_wait", "p_wait", "abandon_rate", "calls"),
    "Gaming": ("gaming_rate", "beg_rate", "dump_rate", "rush_rate"),
    "People": ("mean_intrinsic_motivation", "mean_stress", "quits", "fired"),
    "Money": ("cost_per_resolved_call", "bonus_paid", "management_cost"),
}
#: Columns per table at most (further outcomes of a group start another table).
MAX_COLUMNS = 6
_LABELS = frozenset({"scenario", "scenario_hash", "point", "policy", "replication"})


def _cell(outcome: str, row: pd.Series, base_mean: float, is_baseline: bool, ctx: units.Context) -> dict[str, str]:
    cell = {"value": units.show(outcome, float(row["mean"]), ctx),
            "ci": units.show_range(outcome, float(row["ci_low"]), float(row["ci_high"]), ctx),
            "diff": "", "words": "", "shade": ""}
    diff, low, high = (float(row[k]) for k in ("diff", "diff_low", "diff_high"))
    if is_baseline or math.isnan(diff):
        return cell
    size = practical.size(outcome, diff, low, high, base_mean, float(row["mean"]))
    judged = practical.judgement(outcome, diff, low, high)
    cell["diff"] = (f"{units.show_signed(outcome, diff, ctx)} "
                    f"({units.show_interval(outcome, low, high, ctx)})")
    cell["words"] = practical.phrase(outcome, diff, low, high, base_mean, float(row["mean"]))
    if size.detectable:
        cell["shade"] = f"{judged or 'changed'} {'large' if size.large else 'small'}"
    return cell


def outcome_groups(columns: Sequence[str], labels: Sequence[str] = ()) -> list[tuple[str, list[str]]]:
    """``(title, outcomes)`` per table, for the outcome columns present (the rest under "Other")."""
    skip = _LABELS | set(labels)
    present = [c for c in columns if c not in skip]
    placed: set[str] = set()
    out = []
    for title, outcomes in GROUPS.items():
        chosen = [o for o in outcomes if o in present]
        placed |= set(chosen)
        for start in range(0, len(chosen), MAX_COLUMNS):
            out.append((title, chosen[start:start + MAX_COLUMNS]))
    rest = [c for c in present if c not in placed and c not in {"beg_rate", "dump_rate", "rush_rate"}]
    for start in range(0, len(rest), MAX_COLUMNS):
        out.append(("Other", rest[start:start + MAX_COLUMNS]))
    return out


def comparison_tables(summaries: pd.DataFrame, policies: Sequence[str], baseline: str,
                      ctx: units.Context | None = None, labels: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The report's tables for one comparison.

    Args:
        summaries: One row per policy x replication (one scenario / sweep point).
        policies: Policies in row order.
        baseline: Policy the differences are taken against.
        ctx: Currency and period (default ``$``, period unknown).
        labels: Further label columns (sweep keys), not outcomes.

    Returns:
        One dict per table: ``title``, ``columns`` (``key``, ``label``, ``unit``) and
        ``rows`` (``policy``, ``baseline``, ``cells``: ``value``, ``ci``, ``diff``,
        ``words``, ``shade``).
    """
    ctx = ctx or units.DEFAULT_CONTEXT
    frame = with_derived(summaries)
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    groups = outcome_groups(numeric, labels)
    outcomes = [o for _, chosen in groups for o in chosen]
    table = comparison_table(frame, policies, baseline, outcomes)
    present = [p for p in policies if p in set(table["policy"])]
    means = table[table["policy"] == baseline].set_index("outcome")["mean"]
    out = []
    for title, chosen in groups:
        columns = [{"key": o, "label": units.label(o), "unit": units.axis_unit(o, ctx)} for o in chosen]
        rows = []
        for policy in present:
            mine = table[table["policy"] == policy].set_index("outcome")
            cells = [_cell(o, mine.loc[o], float(means.get(o, math.nan)), policy == baseline, ctx)
                     if o in mine.index else {"value": "-", "ci": "", "diff": "", "words": "", "shade": ""}
                     for o in chosen]
            rows.append({"policy": policy, "baseline": policy == baseline, "cells": cells})
        out.append({"title": title, "columns": columns, "rows": rows})
    return out

"""From the runs of each stage to the three tables: verdicts, importance, boxes.

Pure functions of result frames (no simulation), so they are tested on
synthetic data. A stage's summaries have one row per design point, policy and
replication; the point's output is the mean over its replications, and a
paired difference between two policies is taken point by point (the
replications of every policy at a point share their random numbers).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from incentsim.robustness.boxes import boxes_table, find_box
from incentsim.robustness.design import OTHERS, Design
from incentsim.robustness.indices import morris_indices, sobol_indices
from incentsim.robustness.verdicts import sign, verdict, verdict_table

#: Columns of the importance table.
IMPORTANCE_COLUMNS: tuple[str, ...] = (
    "assumption", "contrast", "policy", "against", "outcome", "mu_star", "mu_star_conf", "mu", "sigma",
    "S1", "S1_conf", "ST", "ST_conf",
)


def pairs(policies: Sequence[str]) -> list[tuple[str, str]]:
    """Every pair ``(policy, against)`` with ``against`` earlier in the order (the baseline first)."""
    return [(later, earlier) for earlier, later in itertools.combinations(policies, 2)]


def point_outputs(summaries: pd.DataFrame, points: int, policies: Sequence[str],
                  outcomes: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Per policy, a ``(points x outcomes)`` frame of means over replications (NaN where missing)."""
    out = {}
    for policy in policies:
        part = summaries[summaries["policy"] == policy]
        means = part.groupby("point")[list(outcomes)].mean()
        out[policy] = means.reindex(range(points))
    return out


def replication_sd(summaries: pd.DataFrame, policy: str, against: str, outcome: str) -> float:
    """Pooled within-point standard deviation of one replication's paired difference (NaN with 1 replication)."""
    a = summaries[summaries["policy"] == policy].set_index(["point", "replication"])[outcome]
    b = summaries[summaries["policy"] == against].set_index(["point", "replication"])[outcome]
    diff = (a - b).dropna()
    if diff.empty:
        return math.nan
    groups = diff.groupby(level="point")
    sizes = groups.size()
    if int(sizes.max()) < 2:
        return math.nan
    ss = float(groups.var(ddof=1).mul(sizes - 1).sum())
    dof = int((sizes - 1).sum())
    return math.sqrt(ss / dof) if dof > 0 else math.nan


def nominal_differences(summaries: pd.DataFrame, policy: str, against: str, outcome: str) -> np.ndarray:
    """Paired differences, replication by replication, at the nominal point."""
    a = summaries[summaries["policy"] == policy].set_index("replication")[outcome]
    b = summaries[summaries["policy"] == against].set_index("replication")[outcome]
    return (a - b).dropna().to_numpy(dtype=float)


def verdicts(nominal: pd.DataFrame, design: Design, summaries: pd.DataFrame, policies: Sequence[str],
             outcomes: Sequence[str], replications: int, where: str = "") -> pd.DataFrame:
    """The verdict table of one stage's design against the nominal conclusions."""
    outputs = point_outputs(summaries, len(design.unit), policies, outcomes)
    rows = []
    for policy, against in pairs(policies):
        for outcome in outcomes:
            diffs = (outputs[policy][outcome] - outputs[against][outcome]).to_numpy()
            noise = replication_sd(summaries, policy, against, outcome)
            if math.isnan(noise):
                noise = float(np.std(nominal_differences(nominal, policy, against, outcome), ddof=1)) \
                    if (nominal["policy"] == policy).sum() > 1 else math.nan
            rows.append(verdict(policy, against, outcome, nominal_differences(nominal, policy, against, outcome),
                                diffs, design.clusters, noise, replications, where))
    return verdict_table(rows)


def contrasts(outputs: dict[str, pd.DataFrame], policies: Sequence[str],
              outcomes: Sequence[str]) -> list[tuple[str, str, str, str, np.ndarray]]:
    """``(contrast, policy, against, outcome, values)`` for each policy's level and each pair's difference."""
    out = []
    for policy in policies:
        for outcome in outcomes:
            out.append((policy, policy, "", outcome, outputs[policy][outcome].to_numpy()))
    for policy, against in pairs(policies):
        for outcome in outcomes:
            out.append((f"{policy} - {against}", policy, against, outcome,
                        (outputs[policy][outcome] - outputs[against][outcome]).to_numpy()))
    return out


def stage_indices(stage: str, design: Design, summaries: pd.DataFrame, policies: Sequence[str],
                  outcomes: Sequence[str], seed: int = 0) -> pd.DataFrame:
    """Morris (``stage="screening"``) or Sobol (``"sobol"``) indices of every contrast and outcome."""
    analyse = morris_indices if stage == "screening" else sobol_indices
    outputs = point_outputs(summaries, len(design.unit), policies, outcomes)
    frames = [analyse(design, values, seed=seed).assign(contrast=contrast, policy=policy, against=against,
                                                        outcome=outcome)
              for contrast, policy, against, outcome, values in contrasts(outputs, policies, outcomes)]
    return pd.concat(frames, ignore_index=True)


def importance(morris: pd.DataFrame | None, sobol: pd.DataFrame | None) -> pd.DataFrame:
    """The importance table: Morris and Sobol indices side by side (from :func:`stage_indices`)."""
    keys = ["assumption", "contrast", "policy", "against", "outcome"]
    if morris is None and sobol is None:
        return pd.DataFrame(columns=list(IMPORTANCE_COLUMNS))
    if morris is None or sobol is None:
        merged = morris if morris is not None else sobol
    else:
        merged = morris.merge(sobol, on=keys, how="outer", sort=False)
    assert merged is not None
    merged = merged.copy()
    for column in IMPORTANCE_COLUMNS:
        if column not in merged.columns:
            merged[column] = np.nan
    merged = merged[list(IMPORTANCE_COLUMNS)]
    order = {name: i for i, name in enumerate(dict.fromkeys(merged["assumption"]))}
    if OTHERS in order:
        order[OTHERS] = len(order)
    return merged.sort_values(["contrast", "outcome", "assumption"], key=lambda col: col.map(order)
                              if col.name == "assumption" else col, kind="mergesort").reset_index(drop=True)


def choose(importance_table: pd.DataFrame, top: int) -> list[str]:
    """The ``top`` assumptions that matter most across every pair difference and outcome.

    Each (difference, outcome) shares out its total Morris mu* among the
    assumptions; an assumption's score is its mean share, so one that moves
    many conclusions a little can outrank one that moves a single one.
    """
    diffs = importance_table[(importance_table["against"] != "") & importance_table["mu_star"].notna()]
    if diffs.empty:
        return []
    totals = diffs.groupby(["contrast", "outcome"])["mu_star"].transform("sum")
    shares = diffs["mu_star"] / totals.where(totals > 0)
    score = shares.groupby(diffs["assumption"], sort=False).mean().fillna(0.0)
    return list(score.sort_values(ascending=False, kind="mergesort").index[:top])


def ranked_inputs(importance_table: pd.DataFrame, policy: str, against: str, outcome: str) -> list[str]:
    """Assumptions ordered by Morris mu* for one difference (or by ST when there is no screening)."""
    rows = importance_table[(importance_table["policy"] == policy) & (importance_table["against"] == against)
                            & (importance_table["outcome"] == outcome)
                            & (importance_table["assumption"] != OTHERS)]
    column = "mu_star" if rows["mu_star"].notna().any() else "ST"
    rows = rows[rows[column].notna()].sort_values(column, ascending=False, kind="mergesort")
    return [a for a, v in zip(rows["assumption"], rows[column], strict=True) if v > 0]


def boxes(verdict_table: pd.DataFrame, nominal: pd.DataFrame, design: Design, summaries: pd.DataFrame,
          policies: Sequence[str], importance_table: pd.DataFrame) -> pd.DataFrame:
    """Scenario discovery for every verdict that does not fully survive."""
    outputs = point_outputs(summaries, len(design.unit), policies, list(verdict_table["outcome"].unique()))
    values = design.frame()
    rows = []
    for v in verdict_table.itertuples(index=False):
        if not isinstance(v.share, float) or math.isnan(v.share) or v.share >= 1.0:
            continue
        diffs = (outputs[v.policy][v.outcome] - outputs[v.against][v.outcome]).to_numpy()
        direction = int(sign(np.array([v.nominal_diff]), float(np.nanmax(np.abs(diffs))))[0])
        row = find_box(v.policy, v.against, v.outcome, direction, diffs, values,
                       ranked_inputs(importance_table, v.policy, v.against, v.outcome))
        if row is not None:
            rows.append(row)
    return boxes_table(rows)

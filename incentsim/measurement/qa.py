"""Quality assurance: a supervisor scores a few sampled calls per agent per period.

Issue 3 and source 000 (QA scores of 55 agents): each period a supervisor
listens to ``samples`` answered calls per tier-1 agent (default 4), chosen at
random, and scores each 0..100 from what the recording shows - resolution,
care, rushing, and begging or dumping, which are audible and cost points -
plus rater noise. Weights and noise are assumptions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incentsim.scenario.measurement import QA
from incentsim.truth.calls import answered, flag, id_column, number, transfer_codes

#: Columns of the frame :func:`qa_scores` returns.
QA_COLUMNS: tuple[str, ...] = ("agent", "period", "call_id", "qa_score")


def true_quality(calls: pd.DataFrame, params: QA) -> np.ndarray:
    """The score a perfectly consistent rater would give each call (0..100 before noise)."""
    transfer = transfer_codes(calls)
    return (params.base
            + params.resolved * flag(calls, "resolved")
            + params.care * (number(calls, "care", fill=1.0) - 1.0)
            - params.rushed * flag(calls, "rushed")
            - params.begged * flag(calls, "begged")
            - params.dump * (transfer == 2))


def sample_calls(calls: pd.DataFrame, samples: int, rng: np.random.Generator) -> np.ndarray:
    """Positions (row numbers) of up to ``samples`` answered calls per agent and period.

    Sampling without replacement: each answered call gets a uniform key and the
    ``samples`` smallest keys per (agent, period) are taken.
    """
    keys = rng.random(len(calls))
    rows = np.flatnonzero(answered(calls))
    if samples <= 0 or rows.size == 0:
        return np.empty(0, dtype=np.int64)
    agent = id_column(calls, "agent")[rows]
    period = id_column(calls, "period")[rows]
    order = np.lexsort((keys[rows], period, agent))
    rows, agent, period = rows[order], agent[order], period[order]
    new_group = np.ones(rows.size, dtype=bool)
    new_group[1:] = (agent[1:] != agent[:-1]) | (period[1:] != period[:-1])
    starts = np.flatnonzero(new_group)
    group_start = np.repeat(starts, np.diff(np.append(starts, rows.size)))
    within = np.arange(rows.size) - group_start
    return rows[within < samples]


def qa_scores(calls: pd.DataFrame, rng: np.random.Generator, params: QA | None = None) -> pd.DataFrame:
    """QA scores of sampled calls.

    Args:
        calls: Call table (columns ``call_id, agent, period, abandoned, resolved,
            care, rushed, begged, transfer``).
        rng: Random generator (the ``qa`` stream) for sampling and rater noise.
        params: QA parameters (default: scenario defaults).

    Returns:
        One row per scored call: ``agent, period, call_id, qa_score`` (0..100),
        sorted by agent, period and call.
    """
    params = params if params is not None else QA()
    picked = np.sort(sample_calls(calls, params.samples, rng))
    sampled = calls.iloc[picked]
    noise = rng.normal(0.0, params.rater_sd, picked.size) if params.rater_sd > 0 else 0.0
    score = np.clip(true_quality(sampled, params) + noise, 0.0, 100.0)
    out = pd.DataFrame({
        "agent": id_column(sampled, "agent"),
        "period": id_column(sampled, "period"),
        "call_id": sampled["call_id"].to_numpy(dtype=np.int64),
        "qa_score": np.asarray(score, dtype=float),
    })
    return out.sort_values(["agent", "period", "call_id"], ignore_index=True)

"""Per-call facts and grouping: the shared arithmetic of measured and true KPIs.

Both layers summarise a call table by agent and period (or by period): the
measurement layer into what a manager sees (:mod:`incentsim.measurement.kpis`),
the truth layer into what really happened (:mod:`incentsim.truth.kpis`). The
per-call facts they average and the grouping they use live here once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incentsim.truth.calls import answered, flag, id_column, number, survey_owner, transfer_codes


def call_facts(calls: pd.DataFrame, satisfied_at: float) -> dict[str, np.ndarray]:
    """One entry per call with the per-call quantities the KPIs average.

    A call came back if the engine marked it (``came_back``) or, in a table
    without that column, if another call in the table is its repeat.
    """
    transfer = transfer_codes(calls)
    if "came_back" in calls:
        came_back = flag(calls, "came_back")
    else:
        call_id = id_column(calls, "call_id")
        repeat_of = id_column(calls, "repeat_of")
        came_back = np.isin(call_id, repeat_of[repeat_of >= 0])
    responded = flag(calls, "survey_responded")
    rating = number(calls, "survey_rating", fill=0.0)
    return {
        "agent": id_column(calls, "agent"),
        "period": id_column(calls, "period"),
        "answered": answered(calls),
        "abandoned": flag(calls, "abandoned"),
        "wait_time": number(calls, "wait_time"),
        "handle_time": calls["handle_time"].to_numpy(dtype=float, na_value=np.nan),
        "transferred": transfer > 0,
        "escalated": transfer == 1,
        "dumped": transfer == 2,
        "fcr": flag(calls, "resolved") & (transfer == 0),
        "true_satisfied": number(calls, "true_satisfaction") >= satisfied_at,
        "true_satisfaction": number(calls, "true_satisfaction"),
        "came_back": came_back,
        "begged": flag(calls, "begged"),
        "rushed": flag(calls, "rushed"),
        "survey_agent": survey_owner(calls),
        "responded": responded,
        "positive": responded & (rating >= 4),
    }


def group_rows(*keys: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Group rows by integer keys: ``(group index per row, key values per group)``.

    Keys are packed into one integer (mixed radix), so grouping is one 1-d
    ``np.unique``; groups come out sorted by the keys in order.
    """
    arrays = [np.asarray(k, dtype=np.int64) for k in keys]
    if arrays[0].size == 0:
        return np.empty(0, dtype=np.int64), [np.empty(0, dtype=np.int64) for _ in arrays]
    lows = [int(a.min()) for a in arrays]
    spans = [int(a.max()) - low + 1 for a, low in zip(arrays, lows, strict=True)]
    packed = np.zeros(arrays[0].size, dtype=np.int64)
    for a, low, span in zip(arrays, lows, spans, strict=True):
        packed = packed * span + (a - low)
    uniq, inverse = np.unique(packed, return_inverse=True)
    values = []
    rest = uniq
    for low, span in zip(reversed(lows), reversed(spans), strict=True):
        values.append(rest % span + low)
        rest = rest // span
    return inverse.reshape(-1), values[::-1]


def sums(index: np.ndarray, n_groups: int, values: np.ndarray) -> np.ndarray:
    """Sum of ``values`` per group (``index`` from :func:`group_rows`)."""
    return np.bincount(index, weights=np.asarray(values, dtype=float), minlength=n_groups)


def lookup(index_keys: list[np.ndarray], table_keys: list[np.ndarray],
            table_values: np.ndarray, fill: float) -> np.ndarray:
    """Values of ``table`` at the rows of ``index`` (matched on all keys), ``fill`` if absent."""
    out = np.full(index_keys[0].size, fill, dtype=float)
    if table_keys[0].size == 0 or index_keys[0].size == 0:
        return out
    left = pd.MultiIndex.from_arrays(index_keys)
    right = pd.MultiIndex.from_arrays(table_keys)
    pos = right.get_indexer(left)
    found = pos >= 0
    out[found] = np.asarray(table_values, dtype=float)[pos[found]]
    return out


#: Per-call facts averaged over answered calls, and the KPI each becomes.
ANSWERED_MEANS: dict[str, str] = {
    "handle_time": "aht", "transferred": "transfer_rate", "escalated": "escalation_rate",
    "true_satisfied": "true_csat", "true_satisfaction": "mean_true_satisfaction",
    "fcr": "true_fcr", "came_back": "repeat_rate", "dumped": "dump_rate", "begged": "beg_rate",
    "rushed": "rush_rate",
}


def answered_means(facts: dict[str, np.ndarray], keys: list[str]
                   ) -> tuple[list[np.ndarray], np.ndarray, dict[str, np.ndarray]]:
    """Group answered calls by ``keys``: key values, call counts and KPI means."""
    mask = facts["answered"]
    index, key_values = group_rows(*(facts[k][mask] for k in keys))
    n_groups = key_values[0].size
    counts = np.bincount(index, minlength=n_groups).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = {kpi: sums(index, n_groups, facts[fact][mask]) / counts
                 for fact, kpi in ANSWERED_MEANS.items()}
    return key_values, counts, means


def survey_counts(facts: dict[str, np.ndarray], owner: str, keys_out: list[np.ndarray]
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Survey responses and positives per group of ``keys_out`` (owner column, then period)."""
    mask = facts["responded"]
    index, key_values = group_rows(facts[owner][mask], facts["period"][mask])
    n_groups = key_values[0].size
    responses = np.bincount(index, minlength=n_groups).astype(float)
    positive = sums(index, n_groups, facts["positive"][mask])
    return (lookup(keys_out, key_values, responses, 0.0),
            lookup(keys_out, key_values, positive, 0.0))


def share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """``part / whole`` where ``whole > 0``, else NaN."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, part / np.maximum(whole, 1), np.nan)



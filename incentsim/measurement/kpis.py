"""KPIs per agent and per team per period: what the manager sees, beside the truth.

Measured (what a policy may read, see :data:`incentsim.policies.base.MEASURED_COLUMNS`):

* ``calls`` answered, ``aht`` (mean handle time, measured exactly),
  ``transfer_rate`` (share of answered calls transferred, escalations and dumps);
* ``qa`` (mean QA score of the sampled calls) and ``qa_samples``;
* ``csat``: share of survey responses rated 4 or 5 among the surveys
  *attributed* to the agent through ``survey_agent``: a dumped caller's survey
  lands on whoever took the transfer (source 001), not on the dumper.

Truth (never shown to a policy), over the calls the agent answered:

* ``true_csat``: share of calls whose true satisfaction is at least
  ``satisfied_at`` (default 0.625, where the noiseless expected rating reaches
  the 4-or-5 boundary of 3.5, so an unbiased full-response survey would agree);
* ``true_fcr``: share resolved on that call without a transfer;
* ``repeat_rate``: share that came back as a repeat call (a call in the table
  whose ``repeat_of`` is this call; pass a table that reaches past the period to
  count repeats that arrive later);
* ``dump_rate``, ``beg_rate``, ``rush_rate``: shares of calls dumped, begged, rushed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incentsim.truth.calls import TIER2_TEAM, answered, flag, id_column, number, transfer_codes

#: Columns of :func:`agent_kpis`.
AGENT_KPI_COLUMNS: tuple[str, ...] = (
    "agent", "period", "calls", "aht", "qa", "qa_samples", "csat", "survey_responses",
    "survey_positive", "transfer_rate", "true_csat", "true_fcr", "repeat_rate", "dump_rate",
    "beg_rate", "rush_rate",
)

#: Columns the KPI functions read from the call table.
KPI_CALL_COLUMNS: tuple[str, ...] = (
    "call_id", "agent", "period", "abandoned", "wait_time", "handle_time", "transfer",
    "resolved", "true_satisfaction", "survey_responded", "survey_rating", "survey_agent",
    "rushed", "begged", "repeat_of",
)


def _check(calls: pd.DataFrame, qa: pd.DataFrame) -> None:
    missing = [c for c in KPI_CALL_COLUMNS if c not in calls.columns]
    if missing:
        raise ValueError(f"calls: missing columns {missing}; needed: {', '.join(KPI_CALL_COLUMNS)}")
    missing_qa = [c for c in ("agent", "period", "qa_score") if c not in qa.columns]
    if missing_qa:
        raise ValueError(f"qa: missing columns {missing_qa}; needed: agent, period, qa_score")


def _call_facts(calls: pd.DataFrame, satisfied_at: float) -> dict[str, np.ndarray]:
    """One row per call with the per-call quantities the KPIs average."""
    transfer = transfer_codes(calls)
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
        "survey_agent": id_column(calls, "survey_agent"),
        "responded": responded,
        "positive": responded & (rating >= 4),
    }


def _group(*keys: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
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


def _sums(index: np.ndarray, n_groups: int, values: np.ndarray) -> np.ndarray:
    return np.bincount(index, weights=np.asarray(values, dtype=float), minlength=n_groups)


def _lookup(index_keys: list[np.ndarray], table_keys: list[np.ndarray],
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
_ANSWERED_MEANS: dict[str, str] = {
    "handle_time": "aht", "transferred": "transfer_rate", "escalated": "escalation_rate",
    "true_satisfied": "true_csat", "true_satisfaction": "mean_true_satisfaction",
    "fcr": "true_fcr", "came_back": "repeat_rate", "dumped": "dump_rate", "begged": "beg_rate",
    "rushed": "rush_rate",
}


def _answered_means(facts: dict[str, np.ndarray], keys: list[str]
                    ) -> tuple[list[np.ndarray], np.ndarray, dict[str, np.ndarray]]:
    """Group answered calls by ``keys``: key values, call counts and KPI means."""
    mask = facts["answered"]
    index, key_values = _group(*(facts[k][mask] for k in keys))
    n_groups = key_values[0].size
    counts = np.bincount(index, minlength=n_groups).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = {kpi: _sums(index, n_groups, facts[fact][mask]) / counts
                 for fact, kpi in _ANSWERED_MEANS.items()}
    return key_values, counts, means


def _surveys(facts: dict[str, np.ndarray], owner: str, keys_out: list[np.ndarray]
             ) -> tuple[np.ndarray, np.ndarray]:
    """Survey responses and positives per group of ``keys_out`` (owner column, then period)."""
    mask = facts["responded"]
    index, key_values = _group(facts[owner][mask], facts["period"][mask])
    n_groups = key_values[0].size
    responses = np.bincount(index, minlength=n_groups).astype(float)
    positive = _sums(index, n_groups, facts["positive"][mask])
    return (_lookup(keys_out, key_values, responses, 0.0),
            _lookup(keys_out, key_values, positive, 0.0))


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, part / np.maximum(whole, 1), np.nan)


def agent_kpis(calls: pd.DataFrame, qa: pd.DataFrame, *, satisfied_at: float = 0.625) -> pd.DataFrame:
    """Measured and true KPIs per tier-1 agent per period.

    Args:
        calls: Call table with the columns in :data:`KPI_CALL_COLUMNS` (after
            :func:`incentsim.truth.true_satisfaction` and
            :func:`incentsim.measurement.survey` have filled ``true_satisfaction``,
            ``survey_responded`` and ``survey_rating``).
        qa: QA scores (:func:`incentsim.measurement.qa_scores`).
        satisfied_at: True satisfaction counted as satisfied in ``true_csat``.

    Returns:
        One row per (agent, period) for agents who answered calls, sorted by agent
        and period, columns :data:`AGENT_KPI_COLUMNS`; ``qa`` and ``csat`` are NaN
        without samples or responses.
    """
    _check(calls, qa)
    facts = _call_facts(calls, satisfied_at)
    (agent, period), counts, means = _answered_means(facts, ["agent", "period"])
    facts["owner"] = facts["survey_agent"]
    responses, positive = _surveys(facts, "owner", [agent, period])
    qa_agent = qa["agent"].to_numpy(dtype=np.int64)
    qa_period = qa["period"].to_numpy(dtype=np.int64)
    q_index, q_keys = _group(qa_agent, qa_period)
    q_counts = np.bincount(q_index, minlength=q_keys[0].size).astype(float)
    q_sums = _sums(q_index, q_keys[0].size, qa["qa_score"].to_numpy(dtype=float))
    samples = _lookup([agent, period], q_keys, q_counts, 0.0)
    score_sum = _lookup([agent, period], q_keys, q_sums, 0.0)
    out = pd.DataFrame({
        "agent": agent, "period": period, "calls": counts.astype(np.int64),
        "aht": means["aht"], "qa": _share(score_sum, samples),
        "qa_samples": samples.astype(np.int64), "csat": _share(positive, responses),
        "survey_responses": responses.astype(np.int64),
        "survey_positive": positive.astype(np.int64),
        **{k: means[k] for k in ("transfer_rate", "true_csat", "true_fcr", "repeat_rate",
                                  "dump_rate", "beg_rate", "rush_rate")},
    })
    return out[list(AGENT_KPI_COLUMNS)]


#: Columns of :func:`team_kpis`.
TEAM_KPI_COLUMNS: tuple[str, ...] = (
    "period", "offered", "answered", "abandon_rate", "mean_wait", "aht", "qa", "csat",
    "survey_responses", "response_rate", "tier2_survey_share", "transfer_rate",
    "escalation_rate", "true_csat", "csat_gap", "mean_true_satisfaction", "true_fcr",
    "repeat_rate", "dump_rate", "beg_rate", "rush_rate",
)


def team_kpis(calls: pd.DataFrame, qa: pd.DataFrame, *, satisfied_at: float = 0.625) -> pd.DataFrame:
    """Measured and true KPIs of the whole operation per period.

    ``csat`` counts every response, including those attributed to the tier-2
    team; ``true_csat`` and the gaming rates are over answered calls;
    ``csat_gap`` is ``csat - true_csat`` (positive: the survey flatters);
    ``mean_wait`` and ``abandon_rate`` are over all offered calls;
    ``response_rate`` is responses per answered call.

    Args:
        calls: Call table (see :func:`agent_kpis`).
        qa: QA scores.
        satisfied_at: True satisfaction counted as satisfied.

    Returns:
        One row per period with offered calls, columns :data:`TEAM_KPI_COLUMNS`.
    """
    _check(calls, qa)
    facts = _call_facts(calls, satisfied_at)
    o_index, (period,) = _group(facts["period"])
    n_groups = period.size
    offered = np.bincount(o_index, minlength=n_groups).astype(float)
    (a_period,), a_counts, a_means = _answered_means(facts, ["period"])
    answered = _lookup([period], [a_period], a_counts, 0.0)
    means = {k: _lookup([period], [a_period], v, np.nan) for k, v in a_means.items()}
    facts["everyone"] = np.zeros(facts["period"].size, dtype=np.int64)
    responses, positive = _surveys(facts, "everyone", [np.zeros(n_groups, np.int64), period])
    tier2 = facts["responded"] & (facts["survey_agent"] == TIER2_TEAM)
    tier2_surveys = _sums(o_index, n_groups, tier2)
    q_index, (q_period,) = _group(qa["period"].to_numpy(dtype=np.int64))
    q_mean = _share(_sums(q_index, q_period.size, qa["qa_score"].to_numpy(dtype=float)),
                    np.bincount(q_index, minlength=q_period.size).astype(float))
    csat = _share(positive, responses)
    out = pd.DataFrame({
        "period": period, "offered": offered.astype(np.int64),
        "answered": answered.astype(np.int64),
        "abandon_rate": _sums(o_index, n_groups, facts["abandoned"]) / offered,
        "mean_wait": _sums(o_index, n_groups, facts["wait_time"]) / offered,
        "aht": means["aht"], "qa": _lookup([period], [q_period], q_mean, np.nan), "csat": csat,
        "survey_responses": responses.astype(np.int64),
        "response_rate": _share(responses, answered),
        "tier2_survey_share": _share(tier2_surveys, responses),
        "csat_gap": csat - means["true_csat"],
        **{k: means[k] for k in ("transfer_rate", "escalation_rate", "true_csat",
                                  "mean_true_satisfaction", "true_fcr", "repeat_rate",
                                  "dump_rate", "beg_rate", "rush_rate")},
    })
    return out[list(TEAM_KPI_COLUMNS)]

"""KPIs per agent and per period: what the manager sees.

Measured per tier-1 agent and period, exactly the KPI columns a policy reads
(:data:`~incentsim.contract.MEASURED_COLUMNS`):

* ``calls`` answered, ``aht`` (mean handle time, measured exactly),
  ``transfer_rate`` (share of answered calls transferred, escalations and dumps);
* ``qa`` (mean QA score of the sampled calls) and ``qa_samples``;
* ``csat``: share of survey responses rated 4 or 5 among the surveys
  *attributed* to the agent through ``survey_agent``: a dumped caller's survey
  lands on whoever took the transfer (source 001), not on the dumper.

The truth beside them is :func:`incentsim.truth.agent_truth`; :func:`team_kpis`
shows the whole operation measured and true side by side, per period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incentsim.truth.calls import TIER2_TEAM
from incentsim.truth.facts import (
    answered_means,
    call_facts,
    group_rows,
    lookup,
    share,
    sums,
    survey_counts,
)

#: Columns of :func:`agent_kpis`.
AGENT_KPI_COLUMNS: tuple[str, ...] = (
    "agent", "period", "calls", "aht", "qa", "qa_samples", "csat", "survey_responses",
    "survey_positive", "transfer_rate",
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


def agent_kpis(calls: pd.DataFrame, qa: pd.DataFrame, *, satisfied_at: float = 0.625) -> pd.DataFrame:
    """Measured KPIs per tier-1 agent per period.

    Args:
        calls: Call table with the columns in :data:`KPI_CALL_COLUMNS` (after
            :func:`incentsim.truth.true_satisfaction` and
            :func:`incentsim.measurement.survey` have filled ``true_satisfaction``,
            ``survey_responded`` and ``survey_rating``).
        qa: QA scores (:func:`incentsim.measurement.qa_scores`).
        satisfied_at: Unused by the measured KPIs; kept for a call signature shared
            with :func:`team_kpis`.

    Returns:
        One row per (agent, period) for agents who answered calls, sorted by agent
        and period, columns :data:`AGENT_KPI_COLUMNS`; ``qa`` and ``csat`` are NaN
        without samples or responses.
    """
    _check(calls, qa)
    facts = call_facts(calls, satisfied_at)
    (agent, period), counts, means = answered_means(facts, ["agent", "period"])
    facts["owner"] = facts["survey_agent"]
    responses, positive = survey_counts(facts, "owner", [agent, period])
    q_index, q_keys = group_rows(qa["agent"].to_numpy(dtype=np.int64), qa["period"].to_numpy(dtype=np.int64))
    q_counts = np.bincount(q_index, minlength=q_keys[0].size).astype(float)
    q_sums = sums(q_index, q_keys[0].size, qa["qa_score"].to_numpy(dtype=float))
    samples = lookup([agent, period], q_keys, q_counts, 0.0)
    score_sum = lookup([agent, period], q_keys, q_sums, 0.0)
    out = pd.DataFrame({
        "agent": agent, "period": period, "calls": counts.astype(np.int64),
        "aht": means["aht"], "qa": share(score_sum, samples),
        "qa_samples": samples.astype(np.int64), "csat": share(positive, responses),
        "survey_responses": responses.astype(np.int64),
        "survey_positive": positive.astype(np.int64), "transfer_rate": means["transfer_rate"],
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
    facts = call_facts(calls, satisfied_at)
    o_index, (period,) = group_rows(facts["period"])
    n_groups = period.size
    offered = np.bincount(o_index, minlength=n_groups).astype(float)
    (a_period,), a_counts, a_means = answered_means(facts, ["period"])
    answered = lookup([period], [a_period], a_counts, 0.0)
    means = {k: lookup([period], [a_period], v, np.nan) for k, v in a_means.items()}
    facts["everyone"] = np.zeros(facts["period"].size, dtype=np.int64)
    responses, positive = survey_counts(facts, "everyone", [np.zeros(n_groups, np.int64), period])
    tier2 = facts["responded"] & (facts["survey_agent"] == TIER2_TEAM)
    tier2_surveys = sums(o_index, n_groups, tier2)
    q_index, (q_period,) = group_rows(qa["period"].to_numpy(dtype=np.int64))
    q_mean = share(sums(q_index, q_period.size, qa["qa_score"].to_numpy(dtype=float)),
                    np.bincount(q_index, minlength=q_period.size).astype(float))
    csat = share(positive, responses)
    out = pd.DataFrame({
        "period": period, "offered": offered.astype(np.int64),
        "answered": answered.astype(np.int64),
        "abandon_rate": sums(o_index, n_groups, facts["abandoned"]) / offered,
        "mean_wait": sums(o_index, n_groups, facts["wait_time"]) / offered,
        "aht": means["aht"], "qa": lookup([period], [q_period], q_mean, np.nan), "csat": csat,
        "survey_responses": responses.astype(np.int64),
        "response_rate": share(responses, answered),
        "tier2_survey_share": share(tier2_surveys, responses),
        "csat_gap": csat - means["true_csat"],
        **{k: means[k] for k in ("transfer_rate", "escalation_rate", "true_csat",
                                  "mean_true_satisfaction", "true_fcr", "repeat_rate",
                                  "dump_rate", "beg_rate", "rush_rate")},
    })
    return out[list(TEAM_KPI_COLUMNS)]

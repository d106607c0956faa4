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


def _call_facts(calls: pd.DataFrame, satisfied_at: float) -> pd.DataFrame:
    """One row per call with the per-call quantities the KPIs average."""
    transfer = transfer_codes(calls)
    call_id = id_column(calls, "call_id")
    repeat_of = id_column(calls, "repeat_of")
    came_back = np.isin(call_id, repeat_of[repeat_of >= 0])
    responded = flag(calls, "survey_responded")
    rating = number(calls, "survey_rating", fill=0.0)
    return pd.DataFrame({
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
    })


def _survey_counts(facts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    resp = facts[facts["responded"]]
    return resp.groupby(keys).agg(survey_responses=("responded", "size"),
                                  survey_positive=("positive", "sum"))


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
        One row per (agent, period) for agents who answered calls, columns
        :data:`AGENT_KPI_COLUMNS`; ``qa`` and ``csat`` are NaN without samples
        or responses.
    """
    _check(calls, qa)
    facts = _call_facts(calls, satisfied_at)
    work = facts[facts["answered"]]
    keys = ["agent", "period"]
    out = work.groupby(keys).agg(
        calls=("answered", "size"), aht=("handle_time", "mean"),
        transfer_rate=("transferred", "mean"), true_csat=("true_satisfied", "mean"),
        true_fcr=("fcr", "mean"), repeat_rate=("came_back", "mean"),
        dump_rate=("dumped", "mean"), beg_rate=("begged", "mean"), rush_rate=("rushed", "mean"),
    )
    surveys = _survey_counts(facts.assign(agent=facts["survey_agent"]), keys)
    scores = qa.groupby(["agent", "period"]).agg(qa=("qa_score", "mean"),
                                                qa_samples=("qa_score", "size"))
    out = out.join(surveys, how="left").join(scores, how="left")
    for col in ("survey_responses", "survey_positive", "qa_samples"):
        out[col] = out[col].fillna(0).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["csat"] = np.where(out["survey_responses"] > 0,
                               out["survey_positive"] / out["survey_responses"].clip(lower=1),
                               np.nan)
    out = out.reset_index()
    out["calls"] = out["calls"].astype(np.int64)
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
    ``mean_wait`` and ``abandon_rate`` are over all offered calls.

    Args:
        calls: Call table (see :func:`agent_kpis`).
        qa: QA scores.
        satisfied_at: True satisfaction counted as satisfied.

    Returns:
        One row per period, columns :data:`TEAM_KPI_COLUMNS`.
    """
    _check(calls, qa)
    facts = _call_facts(calls, satisfied_at)
    offered = facts.groupby("period").agg(offered=("abandoned", "size"),
                                          abandon_rate=("abandoned", "mean"),
                                          mean_wait=("wait_time", "mean"))
    work = facts[facts["answered"]]
    ans = work.groupby("period").agg(
        answered=("answered", "size"), aht=("handle_time", "mean"),
        transfer_rate=("transferred", "mean"), escalation_rate=("escalated", "mean"),
        true_csat=("true_satisfied", "mean"), mean_true_satisfaction=("true_satisfaction", "mean"),
        true_fcr=("fcr", "mean"), repeat_rate=("came_back", "mean"),
        dump_rate=("dumped", "mean"), beg_rate=("begged", "mean"), rush_rate=("rushed", "mean"),
    )
    surveys = _survey_counts(facts, ["period"])
    tier2 = facts[facts["responded"] & (facts["survey_agent"] == TIER2_TEAM)].groupby(
        "period").size().rename("tier2_surveys")
    scores = qa.groupby("period").agg(qa=("qa_score", "mean"))
    out = offered.join(ans, how="left").join(surveys, how="left").join(tier2, how="left")
    out = out.join(scores, how="left")
    out["answered"] = out["answered"].fillna(0).astype(np.int64)
    out["survey_responses"] = out["survey_responses"].fillna(0).astype(np.int64)
    responses = out["survey_responses"].to_numpy(dtype=float)
    positive = out["survey_positive"].fillna(0).to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["csat"] = np.where(responses > 0, positive / np.maximum(responses, 1), np.nan)
        out["response_rate"] = np.where(out["answered"] > 0,
                                        responses / np.maximum(out["answered"], 1), np.nan)
        out["tier2_survey_share"] = np.where(
            responses > 0, out["tier2_surveys"].fillna(0) / np.maximum(responses, 1), np.nan)
    out["csat_gap"] = out["csat"] - out["true_csat"]
    out = out.reset_index()
    out["offered"] = out["offered"].astype(np.int64)
    return out[list(TEAM_KPI_COLUMNS)]

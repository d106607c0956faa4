"""KPIs: attribution of surveys, known answers, and measured vs true CSAT under incentives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_people import synthetic_calls

from incentsim.behaviour import ConductPlan
from incentsim.contract import MEASURED_COLUMNS
from incentsim.measurement import AGENT_KPI_COLUMNS, TEAM_KPI_COLUMNS, agent_kpis, qa_scores, survey, team_kpis
from incentsim.truth import TRUTH_KPI_COLUMNS, agent_truth, true_satisfaction


def measured(calls: pd.DataFrame, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    calls = calls.copy()
    calls["true_satisfaction"] = true_satisfaction(calls)
    responded, rating = survey(calls["true_satisfaction"].to_numpy(), calls["begged"].to_numpy(),
                               calls["u_survey"].to_numpy(), calls["z_rating"].to_numpy(),
                               abandoned=calls["abandoned"].to_numpy())
    calls["survey_responded"], calls["survey_rating"] = responded, rating
    return calls, qa_scores(calls, np.random.default_rng(seed))


def tiny() -> tuple[pd.DataFrame, pd.DataFrame]:
    calls = pd.DataFrame({
        "call_id": [0, 1, 2, 3, 4, 5],
        "agent": [0, 0, 0, 1, 1, -2],
        "period": [0, 0, 0, 0, 0, 0],
        "abandoned": [False, False, False, False, False, True],
        "wait_time": [1.0, 1.0, 1.0, 1.0, 1.0, 5.0],
        "handle_time": [4.0, 6.0, 2.0, 5.0, 7.0, np.nan],
        "transfer": ["none", "none", "dump", "escalation", "none", "none"],
        "resolved": [True, False, True, True, True, False],
        "true_satisfaction": [0.9, 0.3, 0.2, 0.7, 0.5, 0.1],
        "survey_responded": [True, False, True, True, True, False],
        "survey_rating": [5.0, np.nan, 1.0, 4.0, 3.0, np.nan],
        "survey_agent": [0, 0, -1, -1, 1, -2],
        "rushed": [False, True, False, False, False, False],
        "begged": [True, False, False, False, False, False],
        "repeat_of": [-2, -2, -2, -2, 1, -2],
    })
    qa = pd.DataFrame({"agent": [0, 0, 1], "period": [0, 0, 0], "call_id": [0, 1, 3],
                       "qa_score": [80.0, 60.0, 90.0]})
    return calls, qa


def test_known_answer_agent_kpis() -> None:
    calls, qa = tiny()
    k = agent_kpis(calls, qa).set_index("agent")
    assert tuple(agent_kpis(calls, qa).columns) == AGENT_KPI_COLUMNS
    assert k.loc[0, "calls"] == 3 and k.loc[1, "calls"] == 2
    assert k.loc[0, "aht"] == pytest.approx(4.0)
    assert k.loc[0, "qa"] == pytest.approx(70.0) and k.loc[0, "qa_samples"] == 2
    # the dumped caller's 1-star survey lands on tier 2, not on agent 0
    assert k.loc[0, "survey_responses"] == 1 and k.loc[0, "csat"] == 1.0
    assert k.loc[1, "survey_responses"] == 1 and k.loc[1, "csat"] == 0.0
    assert k.loc[0, "transfer_rate"] == pytest.approx(1 / 3)
    assert set(AGENT_KPI_COLUMNS) - {"agent", "period"} <= set(MEASURED_COLUMNS)  # only what a manager sees
    k = agent_truth(calls).set_index("agent")
    assert tuple(agent_truth(calls).columns) == TRUTH_KPI_COLUMNS
    assert k.loc[0, "true_csat"] == pytest.approx(1 / 3)
    assert k.loc[0, "true_fcr"] == pytest.approx(1 / 3)  # the dump was not first-contact resolution
    assert k.loc[1, "true_fcr"] == pytest.approx(1 / 2)  # nor was the escalation
    assert k.loc[0, "repeat_rate"] == pytest.approx(1 / 3)
    assert k.loc[0, "dump_rate"] == pytest.approx(1 / 3)
    assert k.loc[0, "beg_rate"] == pytest.approx(1 / 3)
    assert k.loc[0, "rush_rate"] == pytest.approx(1 / 3)


def test_known_answer_team_kpis() -> None:
    calls, qa = tiny()
    t = team_kpis(calls, qa)
    assert tuple(t.columns) == TEAM_KPI_COLUMNS
    row = t.iloc[0]
    assert row["offered"] == 6 and row["answered"] == 5
    assert row["abandon_rate"] == pytest.approx(1 / 6)
    assert row["csat"] == pytest.approx(2 / 4)
    assert row["tier2_survey_share"] == pytest.approx(2 / 4)
    assert row["true_csat"] == pytest.approx(2 / 5)
    assert row["csat_gap"] == pytest.approx(0.5 - 0.4)
    assert row["qa"] == pytest.approx(230 / 3)


def test_dumped_surveys_never_land_on_the_dumper() -> None:
    plan = gaming_plan(10, beg=0.6, dump=0.8)
    calls, qa = measured(synthetic_calls(20_000, seed=1, plan=plan))
    dumped = calls[calls["transfer"] == "dump"]
    assert len(dumped) > 50 and dumped["survey_responded"].any()
    k = agent_kpis(calls, qa).set_index("agent")
    own = calls[calls["survey_responded"] & (calls["survey_agent"] >= 0)]
    assert (own["transfer"] != "dump").all()
    assert k["survey_responses"].sum() == len(own)


def test_agent_and_team_totals_agree() -> None:
    calls, qa = measured(synthetic_calls(5000, seed=2, periods=3))
    k, t = agent_kpis(calls, qa), team_kpis(calls, qa)
    assert k.groupby("period")["calls"].sum().tolist() == t["answered"].tolist()
    assert k["qa_samples"].sum() == len(qa)


def gaming_plan(n: int, **propensities: float) -> ConductPlan:
    """Every agent at the same conduct (neutral unless given)."""
    neutral = ConductPlan.neutral(n)
    return ConductPlan(**{name: np.full(n, propensities.get(name, float(getattr(neutral, name)[0])))
                          for name in ("care", "speed", "rush", "dump", "beg", "helping")})


def _csat_pair(plan: ConductPlan, seed: int) -> tuple[float, float, dict[str, float]]:
    calls, qa = measured(synthetic_calls(60_000, seed=seed, plan=plan, n_agents=20))
    t = team_kpis(calls, qa).iloc[0]
    tier1 = calls[calls["survey_responded"] & (calls["survey_agent"] >= 0)]
    return (float((tier1["survey_rating"] >= 4).mean()), float(t["true_csat"]),
            {k: float(t[k]) for k in ("beg_rate", "dump_rate", "rush_rate")})


def test_begging_and_dumping_flatter_measured_csat() -> None:
    flat_measured, flat_true, flat_gaming = _csat_pair(gaming_plan(20), seed=7)
    bonus_measured, bonus_true, bonus_gaming = _csat_pair(gaming_plan(20, beg=0.3, dump=0.2), seed=7)
    assert flat_gaming == {"beg_rate": 0.0, "dump_rate": 0.0, "rush_rate": 0.0}
    assert bonus_gaming["beg_rate"] > 0.05 and bonus_gaming["dump_rate"] > 0.0
    # agents' measured CSAT rises by more than their true CSAT: the gap opens
    assert (bonus_measured - flat_measured) > (bonus_true - flat_true) + 0.02


def test_rushing_lowers_true_csat() -> None:
    _, flat_true, _ = _csat_pair(gaming_plan(20), seed=8)
    _, target_true, gaming = _csat_pair(gaming_plan(20, rush=0.3, speed=0.9), seed=8)
    assert gaming["rush_rate"] > 0.05
    assert target_true < flat_true


def test_missing_columns_are_named() -> None:
    calls, qa = tiny()
    with pytest.raises(ValueError, match="survey_agent"):
        agent_kpis(calls.drop(columns="survey_agent"), qa)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 3000), agents=st.integers(1, 30),
       periods=st.integers(1, 4))
def test_agent_kpis_agree_with_a_plain_pandas_groupby(seed: int, n: int, agents: int,
                                                      periods: int) -> None:
    calls, qa = measured(synthetic_calls(n, seed=seed, n_agents=agents, periods=periods), seed)
    k = agent_kpis(calls, qa).set_index(["agent", "period"])
    k["beg_rate"] = agent_truth(calls).set_index(["agent", "period"])["beg_rate"]
    answered = calls[~calls["abandoned"]]
    ref = answered.groupby(["agent", "period"]).agg(calls=("call_id", "size"),
                                                   aht=("handle_time", "mean"),
                                                   beg_rate=("begged", "mean"))
    assert k.index.equals(ref.index)
    assert (k["calls"] == ref["calls"]).all()
    assert np.allclose(k["aht"], ref["aht"]) and np.allclose(k["beg_rate"], ref["beg_rate"])
    resp = calls[calls["survey_responded"] & (calls["survey_agent"] >= 0)]
    csat = (resp["survey_rating"] >= 4).groupby([resp["survey_agent"], resp["period"]]).mean()
    csat.index.names = ["agent", "period"]
    got = k["csat"].dropna()
    assert got.index.equals(csat.index) and np.allclose(got, csat)
    qa_ref = qa.groupby(["agent", "period"])["qa_score"].mean()
    assert np.allclose(k["qa"].dropna(), qa_ref.loc[k["qa"].dropna().index])

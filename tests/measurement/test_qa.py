"""QA: a few sampled answered calls per agent per period, scored with rater noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
from strategies_people import synthetic_calls

from incentsim.behaviour.conduct import ConductPlan
from incentsim.measurement import QA_COLUMNS, qa_scores
from incentsim.scenario.measurement import QA


def test_samples_per_agent_and_period() -> None:
    calls = synthetic_calls(3000, seed=1, n_agents=12, periods=3)
    scores = qa_scores(calls, np.random.default_rng(0), QA(samples=4))
    assert tuple(scores.columns) == QA_COLUMNS
    per = scores.groupby(["agent", "period"]).size()
    available = calls[~calls["abandoned"]].groupby(["agent", "period"]).size()
    assert per.index.equals(available.index)
    assert (per == np.minimum(4, available)).all()
    sampled = calls.set_index("call_id").loc[scores["call_id"]]
    assert not sampled["abandoned"].any()
    assert (sampled["agent"].to_numpy() == scores["agent"].to_numpy()).all()
    assert not scores["call_id"].duplicated().any()
    assert scores["qa_score"].between(0, 100).all()


def test_few_calls_all_sampled_and_zero_samples_empty() -> None:
    calls = synthetic_calls(30, seed=2, n_agents=10)
    scores = qa_scores(calls, np.random.default_rng(0), QA(samples=100))
    assert len(scores) == int((~calls["abandoned"]).sum())
    assert qa_scores(calls, np.random.default_rng(0), QA(samples=0)).empty


def test_same_generator_same_scores() -> None:
    calls = synthetic_calls(2000, seed=3)
    a = qa_scores(calls, np.random.default_rng(11))
    b = qa_scores(calls, np.random.default_rng(11))
    pd.testing.assert_frame_equal(a, b)


def test_gaming_is_visible_to_qa() -> None:
    n = 20_000
    params = QA(samples=1000, rater_sd=0.0)
    honest = qa_scores(synthetic_calls(n, seed=4, n_agents=30), np.random.default_rng(0), params)
    plan = ConductPlan.neutral(30)
    plan.beg[:] = 1.0
    plan.dump[:] = 1.0
    gamed = qa_scores(synthetic_calls(n, seed=4, n_agents=30, plan=plan), np.random.default_rng(0),
                      params)
    assert gamed["qa_score"].mean() < honest["qa_score"].mean() - 5


def test_rater_noise_has_the_configured_spread() -> None:
    calls = synthetic_calls(20_000, seed=5, n_agents=30)
    quiet = qa_scores(calls, np.random.default_rng(1), QA(samples=1000, rater_sd=0.0))
    noisy = qa_scores(calls, np.random.default_rng(1), QA(samples=1000, rater_sd=8.0, base=50))
    shifted = noisy["qa_score"] - (quiet["qa_score"] - 20)
    assert abs(shifted.std() - 8.0) < 0.3

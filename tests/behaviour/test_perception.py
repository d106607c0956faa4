"""Experienced incentives: what a review would do to each agent, read by asking the review itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import incentsim as isim
from incentsim.behaviour import LEVERS, ConductLevels, Reading, Roster, perceive, pilot_sample
from incentsim.policies import (
    Combined,
    Flat,
    ForcedRanking,
    IndividualBonus,
    Policy,
    Review,
    TeamBonus,
)

SC = isim.Scenario(center={"tier1_agents": 24, "months": 2, "days_per_month": 10})


def roster(n: int = 24, team_size: int = 12, res_shift: np.ndarray | None = None) -> Roster:
    return Roster(agent=np.arange(n), team=np.arange(n) // team_size, tenure_days=np.full(n, 500.0),
                  available=np.ones(n), ht_mult=np.ones(n),
                  res_shift=np.zeros(n) if res_shift is None else res_shift)


def conduct(n: int = 24) -> ConductLevels:
    return ConductLevels(care=np.ones(n), speed=np.ones(n), rush=np.zeros(n), beg=np.zeros(n),
                         dump=np.zeros(n), helping=np.full(n, 0.1))


def read(policy: Policy, sc: isim.Scenario = SC, r: Roster | None = None, seed: int = 1,
         history: pd.DataFrame | None = None) -> Reading:
    r = r or roster()
    sample = pilot_sample(sc, np.random.default_rng(seed))
    return perceive(policy.review, history if history is not None else pd.DataFrame(), 0, r,
                    conduct(r.n), sample, sc, np.random.default_rng(seed + 1))


def expected_now(r: Roster | None = None, sc: isim.Scenario = SC):
    """Expected numbers of the roster at normal conduct (for thresholds at the agents' level)."""
    from incentsim.behaviour import expected_kpis, tabulate

    r = r or roster()
    sample = pilot_sample(sc, np.random.default_rng(1))
    n = r.n
    return expected_kpis([tabulate(sample, r.ht_mult, r.res_shift, np.ones(n), sc)], np.zeros(n, np.int64),
                         np.ones(n), np.zeros(n), np.zeros(n), np.zeros(n), sample, sc)


def ret(reading: Reading, lever: str) -> np.ndarray:
    return reading.returns[:, LEVERS.index(lever)]


def test_a_review_that_does_nothing_reads_nothing() -> None:
    r = read(Flat())
    assert not r.returns.any() and not r.stakes.any() and not r.p_fire.any() and not r.ranked.any()


def test_an_unreachable_threshold_moves_nobody() -> None:
    r = read(IndividualBonus("csat", 1.0, min_responses=10_000))
    assert not r.returns.any() and not r.stakes.any()


def test_a_threshold_near_an_agents_level_moves_that_agent_most() -> None:
    levels = np.repeat([-0.25, 0.0, 0.25], 8)  # three groups of agents, far apart in resolution skill
    r0 = roster(res_shift=levels)
    middle = float(np.mean(expected_now(r0).csat[8:16]))
    care = ret(read(IndividualBonus("csat", round(middle, 3)), r=r0), "care")
    assert care[8:16].mean() > 2 * max(care[:8].mean(), care[16:].mean())


def test_a_team_reward_reaches_each_member_diluted_by_team_size() -> None:
    threshold = round(float(np.mean(expected_now().csat)), 3)
    team = TeamBonus("csat", threshold)
    small = np.mean([ret(read(team, r=roster(team_size=3), seed=s), "care").mean() for s in range(6)])
    large = np.mean([ret(read(team, r=roster(team_size=24), seed=s), "care").mean() for s in range(6)])
    individual = ret(read(IndividualBonus("csat", threshold)), "care").mean()
    assert individual > small > large > 0


def test_ranking_makes_helping_colleagues_cost_rank() -> None:
    r = read(ForcedRanking(["aht", "qa"], top_share=0.2, bottom_share=0.2, fire_after=0))
    assert ret(r, "help").mean() < 0
    assert (r.ranked == 1).all()


def test_more_qa_samples_make_gaming_show_on_qa_more_surely() -> None:
    def beg_return(samples: int) -> float:
        sc = SC.replace(**{"measurement.qa.samples": samples})
        policy = Combined(IndividualBonus("csat", 0.75), IndividualBonus("qa", 80.0, min_responses=1))
        return float(np.mean([ret(read(policy, sc, seed=s), "beg").mean() for s in range(8)]))

    assert beg_return(30) < beg_return(2)


class FireWorstQA(Policy):
    """Fires the agent with the lowest QA (a user policy with no ranks)."""

    def __init__(self) -> None:
        pass

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        rows = measured[measured["period"] == period].dropna(subset=["qa"])
        worst = rows.sort_values(["qa", "agent"]).head(1)["agent"]
        return Review(sanctions={int(a): "fire" for a in worst})


def test_sanctions_are_read_as_risk_and_ranks_as_being_ranked() -> None:
    r = read(FireWorstQA())
    assert r.p_fire.sum() == pytest.approx(1.0, abs=1e-9)  # one agent fired in every run
    assert ret(r, "rush").mean() < -100  # rushing shows on QA and risks the sack
    assert not r.ranked.any()


def test_completion_share_says_whether_pay_follows_volume() -> None:
    calls = float(np.median(expected_now().calls))
    volume = read(IndividualBonus("calls", round(calls)))
    quality = read(IndividualBonus("csat", round(float(np.mean(expected_now().csat)), 3)))
    assert volume.completion.mean() > 0.5 > quality.completion.mean()


def test_the_reading_is_reproducible_and_the_same_for_a_clone() -> None:
    class Clone(Policy):
        def __init__(self) -> None:
            pass

        def review(self, measured: pd.DataFrame, period: int) -> Review:
            return IndividualBonus("csat", 0.72).review(measured, period)

    a, b, c = read(IndividualBonus("csat", 0.72)), read(IndividualBonus("csat", 0.72)), read(Clone())
    for field in ("returns", "stakes", "completion", "p_warning", "p_fire", "ranked", "expected_pay"):
        assert np.array_equal(getattr(a, field), getattr(b, field))
        assert np.array_equal(getattr(a, field), getattr(c, field))


def test_the_history_reaches_the_review() -> None:
    """A rule that depends on earlier periods is read with the real history in the frame."""
    class SecondMonthOnly(Policy):
        def __init__(self) -> None:
            pass

        def review(self, measured: pd.DataFrame, period: int) -> Review:
            if measured["period"].nunique() < 2:
                return Review()
            return IndividualBonus("csat", 0.0).review(measured, period)

    history = isim.policies.synthetic_measured(seed=1, agents=24, periods=1)
    none = read(SecondMonthOnly())
    some = perceive(SecondMonthOnly().review, history, 1, roster(), conduct(),
                    pilot_sample(SC, np.random.default_rng(1)), SC, np.random.default_rng(2))
    assert not none.expected_pay.any() and (some.expected_pay == 100).all()

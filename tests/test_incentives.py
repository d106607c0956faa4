"""Behaviour comes from what a policy's review does: the model earns its verdicts.

Each test runs policies on common-random-number replications of a shrunk centre and
compares them with paired differences (replication r of every policy meets the same
calls). A difference "holds" when its mean is beyond the one-sided 95% t bound.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import incentsim as isim
from incentsim.policies import (
    Combined,
    DemingManagement,
    Flat,
    ForcedRanking,
    IndividualBonus,
    Policy,
    Review,
    TeamBonus,
)
from incentsim.policies.kpis import active_rows, agent_values, meets

pytestmark = pytest.mark.slow

SEED = 2024
REPLICATIONS = 6
SHRINK = {"center.tier1_agents": 20, "center.tier2_agents": 3, "center.months": 4,
          "center.days_per_month": 8, "demand.calls_per_hour": 142.0}


def world(name: str = "baseline", **changes: object) -> isim.Scenario:
    return isim.Scenario.shipped(name).replace(**{**SHRINK, **changes})


_CACHE: dict[tuple[str, str, int], tuple[isim.Run, ...]] = {}


def _runs(scenario: isim.Scenario, policy: Policy, reps: int = REPLICATIONS) -> tuple[isim.Run, ...]:
    """Replications 0..reps-1 of ``policy`` (cached by scenario hash and policy repr)."""
    key = (scenario.hash, repr(policy), reps)
    if key not in _CACHE:
        _CACHE[key] = tuple(isim.simulate(scenario, policy=policy, seed=SEED, replication=r, keep_calls=False)
                            for r in range(reps))
    return _CACHE[key]


def outcome(runs: tuple[isim.Run, ...], name: str) -> np.ndarray:
    if name == "gaming":
        return outcome(runs, "beg_rate") + outcome(runs, "dump_rate") + outcome(runs, "rush_rate")
    if name == "departures":
        return outcome(runs, "quits") + outcome(runs, "fired")
    return np.array([r.summary()[name] for r in runs])


def paired(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean of ``a - b`` and its one-sided 95% t bound."""
    diff = a - b
    bound = stats.t.ppf(0.95, diff.size - 1) * diff.std(ddof=1) / np.sqrt(diff.size)
    return float(diff.mean()), float(bound)


def above(a: np.ndarray, b: np.ndarray) -> bool:
    mean, bound = paired(a, b)
    return mean > bound


class CloneBonus(Policy):
    """A user-written IndividualBonus: only ``__init__`` and ``review``."""

    def __init__(self, metric: str, threshold: float, amount: float = 100.0) -> None:
        self.metric = metric
        self.threshold = threshold
        self.amount = amount

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        values = agent_values(active_rows(measured, period), self.metric, 3)
        return Review(payouts={int(a): float(self.amount) for a, v in values.items()
                               if meets(v, self.threshold, self.metric)})


class FireBottomDecile(Policy):
    """A user-written policy that fires the bottom tenth on QA every month, and declares nothing."""

    def __init__(self) -> None:
        pass

    def review(self, measured: pd.DataFrame, period: int) -> Review:
        rows = active_rows(measured, period).dropna(subset=["qa"])
        worst = rows.sort_values(["qa", "agent"]).head(int(np.floor(0.1 * len(rows) + 1e-9)))
        return Review(sanctions={int(a): "fire" for a in worst["agent"]})


def test_a_hand_written_clone_behaves_exactly_like_the_built_in() -> None:
    sc = world(**{"center.months": 3})
    for r in range(2):
        built_in = isim.simulate(sc, IndividualBonus("csat", 0.7), seed=SEED, replication=r)
        clone = isim.simulate(sc, CloneBonus("csat", 0.7), seed=SEED, replication=r)
        assert built_in.summary() == clone.summary()
        pd.testing.assert_frame_equal(built_in.agents, clone.agents)
        pd.testing.assert_frame_equal(built_in.calls, clone.calls)


def test_a_threshold_nobody_reaches_moves_almost_nobody() -> None:
    """Expectancy: gaming where the bonus is within reach, almost none where it is not."""
    sc = world()
    near = outcome(_runs(sc, IndividualBonus("csat", 0.7)), "gaming")
    unreachable = outcome(_runs(sc, IndividualBonus("csat", 0.99)), "gaming")
    assert near.mean() > 0.05
    assert unreachable.mean() < 0.3 * near.mean()


def test_a_team_goal_moves_small_teams_more() -> None:
    """An agent's effect on the team's number is diluted by team size (free riding).

    The team is paid on measured CSAT, which agents can lift by care or by begging; in
    teams of 4 each agent's share of the team number is five times larger than in one
    team of 20, so the paid number gains more per agent, and more of that gain is
    gaming. True CSAT does not gain detectably either way. One team of 20 is all or
    nothing (the whole centre is near the threshold or not), so its results vary widely
    from run to run: ten replications.
    """
    goal = TeamBonus("csat", 0.7, process_improvement=0.0)
    small = _runs(world(**{"center.team_size": 4}), goal, 10)
    big = _runs(world(**{"center.team_size": 20}), goal, 10)
    for name in ("measured_csat", "gaming"):
        assert above(outcome(small, name), outcome(big, name)), name


def test_more_qa_samples_lower_gaming_when_qa_counts_too() -> None:
    scheme = Combined(IndividualBonus("csat", 0.7), IndividualBonus("qa", 82.0, min_responses=1))
    few = outcome(_runs(world(**{"measurement.qa.samples": 2}), scheme), "gaming")
    many = outcome(_runs(world(**{"measurement.qa.samples": 20}), scheme), "gaming")
    assert above(few, many)


def test_firing_the_bottom_decile_stresses_like_forced_ranking_with_the_same_rule() -> None:
    sc = world()
    flat = _runs(sc, Flat())
    user = _runs(sc, FireBottomDecile())
    ranking = _runs(sc, ForcedRanking(["qa"], top_share=0.0, bonus=0.0, bottom_share=0.1, fire_after=1))
    for name in ("mean_stress", "departures"):
        assert above(outcome(user, name), outcome(flat, name)), name
        rise_user = (outcome(user, name) - outcome(flat, name)).mean()
        rise_ranking = (outcome(ranking, name) - outcome(flat, name)).mean()
        assert rise_user > 0.6 * rise_ranking, name


def test_without_differences_deming_is_its_process_time() -> None:
    """Where people do not differ, Deming's charts flag almost nobody: it is Flat with its process time."""
    same = world(**{"people.speed_sd": 0.0, "people.quality_sd": 0.0})
    for key in ("true_csat", "fcr", "mean_stress", "cost_per_resolved_call"):
        for share in (0.0, 0.5):
            deming = outcome(_runs(same, DemingManagement(process_improvement=share)), key)
            flat = outcome(_runs(same, Flat(process_improvement=share)), key)
            scale = max(abs(flat.mean()), 1e-9)
            assert abs(deming.mean() - flat.mean()) < 0.01 * scale, (key, share)


def test_where_people_differ_pay_on_quality_works() -> None:
    """Honesty principle: where people differ and QA is good, QA pay raises true resolution.

    Sorting (Lazear 2000) is tested on the quit model itself
    (``tests/behaviour/test_attrition.py``): at this size a run has two or three leavers,
    too few to see who leaves.
    """
    sc = world("people_differ", **{"center.months": 6})
    flat = _runs(sc, Flat())
    bonus = _runs(sc, IndividualBonus("qa", 82.0))
    assert above(outcome(bonus, "fcr"), outcome(flat, "fcr"))


def test_every_answered_call_is_counted_in_exactly_one_agent_period() -> None:
    run = isim.simulate(world(**{"center.months": 3}), IndividualBonus("csat", 0.7), seed=SEED)
    calls, agents = run.calls, run.agents
    answered = calls[calls["answered"]]
    assert agents["calls"].sum() == len(answered)
    per = answered.groupby(["agent", "period"]).size()
    got = agents.set_index(["agent", "period"])["calls"]
    assert (per.reindex(got.index, fill_value=0) == got).all()
    # every agent KPI recomputes from run.calls
    satisfied = run.scenario.measurement.satisfaction.satisfied_at
    truth = isim.truth.agent_truth(calls, satisfied_at=satisfied).set_index(["agent", "period"])
    mine = agents.set_index(["agent", "period"]).loc[truth.index]
    for column in ("true_csat", "true_fcr", "beg_rate", "dump_rate", "rush_rate", "repeat_rate"):
        np.testing.assert_allclose(mine[column], truth[column], err_msg=column)
    aht = answered.groupby(["agent", "period"])["handle_time"].mean()
    np.testing.assert_allclose(mine["aht"], aht.loc[truth.index])

"""Behaviour wired into the engine: gaming appears only where the review makes it pay."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import incentsim as isim
from incentsim.behaviour import ConductPlan
from incentsim.policies import Flat, HandleTimeTarget, IndividualBonus, TeamBonus
from incentsim.scenario import Behaviour
from incentsim.truth import true_satisfaction


@pytest.fixture(scope="module")
def small() -> isim.Scenario:
    # About 75% occupancy: an overloaded centre adds repeat calls from abandonment,
    # which is a different mechanism from the ones checked here.
    return isim.Scenario.load("scenarios/baseline.toml").replace(
        **{"center.tier1_agents": 14, "center.tier2_agents": 3, "center.months": 3,
           "center.days_per_month": 5, "demand.calls_per_hour": 90.0}
    )


#: A survey bonus at about the agents' own level under flat pay (measured CSAT about 0.69).
NEAR = 0.7


def runs(scenario: isim.Scenario, policy: isim.policies.Policy, reps: int = 2) -> list[isim.Run]:
    return [isim.simulate(scenario, policy=policy, seed=21, replication=r) for r in range(reps)]


def mean(rs: list[isim.Run], key: str) -> float:
    return float(np.mean([r.summary()[key] for r in rs]))


def test_no_incentive_no_gaming(small: isim.Scenario) -> None:
    for run in runs(small, Flat()):
        calls = run.calls
        assert not calls["begged"].any()
        assert not calls["rushed"].any()
        assert (calls["transfer"] != "dump").all()


def test_survey_bonus_brings_begging_dumping_and_a_gap(small: isim.Scenario) -> None:
    flat = runs(small, Flat())
    bonus = runs(small, IndividualBonus(metric="csat", threshold=NEAR, amount=100))
    assert mean(bonus, "beg_rate") > 0.02
    assert mean(bonus, "dump_rate") > 0.002
    assert mean(bonus, "rush_rate") == 0.0
    # Measured CSAT flatters more under the bonus than without it.
    assert mean(bonus, "csat_gap") > mean(flat, "csat_gap") + 0.01
    # Dumped callers' surveys land on the tier-2 team, never on the dumper.
    for run in bonus:
        dumped = run.calls[run.calls["transfer"] == "dump"]
        assert (dumped["survey_agent"] == -1).all()


def test_team_goal_games_less_than_individual_bonus(small: isim.Scenario) -> None:
    bonus = runs(small, IndividualBonus(metric="csat", threshold=NEAR, amount=100))
    team = runs(small, TeamBonus(metric="csat", threshold=NEAR, amount=100))
    assert mean(team, "beg_rate") < mean(bonus, "beg_rate")
    assert mean(team, "dump_rate") < mean(bonus, "dump_rate")


def test_talk_time_target_brings_rushing_and_repeat_calls(small: isim.Scenario) -> None:
    flat = runs(small, Flat())
    target = runs(small, HandleTimeTarget(minutes=6))
    assert mean(target, "rush_rate") > 0.05
    assert mean(target, "beg_rate") == 0.0
    aht = [float(r.calls.loc[r.calls["answered"], "handle_time"].mean()) for r in target]
    aht_flat = [float(r.calls.loc[r.calls["answered"], "handle_time"].mean()) for r in flat]
    assert np.mean(aht) < np.mean(aht_flat)
    assert mean(target, "repeat_rate") > mean(flat, "repeat_rate")
    assert mean(target, "fcr") < mean(flat, "fcr")


def test_begging_never_raises_true_satisfaction(small: isim.Scenario) -> None:
    run = runs(small, IndividualBonus(metric="csat", threshold=NEAR, amount=150), reps=1)[0]
    calls = run.calls.copy()
    begged = calls[calls["begged"]]
    assert len(begged) > 0
    from incentsim.engine.arrivals import build_schedule
    from incentsim.engine.draws import CallDraws

    streams = isim.Streams(run.seed, run.replication)
    schedule = build_schedule(run.scenario, streams)
    cd = CallDraws(run.scenario, streams, schedule.size, schedule.call_type)
    cd.ensure(int(calls["call_id"].max()))
    calls["u_annoy"] = cd.uniform["u_annoy"][calls["call_id"].to_numpy()]
    params = run.scenario.measurement.satisfaction
    as_run = true_satisfaction(calls, params)
    np.testing.assert_allclose(as_run, calls["true_satisfaction"].to_numpy())
    unbegged = true_satisfaction(calls.assign(begged=False), params)
    assert (as_run <= unbegged + 1e-12).all()
    # and survey ratings of begged callers do rise
    assert calls.loc[calls["begged"] & calls["survey_responded"], "survey_rating"].mean() >= \
        calls.loc[~calls["begged"] & calls["survey_responded"], "survey_rating"].mean() - 0.5


class PureEngine:
    """A behaviour model with no behaviour at all: the engine as a queue with records."""

    def initial_state(self, n: int, rng: np.random.Generator) -> int:
        return n

    def perceive(self, state: int, reading: object) -> int:
        return state

    def plan(self, state: int) -> ConductPlan:
        return ConductPlan.neutral(state)

    def update(self, state: int, outcome: object) -> int:
        return state

    def quit_probability(self, state: int, outcome: object) -> np.ndarray:
        return np.zeros(state)

    def hire(self, state: int, seats: object, rng: np.random.Generator) -> int:
        return state

    def columns(self, state: int) -> dict[str, np.ndarray]:
        return {}


def test_neutral_behaviour_equals_the_pure_engine(small: isim.Scenario) -> None:
    neutral = small.replace(behaviour=Behaviour.neutral().model_dump(mode="json"))
    for policy in (Flat(), IndividualBonus(metric="csat", threshold=0.95, amount=100), HandleTimeTarget(minutes=6)):
        a = isim.simulate(neutral, policy=policy, seed=3)
        b = isim.simulate(neutral, policy=Flat(), seed=3, behaviour=PureEngine())
        pd.testing.assert_frame_equal(a.calls, b.calls)

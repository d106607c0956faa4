"""Per-call propensities: no incentive, no gaming; each incentive switches on its own gaming."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_people import signals_strategy

from incentsim.behaviour import DefaultBehaviour, MotivationState
from incentsim.policies.base import Signals
from incentsim.scenario.behaviour import Behaviour

SURVEY_BONUS = Signals(individual_metrics=("csat",), contingency="performance",
                       individual_stakes=100.0)
AHT_TARGET = Signals(handle_time_target=6.0)
TEAM_SURVEY = Signals(team_metrics=("csat",), contingency="performance", team_stakes=100.0,
                      feedback=0.5)

states = st.integers(1, 40).flatmap(lambda n: st.builds(
    MotivationState,
    intrinsic=st.lists(st.floats(0, 1), min_size=n, max_size=n).map(np.array),
    trait=st.lists(st.floats(0, 1), min_size=n, max_size=n).map(np.array),
    stress=st.lists(st.floats(0, 1), min_size=n, max_size=n).map(np.array),
    fairness=st.lists(st.floats(0, 1), min_size=n, max_size=n).map(np.array),
    reference=st.lists(st.floats(0, 500), min_size=n, max_size=n).map(np.array),
    focus=st.lists(st.floats(0, 1), min_size=n, max_size=n).map(np.array),
))


def _state(n: int = 200, seed: int = 1) -> MotivationState:
    return DefaultBehaviour().initial_state(n, np.random.default_rng(seed))


@settings(max_examples=60, deadline=None)
@given(state=states)
def test_no_incentive_no_gaming(state: MotivationState) -> None:
    plan = DefaultBehaviour().plan(state, Signals())
    assert (plan.beg == 0).all() and (plan.dump == 0).all() and (plan.rush == 0).all()
    assert (plan.speed == 1).all()


@settings(max_examples=60, deadline=None)
@given(state=states, signals=signals_strategy)
def test_neutral_behaviour_gives_neutral_plan_whatever_the_signals(
        state: MotivationState, signals: Signals) -> None:
    plan = DefaultBehaviour(Behaviour.neutral()).plan(state, signals)
    assert (plan.care == 1).all() and (plan.speed == 1).all()
    for gaming in (plan.rush, plan.dump, plan.beg, plan.helping):
        assert (gaming == 0).all()


@settings(max_examples=60, deadline=None)
@given(state=states, signals=signals_strategy)
def test_propensities_in_range(state: MotivationState, signals: Signals) -> None:
    params = Behaviour()
    plan = DefaultBehaviour(params).plan(state, signals)
    for p in (plan.rush, plan.dump, plan.beg):
        assert ((p >= 0) & (p <= params.decisions.max_propensity)).all()
    assert ((plan.helping >= 0) & (plan.helping <= 1)).all()
    assert ((plan.care >= params.decisions.care_min) & (plan.care <= params.decisions.care_max)).all()
    assert ((plan.speed > 0) & (plan.speed <= 1)).all()
    if "csat" not in signals.individual_metrics:
        assert (plan.beg == 0).all() and (plan.dump == 0).all()
    if signals.handle_time_target is None and "aht" not in signals.individual_metrics:
        assert (plan.rush == 0).all()


def test_survey_bonus_switches_on_begging_and_dumping_only() -> None:
    plan = DefaultBehaviour().plan(_state(), SURVEY_BONUS)
    assert (plan.beg > 0).all() and (plan.dump > 0).all()
    assert (plan.rush == 0).all()


def test_handle_time_target_switches_on_rushing_only() -> None:
    plan = DefaultBehaviour().plan(_state(), AHT_TARGET)
    assert (plan.rush > 0).all()
    assert (plan.beg == 0).all() and (plan.dump == 0).all()
    assert (plan.speed < 1).all()


def test_rushing_grows_with_threat() -> None:
    model, state = DefaultBehaviour(), _state()
    calm = model.plan(state, AHT_TARGET).rush
    threatened = model.plan(state, Signals(handle_time_target=6.0, threat=1.0)).rush
    assert (threatened > calm).all()


def test_gaming_grows_with_stakes_and_low_intrinsic_motivation() -> None:
    model, state = DefaultBehaviour(), _state()
    begs = [model.plan(state, Signals(individual_metrics=("csat",), individual_stakes=s)).beg.mean()
            for s in (10, 50, 100, 400)]
    assert np.all(np.diff(begs) > 0)
    plan = model.plan(state, SURVEY_BONUS)
    low = state.intrinsic < np.median(state.intrinsic)
    assert plan.beg[low].mean() > plan.beg[~low].mean()


def test_team_reward_cuts_dumping_and_raises_helping() -> None:
    model, state = DefaultBehaviour(), _state()
    individual = model.plan(state, SURVEY_BONUS)
    both = model.plan(state, Signals(individual_metrics=("csat",), team_metrics=("csat",),
                                     individual_stakes=100.0, team_stakes=100.0))
    team_only = model.plan(state, TEAM_SURVEY)
    assert both.dump.mean() < 0.7 * individual.dump.mean()
    assert (team_only.dump == 0).all() and (team_only.beg == 0).all()
    assert team_only.helping.mean() > model.plan(state, Signals()).helping.mean()


def test_ranking_suppresses_helping() -> None:
    model, state = DefaultBehaviour(), _state()
    shared = model.plan(state, TEAM_SURVEY).helping.mean()
    ranked = model.plan(state, Signals(team_metrics=("csat",), team_stakes=100.0, feedback=0.5,
                                       ranking=True)).helping.mean()
    assert ranked < 0.5 * shared


def test_incentives_can_work_effort_and_care_rise_with_stakes() -> None:
    model, state = DefaultBehaviour(), _state()
    speeds = [model.plan(state, Signals(individual_metrics=("aht",), individual_stakes=s)).speed[0]
              for s in (0, 50, 200)]
    assert speeds[0] == 1 and speeds[1] < 1 and speeds[2] < speeds[1]
    cares = [model.plan(state, Signals(individual_metrics=("qa",), individual_stakes=s)).care.mean()
             for s in (0, 100, 400)]
    assert cares[0] < cares[1] < cares[2]


def test_care_rises_with_intrinsic_motivation_and_falls_with_stress() -> None:
    model, state = DefaultBehaviour(), _state(50)
    care = model.plan(state, Signals()).care
    assert np.corrcoef(state.intrinsic, care)[0, 1] > 0.99
    stressed = model.plan(state.with_seats(np.arange(50), stress=0.8), Signals()).care
    assert (stressed < care).all()


def test_exceedance_known_answers() -> None:
    from incentsim.behaviour.target import share_over_target
    from incentsim.scenario import CallType, Duration

    expo = (CallType(name="a", share=1.0, handle_time=Duration(law="exponential", mean=5.0)),)
    assert share_over_target(expo, 5.0) == pytest.approx(np.exp(-1))
    logn = (CallType(name="a", share=1.0, handle_time=Duration(mean=6.0, cv=0.8)),)
    draws = Duration(mean=6.0, cv=0.8).from_uniform(np.random.default_rng(0).random(400_000))
    assert share_over_target(logn, 8.0) == pytest.approx((draws > 8.0).mean(), abs=0.003)
    mix = expo + (CallType(name="b", share=3.0, handle_time=Duration(mean=6.0, cv=0.8)),)
    assert share_over_target(mix, 8.0) == pytest.approx(
        0.25 * np.exp(-8 / 5) + 0.75 * share_over_target(logn, 8.0))
    with pytest.raises(ValueError, match="handle_time_target"):
        share_over_target(expo, 0.0)


def test_a_generous_target_barely_bites() -> None:
    from incentsim.scenario import Scenario

    sc = Scenario()
    model = DefaultBehaviour.for_scenario(sc)
    state = model.initial_state(100, np.random.default_rng(1))
    mean = sum(c.share * c.handle_time.mean for c in sc.demand.call_types) / sum(
        c.share for c in sc.demand.call_types)
    rush = [model.plan(state, Signals(individual_metrics=("aht",), threat=0.5,
                                      handle_time_target=f * mean)).rush.mean()
            for f in (0.6, 1.5, 3.0, 10.0)]
    assert rush[0] > rush[1] > rush[2] > rush[3] >= 0
    assert rush[3] < 0.05 * rush[0]
    assert model.target_bite(Signals(handle_time_target=0.6 * mean)) == 1.0
    assert model.target_bite(Signals()) == 0.0
    # without the call mix every target bites fully
    assert DefaultBehaviour().target_bite(Signals(handle_time_target=1000.0)) == 1.0


def test_a_generous_target_adds_less_stress() -> None:
    from incentsim.behaviour import PeriodOutcome
    from incentsim.scenario import Scenario

    model = DefaultBehaviour.for_scenario(Scenario())
    state = model.initial_state(10, np.random.default_rng(2))

    def stress(target: float) -> float:
        sig = Signals(handle_time_target=target)
        out = PeriodOutcome(bonus=np.zeros(10), rank_percentile=np.full(10, np.nan),
                            warned=np.zeros(10, bool), coached=np.zeros(10, bool),
                            occupancy=np.full(10, 0.8), signals=sig)
        return float(model.update(state, out).stress.mean())

    assert stress(4.0) > stress(20.0) > stress(200.0) - 1e-9

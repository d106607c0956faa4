"""Per-call propensities: conduct follows the returns agents read from the review, nothing else."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_people import reading, readings_strategy

from incentsim.behaviour import DefaultBehaviour, MotivationState, Reading
from incentsim.scenario.behaviour import Behaviour

N = 200


def _state(n: int = N, seed: int = 1, model: DefaultBehaviour | None = None) -> MotivationState:
    return (model or DefaultBehaviour()).initial_state(n, np.random.default_rng(seed))


def plan_for(r: Reading, model: DefaultBehaviour | None = None, state: MotivationState | None = None):
    model = model or DefaultBehaviour()
    state = state if state is not None else _state(r.stakes.size, model=model)
    return model.plan(model.perceive(state, r))


def test_no_consequence_no_gaming_and_no_effort() -> None:
    plan = plan_for(Reading.none(N))
    assert (plan.beg == 0).all() and (plan.dump == 0).all() and (plan.rush == 0).all()
    assert (plan.speed == 1).all()


@settings(max_examples=40, deadline=None)
@given(data=st.data(), n=st.integers(1, 30))
def test_neutral_behaviour_gives_neutral_plan_whatever_the_reading(data: st.DataObject, n: int) -> None:
    model = DefaultBehaviour(Behaviour.neutral())
    plan = plan_for(data.draw(readings_strategy(n)), model)
    assert (plan.care == 1).all() and (plan.speed == 1).all()
    for gaming in (plan.rush, plan.dump, plan.beg, plan.helping):
        assert (gaming == 0).all()


@settings(max_examples=40, deadline=None)
@given(data=st.data(), n=st.integers(1, 30))
def test_propensities_in_range_and_gaming_only_with_its_own_return(data: st.DataObject, n: int) -> None:
    params = Behaviour()
    r = data.draw(readings_strategy(n))
    plan = plan_for(r, DefaultBehaviour(params))
    for p in (plan.rush, plan.dump, plan.beg):
        assert ((p >= 0) & (p <= params.decisions.max_propensity)).all()
    assert ((plan.helping >= 0) & (plan.helping <= 1)).all()
    assert ((plan.care >= params.decisions.care_min) & (plan.care <= params.decisions.care_max)).all()
    assert ((plan.speed >= params.decisions.speed_min) & (plan.speed <= 1)).all()
    for lever, prop in (("beg", plan.beg), ("dump", plan.dump), ("rush", plan.rush)):
        ret = r.returns[:, ["effort", "care", "rush", "beg", "dump", "help"].index(lever)]
        assert (prop[ret <= 0] == 0).all()


def test_each_return_switches_on_its_own_gaming_only() -> None:
    beg = plan_for(reading(N, beg=100.0))
    assert (beg.beg > 0).all() and (beg.dump == 0).all() and (beg.rush == 0).all()
    rush = plan_for(reading(N, rush=100.0, effort=100.0))
    assert (rush.rush > 0).all() and (rush.beg == 0).all() and (rush.speed < 1).all()


def test_gaming_grows_with_its_return_and_with_low_intrinsic_motivation() -> None:
    begs = [plan_for(reading(N, beg=x)).beg.mean() for x in (10, 50, 100, 400)]
    assert np.all(np.diff(begs) > 0)
    state = _state()
    plan = plan_for(reading(N, beg=100.0), state=state)
    low = state.intrinsic < np.median(state.intrinsic)
    assert plan.beg[low].mean() > plan.beg[~low].mean()


def test_threat_felt_raises_gaming() -> None:
    calm = plan_for(reading(N, rush=100.0)).rush.mean()
    threatened = plan_for(reading(N, rush=100.0, p_fire=0.5)).rush.mean()
    assert threatened > calm


def test_care_and_helping_follow_the_sign_of_their_return() -> None:
    none = plan_for(Reading.none(N))
    paid = plan_for(reading(N, care=200.0, help=200.0))
    costly = plan_for(reading(N, care=-200.0, help=-200.0))
    assert (paid.care > none.care).all() and (costly.care < none.care).all()
    assert paid.helping.mean() > none.helping.mean() > costly.helping.mean()


def test_effort_rises_with_its_return() -> None:
    speeds = [plan_for(reading(N, effort=x)).speed[0] for x in (0, 50, 200)]
    assert speeds[0] == 1 and speeds[1] < 1 and speeds[2] < speeds[1]


def test_care_rises_with_intrinsic_motivation_and_falls_with_stress() -> None:
    model, state = DefaultBehaviour(), _state(50)
    care = model.plan(state).care
    assert np.corrcoef(state.intrinsic, care)[0, 1] > 0.99
    stressed = model.plan(state.with_seats(np.arange(50), stress=0.8)).care
    assert (stressed < care).all()


def test_beliefs_move_part_of_the_way_and_new_hires_take_the_first_reading() -> None:
    model = DefaultBehaviour()
    state = model.perceive(_state(4), reading(4, beg=100.0))
    assert np.allclose(state.beliefs.ret("beg"), 100.0)  # fresh: the whole reading
    state = model.perceive(state, reading(4, beg=0.0))
    rate = model.params.perception.belief_rate
    assert np.allclose(state.beliefs.ret("beg"), 100.0 * (1 - rate))
    hired = model.perceive(model.hire(state, 2, np.random.default_rng(0)), reading(4, beg=40.0))
    assert hired.beliefs.ret("beg")[2] == 40.0
    assert np.allclose(hired.beliefs.ret("beg")[[0, 1, 3]], 100.0 * (1 - rate) ** 2 + 40.0 * rate)

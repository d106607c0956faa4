"""Motivation dynamics: reference point, stress from workload, crowding in the centre, hiring."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incentsim.behaviour import DefaultBehaviour, MotivationState, PeriodOutcome
from incentsim.policies.base import Signals
from incentsim.scenario.behaviour import Behaviour

N = 30
BONUS = Signals(individual_metrics=("csat",), contingency="performance", individual_stakes=100.0)


NO_INCENTIVE = Signals()


def outcome(signals: Signals = NO_INCENTIVE, bonus: float = 0.0, occupancy: float = 0.8,
            rank: float = np.nan, warned: bool = False, coached: bool = False) -> PeriodOutcome:
    return PeriodOutcome(bonus=np.full(N, bonus), rank_percentile=np.full(N, rank),
                         warned=np.full(N, warned), coached=np.full(N, coached),
                         occupancy=np.full(N, occupancy), signals=signals)


def run(model: DefaultBehaviour, state: MotivationState, outcomes: list[PeriodOutcome]
        ) -> list[MotivationState]:
    states = [state]
    for out in outcomes:
        states.append(model.update(states[-1], out))
    return states


@pytest.fixture()
def model() -> DefaultBehaviour:
    return DefaultBehaviour()


@pytest.fixture()
def start(model: DefaultBehaviour) -> MotivationState:
    return model.initial_state(N, np.random.default_rng(3))


def test_a_stopped_bonus_is_felt_as_a_loss(model: DefaultBehaviour, start: MotivationState) -> None:
    before = run(model, start, [outcome()] * 4)[-1]
    paid = run(model, before, [outcome(BONUS, bonus=100.0)] * 6)
    assert paid[-1].reference.mean() > 80  # the bonus has become expected
    stopped = run(model, paid[-1], [outcome(Signals(), bonus=0.0)])[-1]
    assert (stopped.fairness < before.fairness).all()
    # and the reference point adapts back down, so the loss fades
    later = run(model, stopped, [outcome()] * 20)[-1]
    assert later.reference.max() < 1.0
    assert np.allclose(later.fairness, before.fairness, atol=0.01)


def test_occupancy_above_comfort_raises_stress(model: DefaultBehaviour,
                                               start: MotivationState) -> None:
    comfort = model.params.stress.comfortable_occupancy
    calm = run(model, start, [outcome(occupancy=comfort - 0.1)] * 5)[-1]
    at_comfort = run(model, start, [outcome(occupancy=comfort)] * 5)[-1]
    busy = run(model, start, [outcome(occupancy=0.97)] * 5)[-1]
    assert np.allclose(calm.stress, at_comfort.stress)
    assert (busy.stress > at_comfort.stress + 0.1).all()


@settings(max_examples=40, deadline=None)
@given(low=st.floats(0, 1), high=st.floats(0, 1))
def test_stress_is_monotone_in_occupancy(low: float, high: float) -> None:
    model = DefaultBehaviour()
    start = model.initial_state(N, np.random.default_rng(0))
    lo, hi = sorted((low, high))
    s_lo = model.update(start, outcome(occupancy=lo)).stress
    s_hi = model.update(start, outcome(occupancy=hi)).stress
    assert (s_hi >= s_lo).all()


def test_threats_bottom_ranks_and_warnings_raise_stress(model: DefaultBehaviour,
                                                        start: MotivationState) -> None:
    base = model.update(start, outcome()).stress
    for out in (outcome(Signals(threat=1.0)), outcome(rank=0.95), outcome(warned=True)):
        assert (model.update(start, out).stress > base).all()
    assert np.allclose(model.update(start, outcome(rank=0.1)).stress, base)


def test_performance_bonus_crowds_out_feedback_and_team_goals_do_not(
        model: DefaultBehaviour, start: MotivationState) -> None:
    bonus = run(model, start, [outcome(BONUS, bonus=100.0)] * 12)[-1]
    team = run(model, start, [outcome(Signals(team_metrics=("csat",), team_stakes=100.0,
                                              contingency="performance"))] * 12)[-1]
    feedback = run(model, start, [outcome(Signals(feedback=1.0))] * 12)[-1]
    trait = start.trait
    assert (bonus.intrinsic <= trait + 1e-12).all() and bonus.intrinsic.mean() < trait.mean() - 0.02
    assert np.allclose(team.intrinsic, trait)
    assert feedback.intrinsic.mean() > trait.mean() + 0.05
    # settled crowding equals the lab effect times the controlling salience (one half at $100)
    expected = np.clip(trait - model.params.motivation.crowding_performance * 0.5, 0, 1)
    assert np.allclose(bonus.intrinsic, expected, atol=1e-3)


def test_intrinsic_motivation_recovers_when_the_reward_stops(
        model: DefaultBehaviour, start: MotivationState) -> None:
    crowded = run(model, start, [outcome(BONUS, bonus=100.0)] * 12)[-1]
    recovered = run(model, crowded, [outcome()] * 30)[-1]
    assert np.allclose(recovered.intrinsic, start.trait, atol=1e-3)


def test_focus_follows_the_incentive(model: DefaultBehaviour, start: MotivationState) -> None:
    focused = run(model, start, [outcome(BONUS, bonus=100.0)] * 10)[-1]
    assert focused.focus.mean() > 0.4
    assert run(model, focused, [outcome()] * 20)[-1].focus.max() < 0.01


def test_hire_resets_only_the_seat(model: DefaultBehaviour, start: MotivationState) -> None:
    worn = run(model, start, [outcome(BONUS, bonus=100.0, occupancy=0.97)] * 6)[-1]
    hired = model.hire(worn, 4, np.random.default_rng(9))
    others = np.arange(N) != 4
    for name in ("intrinsic", "trait", "stress", "fairness", "reference", "focus"):
        assert np.array_equal(getattr(hired, name)[others], getattr(worn, name)[others])
    assert hired.reference[4] == 0 and hired.focus[4] == 0
    assert hired.stress[4] == model.params.stress.new_hire
    assert hired.intrinsic[4] == hired.trait[4]
    assert worn.reference[4] > 0  # the old state is not modified
    several = model.hire(worn, np.array([1, 2]), np.random.default_rng(9))
    assert (several.reference[[1, 2]] == 0).all()


def test_state_rejects_mismatched_arrays() -> None:
    with pytest.raises(ValueError, match="share one shape"):
        MotivationState(intrinsic=np.ones(3), trait=np.ones(3), stress=np.ones(2),
                        fairness=np.ones(3), reference=np.zeros(3), focus=np.zeros(3))


def test_neutral_behaviour_never_moves_intrinsic_motivation() -> None:
    model = DefaultBehaviour(Behaviour.neutral())
    start = model.initial_state(N, np.random.default_rng(1))
    after = run(model, start, [outcome(BONUS, bonus=100.0)] * 5)[-1]
    assert np.allclose(after.intrinsic, start.intrinsic)


def test_initial_state_is_reproducible() -> None:
    a = DefaultBehaviour().initial_state(N, np.random.default_rng(5))
    b = DefaultBehaviour().initial_state(N, np.random.default_rng(5))
    assert np.array_equal(a.intrinsic, b.intrinsic)

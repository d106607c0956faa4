"""Motivation dynamics: reference point, stress, crowding by what the numbers decide, hiring."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_people import reading

from incentsim.behaviour import DefaultBehaviour, MotivationState, PeriodOutcome, Reading
from incentsim.behaviour.state import Beliefs
from incentsim.scenario.behaviour import Behaviour

N = 30


def outcome(bonus: float = 0.0, occupancy: float = 0.8, rank: float = np.nan, warned: bool = False,
            coached: bool = False, colleagues: float = 0.0, process: float = 0.0,
            productivity: float = 0.0) -> PeriodOutcome:
    return PeriodOutcome(bonus=np.full(N, bonus), rank_percentile=np.full(N, rank),
                         warned=np.full(N, warned), fired=np.zeros(N, bool), coached=np.full(N, coached),
                         colleagues_sanctioned=np.full(N, colleagues), occupancy=np.full(N, occupancy),
                         process_share=process, productivity=np.full(N, productivity), wage=3360.0)


def run(model: DefaultBehaviour, state: MotivationState, periods: int, out: PeriodOutcome,
        seen: Reading | None = None) -> MotivationState:
    for _ in range(periods):
        if seen is not None:
            state = model.perceive(state, seen)
        state = model.update(state, out)
    return state


@pytest.fixture()
def model() -> DefaultBehaviour:
    return DefaultBehaviour()


@pytest.fixture()
def start(model: DefaultBehaviour) -> MotivationState:
    return model.perceive(model.initial_state(N, np.random.default_rng(3)), Reading.none(N))


BONUS = reading(N, stakes=100.0, care=50.0)


def test_a_stopped_bonus_is_felt_as_a_loss(model: DefaultBehaviour, start: MotivationState) -> None:
    before = run(model, start, 4, outcome())
    paid = run(model, before, 6, outcome(bonus=100.0), BONUS)
    assert paid.reference.mean() > 80  # the bonus has become expected
    stopped = run(model, paid, 1, outcome(bonus=0.0), Reading.none(N))
    assert (stopped.fairness < before.fairness).all()
    later = run(model, stopped, 20, outcome(), Reading.none(N))
    assert later.reference.max() < 1.0
    assert np.allclose(later.fairness, before.fairness, atol=0.01)


def test_occupancy_above_comfort_raises_stress(model: DefaultBehaviour, start: MotivationState) -> None:
    comfort = model.params.stress.comfortable_occupancy
    calm = run(model, start, 5, outcome(occupancy=comfort - 0.1))
    at_comfort = run(model, start, 5, outcome(occupancy=comfort))
    busy = run(model, start, 5, outcome(occupancy=0.97))
    assert np.allclose(calm.stress, at_comfort.stress)
    assert (busy.stress > at_comfort.stress + 0.1).all()


@settings(max_examples=40, deadline=None)
@given(low=st.floats(0, 1), high=st.floats(0, 1))
def test_stress_is_monotone_in_occupancy(low: float, high: float) -> None:
    model = DefaultBehaviour()
    start = model.initial_state(N, np.random.default_rng(0))
    lo, hi = sorted((low, high))
    assert (model.update(start, outcome(occupancy=hi)).stress
            >= model.update(start, outcome(occupancy=lo)).stress).all()


def test_sanction_risk_colleagues_sanctioned_bottom_ranks_and_warnings_raise_stress(
        model: DefaultBehaviour, start: MotivationState) -> None:
    base = model.update(start, outcome()).stress
    risky = model.perceive(start, reading(N, p_fire=0.3))
    assert (model.update(risky, outcome()).stress > base).all()
    for out in (outcome(colleagues=0.2), outcome(rank=0.95), outcome(warned=True)):
        assert (model.update(start, out).stress > base).all()
    assert np.allclose(model.update(start, outcome(rank=0.1)).stress, base)


@settings(max_examples=30, deadline=None)
@given(a=st.floats(0, 1), b=st.floats(0, 1))
def test_threat_from_colleagues_is_monotone(a: float, b: float) -> None:
    model = DefaultBehaviour()
    start = model.initial_state(N, np.random.default_rng(0))
    lo, hi = sorted((a, b))
    assert (model.update(start, outcome(colleagues=hi)).stress
            >= model.update(start, outcome(colleagues=lo)).stress - 1e-12).all()


def test_money_at_stake_crowds_out_whether_individual_or_team(model: DefaultBehaviour,
                                                              start: MotivationState) -> None:
    """A team reward is a contingent reward too: the money riding on one's numbers crowds out."""
    trait = start.trait
    staked = run(model, start, 12, outcome(bonus=50.0), reading(N, stakes=100.0))
    little = run(model, start, 12, outcome(bonus=50.0), reading(N, stakes=20.0))
    sure = run(model, start, 12, outcome(bonus=100.0), reading(N, stakes=0.0, pay=100.0))
    assert staked.intrinsic.mean() < little.intrinsic.mean() < trait.mean()
    assert np.allclose(sure.intrinsic, trait)  # pay that does not depend on the numbers
    # settled crowding: the lab effect of a performance-contingent reward times the felt stakes (1/2 at $100)
    expected = np.clip(trait - model.params.motivation.crowding_performance * 0.5, 0, 1)
    assert np.allclose(staked.intrinsic, expected, atol=1e-3)


def test_completion_contingent_pay_crowds_out_more(model: DefaultBehaviour, start: MotivationState) -> None:
    performance = run(model, start, 12, outcome(), reading(N, stakes=100.0, completion=0.0))
    completion = run(model, start, 12, outcome(), reading(N, stakes=100.0, completion=1.0))
    assert completion.intrinsic.mean() < performance.intrinsic.mean()


def test_feedback_from_coaching_and_process_work_raises_intrinsic(model: DefaultBehaviour,
                                                                  start: MotivationState) -> None:
    coached = run(model, start, 12, outcome(coached=True))
    involved = run(model, start, 12, outcome(process=1.0))
    assert coached.intrinsic.mean() > start.trait.mean() + 0.02
    assert involved.intrinsic.mean() > start.trait.mean() + 0.02


def test_intrinsic_motivation_recovers_when_the_stakes_go(model: DefaultBehaviour,
                                                          start: MotivationState) -> None:
    crowded = run(model, start, 12, outcome(bonus=100.0), BONUS)
    recovered = run(model, crowded, 30, outcome(), Reading.none(N))
    assert np.allclose(recovered.intrinsic, start.trait, atol=1e-3)


def test_focus_follows_what_the_numbers_decide(model: DefaultBehaviour, start: MotivationState) -> None:
    focused = run(model, start, 10, outcome(bonus=100.0), reading(N, stakes=100.0, ranked=1.0))
    assert focused.focus.mean() > 0.4
    assert run(model, focused, 20, outcome(), Reading.none(N)).focus.max() < 0.01


def test_being_ranked_costs_fairness(model: DefaultBehaviour, start: MotivationState) -> None:
    plain = run(model, start, 6, outcome())
    ranked = run(model, start, 6, outcome(rank=0.5), reading(N, ranked=1.0))
    assert (ranked.fairness < plain.fairness).all()


def test_hire_resets_only_the_seat(model: DefaultBehaviour, start: MotivationState) -> None:
    worn = run(model, start, 6, outcome(bonus=100.0, occupancy=0.97), BONUS)
    hired = model.hire(worn, 4, np.random.default_rng(9))
    others = np.arange(N) != 4
    for name in ("intrinsic", "trait", "stress", "fairness", "reference", "focus"):
        assert np.array_equal(getattr(hired, name)[others], getattr(worn, name)[others])
    assert hired.reference[4] == 0 and hired.focus[4] == 0
    assert hired.stress[4] == model.params.stress.new_hire
    assert hired.intrinsic[4] == hired.trait[4]
    assert hired.beliefs.fresh[4] and not hired.beliefs.fresh[others].any()
    assert worn.reference[4] > 0  # the old state is not modified
    several = model.hire(worn, np.array([1, 2]), np.random.default_rng(9))
    assert (several.reference[[1, 2]] == 0).all()


def test_state_rejects_mismatched_arrays() -> None:
    with pytest.raises(ValueError, match="share one shape"):
        MotivationState(intrinsic=np.ones(3), trait=np.ones(3), stress=np.ones(2), fairness=np.ones(3),
                        reference=np.zeros(3), focus=np.zeros(3), colleagues_sanctioned=np.zeros(3),
                        feedback=np.zeros(3), beliefs=Beliefs.empty(3))


def test_neutral_behaviour_never_moves_intrinsic_motivation() -> None:
    model = DefaultBehaviour(Behaviour.neutral())
    start = model.initial_state(N, np.random.default_rng(1))
    after = run(model, start, 5, outcome(bonus=100.0), BONUS)
    assert np.allclose(after.intrinsic, start.intrinsic)


def test_initial_state_is_reproducible() -> None:
    a = DefaultBehaviour().initial_state(N, np.random.default_rng(5))
    b = DefaultBehaviour().initial_state(N, np.random.default_rng(5))
    assert np.array_equal(a.intrinsic, b.intrinsic)

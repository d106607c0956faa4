"""Quitting rises with stress, unfairness and pay below market value, from a monthly baseline."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incentsim.behaviour import MotivationState, quit_probability
from incentsim.behaviour.state import Beliefs
from incentsim.scenario.behaviour import Attrition, Behaviour

unit = st.floats(0, 1)


def state(stress: float, fairness: float, reference: float = 0.0) -> MotivationState:
    one = np.ones(1)
    return MotivationState(intrinsic=0.7 * one, trait=0.7 * one, stress=stress * one,
                           fairness=fairness * one, reference=reference * one, focus=0 * one,
                           colleagues_sanctioned=0 * one, feedback=0 * one, beliefs=Beliefs.empty(1))


@settings(max_examples=100, deadline=None)
@given(a=unit, b=unit, fairness=unit)
def test_quit_probability_increases_with_stress(a: float, b: float, fairness: float) -> None:
    lo, hi = sorted((a, b))
    params = Attrition()
    p_lo = quit_probability(state(lo, fairness), params)[0]
    p_hi = quit_probability(state(hi, fairness), params)[0]
    assert 0 <= p_lo <= p_hi <= 1
    if hi - lo > 1e-3:
        assert p_hi > p_lo


@settings(max_examples=100, deadline=None)
@given(a=unit, b=unit, stress=unit)
def test_quit_probability_decreases_with_fairness(a: float, b: float, stress: float) -> None:
    lo, hi = sorted((a, b))
    params = Attrition()
    assert quit_probability(state(stress, hi), params)[0] <= quit_probability(
        state(stress, lo), params)[0]


def test_baseline_rate_at_reference_state() -> None:
    params = Attrition()
    p = quit_probability(state(params.reference_stress, params.reference_fairness), params)
    assert p[0] == pytest.approx(params.monthly_quit_rate)
    quarterly = quit_probability(state(params.reference_stress, params.reference_fairness), params,
                                 months_per_period=3)
    assert quarterly[0] == pytest.approx(1 - (1 - params.monthly_quit_rate) ** 3)


def test_neutral_behaviour_has_no_quits() -> None:
    assert (quit_probability(state(1.0, 0.0), Behaviour.neutral().attrition) == 0).all()


@settings(max_examples=100, deadline=None)
@given(a=st.floats(-3, 3), b=st.floats(-3, 3), pay=st.floats(0, 500))
def test_the_more_productive_leave_more_unless_pay_tracks_it(a: float, b: float, pay: float) -> None:
    """Sorting (Lazear 2000): quits rise with market value and fall with the bonus one expects."""
    lo, hi = sorted((a, b))
    params = Attrition()
    ref = state(params.reference_stress, params.reference_fairness, reference=pay)
    p_lo = quit_probability(ref, params, productivity=np.array([lo]), wage=3360.0)[0]
    p_hi = quit_probability(ref, params, productivity=np.array([hi]), wage=3360.0)[0]
    assert p_lo <= p_hi
    unpaid = quit_probability(state(params.reference_stress, params.reference_fairness), params,
                              productivity=np.array([hi]), wage=3360.0)[0]
    assert quit_probability(ref, params, productivity=np.array([hi]), wage=3360.0)[0] <= unpaid


def test_no_sorting_where_people_do_not_differ_and_pay_is_flat() -> None:
    params = Attrition()
    p = quit_probability(state(params.reference_stress, params.reference_fairness), params,
                         productivity=np.zeros(1), wage=3360.0)
    assert p[0] == pytest.approx(params.monthly_quit_rate)

"""Quitting rises with stress and unfairness, from a monthly baseline."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incentsim.behaviour import MotivationState, quit_probability
from incentsim.scenario.behaviour import Attrition, Behaviour

unit = st.floats(0, 1)


def state(stress: float, fairness: float) -> MotivationState:
    one = np.ones(1)
    return MotivationState(intrinsic=0.7 * one, trait=0.7 * one, stress=stress * one,
                           fairness=fairness * one, reference=0 * one, focus=0 * one)


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

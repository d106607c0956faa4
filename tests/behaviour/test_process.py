"""Process learning: management time on the process and helping lower handle time and escalations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incentsim.behaviour import ProcessState, improve
from incentsim.scenario.behaviour import Improvement

DEFAULTS = Improvement()
FIELDS = ("handle_time_factor", "escalation_factor", "defect_factor", "variation_factor")


def evolve(share: float, helping: float, periods: int, params: Improvement = DEFAULTS) -> ProcessState:
    state = ProcessState()
    for _ in range(periods):
        state = improve(state, share, helping, params)
    return state


def test_no_effort_no_change() -> None:
    assert evolve(0.0, 0.0, 12) == ProcessState()


def test_management_time_drives_factors_to_their_floors() -> None:
    params = Improvement()
    end = evolve(1.0, 0.0, 200, params)
    assert end.handle_time_factor == pytest.approx(params.handle_time_floor, abs=1e-6)
    assert end.escalation_factor == pytest.approx(params.escalation_floor, abs=1e-6)
    assert end.defect_factor == pytest.approx(params.defect_floor, abs=1e-6)
    assert end.variation_factor == pytest.approx(params.variation_floor, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(share=st.floats(0, 1), helping=st.floats(0, 1), periods=st.integers(0, 30))
def test_factors_fall_monotonically_and_respect_floors(share: float, helping: float, periods: int) -> None:
    params = Improvement()
    state = ProcessState()
    for _ in range(periods):
        new = improve(state, share, helping, params)
        for name in FIELDS:
            assert getattr(new, name) <= getattr(state, name)
        state = new
    assert state.handle_time_factor >= params.handle_time_floor
    assert state.escalation_factor >= params.escalation_floor


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0, 1), b=st.floats(0, 1))
def test_more_process_time_improves_more(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    low, high = evolve(lo, 0.1, 6), evolve(hi, 0.1, 6)
    for name in FIELDS:
        assert getattr(high, name) <= getattr(low, name)


def test_helping_lowers_handle_time_and_escalations_not_defects() -> None:
    end = evolve(0.0, 0.5, 6)
    assert end.handle_time_factor < 1 and end.escalation_factor < 1
    assert end.defect_factor == 1 and end.variation_factor == 1

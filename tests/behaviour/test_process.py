"""Process learning: management time, helping and feedback lower handle time and escalations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incentsim.behaviour import DefaultBehaviour, ProcessState, improve
from incentsim.policies.base import Signals
from incentsim.scenario.behaviour import Improvement

DEFAULTS = Improvement()
FIELDS = ("handle_time_factor", "escalation_factor", "defect_factor", "variation_factor")


def evolve(signals: Signals, helping: float, feedback: float, periods: int,
           params: Improvement = DEFAULTS) -> ProcessState:
    state = ProcessState()
    for _ in range(periods):
        state = improve(state, signals, helping, feedback, params)
    return state


def test_no_effort_no_change() -> None:
    assert evolve(Signals(), 0.0, 0.0, 12) == ProcessState()


def test_management_time_drives_factors_to_their_floors() -> None:
    params = Improvement()
    end = evolve(Signals(process_improvement=1.0), 0.0, 0.0, 200, params)
    assert end.handle_time_factor == pytest.approx(params.handle_time_floor, abs=1e-6)
    assert end.escalation_factor == pytest.approx(params.escalation_floor, abs=1e-6)
    assert end.defect_factor == pytest.approx(params.defect_floor, abs=1e-6)
    assert end.variation_factor == pytest.approx(params.variation_floor, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(pi=st.floats(0, 1), helping=st.floats(0, 1), feedback=st.floats(0, 1),
       periods=st.integers(0, 30))
def test_factors_fall_monotonically_and_respect_floors(pi: float, helping: float, feedback: float,
                                                       periods: int) -> None:
    params = Improvement()
    state = ProcessState()
    for _ in range(periods):
        new = improve(state, Signals(process_improvement=pi), helping, feedback, params)
        for name in FIELDS:
            assert getattr(new, name) <= getattr(state, name)
        state = new
    assert state.handle_time_factor >= params.handle_time_floor
    assert state.escalation_factor >= params.escalation_floor


def test_helping_lowers_handle_time_and_escalations_not_defects() -> None:
    end = evolve(Signals(), 0.5, 0.0, 6)
    assert end.handle_time_factor < 1 and end.escalation_factor < 1
    assert end.defect_factor == 1 and end.variation_factor == 1


def test_ranking_slows_improvement_through_helping() -> None:
    model = DefaultBehaviour()
    state = model.initial_state(40, np.random.default_rng(2))
    team = Signals(team_metrics=("csat",), team_stakes=100.0, feedback=0.5)
    ranked = Signals(team_metrics=("csat",), team_stakes=100.0, feedback=0.5, ranking=True)
    shared = evolve(team, model.plan(state, team).helping.mean(), 0.5, 6)
    competing = evolve(ranked, model.plan(state, ranked).helping.mean(), 0.5, 6)
    assert shared.handle_time_factor < competing.handle_time_factor

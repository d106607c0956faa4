"""Engine invariants over generated scenarios: calls are conserved, times ordered, one call per agent."""

from __future__ import annotations

import pytest
from engine_checks import check_run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import small_scenarios

import incentsim as isim


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=small_scenarios(), seed=st.integers(0, 2**32 - 1))
def test_invariants_hold_on_generated_scenarios(scenario: isim.Scenario, seed: int) -> None:
    check_run(isim.simulate(scenario, seed=seed))


def test_invariants_on_baseline_slice() -> None:
    sc = isim.Scenario.load("scenarios/baseline.toml").replace(**{"center.months": 1, "center.days_per_month": 3})
    run = isim.simulate(sc, seed=11)
    check_run(run)
    assert run.summary()["calls"] > 5000



@pytest.mark.parametrize("seed", range(12))
def test_repeat_calls_keep_their_ids_across_periods(seed: int) -> None:
    """Repeat calls added in every period are numbered apart and point at a call that came back.

    Regression: a period adding as many repeat calls as the one before numbered them as the
    earlier period's. A few repeat calls per period make equal counts common.
    """
    sc = isim.Scenario.erlang(3, 15.0, 6.0, hours=1.0).replace(**{
        "center.months": 6, "center.days_per_month": 1, "customers.repeat_chance": 0.5,
        "customers.repeat_delay_hours": 0.2, "demand.call_types": (isim.scenario.CallType(
            name="a", share=1.0, handle_time=isim.scenario.Duration(law="exponential", mean=6.0),
            resolution=0.5),)})
    run = isim.simulate(sc, seed=seed)
    check_run(run)
    calls = run.calls
    assert calls["call_id"].is_unique
    repeats = calls[calls["repeat_of"] >= 0]
    assert set(repeats["repeat_of"]) <= set(calls.loc[calls["came_back"], "call_id"])

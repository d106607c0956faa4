"""Engine invariants over generated scenarios: calls are conserved, times ordered, one call per agent."""

from __future__ import annotations

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

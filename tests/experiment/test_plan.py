"""Plan validation and batching."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_experiment import fake_policies, small_baseline

import incentsim as isim
from incentsim.errors import InputError
from incentsim.experiment.plan import Plan


def fields(exc: InputError) -> set[str]:
    return {p.field for p in exc.problems}


def test_every_bad_option_is_named_in_one_error() -> None:
    with pytest.raises(InputError) as info:
        Plan.build(small_baseline(), fake_policies(), replications=0, seed=-1,
                   baseline="nobody", batch_size=0)
    assert {"replications", "seed", "baseline", "batch_size"} <= fields(info.value)
    assert "flat, up, same" in str(info.value)  # the allowed baselines are listed


def test_a_scenario_without_policies_says_how_to_declare_one() -> None:
    with pytest.raises(InputError) as info:
        Plan.build(small_baseline(policies={}, baseline=""), None)
    assert fields(info.value) == {"policies"}
    assert "[policies.flat]" in str(info.value)


def test_declared_policies_and_baseline_are_used() -> None:
    sc = small_baseline(policies={"flat": {"type": "Flat"},
                                  "aht": {"type": "HandleTimeTarget", "minutes": 6.0}},
                        baseline="aht")
    plan = Plan.build(sc, None, replications=2)
    assert list(plan.policies) == ["flat", "aht"]
    assert plan.baseline == "aht"
    assert plan.policies["aht"] == isim.policies.HandleTimeTarget(minutes=6.0)


def test_non_policy_objects_are_refused_by_name() -> None:
    with pytest.raises(InputError) as info:
        Plan.build(small_baseline(), {"flat": isim.policies.Flat(), "oops": "Flat"})
    assert fields(info.value) == {"policies.oops"}


def test_sweep_is_a_full_factorial_with_value_columns() -> None:
    plan = Plan.build(small_baseline(), fake_policies(), replications=2,
                      sweep={"center.tier1_agents": [8, 12], "people.speed_sd": [0.0, 0.1, 0.2]})
    assert len(plan.points) == 6
    assert len(plan.cells()) == 6 * 3 * 2
    point = plan.points[5]
    assert point.scenario.center.tier1_agents == 12 and point.scenario.people.speed_sd == 0.2
    assert point.labels["center.tier1_agents"] == 12
    assert len({p.scenario.hash for p in plan.points}) == 6


@pytest.mark.parametrize("sweep, field", [
    ({"center.tier1_agents": [0, 5]}, "sweep.center.tier1_agents"),
    ({"centre.tier1_agents": [5]}, "sweep.centre.tier1_agents"),
    ({"center.tier1_agents": []}, "sweep.center.tier1_agents"),
    ({"policy": [1]}, "sweep.policy"),
])
def test_bad_sweeps_name_the_key(sweep: dict, field: str) -> None:
    with pytest.raises(InputError) as info:
        Plan.build(small_baseline(), fake_policies(), sweep=sweep)
    assert field in fields(info.value)


def test_several_scenarios_need_distinct_names() -> None:
    with pytest.raises(InputError) as info:
        Plan.build([small_baseline(), small_baseline()], fake_policies())
    assert fields(info.value) == {"scenario.name"}


@settings(max_examples=60, deadline=None)
@given(replications=st.integers(1, 40), workers=st.integers(1, 16),
       batch_size=st.one_of(st.none(), st.integers(1, 12)),
       drop=st.sets(st.integers(0, 200), max_size=30))
def test_tasks_cover_each_missing_cell_exactly_once(replications: int, workers: int,
                                                    batch_size: int | None, drop: set[int]) -> None:
    plan = Plan.build(small_baseline(), fake_policies(), replications=replications,
                      batch_size=batch_size)
    cells = [c for i, c in enumerate(plan.cells()) if i not in drop]
    tasks = plan.tasks(cells, workers)
    covered = [(plan.points.index(next(p for p in plan.points if p.scenario is t.scenario)),
                t.policy_name, r) for t in tasks for r in t.replications]
    assert sorted(covered) == sorted(tuple(c) for c in cells)
    assert len({t.name for t in tasks}) == len(tasks)
    size = plan.choose_batch_size(len(cells), workers)
    assert all(1 <= len(t.replications) <= size for t in tasks)
    if batch_size is not None:
        assert size == batch_size


def test_small_replications_are_batched_but_every_worker_gets_work() -> None:
    plan = Plan.build(small_baseline(), fake_policies(), replications=30)
    size = plan.choose_batch_size(len(plan.cells()), workers=2)
    assert size > 1  # ~8,000 calls a replication: cheap, so batched
    assert len(plan.tasks(plan.cells(), workers=2)) >= 2 * 4
    big = Plan.build(isim.Scenario.load(small_baseline.__globals__["BASELINE"]), fake_policies(),
                     replications=30)
    assert big.choose_batch_size(len(big.cells()), workers=2) == 1  # ~250,000 calls: one each

"""The assumption registry, the scenario's [robustness] table and the unit-cube mapping."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import incentsim as isim
from incentsim.errors import InputError
from incentsim.robustness.assumptions import Assumption, apply, assumptions_for, registry
from incentsim.robustness.schema import field_facts, value_at


def test_every_registry_key_is_a_numeric_field_with_its_default_inside_the_range() -> None:
    default = isim.Scenario()
    entries = registry()
    assert len(entries) > 50
    assert len({a.key for a in entries}) == len(entries)
    for a in entries:
        facts = field_facts(a.key)
        assert not isinstance(facts, str), f"{a.key}: {facts}"
        assert a.low < a.high, a.key
        assert facts.admits(a.low) and facts.admits(a.high), f"{a.key} range leaves the field's bounds"
        assert a.low <= value_at(default, a.key) <= a.high, f"{a.key}: default outside its range"
        assert a.reason, f"{a.key} has no reason"
        assert a.scale in ("linear", "log")
        assert a.scale == "linear" or a.low > 0


def test_scenarios_drawn_from_the_whole_box_validate() -> None:
    from SALib.sample import sobol

    entries = registry()
    unit = sobol.sample({"num_vars": len(entries), "names": [a.key for a in entries],
                         "bounds": [[0, 1]] * len(entries)}, 8, calc_second_order=False, seed=3)
    rows = np.vstack([unit[::7], np.zeros(len(entries)), np.ones(len(entries))])
    base = isim.Scenario.shipped("baseline")
    for i, row in enumerate(rows):
        values = [a.from_unit(np.array([u]))[0] for a, u in zip(entries, row, strict=True)]
        apply(base, entries, values, name=f"p{i}")  # raises if any combination is invalid


def test_shipped_scenarios_resolve_their_assumptions() -> None:
    for name in isim.Scenario.shipped_names():
        varied, notes = assumptions_for(isim.Scenario.shipped(name))
        assert varied
        for note in notes:
            assert "widened" in note


def test_a_range_is_widened_to_hold_the_scenario_value_and_noted() -> None:
    sc = isim.Scenario().replace(**{"people.speed_sd": 0.5})
    varied, notes = assumptions_for(sc)
    speed = next(a for a in varied if a.key == "people.speed_sd")
    assert speed.high == 0.5
    assert any("people.speed_sd" in n for n in notes)


def test_the_robustness_table_narrows_adds_excludes_and_selects() -> None:
    text = isim.Scenario().to_toml() + (
        '[robustness]\nexclude = ["costs.hiring_cost"]\n'
        '[robustness.ranges]\n"behaviour.decisions.dump_scale" = [0.2, 0.4]\n'
        '"demand.calls_per_hour" = { range = [350.0, 420.0], reason = "forecast error" }\n')
    sc = isim.Scenario.from_toml(text)
    varied, _ = assumptions_for(sc)
    keys = {a.key: a for a in varied}
    assert "costs.hiring_cost" not in keys
    assert (keys["behaviour.decisions.dump_scale"].low, keys["behaviour.decisions.dump_scale"].high) == (0.2, 0.4)
    assert keys["behaviour.decisions.dump_scale"].reason  # the registry's reason is kept
    assert keys["demand.calls_per_hour"].reason == "forecast error"
    assert keys["demand.calls_per_hour"].origin == "scenario"
    assert isim.Scenario.from_toml(sc.to_toml()) == sc
    only = isim.Scenario.from_toml(isim.Scenario().to_toml() + '[robustness]\nonly = ["tier2.resolution"]\n')
    assert [a.key for a in assumptions_for(only)[0]] == ["tier2.resolution"]


def test_an_empty_table_changes_neither_the_file_nor_the_hash() -> None:
    sc = isim.Scenario.shipped("baseline")
    assert "robustness" not in sc.to_toml()
    assert isim.Scenario.from_toml(sc.to_toml() + "[robustness]\n").hash == sc.hash


@pytest.mark.parametrize("table, field", [
    ('[robustness.ranges]\n"behaviour.decisions.dumpscale" = [0.0, 0.2]\n', "dumpscale"),
    ('[robustness.ranges]\n"behaviour.decisions.dump_scale" = [0.3, 0.2]\n', "low < high"),
    ('[robustness]\nexclude = ["demand.call_types"]\n', "not a number field"),
    ('[robustness]\nonly = ["behaviour.decisions"]\n', "names a block"),
])
def test_a_bad_table_is_one_error_naming_the_key(table: str, field: str) -> None:
    with pytest.raises(InputError) as info:
        isim.Scenario.from_toml(isim.Scenario().to_toml() + table)
    assert field in str(info.value) and "robustness" in str(info.value)


def test_a_range_outside_the_field_bounds_is_refused() -> None:
    with pytest.raises(InputError, match="bounds"):
        assumptions_for(isim.Scenario(), {"measurement.surveys.response_rate": (0.1, 1.5)})


def test_only_needs_a_known_key() -> None:
    sc = isim.Scenario.from_toml(isim.Scenario().to_toml() + '[robustness]\nonly = ["center.wage_per_hour"]\n')
    with pytest.raises(InputError, match="robustness.only.center.wage_per_hour"):
        assumptions_for(sc)


@settings(max_examples=60, deadline=None)
@given(low=st.floats(0.01, 10), width=st.floats(0.01, 100), u=st.floats(0, 1),
       scale=st.sampled_from(["linear", "log"]))
def test_unit_mapping_stays_in_range_and_inverts(low: float, width: float, u: float, scale: str) -> None:
    a = Assumption("x", low, low + width, scale=scale)
    value = float(a.from_unit(np.array([u]))[0])
    assert a.low - 1e-9 <= value <= a.high + 1e-9
    assert math.isclose(float(a.to_unit(np.array([value]))[0]), u, abs_tol=1e-9)


def test_integer_assumptions_take_every_whole_value_equally() -> None:
    a = Assumption("measurement.qa.samples", 2, 5, integer=True)
    values = a.from_unit(np.linspace(0, 1, 4001))
    counts = np.unique(values, return_counts=True)
    assert list(counts[0]) == [2, 3, 4, 5]
    assert counts[1].min() >= 990

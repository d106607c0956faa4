"""Scenario validation, TOML round trip, stable hash, Erlang builder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError
from strategies import small_scenarios

import incentsim as isim
from incentsim.errors import InputError
from incentsim.scenario import Center, Customers
from incentsim.scenario.base import field_bound


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=small_scenarios())
def test_toml_round_trip_identical(scenario: isim.Scenario) -> None:
    text = scenario.to_toml()
    back = isim.Scenario.from_toml(text)
    assert back == scenario
    assert back.hash == scenario.hash
    assert back.to_toml() == text


def test_hash_ignores_key_order_and_layout() -> None:
    a = isim.Scenario.from_toml('[center]\ntier1_agents = 9\nmonths = 2\n')
    b = isim.Scenario.from_toml('[center]\nmonths = 2\ntier1_agents = 9 # nine\n')
    assert a.hash == b.hash
    assert a.hash != isim.Scenario.from_toml('[center]\ntier1_agents = 10\nmonths = 2\n').hash


def test_all_problems_reported_at_once_with_paths() -> None:
    bad = """
[center]
tier1_agents = -3
hours_per_day = 30
colour = "blue"

[customers.patience]
law = "sometimes"

[policies.bonus]
type = "Bribe"
"""
    with pytest.raises(InputError) as err:
        isim.Scenario.from_toml(bad, source="bad.toml")
    msg = str(err.value)
    assert "bad.toml" in msg
    for path in ("center.tier1_agents", "center.hours_per_day", "center.colour", "customers.patience.law",
                 "policies.bonus.type"):
        assert path in msg, path
    assert "'none', 'exponential' or 'lognormal'" in msg
    assert "Flat" in msg  # the allowed policy types are listed
    assert len(err.value.problems) == 5


def test_each_bad_policy_parameter_has_its_own_path() -> None:
    bad = """
[policies.bonus]
type = "IndividualBonus"
metric = "bogus"
threshold = 0.9
amount = 100

[policies.target]
type = "HandleTimeTarget"
minutes = 6
colour = "red"

[policies.odd]
type = "Flat"
"""
    with pytest.raises(InputError) as err:
        isim.Scenario.from_toml(bad)
    fields = [p.field for p in err.value.problems]
    assert fields == ["policies.bonus.metric", "policies.target.colour"]
    assert "aht, qa, csat" in str(err.value) and "allowed: minutes" in str(err.value)


def test_not_toml_and_missing_file() -> None:
    with pytest.raises(InputError, match="not valid TOML"):
        isim.Scenario.from_toml("[center\n")
    with pytest.raises(InputError, match="cannot read"):
        isim.Scenario.load("/nonexistent/file.toml")


def test_intraday_profile_length_checked() -> None:
    with pytest.raises(InputError, match="intraday_profile"):
        isim.Scenario.from_dict({"center": {"hours_per_day": 8}, "demand": {"intraday_profile": [1, 2]}})
    isim.Scenario.from_dict({"center": {"hours_per_day": 2}, "demand": {"intraday_profile": [1, 2]}})


def test_replace_dotted_and_validated() -> None:
    sc = isim.Scenario().replace(**{"center.tier1_agents": 7, "customers.patience.mean": 2.0})
    assert sc.center.tier1_agents == 7 and sc.customers.patience.mean == 2.0
    with pytest.raises(InputError, match="center.tier1_agents"):
        isim.Scenario().replace(**{"center.tier1_agents": 0})


def test_save_load(tmp_path: Path) -> None:
    sc = isim.Scenario.load("scenarios/baseline.toml")
    path = sc.save(tmp_path / "copy.toml")
    assert isim.Scenario.load(path) == sc


def test_erlang_is_pure_queueing() -> None:
    sc = isim.Scenario.erlang(12, 120, 5.0, mean_patience=3.0, hours=100)
    assert sc.center.tier2_agents == 0 and sc.customers.repeat_chance == 0
    assert sc.system.defect_day_probability == 0 and len(sc.demand.call_types) == 1
    assert sc.demand.call_types[0].handle_time.law == "exponential"
    assert sc.customers.patience.law == "exponential" and sc.customers.patience.mean == 3.0
    assert isim.Scenario.erlang(3, 10, 5.0).customers.patience.law == "none"
    horizon = sc.center.hours_per_day * sc.center.days_per_month * sc.center.months
    assert horizon == pytest.approx(100)


def test_shipped_scenarios_load() -> None:
    files = sorted(Path("scenarios").glob("*.toml"))
    assert files
    for f in files:
        isim.Scenario.load(f)


def test_cli_bad_scenario_exit_code_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[center]\ntier1_agents = 0\n")
    proc = subprocess.run([sys.executable, "-m", "incentsim", "simulate", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "center.tier1_agents" in proc.stderr
    assert proc.stderr.count("error:") == 1


def test_shipped_library_by_name() -> None:
    from incentsim.scenario.shipped import resolve

    names = isim.Scenario.shipped_names()
    assert {"baseline", "people_differ", "rank_churn_55_agents"} <= set(names)
    assert isim.Scenario.shipped("baseline") == isim.Scenario.load("scenarios/baseline.toml")
    assert resolve("forced_ranking").name == "forced_ranking.toml"
    assert resolve("scenarios/baseline.toml") == Path("scenarios/baseline.toml")
    with pytest.raises(InputError, match="shipped: baseline"):
        isim.Scenario.shipped("nope")
    with pytest.raises(InputError, match="cannot read: no such file"):
        resolve("missing/elsewhere.toml")


def test_baseline_file_documents_the_package_defaults() -> None:
    """baseline.toml writes every parameter out; its world must be the package default."""
    sc = isim.Scenario.load("scenarios/baseline.toml")
    default = isim.Scenario(name=sc.name, description=sc.description, policies=sc.policies,
                            baseline=sc.baseline)
    assert sc == default


@pytest.mark.parametrize(("block", "name", "side", "over"), [
    (Center, "tier1_agents", "le", 1), (Center, "months", "le", 1), (Customers, "repeat_delay_hours", "ge", -0.001),
])
def test_field_bound_is_the_bound_validation_enforces(block: type, name: str, side: str, over: float) -> None:
    bound = field_bound(block, name, side)
    block(**{name: bound})  # the bound itself is allowed
    with pytest.raises(ValidationError, match=name):
        block(**{name: bound + over})


def test_field_bound_of_an_unbounded_side_is_refused() -> None:
    with pytest.raises(KeyError, match="Center.tier1_agents has no lt bound"):
        field_bound(Center, "tier1_agents", "lt")

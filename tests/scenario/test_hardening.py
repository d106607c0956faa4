"""Regression tests for hostile scenario files (issue 12): one per defect found.

Each input that once gave a traceback, ran with inf or NaN, or asked for more
memory than a machine has now gives one InputError naming the field, and the
command line exits 2 writing nothing.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import Field
from strategies_experiment import small_baseline

import incentsim as isim
from incentsim.cli import main
from incentsim.errors import InputError
from incentsim.scenario.base import MAX_MAGNITUDE, Block
from incentsim.scenario.limits import (
    MAX_AGENT_PERIODS,
    MAX_CALLS_PER_PERIOD,
    MAX_CALLS_PER_REPLICATION,
    estimate,
)

TINY = small_baseline(name="tiny", policies={"flat": {"type": "Flat"}}, baseline="flat")


def tiny_file(tmp_path: Path, key: str, value: str) -> Path:
    """The tiny scenario's TOML with ``key = value`` replaced (the first such line)."""
    text, count = re.subn(rf"^{key} = .*$", lambda _: f"{key} = {value}", TINY.to_toml(), count=1,
                          flags=re.M)
    assert count == 1, key
    path = tmp_path / "tiny.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        isim.Scenario.load(path)
    return info.value


def run_exits_2(path: Path, tmp_path: Path) -> str:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(out), "-n", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert not out.exists() and not list(tmp_path.glob(".out.*"))
    return result.output


@pytest.mark.parametrize("key, value, field, words", [
    ("calls_per_hour", "inf", "demand.calls_per_hour", "finite"),
    ("calls_per_hour", "nan", "demand.calls_per_hour", "finite"),
    ("calls_per_hour", "1e300", "demand.calls_per_hour", "less than or equal to 1000000"),
    ("calls_per_hour", "true", "demand.calls_per_hour", "not a boolean"),
    ("calls_per_hour", '"46"', "demand.calls_per_hour", "not a string"),
    ("population", str(2**64), "customers.population", "less than or equal"),
    ("months", "1.0", "center.months", "whole number"),
    ("intercept", "nan", "measurement.satisfaction.intercept", "finite"),
    ("wage_per_hour", "inf", "center.wage_per_hour", "finite"),
    ("hours_per_day", "1e-9", "center.hours_per_day", "greater than or equal to 0.1"),
    ("intraday_profile", "[1.0, nan, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]", "demand.intraday_profile",
     "entry 1"),
])
def test_non_finite_wrongly_typed_and_extreme_numbers_are_refused(
        tmp_path: Path, key: str, value: str, field: str, words: str) -> None:
    error = load_error(tiny_file(tmp_path, key, value))
    assert field in {p.field for p in error.problems}, error
    assert words in str(error)
    assert "tiny.toml" in run_exits_2(tmp_path / "tiny.toml", tmp_path)


def test_unbounded_fields_get_the_general_limit_including_fields_added_later() -> None:
    # Every shipped field states its own bounds; any block written later without them
    # still gets the general limit: the rules live in the shared base.
    class Later(Block):
        rate: float = Field(default=1.0, ge=0)
        shift: float = 0.0
        counts: tuple[float, ...] = ()

    assert Later(rate=MAX_MAGNITUDE, shift=-MAX_MAGNITUDE).rate == MAX_MAGNITUDE
    for bad in ({"rate": 2e6}, {"shift": -2e6}, {"rate": math.inf}, {"shift": True},
                {"counts": [1.0, math.nan]}, {"rate": "3"}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            Later(**bad)


@pytest.mark.parametrize("make, field", [
    (lambda p: p.write_bytes(TINY.to_toml().replace('name = "tiny"', 'name = "été"')
                             .encode("latin-1")), "file"),
    (lambda p: p.write_text(TINY.to_toml().replace("months = 1", "months = " + "9" * 5000)), "toml"),
    (lambda p: p.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n" + TINY.to_toml()), "toml"),
    (lambda p: p.write_text("x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"), "toml"),
    (lambda p: p.write_bytes(b"name = 'x'\n" + b" " * 1_000_001), "file"),
    (lambda p: p.write_text("[center\n"), "toml"),
])
def test_unreadable_files_are_one_input_error_naming_the_file(tmp_path: Path, make, field: str) -> None:
    path = tmp_path / "tiny.toml"
    make(path)
    error = load_error(path)
    assert [p.field for p in error.problems] == [field] and str(path) in str(error)
    run_exits_2(path, tmp_path)


def test_a_utf8_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TINY.to_toml().encode("utf-8"))
    assert isim.Scenario.load(path) == TINY


def test_a_scenario_too_big_to_run_is_refused_with_the_estimate_and_the_limit(tmp_path: Path) -> None:
    error = load_error(tiny_file(tmp_path, "calls_per_hour", "1e7"))
    size = [p for p in error.problems if p.field == "size"]
    assert size and f"{MAX_CALLS_PER_REPLICATION:,}" in size[0].message
    assert f"{MAX_CALLS_PER_PERIOD:,}" in size[0].message and "calls in one replication" in size[0].message
    big = isim.Scenario.from_dict
    with pytest.raises(InputError, match=f"600,120 agent-periods.*{MAX_AGENT_PERIODS:,}"):
        big({"center": {"tier1_agents": 5000, "tier2_agents": 1, "months": 120},
             "demand": {"calls_per_hour": 1.0}})
    with pytest.raises(InputError, match="at least 1 is needed"):
        big({"demand": {"calls_per_hour": 1e-6}})


def test_the_size_estimate_is_close_to_what_the_engine_simulates() -> None:
    scenario = small_baseline()
    size = estimate(scenario.to_dict())
    assert size is not None
    simulated = len(isim.simulate(scenario, seed=3, keep_calls=True).calls)
    assert size.calls == pytest.approx(simulated, rel=0.1)
    assert size.agent_periods == (10 + 1) * 1


def test_repeat_calls_without_end_count_toward_the_size() -> None:
    # Nothing is resolved and every unresolved call returns within minutes: a chain
    # of repeats per call, which the estimate must see.
    chained = small_baseline(**{"customers.repeat_chance": 1.0,
                                "customers.repeat_delay_hours": 0.01}).to_dict()
    for call_type in chained["demand"]["call_types"]:
        call_type["resolution"] = 0.0
    with pytest.raises(InputError, match="calls in one replication"):
        isim.Scenario.from_dict(chained)


def test_a_repeat_chance_near_one_gives_a_finite_estimate() -> None:
    # r = 1 - 5e-17 once made the estimate 1.8e16 calls for a scenario of a few thousand.
    data = small_baseline(**{"customers.repeat_chance": 1.0,
                             "customers.repeat_delay_hours": 1.0}).to_dict()
    for call_type in data["demand"]["call_types"]:
        call_type["resolution"] = 5e-17
    size = estimate(data)
    assert size is not None
    horizon = 8.0 * 21 * 1  # hours per day x days x months of the small baseline
    assert size.calls == pytest.approx(size.new_calls * (1 + horizon), rel=1e-6)


def test_cross_field_problems_come_with_field_problems() -> None:
    bad = {"baseline": "nobody", "policies": {"flat": {"type": "Flat"}},
           "center": {"tier1_agents": -1, "hours_per_day": 8.0},
           "demand": {"intraday_profile": [1.0, 2.0]}}
    with pytest.raises(InputError) as info:
        isim.Scenario.from_dict(bad)
    assert {p.field for p in info.value.problems} == {
        "center.tier1_agents", "demand.intraday_profile", "baseline"}


@pytest.mark.parametrize("data, field, hint", [
    ({"center": {"month": 2}}, "center.month", "did you mean 'months'?"),
    ({"centre": {}}, "centre", "did you mean 'center'?"),
    ({"demand": {"call_types": [{"name": "a", "share": 1.0, "handle_time": {"mean": 5.0},
                                 "resolutoin": 0.5}]}},
     "demand.call_types.0.resolutoin", "did you mean 'resolution'?"),
    ({"center": {"colour": "blue"}}, "center.colour", "allowed: tier1_agents"),
    ({"policies": {"bonus": {"type": "IndividualBonus", "metrc": "csat", "threshold": 0.9}}},
     "policies.bonus.metrc", "did you mean 'metric'?"),
])
def test_unknown_keys_get_a_spelling_suggestion(data: dict, field: str, hint: str) -> None:
    with pytest.raises(InputError) as info:
        isim.Scenario.from_dict(data)
    problem = next(p for p in info.value.problems if p.field == field)
    assert hint in problem.message


def test_names_that_cannot_name_a_folder_or_a_heading_are_refused() -> None:
    for name, words in (("a\x00b", "control characters"), ("x" * 300, "at most 200")):
        with pytest.raises(InputError, match=words):
            isim.Scenario.from_dict({"name": name})
    assert isim.Scenario.from_dict({"name": "../../x"}).name == "../../x"  # a name, not a path

"""``incentsim calibrate``: a scenario file written whole, never over an existing one unless asked."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import incentsim as isim
from incentsim.calibration import to_call_log
from incentsim.cli import main


@pytest.fixture(scope="module")
def calls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sc = isim.Scenario.shipped("baseline").replace(**{
        "center.months": 1, "center.tier1_agents": 6, "center.tier2_agents": 1, "demand.calls_per_hour": 30.0,
        "customers.population": 5000})
    path = tmp_path_factory.mktemp("log") / "calls.csv"
    to_call_log(isim.simulate(sc, seed=5)).to_csv(path, index=False)
    return path


def _run(*args: str) -> object:
    return CliRunner().invoke(main, ["calibrate", *args])


def test_writes_a_scenario_that_runs(calls: Path, tmp_path: Path) -> None:
    out = tmp_path / "my_centre.toml"
    result = _run(str(calls), "--out", str(out), "--refine", "0", "--check", "1")
    assert result.exit_code == 0, result.output
    scenario = isim.Scenario.load(out)
    assert scenario.name == "my_centre" and scenario.center.tier1_agents == 6
    assert set(scenario.policies) == set(isim.Scenario.shipped("baseline").policies)
    assert stat.S_IMODE(out.stat().st_mode) & 0o044  # readable by others, as files normally are
    assert not list(tmp_path.glob(".*tmp"))
    for needle in ("Written to the scenario", "Data against 1 simulation(s)", "share queued",
                   "incentsim run"):
        assert needle in result.output
    run = isim.simulate(scenario.replace(**{"center.months": 1}), seed=1, keep_calls=False)
    assert run.summary()["calls"] > 0


def test_never_overwrites_without_force(calls: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.toml"
    out.write_text("# mine\n")
    result = _run(str(calls), "--out", str(out), "--refine", "0", "--check", "0")
    assert result.exit_code == 2 and "already exists" in result.output and "--force" in result.output
    assert out.read_text() == "# mine\n"
    result = _run(str(calls), "--out", str(out), "--refine", "0", "--check", "0", "--force", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["written"] == str(out) and doc["scenario"]["center"]["tier1_agents"] == 6
    assert isim.Scenario.load(out).center.tier1_agents == 6


@pytest.mark.parametrize(("change", "needles"), [
    ("drop_agent", ["agent: required column not found"]),
    ("bad_outcome", ["outcome", "'maybe'", "data row 3"]),
    ("semicolon", ["--sep ';'"]),
])
def test_bad_logs_exit_2_and_write_nothing(calls: Path, tmp_path: Path, change: str, needles: list[str]) -> None:
    frame = pd.read_csv(calls)
    path = tmp_path / "bad.csv"
    if change == "drop_agent":
        frame.drop(columns=["agent"]).to_csv(path, index=False)
    elif change == "bad_outcome":
        frame.loc[2, "outcome"] = "maybe"
        frame.to_csv(path, index=False)
    else:
        frame.to_csv(path, index=False, sep=";", decimal=",")
    out = tmp_path / "out.toml"
    result = _run(str(path), "--out", str(out))
    assert result.exit_code == 2, result.output
    for needle in needles:
        assert needle in result.output
    assert not out.exists() and not list(tmp_path.glob(".*tmp"))


def test_bad_options_exit_2_before_reading(calls: Path, tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    for args, needle in [(["--out", str(afile / "x.toml")], "--out"),
                         (["--out", str(tmp_path / "x.txt")], "should end in .toml"),
                         (["--out", str(tmp_path / "x.toml"), "--base", "nowhere"], "--base"),
                         (["--out", str(tmp_path / "x.toml"), "--refine", "9"], "--refine")]:
        result = _run(str(calls), *args)
        assert result.exit_code == 2 and needle in result.output, (args, result.output)
        assert "reading" not in result.output
    assert afile.read_text() == "x" and not (tmp_path / "x.toml").exists()


def test_writes_the_week_skills_and_shifts_a_log_shows(tmp_path: Path) -> None:
    week = ["Mon", "Tue", "Wed", "Thu", "Fri"]
    types = [{"name": "billing", "share": 0.5, "handle_time": {"law": "exponential", "mean": 4.0, "cv": 1.0},
              "resolution": 0.9, "escalation": 0.0, "upset": 0.1},
             {"name": "tech", "share": 0.5, "handle_time": {"law": "exponential", "mean": 6.0, "cv": 1.0},
              "resolution": 0.8, "escalation": 0.0, "upset": 0.3}]
    truth = isim.Scenario.shipped("baseline").replace(**{
        "center.months": 1, "center.tier1_agents": 10, "center.tier2_agents": 0, "demand.calls_per_hour": 60.0,
        "demand.call_types": types, "customers.population": 5000, "demand.intraday_profile": [],
        "center.opening": {**{d: [8.0, 16.0] for d in week}, "Sat": [9.0, 12.0]},
        "center.staff": [{"agents": 4, "skills": ["billing"], "days": week},
                         {"agents": 4, "skills": ["tech"], "days": week},
                         {"agents": 2}]})
    path = tmp_path / "calls.csv"
    to_call_log(isim.simulate(truth, seed=5)).to_csv(path, index=False)
    out = tmp_path / "week.toml"
    result = _run(str(path), "--out", str(out), "--refine", "0", "--check", "0")
    assert result.exit_code == 0, result.output
    scenario = isim.Scenario.load(out)
    assert scenario.center.opening == truth.center.opening
    assert len(scenario.demand.weekday_profile) == 7 and len(scenario.demand.intraday_profile) == 24
    held = {tuple(line.skills) for line in scenario.center.staff}
    assert held == {("billing",), ("tech",), ()}
    assert "center.staff" in result.output and "written because: skill groups" in result.output
    # A number of agents given replaces the plan; the opening hours stay.
    fixed = tmp_path / "fixed.toml"
    result = _run(str(path), "--out", str(fixed), "--refine", "0", "--check", "0", "--agents", "9")
    assert result.exit_code == 0, result.output
    scenario = isim.Scenario.load(fixed)
    assert scenario.center.tier1_agents == 9 and not scenario.center.staff and scenario.center.opening.given
    assert "not written: tier1_agents was given" in result.output and "skills: Cramer" in result.output

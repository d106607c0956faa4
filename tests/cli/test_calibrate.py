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

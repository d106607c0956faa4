"""``incentsim robustness``: a tiny run end to end, and bad input refused before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from incentsim.cli import main

TINY = """
name = "tiny"
baseline = "flat"

[center]
tier1_agents = 4
tier2_agents = 1
days_per_month = 3
months = 1

[demand]
calls_per_hour = 20.0

[policies.flat]
type = "Flat"

[policies.bonus]
type = "IndividualBonus"
metric = "csat"
threshold = 0.9
amount = 100

[robustness]
only = ["behaviour.decisions.beg_scale", "measurement.qa.rater_sd"]

[robustness.ranges]
"measurement.qa.rater_sd" = { range = [2.0, 10.0], reason = "our QA team" }
"""


def test_a_tiny_analysis_prints_verdicts_and_writes_results_and_report(tmp_path: Path) -> None:
    scenario = tmp_path / "tiny.toml"
    scenario.write_text(TINY)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["robustness", str(scenario), "--samples", "2", "--top", "1",
                                       "--trajectories", "2", "--outcomes", "true_csat,measured_csat",
                                       "--workers", "1", "--out", str(out), "--no-report"])
    assert result.exit_code == 0, result.output
    assert "Which conclusions survive" in result.stdout and "bonus - flat" in result.stdout
    manifest = json.loads((out / "robustness.json").read_text())
    assert manifest["status"] == "complete"
    assert [a["key"] for a in manifest["assumptions"]] == ["behaviour.decisions.beg_scale", "measurement.qa.rater_sd"]
    assert manifest["assumptions"][1]["reason"] == "our QA team"
    for name in ("verdicts.parquet", "importance.parquet", "sobol/manifest.json"):
        assert (out / name).exists(), name
    assert not (out / "report.html").exists()
    report = CliRunner().invoke(main, ["report", str(out)])  # the nominal runs' report plus the section
    assert report.exit_code == 0, report.output
    html = (out / "report.html").read_text()
    assert "Which conclusions survive" in html and 'href="#robustness"' in html


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    scenario = tmp_path / "tiny.toml"
    scenario.write_text(TINY)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["robustness", str(scenario), "--outcomes", "happiness", "--out", str(out)])
    assert result.exit_code == 2
    assert "outcomes" in result.output and "happiness" in result.output
    assert not out.exists()
    result = CliRunner().invoke(main, ["robustness", str(scenario), "--policies", "flat,nobody", "--out", str(out)])
    assert result.exit_code == 2 and "nobody" in result.output and "allowed: flat, bonus" in result.output
    result = CliRunner().invoke(main, ["robustness", str(scenario), "--assumptions", "tier2.resolutio",
                                       "--out", str(out)])
    assert result.exit_code == 2 and "resolutio" in result.output
    assert not out.exists()
    bad = tmp_path / "bad.toml"
    bad.write_text(TINY.replace("measurement.qa.rater_sd\" = {", "measurement.qa.rater_sdd\" = {"))
    result = CliRunner().invoke(main, ["robustness", str(bad), "--out", str(out)])
    assert result.exit_code == 2 and "rater_sdd" in result.output
    assert not out.exists()

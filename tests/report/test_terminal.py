"""The comparison as terminal text: 100 columns, fixed precision, signed differences, the verdict last."""

from __future__ import annotations

import copy
import re

import pandas as pd
from click.testing import CliRunner
from strategies_experiment import small_baseline

import incentsim as isim
from incentsim.cli import main
from incentsim.report.terminal import WIDTH, closing, describe


def test_describe_fits_100_columns_and_ends_with_the_verdict(experiment):
    text = describe(experiment)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= WIDTH
    assert lines[-1].strip() and any(line.startswith("Verdict: ") for line in lines[-8:])
    assert "Key outcomes, mean over 3 replications" in text
    assert "Every outcome" not in text  # the wide table only on request
    assert "A difference is detectable when its 95% interval excludes zero" in text


def test_numbers_have_fixed_precision_and_differences_a_sign(experiment):
    text = describe(experiment, wide=True)
    percents = re.findall(r"(?<![\d.])(\d+(?:\.\d+)?)%(?! interval| of| confidence)", text)
    assert percents and all(re.fullmatch(r"\d+\.\d", p) for p in percents), [p for p in percents if "." not in p]
    calls = next(line for line in text.splitlines() if line.strip().startswith("calls offered"))
    assert not re.search(r"\d\.\d", calls.split("calls offered")[1])  # calls are whole numbers
    for line in text.splitlines():
        if "points  (" in line:
            assert re.search(r"[+-]\d+\.\d points  \([+-]", line), line
    assert "," in text or "calls offered" in text
    assert max(len(line) for line in text.splitlines()) <= WIDTH  # the wide table is split to fit


def test_identical_scenarios_are_not_repeated_and_are_compared(experiment):
    manifest = copy.deepcopy(experiment.manifest)
    first = manifest["scenarios"][0]
    manifest["scenarios"] = [first, {**first, "name": "copy"}]
    s = experiment.summaries
    doubled = pd.concat([s.assign(scenario="baseline", point=0), s.assign(scenario="copy", point=1)],
                        ignore_index=True)
    a = experiment.agents
    agents = pd.concat([a.assign(scenario="baseline", point=0), a.assign(scenario="copy", point=1)])
    both = isim.Experiment(doubled, agents, None, manifest)
    text = describe(both)
    assert text.count("Key outcomes") == 1
    assert "== scenario = copy ==" in text and "Results identical to scenario = baseline" in text
    assert "'copy' gave exactly the same results as 'baseline' under every policy" in text
    assert "[scenario = copy] the same verdict as [scenario = baseline]." in text


def test_run_prints_the_verdict_and_the_report_path_last(tmp_path):
    sc = small_baseline(**{"center.days_per_month": 2, "baseline": "flat",
                           "policies": {"flat": {"type": "Flat"},
                                        "aht": {"type": "HandleTimeTarget", "minutes": 6.0}}})
    path = sc.save(tmp_path / "small.toml")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "-n", "2", "--out", str(out), "--workers", "1"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.rstrip().splitlines()
    assert lines[-1] == f"Report: {out / 'report.html'} (open it in a web browser)"
    assert lines[-2] == f"Results: {out}"
    assert any(line.startswith("Verdict: ") for line in lines)
    assert max(len(line) for line in lines[:-2]) <= WIDTH  # (the paths may be long)
    assert "Every outcome" not in result.stdout
    assert closing(None, None) == ""

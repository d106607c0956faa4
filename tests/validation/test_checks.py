"""The validation suite's checks: they pass on the model and catch a wrong figure."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from incentsim.cli import main
from incentsim.validation import checks
from incentsim.validation.checks import QUICK, CheckResult, interval_check

CONFIDENCE = 1 - 0.05 / checks.INTERVAL_CHECKS


def test_interval_check_known_answers() -> None:
    samples = np.array([1.0, 2.0, 3.0, 4.0, 5.0])  # mean 3, sd 1.58, t(4) 97.5% = 2.776
    ok = interval_check("x", samples, 4.5, 0.95, "five values")
    assert ok.figure == 3.0 and ok.passed
    assert ok.tolerance == pytest.approx(2.776445 * np.sqrt(2.5) / np.sqrt(5), rel=1e-5)
    assert not interval_check("x", samples, 5.2, 0.95, "five values").passed
    assert not interval_check("x", np.array([1.0]), 1.0, 0.95, "one value").passed


def test_status_words() -> None:
    assert CheckResult("a", 1, 1, 0, True, "").status == "pass"
    assert CheckResult("a", 1, 2, 0, False, "").status == "FAIL"
    assert CheckResult("a", math.nan, 2, math.nan, False, "", skipped=True).status == "skipped"


def test_red_bead_checks_pass_against_hypergeometric_theory() -> None:
    results = checks.red_bead_checks(QUICK, seed=1, confidence=CONFIDENCE)
    assert [r.passed for r in results] == [True] * 4
    mean, variance, ucl, outside = results
    assert mean.expected == 10.0
    assert variance.expected == pytest.approx(8 * 3950 / 3999)
    assert ucl.expected == pytest.approx(10 + 3 * np.sqrt(8))
    assert 0.001 < outside.expected < 0.005


def test_red_bead_checks_would_catch_binomial_theory_misapplied() -> None:
    # a bowl of 100 beads and a paddle of 50: without replacement the variance halves,
    # so the binomial n p (1 - p) = 8 must be far outside the check's tolerance
    results = checks.red_bead_checks(QUICK, seed=2, confidence=CONFIDENCE, beads=100, red=20)
    variance = results[1]
    assert variance.passed
    assert variance.expected == pytest.approx(8 * 50 / 99)
    assert abs(variance.figure - 8.0) > variance.tolerance


def test_funnel_check_finds_ratio_two() -> None:
    result = checks.funnel_check(QUICK, seed=3, confidence=CONFIDENCE)
    assert result.passed and result.expected == 2.0
    assert abs(result.figure - 2.0) < 0.15


def test_queueing_checks_pass_and_their_intervals_say_something() -> None:
    # Ten 60-hour replications rather than the quick six of 40 hours: with the staffing
    # checks the family holds more intervals (Bonferroni), and the mean wait of a 36-hour
    # window at utilisation 0.80 has a standard deviation of about 0.36 min (measured
    # over 3,000 simulated hours), so six such windows give an interval as wide as the
    # value itself; ten of 56 hours say something, and take about 3 seconds.
    sizes = dataclasses.replace(QUICK, replications=10, hours=60.0)
    results = checks.erlang_c_checks(sizes, 1, CONFIDENCE) + checks.erlang_a_checks(sizes, 1, CONFIDENCE)
    assert len(results) == 8
    for r in results:
        assert r.passed, (r.name, r.figure, r.expected, r.tolerance)
        assert r.tolerance < 0.7 * max(r.expected, 0.1)  # the intervals say something


def test_source_000_missing_scenario_is_skipped_not_failed(tmp_path: Path) -> None:
    results = checks.source_000_checks(QUICK, 1, CONFIDENCE, tmp_path / "absent.toml")
    assert [r.status for r in results] == ["skipped"] * 3
    assert all("scenario missing" in r.detail for r in results)
    assert [r.expected for r in results] == [0.13, 0.22, 0.06]


@pytest.mark.skipif(not checks._find_source_000().is_file(),
                    reason="source-000 scenario not present")
def test_source_000_scenario_reproduces_the_table() -> None:
    for r in checks.source_000_checks(QUICK, 1, CONFIDENCE):
        assert r.passed, (r.name, r.figure, r.expected, r.tolerance)


def test_cli_prints_each_check_and_exit_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = [CheckResult("good check", 1.0, 1.0, 0.1, True, "how"),
            CheckResult("skipped check", math.nan, 0.2, math.nan, False, "skipped: x", True)]
    monkeypatch.setattr(checks, "run_checks", lambda quick, seed: iter(fake))
    result = CliRunner().invoke(main, ["validate", "--quick"])
    assert result.exit_code == 0, result.output
    assert "pass" in result.output and "good check" in result.output
    assert "skipped: x" in result.output and "1 passed, 0 failed, 1 skipped" in result.output
    fake.append(CheckResult("bad check", 3.0, 1.0, 0.1, False, "why it failed"))
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert "FAIL" in result.output and "why it failed" in result.output


def test_cli_bad_seed_exits_2() -> None:
    result = CliRunner().invoke(main, ["validate", "--seed", "-3"])
    assert result.exit_code == 2 and "--seed" in result.output

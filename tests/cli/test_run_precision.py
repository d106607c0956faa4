"""``incentsim run --precision``: a small end-to-end run, what it prints and writes, and its option errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from strategies_experiment import small_baseline

import incentsim as isim
from incentsim.cli import main

POLICIES = {"flat": {"type": "Flat"}, "aht": {"type": "HandleTimeTarget", "minutes": 6.0}}


def scenario_file(tmp_path: Path) -> Path:
    sc = small_baseline(name="small", policies=POLICIES, baseline="flat", **{"center.months": 1})
    return sc.save(tmp_path / "small.toml")


def invoke(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_run_with_precision_says_how_many_replications_it_took_and_why(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("run", scenario_file(tmp_path), "--precision", "--min-replications", "3",
                    "--max-replications", "4", "--out", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "2 policies x 3 to 4 replications (precision mode: until decided)" in result.stderr
    exp = isim.load(out)
    stop = exp.manifest["precision"]["stop"]
    n = stop["replications"]
    assert 3 <= n <= 4 and exp.complete and len(exp.summaries) == 2 * n
    assert exp.manifest["precision"]["settings"]["minimum"] == 3
    sentence = (f"stopped after {n} replications because every paired difference" if stop["reason"] == "decided"
                else f"stopped at the cap of {n} replications")
    assert sentence in result.stdout
    assert f"2 policies x {n} replications" in result.stdout
    report = (out / "report.html").read_text(encoding="utf-8")
    assert sentence in report


@pytest.mark.parametrize(("args", "option"), [
    (["-n", "3", "--precision"], "--replications"),
    (["--max-replications", "9"], "--max-replications"),
    (["--min-replications", "3"], "--min-replications"),
    (["--precision", "--min-replications", "8", "--max-replications", "4"], "--max-replications"),
])
def test_conflicting_precision_options_exit_2_naming_the_option_and_write_nothing(
        tmp_path: Path, args: list[str], option: str) -> None:
    out = tmp_path / "out"
    result = invoke("run", scenario_file(tmp_path), *args, "--out", out)
    assert result.exit_code == 2
    assert option in result.output
    assert not out.exists()

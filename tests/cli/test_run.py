"""``incentsim run`` / ``incentsim compare``: output, exit codes, no output after bad input, kill and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from strategies_experiment import small_baseline

import incentsim as isim
from incentsim.cli import main
from incentsim.errors import InputError

POLICIES = {"flat": {"type": "Flat"}, "aht": {"type": "HandleTimeTarget", "minutes": 6.0}}


def scenario_file(tmp_path: Path, name: str = "small", **changes) -> Path:
    sc = small_baseline(**{"name": name, "policies": POLICIES, "baseline": "flat", **changes})
    return sc.save(tmp_path / f"{name}.toml")


def invoke(*args: str) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_run_prints_the_comparison_and_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("run", scenario_file(tmp_path), "-n", "3", "--out", out, "--no-report")
    assert result.exit_code == 0, result.output
    assert "aht against flat (paired difference, 95% interval)" in result.stdout
    assert "mean wait (minutes)" in result.stdout
    assert "replications" in result.stderr  # the progress bar
    exp = isim.load(out)
    assert exp.complete and exp.policies == ["flat", "aht"] and len(exp.summaries) == 6
    assert not (out / "report.html").exists()


def test_run_writes_the_report_when_the_writer_is_installed(tmp_path: Path) -> None:
    report = pytest.importorskip("incentsim.report")
    if not hasattr(report, "write_report"):
        pytest.skip("incentsim.report.write_report not available")
    out = tmp_path / "out"
    result = invoke("run", scenario_file(tmp_path), "-n", "2", "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "report.html").exists()


def test_compare_runs_every_file(tmp_path: Path) -> None:
    a = scenario_file(tmp_path, "calm")
    b = scenario_file(tmp_path, "busy", **{"demand.calls_per_hour": 90.0})
    out = tmp_path / "out"
    result = invoke("compare", a, b, "-n", "2", "--out", out, "--no-report", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "== scenario = calm ==" in result.stdout and "== scenario = busy ==" in result.stdout
    exp = isim.load(out)
    assert exp.summaries.groupby("scenario").size().to_dict() == {"busy": 4, "calm": 4}
    waits = exp.summaries.groupby("scenario")["mean_wait"].mean()
    assert waits["busy"] > waits["calm"]


def bad_scenario(tmp_path: Path) -> Path:
    path = scenario_file(tmp_path)
    text = path.read_text()
    assert "calls_per_hour = 71.0" in text
    path.write_text(text.replace("calls_per_hour = 71.0", "calls_per_hour = -5.0"))
    return path


def no_policies(tmp_path: Path) -> Path:
    return small_baseline(policies={}, baseline="").save(tmp_path / "none.toml")


@pytest.mark.parametrize("make, extra, words", [
    (bad_scenario, [], ["demand.calls_per_hour", "greater than 0"]),
    (no_policies, [], ["policies", "[policies.flat]"]),
    (scenario_file, ["--baseline", "nobody"], ["baseline", "allowed: flat, aht"]),
    (scenario_file, ["-n", "0"], ["--replications"]),
    (scenario_file, ["--seed", "-1"], ["--seed"]),
    (scenario_file, ["--workers", "2", "--dask", "tcp://127.0.0.1:1"], ["--workers", "--dask"]),
    (lambda p: p / "missing.toml", [], ["missing.toml", "cannot read"]),
])
def test_bad_input_exits_2_names_the_field_and_writes_nothing(tmp_path: Path, make, extra,
                                                               words) -> None:
    out = tmp_path / "out"
    result = invoke("run", make(tmp_path), "--out", out, *extra)
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output
    assert not out.exists()


def test_resume_of_another_experiment_exits_2_and_keeps_the_results(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("run", scenario_file(tmp_path), "-n", "2", "--out", out, "--no-report",
                  "--workers", "1").exit_code == 0
    before = (out / "manifest.json").read_text()
    result = invoke("run", scenario_file(tmp_path), "-n", "2", "--out", out, "--seed", "4",
                    "--resume")
    assert result.exit_code == 2 and "seed" in result.output
    assert (out / "manifest.json").read_text() == before


REPLICATIONS = 10


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> isim.Experiment:
    path = scenario_file(tmp_path_factory.mktemp("ref"))
    return isim.compare(isim.Scenario.load(path), None, REPLICATIONS, seed=0)


def staged_batches(out: Path) -> list[Path]:
    """Batches a running (or killed) run has written into its staging folder beside ``out``."""
    return list(out.parent.glob(f".{out.name}.incentsim-run-*/summaries/*.parquet"))


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_a_killed_run_keeps_finished_batches_and_resume_completes_it(
        tmp_path: Path, how: signal.Signals, uninterrupted: isim.Experiment) -> None:
    path, out = scenario_file(tmp_path), tmp_path / "out"
    command = [sys.executable, "-c", "from incentsim.cli import main; main()", "run", str(path),
               "-n", str(REPLICATIONS), "--workers", "1", "--out", str(out), "--no-report"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not staged_batches(out):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert not out.exists()  # results move into place only at the end
    if how == signal.SIGKILL:
        os.killpg(proc.pid, signal.SIGKILL)  # the process and its workers, no chance to tidy
    else:
        os.kill(proc.pid, signal.SIGINT)  # Ctrl-C on the main process
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == (130 if how == signal.SIGINT else -signal.SIGKILL), err
    if how == signal.SIGINT:
        assert b"--resume" in err and b"Traceback" not in err
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["status"] == "partial"
        kept = len(isim.load(out).summaries)
        assert manifest["cells"]["done"] == kept  # the manifest's count is what is on disk
    else:  # killed outright: the staging folder stays, and says so
        assert not out.exists() and staged_batches(out)
        with pytest.raises(InputError, match="--resume"):
            isim.load(out)
        kept = sum(pq.read_metadata(f).num_rows for f in staged_batches(out))
    assert 0 < kept < 2 * REPLICATIONS

    result = invoke("run", path, "-n", str(REPLICATIONS), "--out", out, "--no-report", "--resume")
    assert result.exit_code == 0, result.output
    resumed = isim.load(out)
    assert resumed.complete and not staged_batches(out)
    ran = resumed.manifest["sessions"][-1]["cells_run"]
    assert ran == 2 * REPLICATIONS - kept  # only the missing cells ran again
    pd.testing.assert_frame_equal(resumed.summaries, uninterrupted.summaries, check_exact=True)
    pd.testing.assert_frame_equal(resumed.agents, uninterrupted.agents, check_exact=True)

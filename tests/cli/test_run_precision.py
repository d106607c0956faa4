"""``incentsim run --precision``: a small end-to-end run, what it prints and writes, and its option errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from strategies_experiment import NoisySimulator, small_baseline

import incentsim as isim
import incentsim.experiment.compare as compare_module
from incentsim.cli import main
from incentsim.experiment import SerialExecutor

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
    (["-n", "3", "--precision"], "--precision"),
    (["-n", "3", "--max-replications", "9"], "--max-replications"),
    (["-n", "3", "--min-replications", "3"], "--min-replications"),
    (["--min-replications", "8", "--max-replications", "4"], "--max-replications"),
])
def test_conflicting_precision_options_exit_2_naming_the_option_and_write_nothing(
        tmp_path: Path, args: list[str], option: str) -> None:
    out = tmp_path / "out"
    result = invoke("run", scenario_file(tmp_path), *args, "--out", out)
    assert result.exit_code == 2
    assert option in result.output
    assert not out.exists()


# ---------------------------------------------------------------- the default, and resume (fake engine)
FAKE = {"flat": {"type": "Flat"},
        "up": {"type": "IndividualBonus", "metric": "csat", "threshold": 0.9, "amount": 50.0},
        "same": {"type": "HandleTimeTarget", "minutes": 6.0}}


class Engines:
    """The fake engines ``incentsim run`` used (``made``), and those to use next (``queue``)."""

    def __init__(self) -> None:
        self.made: list[NoisySimulator] = []
        self.queue: list[NoisySimulator] = []


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> Engines:
    """``incentsim run`` on the noisy fake engine, serially."""
    real = compare_module.compare
    engines = Engines()

    def fake(*args, **kwargs):
        simulator = engines.queue.pop(0) if engines.queue else NoisySimulator()
        engines.made.append(simulator)
        return real(*args[:4], SerialExecutor(), *args[5:], simulator=simulator, **kwargs)

    monkeypatch.setattr(compare_module, "compare", fake)
    import incentsim.report.terminal as terminal

    monkeypatch.setattr(terminal, "verdict_text", lambda *a, **k: "verdict\n")
    return engines


def fake_file(tmp_path: Path) -> Path:
    return small_baseline(name="fake", policies=FAKE, baseline="flat").save(tmp_path / "fake.toml")


def test_without_n_the_run_goes_until_decided(tmp_path: Path, fake_engine: Engines) -> None:
    out = tmp_path / "out"
    result = invoke("run", fake_file(tmp_path), "--out", out, "--no-report")
    assert result.exit_code == 0, result.output
    assert "3 policies x 5 to 30 replications (precision mode: until decided)" in result.stderr
    stop = isim.load(out).manifest["precision"]["stop"]
    assert stop["reason"] == "decided" and 5 < stop["replications"] < 30
    assert f"Precision mode: stopped after {stop['replications']} replications" in result.stdout


def test_resume_continues_a_run_the_way_it_was_started(tmp_path: Path,
                                                      fake_engine: Engines) -> None:
    fixed, until = tmp_path / "fixed", tmp_path / "until"
    assert invoke("run", fake_file(tmp_path), "-n", "3", "--out", fixed, "--no-report").exit_code == 0
    result = invoke("run", fake_file(tmp_path), "--out", fixed, "--no-report", "--resume")
    assert result.exit_code == 0, result.output
    assert "3 policies x 3 replications" in result.stderr  # still a fixed run, nothing left to do
    assert fake_engine.made[-1].calls == [] and "precision" not in isim.load(fixed).manifest

    fake_engine.queue.append(NoisySimulator(interrupt_after=20))  # stops inside a later round
    result = invoke("run", fake_file(tmp_path), "--max-replications", "25", "--out", until, "--no-report")
    assert result.exit_code == 130
    partial = isim.load(until)
    assert not partial.complete and partial.manifest["precision"]["stop"] is None
    result = invoke("run", fake_file(tmp_path), "--out", until, "--no-report", "--resume")
    assert result.exit_code == 0, result.output
    assert "5 to 25 replications" in result.stderr  # the stored settings, not the defaults
    resumed = isim.load(until)
    assert resumed.manifest["precision"]["settings"]["maximum"] == 25
    assert len(fake_engine.made[-1].calls) == len(resumed.summaries) - len(partial.summaries)

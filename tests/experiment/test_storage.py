"""Result storage: batch files, manifest provenance, load, interruption and resume (fake engine)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from strategies_experiment import FakeSimulator, fake_policies, small_baseline

import incentsim as isim
from incentsim.errors import InputError
from incentsim.experiment import SerialExecutor


def run(out: Path | None, simulator: FakeSimulator, **kwargs) -> isim.Experiment:
    options = {"replications": 6, "seed": 5, "batch_size": 2} | kwargs
    return isim.compare(small_baseline(), fake_policies(), executor=SerialExecutor(), out=out,
                        simulator=simulator, **options)


def assert_same(a: isim.Experiment, b: isim.Experiment) -> None:
    pd.testing.assert_frame_equal(a.summaries, b.summaries, check_exact=True)
    pd.testing.assert_frame_equal(a.agents, b.agents, check_exact=True)


def test_saved_run_loads_back_identical(tmp_path: Path) -> None:
    memory = run(None, FakeSimulator(), keep_calls=True)
    stored = run(tmp_path / "exp", FakeSimulator(), keep_calls=True)
    assert_same(memory, stored)
    pd.testing.assert_frame_equal(memory.calls, stored.calls, check_exact=True)
    again = isim.load(tmp_path / "exp")
    assert_same(memory, again)
    # 3 policies x 6 replications in batches of 2: nine batch files per table.
    assert len(list((tmp_path / "exp" / "summaries").glob("*.parquet"))) == 9
    memory.save(tmp_path / "saved")
    assert_same(memory, isim.load(tmp_path / "saved"))
    assert list(memory.summaries.columns[:5]) == ["scenario", "scenario_hash", "point", "policy",
                                                  "replication"]


def test_manifest_records_provenance(tmp_path: Path) -> None:
    exp = run(tmp_path / "exp", FakeSimulator(), sweep={"people.speed_sd": [0.0, 0.1]})
    manifest = json.loads((tmp_path / "exp" / "manifest.json").read_text())
    assert manifest == exp.manifest
    scenario = small_baseline()
    assert manifest["status"] == "complete"
    assert manifest["scenarios"][0]["hash"] == scenario.hash
    assert isim.Scenario.from_toml(manifest["scenarios"][0]["toml"]).hash == scenario.hash
    assert [p["scenario_hash"] for p in manifest["points"]] == [
        scenario.replace(**{"people.speed_sd": v}).hash for v in (0.0, 0.1)]
    assert manifest["sweep"] == {"people.speed_sd": [0.0, 0.1]}
    policies = {p["name"]: p for p in manifest["policies"]}
    assert policies["up"]["spec"]["amount"] == 50.0
    assert policies["up"]["repr"] == repr(fake_policies()["up"])
    assert isim.policies.build_policy(policies["up"]["spec"]) == fake_policies()["up"]
    assert manifest["seed"] == 5 and manifest["replications"] == 6
    assert manifest["cells"] == {"planned": 2 * 3 * 6, "done": 2 * 3 * 6}
    assert set(manifest["versions"]) >= {"python", "incentsim", "simpy", "numpy", "pandas", "pyarrow"}
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert manifest["git"]["commit"] == head  # tests run from the repository
    session = manifest["sessions"][0]
    assert session["cells_run"] == 36 and session["wall_seconds"] >= 0
    assert session["executor"].startswith("incentsim.SerialExecutor")
    assert exp.summaries["people.speed_sd"].tolist() == [0.0] * 18 + [0.1] * 18


def test_interrupted_run_keeps_finished_batches_and_resume_completes_only_the_rest(
        tmp_path: Path) -> None:
    out = tmp_path / "exp"
    with pytest.raises(KeyboardInterrupt):
        run(out, FakeSimulator(interrupt_after=8))  # dies inside the fourth batch
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "partial"
    partial = isim.load(out)
    assert len(partial.summaries) == 6 and not partial.complete  # three batches of two
    assert "PARTIAL: 6 of 18" in partial.describe()

    resumed_sim = FakeSimulator()
    resumed = run(out, resumed_sim, resume=True)
    assert len(resumed_sim.calls) == 12  # only the missing cells ran
    assert resumed.complete
    assert_same(resumed, run(None, FakeSimulator()))
    assert len(resumed.manifest["sessions"]) == 2


def test_resume_of_a_complete_run_runs_nothing(tmp_path: Path) -> None:
    run(tmp_path / "exp", FakeSimulator())
    sim = FakeSimulator()
    run(tmp_path / "exp", sim, resume=True, batch_size=4)
    assert sim.calls == []


@pytest.mark.parametrize("change, field", [
    ({"seed": 6}, "seed"),
    ({"keep_calls": True}, "keep_calls"),
    ({"replications": 4}, "replications"),
])
def test_resume_refuses_a_different_experiment(tmp_path: Path, change: dict, field: str) -> None:
    run(tmp_path / "exp", FakeSimulator())
    before = sorted(p.name for p in (tmp_path / "exp" / "summaries").iterdir())
    with pytest.raises(InputError) as info:
        run(tmp_path / "exp", FakeSimulator(), resume=True, **change)
    assert field in {p.field for p in info.value.problems}
    assert sorted(p.name for p in (tmp_path / "exp" / "summaries").iterdir()) == before


def test_resume_refuses_other_policies_or_scenario(tmp_path: Path) -> None:
    run(tmp_path / "exp", FakeSimulator())
    policies = fake_policies() | {"up": isim.policies.IndividualBonus(metric="csat", threshold=0.8)}
    with pytest.raises(InputError) as info:
        isim.compare(small_baseline(), policies, 6, 5, SerialExecutor(), out=tmp_path / "exp",
                     resume=True, simulator=FakeSimulator())
    assert {p.field for p in info.value.problems} == {"policies"}
    with pytest.raises(InputError) as info:
        isim.compare(small_baseline(**{"center.months": 2}), fake_policies(), 6, 5,
                     SerialExecutor(), out=tmp_path / "exp", resume=True, simulator=FakeSimulator())
    assert "scenario" in {p.field for p in info.value.problems}


def test_resume_may_add_replications(tmp_path: Path) -> None:
    run(tmp_path / "exp", FakeSimulator())
    sim = FakeSimulator()
    more = run(tmp_path / "exp", sim, resume=True, replications=8)
    assert len(sim.calls) == 3 * 2
    assert_same(more, run(None, FakeSimulator(), replications=8))


def test_a_stored_experiment_is_replaced_only_when_asked(tmp_path: Path) -> None:
    run(tmp_path / "exp", FakeSimulator(), replications=8)
    (tmp_path / "exp" / "notes.txt").write_text("mine")
    before = sorted(p.name for p in (tmp_path / "exp" / "summaries").iterdir())
    with pytest.raises(InputError, match="--resume to complete it, --overwrite to replace it"):
        run(tmp_path / "exp", FakeSimulator(), seed=9)
    assert sorted(p.name for p in (tmp_path / "exp" / "summaries").iterdir()) == before
    again = run(tmp_path / "exp", FakeSimulator(), seed=9, overwrite=True)
    assert len(again.summaries) == 18 and set(again.summaries["replication"]) == set(range(6))
    assert isim.load(tmp_path / "exp").seed == 9
    assert (tmp_path / "exp" / "notes.txt").read_text() == "mine"  # not ours: kept


def test_load_without_manifest_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        isim.load(tmp_path)
    assert "manifest.json" in str(info.value)


def test_calls_not_kept_says_how_to_keep_them(tmp_path: Path) -> None:
    exp = run(tmp_path / "exp", FakeSimulator())
    assert not list((tmp_path / "exp" / "calls").glob("*.parquet"))
    with pytest.raises(InputError, match="keep_calls=True"):
        _ = exp.calls

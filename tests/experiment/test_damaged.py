"""Damaged result folders (issue 12): named with what to do, and repaired by resume.

A truncated Parquet batch, a missing table file, a manifest without
``policies`` or one that is not JSON once crashed ``report`` and ``--resume``
with a traceback. Now loading names the file and what to do, resume redoes the
damaged batches, and the manifest's count of finished runs is what is on disk.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from strategies_experiment import FakeSimulator, fake_policies, small_baseline

import incentsim as isim
from incentsim.cli import main
from incentsim.errors import InputError
from incentsim.experiment import SerialExecutor


def run(out: Path | None, simulator: FakeSimulator | None = None, **kwargs) -> isim.Experiment:
    options = {"replications": 4, "seed": 5, "batch_size": 2} | kwargs
    return isim.compare(small_baseline(), fake_policies(), executor=SerialExecutor(), out=out,
                        simulator=simulator or FakeSimulator(), **options)


def truncate(file: Path) -> None:
    file.write_bytes(file.read_bytes()[:100])


def first(out: Path, table: str) -> Path:
    return sorted((out / table).glob("*.parquet"))[0]


@pytest.mark.parametrize("damage, table", [
    (truncate, "summaries"),
    (truncate, "agents"),
    (lambda f: f.write_bytes(b"garbage"), "agents"),
    (lambda f: f.unlink(), "agents"),
])
def test_a_damaged_batch_is_named_and_resume_redoes_it(tmp_path: Path, damage, table: str) -> None:
    out = tmp_path / "exp"
    reference = run(out)
    file = first(out, table)
    damage(file)
    with pytest.raises(InputError) as info:
        isim.load(out)
    message = str(info.value)
    assert f"{table}/{file.name}" in message and "--resume" in message
    result = CliRunner().invoke(main, ["report", str(out)], catch_exceptions=False)
    assert result.exit_code == 2 and file.name in result.output and "Traceback" not in result.output

    sim = FakeSimulator()
    resumed = run(out, sim, resume=True)
    assert len(sim.calls) == 2  # the damaged batch's two runs, nothing else
    pd.testing.assert_frame_equal(resumed.summaries, reference.summaries, check_exact=True)
    pd.testing.assert_frame_equal(resumed.agents, reference.agents, check_exact=True)
    assert isim.load(out).manifest["cells"]["done"] == len(reference.summaries)


@pytest.mark.parametrize("damage, words", [
    (lambda m: m.pop("policies"), "'policies' is missing"),
    (lambda m: m.__setitem__("cells", "many"), "'cells' should be"),
    (lambda m: m.__setitem__("policies", []), "'policies' should list"),
])
def test_a_damaged_manifest_is_named_and_can_be_overwritten(tmp_path: Path, damage, words: str) -> None:
    out = tmp_path / "exp"
    run(out)
    manifest = json.loads((out / "manifest.json").read_text())
    damage(manifest)
    (out / "manifest.json").write_text(json.dumps(manifest))
    check_damaged_manifest(out, words)


def test_a_manifest_that_is_not_json_is_named_and_can_be_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "exp"
    run(out)
    (out / "manifest.json").write_text("{garbage")
    check_damaged_manifest(out, "not JSON")


def check_damaged_manifest(out: Path, words: str) -> None:
    for action in (lambda: isim.load(out), lambda: run(out, resume=True), lambda: run(out)):
        with pytest.raises(InputError) as info:
            action()
        assert "manifest.json" in str(info.value) and words in str(info.value)
        assert "--overwrite" in str(info.value)
    result = CliRunner().invoke(main, ["report", str(out)], catch_exceptions=False)
    assert result.exit_code == 2 and words in result.output
    assert run(out, overwrite=True).complete


def test_the_count_of_finished_runs_is_what_is_on_disk(tmp_path: Path) -> None:
    out = tmp_path / "exp"
    with pytest.raises(KeyboardInterrupt):
        run(out, FakeSimulator(interrupt_after=6))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["cells"]["done"] == 4  # updated batch by batch
    manifest["cells"]["done"] = 0  # as an old version killed outright left it
    (out / "manifest.json").write_text(json.dumps(manifest))
    partial = isim.load(out)
    assert partial.manifest["cells"]["done"] == len(partial.summaries) == 4
    assert "PARTIAL: 4 of 12" in partial.describe(outcomes=["mean_wait"])

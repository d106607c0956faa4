"""Result folders (issue 12): where results go, what a run may replace, staging and moving into place.

The command line runs here with the fake engine and the serial executor (the
folder rules do not depend on the model), so each test takes milliseconds.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from strategies_experiment import FakeSimulator, fake_policies, small_baseline

import incentsim as isim
import incentsim.experiment.compare as compare_module
from incentsim.cli import main
from incentsim.errors import InputError
from incentsim.experiment import SerialExecutor
from incentsim.experiment.folder import MAX_SLUG, default_folder, slug
from incentsim.experiment.storage import ResultStore

POLICIES = {"flat": {"type": "Flat"}, "up": {"type": "IndividualBonus", "metric": "csat",
                                             "threshold": 0.9, "amount": 50.0}}


class Failing(FakeSimulator):
    """The fake engine, failing with an error on its n-th run."""

    def __init__(self, fail_at: int) -> None:
        super().__init__()
        self.fail_at = fail_at

    def __call__(self, *args, **kwargs):
        if len(self.calls) + 1 >= self.fail_at:
            raise RuntimeError("the engine failed")
        return super().__call__(*args, **kwargs)


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """``incentsim run`` with the fake engine on the serial executor."""
    real = compare_module.compare

    def fake(*args, **kwargs):
        return real(*args[:4], SerialExecutor(), *args[5:], simulator=FakeSimulator(), **kwargs)

    monkeypatch.setattr(compare_module, "compare", fake)
    # The fake engine's outcomes are not the model's: skip the plain-language table and verdict.
    monkeypatch.setattr(isim.Experiment, "describe", lambda self, *a, **k: "described\n")
    import incentsim.report.terminal as terminal

    monkeypatch.setattr(terminal, "describe", lambda *a, **k: "described\n")
    monkeypatch.setattr(terminal, "verdict_text", lambda *a, **k: "verdict\n")


def scenario_file(tmp_path: Path, name: str = "small") -> Path:
    return small_baseline(name=name, policies=POLICIES, baseline="flat").save(tmp_path / "sc.toml")


def cli(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def tree(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` with its bytes (to show a folder is untouched)."""
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def run(out: Path, simulator: FakeSimulator | None = None, **kwargs) -> isim.Experiment:
    options = {"replications": 4, "seed": 5, "batch_size": 2} | kwargs
    return isim.compare(small_baseline(), fake_policies(), executor=SerialExecutor(), out=out,
                        simulator=simulator or FakeSimulator(), **options)


@given(st.text())
def test_the_default_folder_is_one_safe_component_inside_out(name: str) -> None:
    folder = default_folder([name])
    assert folder.parent == Path("out") and folder.name == slug(name)
    assert 0 < len(folder.name) <= MAX_SLUG and folder.name[0].isalnum()
    assert set(folder.name) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def test_hostile_names_give_folders_inside_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               fake_engine: None) -> None:
    monkeypatch.chdir(tmp_path)
    for name, folder in (("../../x", "x"), (str(tmp_path / "abs"), "tmp"), ("", "scenario"),
                         ("..", "scenario"), ("y" * 199, "y" * MAX_SLUG)):
        path = scenario_file(tmp_path, name)
        result = cli("run", path, "-n", "2", "--no-report", "--overwrite")
        assert result.exit_code == 0, result.output
        made = sorted(p.name for p in (tmp_path / "out").iterdir())
        assert any(m.startswith(folder) for m in made), (name, made)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "sc.toml"]
    assert len(list((tmp_path / "out").iterdir())) == 4  # "" and ".." share out/scenario


def test_a_folder_that_is_not_an_experiment_is_refused_and_untouched(tmp_path: Path,
                                                                     fake_engine: None) -> None:
    out = tmp_path / "d"
    (out / "summaries").mkdir(parents=True)
    (out / "summaries" / "keep.txt").write_text("mine")
    before = tree(out)
    result = cli("run", scenario_file(tmp_path), "--out", out, "-n", "2", "--no-report")
    assert result.exit_code == 2 and "holds no incentsim experiment" in result.output
    for flag in ("--overwrite", "--resume"):
        assert cli("run", scenario_file(tmp_path), "--out", out, "-n", "2", flag).exit_code == 2
    assert tree(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["d", "sc.toml"]


def test_an_experiment_is_completed_or_replaced_only_when_asked(tmp_path: Path, fake_engine: None) -> None:
    out, path = tmp_path / "out", scenario_file(tmp_path)
    assert cli("run", path, "--out", out, "-n", "2", "--no-report").exit_code == 0
    (out / "report.html").write_text("old report")
    (out / "notes.txt").write_text("mine")
    before = tree(out)
    result = cli("run", path, "--out", out, "-n", "2", "--seed", "3", "--no-report")
    assert result.exit_code == 2 and "--resume to complete it, --overwrite to replace it" in result.output
    assert cli("run", path, "--out", out, "--resume", "--overwrite").exit_code == 2
    assert tree(out) == before
    result = cli("run", path, "--out", out, "-n", "2", "--seed", "3", "--no-report", "--overwrite")
    assert result.exit_code == 0, result.output
    assert isim.load(out).seed == 3
    assert not (out / "report.html").exists()  # a stale report never sits beside new results
    assert (out / "notes.txt").read_text() == "mine"  # not written by incentsim: kept


def test_unwritable_output_paths_are_refused_before_any_work(tmp_path: Path, fake_engine: None) -> None:
    (tmp_path / "afile").write_text("")
    for out, words in ((tmp_path / "afile" / "sub", "is a file"), (tmp_path / "afile", "is a file"),
                       (tmp_path / ("n" * 300), "255 bytes")):
        result = cli("run", scenario_file(tmp_path), "--out", out, "-n", "2")
        assert result.exit_code == 2 and words in result.output, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "sc.toml"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_parent_is_refused(tmp_path: Path, fake_engine: None) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = cli("run", scenario_file(tmp_path), "--out", locked / "x", "-n", "2")
        assert result.exit_code == 2 and "no permission" in result.output
    finally:
        locked.chmod(0o755)


def test_a_failed_run_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "exp"
    with pytest.raises(RuntimeError, match="engine failed"):
        run(out, Failing(fail_at=5))
    assert list(tmp_path.iterdir()) == []  # no results, no staging, no parents created for it


def test_a_failed_resume_or_overwrite_leaves_the_experiment_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "exp"
    with pytest.raises(KeyboardInterrupt):
        run(out, FakeSimulator(interrupt_after=5))
    (out / "report.html").write_text("report")
    before = tree(out)
    with pytest.raises(RuntimeError):
        run(out, Failing(fail_at=3), resume=True)
    assert tree(out) == before
    with pytest.raises(RuntimeError):
        run(out, Failing(fail_at=3), overwrite=True, seed=8)
    assert tree(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["exp"]


def test_an_interrupt_before_anything_finished_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path / "exp", FakeSimulator(interrupt_after=1))
    assert list(tmp_path.iterdir()) == []


def test_a_killed_runs_staging_folder_is_adopted_by_resume(tmp_path: Path) -> None:
    out = tmp_path / "exp"
    plan = isim.experiment.Plan.build(small_baseline(), fake_policies(), 4, 5, batch_size=2)
    killed = ResultStore(out)
    killed.prepare(plan)
    killed.begin(plan, {"started": "then"}, done=0)
    reference = run(None, FakeSimulator())
    first = reference.summaries.iloc[:2]
    killed.write("pt0000-pol000-r00000-00001", {"summaries": first,
                                                "agents": reference.agents[reference.agents["replication"] < 2]
                                                .query("policy == 'flat'")})
    killed._staging._release()  # as if the process died: the lock is gone, the folder stays
    assert not out.exists()
    with pytest.raises(InputError, match="killed"):
        isim.load(out)
    note = ResultStore(out)
    note.prepare(plan)
    assert any("left alone" in n for n in note.notes)  # without resume it is not touched
    sim = FakeSimulator()
    resumed = run(out, sim, resume=True)
    assert len(sim.calls) == 12 - 2 and resumed.complete
    assert [p.name for p in tmp_path.iterdir()] == ["exp"]
    assert resumed.manifest["sessions"][0].get("killed") is True


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_result_files_have_ordinary_permissions(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        exp = run(tmp_path / "exp", keep_calls=True)
        exp.save(tmp_path / "saved")
    finally:
        os.umask(old)
    for folder in ("exp", "saved"):
        for path in [tmp_path / folder, *(tmp_path / folder).rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o777 if path.is_dir() else 0o666) & ~umask, (path, oct(mode))


def test_save_follows_the_same_rules(tmp_path: Path) -> None:
    exp = run(None)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "a.txt").write_text("mine")
    with pytest.raises(InputError, match="holds no incentsim experiment"):
        exp.save(foreign)
    exp.save(tmp_path / "saved")
    with pytest.raises(InputError, match="already holds an experiment"):
        exp.save(tmp_path / "saved")
    exp.save(tmp_path / "saved", overwrite=True)
    pd_equal = isim.load(tmp_path / "saved").summaries.equals(exp.summaries)
    assert pd_equal and (foreign / "a.txt").read_text() == "mine"


def test_a_report_goes_when_the_results_change_and_stays_when_they_do_not(tmp_path: Path) -> None:
    out = tmp_path / "exp"
    run(out)
    (out / "report.html").write_text("report")
    run(out, resume=True)  # nothing left to run: the report still describes the results
    assert (out / "report.html").exists()
    run(out, resume=True, replications=6)
    assert not (out / "report.html").exists()

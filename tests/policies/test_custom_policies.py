"""Policies of your own in scenario files: --policy-module, load_policy_module, entry points."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from strategies_experiment import FakeSimulator, small_baseline

import incentsim as isim
from incentsim.cli import main
from incentsim.errors import InputError
from incentsim.policies import Policy, Review, check_policy, load_policy_module, registry

MODULE = textwrap.dedent('''
    from incentsim.policies import Policy, Review

    class {name}(Policy):
        """Coach the slowest share of the active agents each period."""

        def __init__(self, share: float = 0.2) -> None:
            self.share = share

        def review(self, measured, period):
            now = measured[(measured["period"] == period) & (measured["status"] == "active")]
            count = max(1, int(len(now) * self.share))
            slow = now.sort_values(["aht", "agent"], ascending=[False, True]).head(count)
            return Review(coaching={{int(a) for a in slow["agent"]}})
''')


def write_module(folder: Path, name: str) -> Path:
    path = folder / f"{name.lower()}_policies.py"
    path.write_text(MODULE.format(name=name))
    return path


def scenario_text(policy_type: str) -> str:
    return f'name = "custom"\nbaseline = "flat"\n[policies.flat]\ntype = "Flat"\n' \
           f'[policies.mine]\ntype = "{policy_type}"\nshare = 0.3\n'


def test_unknown_type_says_how_to_add_your_own() -> None:
    with pytest.raises(InputError) as info:
        isim.Scenario.from_toml(scenario_text("NoSuchPolicy"))
    text = str(info.value)
    assert "policies.mine.type" in text and "unknown policy type 'NoSuchPolicy'" in text
    assert "--policy-module FILE.py" in text and "incentsim.policies' entry-point group" in text


def test_a_loaded_file_makes_its_policies_nameable(tmp_path: Path) -> None:
    names = load_policy_module(write_module(tmp_path, "CoachSlowestA"))
    assert names == ["CoachSlowestA"]
    sc = isim.Scenario.from_toml(scenario_text("CoachSlowestA"))
    policy = registry.build_policy(sc.policies["mine"])
    assert type(policy).__name__ == "CoachSlowestA" and policy.share == 0.3
    check_policy(policy)


@pytest.mark.parametrize("content, words", [
    (None, "not found"),
    ("raise RuntimeError('boom')", "RuntimeError: boom"),
    ("x = 1", "defines no subclass"),
])
def test_bad_modules_get_one_clear_error(tmp_path: Path, content: str | None, words: str) -> None:
    path = tmp_path / "broken.py"
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputError, match=words):
        load_policy_module(path)


def test_cli_policy_module_runs_the_custom_policy_on_worker_processes(tmp_path: Path) -> None:
    module = write_module(tmp_path, "CoachSlowestB")
    sc = small_baseline(**{"center.days_per_month": 2, "policies": {}, "baseline": ""})
    text = sc.to_toml() + scenario_text("CoachSlowestB").split("\n", 1)[1].replace('baseline = "flat"\n', "")
    path = tmp_path / "custom.toml"
    path.write_text(text)
    out = tmp_path / "out"
    args = ["run", str(path), "-n", "1", "--out", str(out), "--no-report", "--workers", "1",
            "--policy-module", str(module)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert isim.load(out).policies == ["flat", "mine"]
    missing = CliRunner().invoke(main, ["run", str(path), "--policy-module", str(tmp_path / "nope.py")])
    assert missing.exit_code == 2 and "not found" in missing.output


def test_entry_point_group_registers_installed_policies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site"
    package.mkdir()
    (package / "ep_policies.py").write_text(MODULE.format(name="CoachSlowestC"))
    info = package / "ep_policies-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ep-policies\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[incentsim.policies]\nCoachSlowestC = ep_policies:CoachSlowestC\nBroken = ep_policies:Missing\n")
    monkeypatch.syspath_prepend(str(package))
    monkeypatch.setattr(registry, "_ENTRY_POINTS_READ", None)
    monkeypatch.setattr(registry, "_ENTRY_POINT_FAILURES", {})
    assert "CoachSlowestC" in registry.registered()
    sc = isim.Scenario.from_toml(scenario_text("CoachSlowestC"))
    assert type(registry.build_policy(sc.policies["mine"])).__name__ == "CoachSlowestC"
    with pytest.raises(InputError, match="entry point 'Broken' failed to load"):
        registry.build_policy({"type": "Unknown"})
    sys.modules.pop("ep_policies", None)


def test_compare_uses_the_declared_policies_or_their_specs() -> None:
    sc = small_baseline()
    fake = FakeSimulator()
    exp = isim.compare(sc, replications=2, executor=isim.experiment.SerialExecutor(), simulator=fake,
                       progress=False)
    assert exp.policies == list(sc.policies)
    again = isim.compare(sc, sc.policies, replications=2, executor=isim.experiment.SerialExecutor(),
                         simulator=fake, progress=False)
    assert again.policies == list(sc.policies)
    assert again.summaries.equals(exp.summaries)
    with pytest.raises(InputError, match="policies.bad.type: unknown policy type"):
        isim.compare(sc, {"bad": {"type": "Nope"}}, replications=1)


class Negative(Policy):
    def __init__(self, amount: float = -5.0) -> None:
        self.amount = amount

    def review(self, measured, period):  # noqa: ANN001, ANN201
        active = measured.loc[measured["period"] == period, "agent"]
        return Review(payouts={int(a): self.amount for a in active})


def test_check_policy_reports_each_distinct_problem_once_with_a_count() -> None:
    with pytest.raises(AssertionError) as info:
        check_policy(Negative())
    text = str(info.value)
    assert text.count("negative payout") == 1
    assert "times; first at frame 0, period 0" in text
    assert "distinct problem(s)" in text

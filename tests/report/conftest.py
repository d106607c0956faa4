"""Shared fixtures for the report tests: one tiny real experiment, saved, and its HTML report."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest

import incentsim as isim

#: Text that must come out escaped wherever the report shows it.
HOSTILE = '# <script>alert("x")</script> & <b>bold</b>'


def tiny_scenario() -> isim.Scenario:
    return isim.Scenario.load(Path(__file__).parents[2] / "scenarios" / "baseline.toml").replace(**{
        "center.tier1_agents": 8, "center.tier2_agents": 1, "center.months": 2,
        "center.days_per_month": 2, "demand.calls_per_hour": 40.0})


@pytest.fixture(scope="session")
def saved_experiment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-policy x 3-replication experiment saved to disk (about 4 s of CPU)."""
    out = tmp_path_factory.mktemp("report") / "experiment"
    policies = {
        "flat": isim.policies.Flat(),
        "individual_bonus": isim.policies.IndividualBonus(metric="csat", threshold=0.95, amount=100),
        "forced_ranking": isim.policies.ForcedRanking(metrics=["csat"]),
    }
    isim.compare(tiny_scenario(), policies, replications=3, seed=11,
                 executor=isim.experiment.SerialExecutor(), out=out)
    return out


@pytest.fixture(scope="session")
def experiment(saved_experiment: Path) -> isim.Experiment:
    return isim.load(saved_experiment)


@pytest.fixture(scope="session")
def report_file(experiment: isim.Experiment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML report of the experiment, with hostile text planted in the scenario TOML."""
    from incentsim.report import write_report

    manifest = experiment.manifest
    manifest["scenarios"][0]["toml"] += "\n" + HOSTILE + "\n"
    planted = isim.Experiment(experiment.summaries, experiment.agents, None, manifest)
    return write_report(planted, tmp_path_factory.mktemp("html") / "report.html")


@pytest.fixture(scope="session")
def hostile_text() -> str:
    return HOSTILE

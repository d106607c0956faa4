"""The policy scenario library: each file states its claim and source, loads, and runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import incentsim as isim
from incentsim.policies import build_policy, check_policy

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
POLICY_SCENARIOS = ["survey_bonus_vs_team_goal", "talk_time_target", "forced_ranking",
                    "deming_management", "loyalty_pay_low_response", "rewards_that_stop"]


@pytest.mark.parametrize("name", POLICY_SCENARIOS)
def test_opens_with_claim_and_source(name: str) -> None:
    text = (SCENARIOS / f"{name}.toml").read_text(encoding="utf-8")
    header = text.split("\nname")[0]
    assert header.startswith("# Claim explored (source 00")
    assert all(line.startswith("#") or not line.strip() for line in header.splitlines())
    assert re.search(r"source 00[0-4]", header)


@pytest.mark.parametrize("name", POLICY_SCENARIOS)
def test_loads_with_a_baseline_and_several_conforming_policies(name: str) -> None:
    scenario = isim.Scenario.load(SCENARIOS / f"{name}.toml")
    assert scenario.name == name
    assert scenario.center.tier1_agents == 55 and scenario.center.months == 6
    assert scenario.baseline in scenario.policies and len(scenario.policies) >= 3
    for spec in scenario.policies.values():
        check_policy(build_policy(spec))


@pytest.mark.parametrize("name", POLICY_SCENARIOS)
def test_runs_every_declared_policy_shrunk(name: str) -> None:
    scenario = isim.Scenario.load(SCENARIOS / f"{name}.toml")
    small = scenario.replace(**{
        "center.tier1_agents": 8, "center.tier2_agents": 1, "center.months": 4,
        "center.days_per_month": 3,
        "demand.calls_per_hour": scenario.demand.calls_per_hour * 8 / 55})
    for label, spec in small.policies.items():
        run = isim.simulate(small, policy=build_policy(spec), seed=3)
        assert len(run.calls) > 0, label
        assert set(run.agents["period"]) == set(range(4)), label

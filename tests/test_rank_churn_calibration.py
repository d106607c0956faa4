"""scenarios/rank_churn_55_agents.toml reproduces source 000's coin-flip table.

Source 000: of 55 agents ranked monthly, 13% ranked non-randomly on QA, 22% on AHT and
under 6% on both. The scenario was calibrated on other seeds (its header gives the runs);
this test re-checks it on five seeds never used in the calibration, so a calibration
tuned to its own seeds would show here.

Tolerance: one seed's share of ~60 tested agents has a standard deviation of about 0.04
(QA) and 0.05 (AHT) across seeds, so the mean of five has about 0.02; the calibration
runs themselves carry about 0.01. The test accepts |mean - published| <= 0.07 for QA
and AHT (about three standard errors), and the mean on both <= 0.06 + 0.03 (one-sided,
as published). Same seeds, same result: the test is deterministic, and the tolerance
guards the calibration against model changes, not against luck.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import incentsim as isim
from incentsim.stats import rank_consistency

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "rank_churn_55_agents.toml"
#: Seeds never used in the calibration (which used seeds 0-3, 100-107, 200-211, 300-311 and 500-515).
SEEDS = (601, 602, 603, 604, 605)
PUBLISHED = {"qa": 0.13, "aht": 0.22, "both": 0.06}
TOLERANCE = 0.07
BOTH_SLACK = 0.03


@pytest.fixture(scope="module")
def shares() -> dict[str, float]:
    scenario = isim.Scenario.load(SCENARIO)
    found: dict[str, list[float]] = {"qa": [], "aht": [], "both": []}
    for seed in SEEDS:
        agents = isim.simulate(scenario, seed=seed, keep_calls=False).agents
        result = rank_consistency(agents, agent="agent", period="period", metric=["qa", "aht"],
                                  higher_is_better=[True, False])
        found["qa"].append(result.by_metric["qa"].share_non_random)
        found["aht"].append(result.by_metric["aht"].share_non_random)
        found["both"].append(result.share_non_random)
    return {key: float(np.mean(values)) for key, values in found.items()}


def test_scenario_states_its_months_and_claim() -> None:
    scenario = isim.Scenario.load(SCENARIO)
    assert scenario.center.tier1_agents == 55
    header = SCENARIO.read_text(encoding="utf-8").split("\nname")[0]
    assert "source 000" in header
    assert f"{scenario.center.months}" in header or "Six months" in header


@pytest.mark.slow
def test_qa_share_matches_source_000(shares: dict[str, float]) -> None:
    assert shares["qa"] == pytest.approx(PUBLISHED["qa"], abs=TOLERANCE)


@pytest.mark.slow
def test_aht_share_matches_source_000(shares: dict[str, float]) -> None:
    assert shares["aht"] == pytest.approx(PUBLISHED["aht"], abs=TOLERANCE)


@pytest.mark.slow
def test_both_share_under_six_percent(shares: dict[str, float]) -> None:
    assert shares["both"] <= PUBLISHED["both"] + BOTH_SLACK
    # and AHT is the more person-driven metric, as in the source
    assert shares["aht"] > shares["qa"]

"""Variance components: hand-computed ANOVA, recovery of known components, interval coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from incentsim.errors import InputError
from incentsim.stats import variance_components
from tests.strategies_stats import panels


def _panel(rng: np.random.Generator, agents: int, periods: int, people_sd: float,
           system_sd: float, unbalanced: bool) -> pd.DataFrame:
    effect = rng.normal(0.0, people_sd, agents)
    counts = rng.integers(2, 2 * periods, agents) if unbalanced else np.full(agents, periods)
    agent = np.repeat(np.arange(agents), counts)
    period = np.concatenate([np.arange(c) for c in counts])
    value = 10.0 + effect[agent] + rng.normal(0.0, system_sd, agent.size)
    return pd.DataFrame({"agent": agent, "month": period, "aht": value})


def test_hand_computed_unbalanced_anova() -> None:
    frame = pd.DataFrame({"agent": ["a", "a", "a", "b", "b", "c", "c", "c", "c"],
                          "month": [1, 2, 3, 1, 2, 1, 2, 3, 4],
                          "aht": [1.0, 2.0, 3.0, 5.0, 7.0, 2.0, 2.0, 4.0, 4.0]})
    result = variance_components(frame, "agent", "month", "aht")
    # group means 2, 6, 3; grand mean 30/9
    grand = 30 / 9
    ss_between = 3 * (2 - grand) ** 2 + 2 * (6 - grand) ** 2 + 4 * (3 - grand) ** 2
    ss_within = 2.0 + 2.0 + 4.0
    msb, msw = ss_between / 2, ss_within / 6
    n0 = (9 - (9 + 4 + 16) / 9) / 2
    between = (msb - msw) / n0
    assert result.within_var == pytest.approx(msw)
    assert result.between_var == pytest.approx(between)
    assert result.n0 == pytest.approx(n0)
    assert result.icc == pytest.approx(between / (between + msw))
    assert result.f_statistic == pytest.approx(msb / msw)
    assert result.people_share == result.icc
    assert result.system_share == pytest.approx(1 - result.icc)
    assert result.agents == 3 and result.observations == 9
    assert result.icc_ci[0] <= result.icc <= result.icc_ci[1]


@pytest.mark.parametrize("unbalanced", [False, True])
@pytest.mark.parametrize("people_sd", [0.5, 1.5])
def test_recovers_known_icc_with_nominal_coverage(unbalanced: bool, people_sd: float) -> None:
    # 200 panels of 55 agents; true ICC = people_sd^2 / (people_sd^2 + 1).
    # Coverage over 200 panels has binomial sd about 0.015; accept 0.90 to 0.99.
    rng = np.random.default_rng(17 + int(unbalanced) + int(10 * people_sd))
    truth = people_sd**2 / (people_sd**2 + 1.0)
    estimates, covered = [], 0
    for _ in range(200):
        result = variance_components(_panel(rng, 55, 6, people_sd, 1.0, unbalanced),
                                     "agent", "month", "aht")
        estimates.append(result.icc)
        covered += result.icc_ci[0] <= truth <= result.icc_ci[1]
    assert np.mean(estimates) == pytest.approx(truth, abs=0.03)
    assert 0.90 <= covered / 200 <= 0.99


def test_no_people_effect_gives_small_icc_and_large_p_value() -> None:
    rng = np.random.default_rng(1)
    p_values = [variance_components(_panel(rng, 40, 6, 0.0, 1.0, True), "agent", "month",
                                    "aht").p_value for _ in range(200)]
    # the F test is exact under the null: p-values are uniform
    assert np.mean(np.asarray(p_values) <= 0.05) == pytest.approx(0.05, abs=0.035)


def test_constant_agents_are_all_people() -> None:
    frame = pd.DataFrame({"agent": [1, 1, 2, 2], "month": [1, 2, 1, 2],
                          "aht": [3.0, 3.0, 5.0, 5.0]})
    result = variance_components(frame, "agent", "month", "aht")
    assert result.icc == 1.0 and result.icc_ci == (1.0, 1.0)


def test_reliability_is_spearman_brown() -> None:
    rng = np.random.default_rng(2)
    result = variance_components(_panel(rng, 30, 6, 1.0, 1.0, False), "agent", "month", "aht")
    icc = result.icc
    assert result.reliability(1) == pytest.approx(icc)
    assert result.reliability(6) == pytest.approx(6 * icc / (1 + 5 * icc))
    assert "reliability" in result.summary()
    with pytest.raises(ValueError, match="periods"):
        result.reliability(0)


def test_bad_input() -> None:
    frame = pd.DataFrame({"agent": [1, 2], "month": [1, 2], "aht": [1.0, 2.0]})
    with pytest.raises(InputError, match="at least 2 agents"):
        variance_components(frame, "agent", "month", "aht")
    with pytest.raises(InputError, match="qa: column not found"):
        variance_components(frame, "agent", "month", "qa")
    with pytest.raises(InputError, match="confidence"):
        variance_components(frame, "agent", "month", "aht", confidence=2.0)


@settings(max_examples=30, deadline=None)
@given(frame=panels())
def test_invariants(frame: pd.DataFrame) -> None:
    counts = frame.dropna(subset=["aht"]).groupby("agent").size()
    if len(counts) < 2 or counts.sum() - len(counts) < 1:
        return
    result = variance_components(frame, "agent", "period", "aht")
    low, high = result.icc_ci
    assert 0.0 <= low <= high <= 1.0
    if frame["aht"].nunique() == 1:  # nothing varies: no share can be told (regression: the bounds were nan)
        assert np.isnan(result.icc) and (low, high) == (0.0, 1.0)
    assert 0.0 <= result.icc <= 1.0 or np.isnan(result.icc)
    assert result.between_var >= 0 and result.within_var >= 0
    # shifting and relabelling do not change the shares
    moved = frame.assign(aht=frame["aht"] * 3.0 + 7.0, agent="x" + frame["agent"])
    other = variance_components(moved, "agent", "period", "aht")
    np.testing.assert_allclose(other.icc, result.icc, atol=1e-9)
    np.testing.assert_allclose(other.icc_ci, result.icc_ci, atol=1e-9)

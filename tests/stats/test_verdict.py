"""The graded verdict: system on pure noise, people on strong fixed effects, mixed between, and words that agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from incentsim.stats import rank_consistency, variance_components
from incentsim.stats.verdict import (
    PEOPLE_FROM,
    SYSTEM_BELOW,
    band,
    expected_flagged_share,
    overall_verdict,
    periods_for_reliability,
    same_half_chance,
    verdict,
)


def _panel(rng: np.random.Generator, agents: int, periods: int, icc: float) -> pd.DataFrame:
    effect = rng.normal(0.0, np.sqrt(icc), agents)
    rows = [(a, t, 10.0 + effect[a] + rng.normal(0.0, np.sqrt(1.0 - icc)))
            for a in range(agents) for t in range(periods)]
    return pd.DataFrame(rows, columns=["agent", "month", "aht"])


def _verdict(frame: pd.DataFrame, min_periods: int = 2):
    rank = rank_consistency(frame, "agent", "month", "aht", False, min_periods=min_periods)
    return verdict(rank, variance_components(frame, "agent", "month", "aht"))


def test_pure_noise_is_system() -> None:
    # 25 panels of pure noise (ICC 0): the ICC estimate of 40 agents x 12 months has sd
    # about 0.03, so it stays under 0.2; the flagged count stays near chance.
    rng = np.random.default_rng(5)
    found = [_verdict(_panel(rng, 40, 12, 0.0)) for _ in range(25)]
    assert {v.verdict for v in found} == {"system"}
    assert np.mean([v.above_chance for v in found]) < 0.2  # the chance test's own false alarms


def test_strong_fixed_effects_are_people() -> None:
    rng = np.random.default_rng(6)
    for _ in range(10):
        v = _verdict(_panel(rng, 30, 8, 0.85))
        assert v.verdict == "people" and v.settled and v.above_chance
        assert "Verdict on aht: people." in v.summary()


def test_moderate_share_is_mixed_and_many_flagged_is_explained() -> None:
    rng = np.random.default_rng(7)
    v = _verdict(_panel(rng, 200, 24, 0.35))
    assert v.verdict == "mixed"
    text = v.summary()
    # 24 periods at ICC 0.35 flag about 44% of agents although people explain under half
    assert v.share_flagged > 0.3 and v.above_chance
    assert "This fits the people share" in text
    assert "people explain" not in text.lower().split("this fits")[1]  # no second, different share


def test_small_but_steady_differences_stay_system_and_say_why() -> None:
    rng = np.random.default_rng(8)
    v = _verdict(_panel(rng, 400, 24, 0.08))
    assert v.verdict == "system" and v.above_chance
    assert "Both hold" in v.summary()


def test_people_needs_the_coin_flip_test_when_it_can_flag() -> None:
    # Two agents far from 38 identical ones: a large ICC that rests on two people.
    rng = np.random.default_rng(9)
    frame = _panel(rng, 40, 8, 0.0)
    frame.loc[frame["agent"] == 0, "aht"] += 12.0
    frame.loc[frame["agent"] == 1, "aht"] -= 12.0
    components = variance_components(frame, "agent", "month", "aht")
    assert components.icc >= PEOPLE_FROM
    v = _verdict(frame)
    assert v.share_flagged < 0.1 and v.verdict == "mixed"
    assert "few agents far from the rest" in v.summary()


def test_no_power_rests_on_the_icc_and_says_so() -> None:
    rng = np.random.default_rng(10)
    v = _verdict(_panel(rng, 30, 4, 0.9))
    assert v.chance_share == 0.0 and v.verdict == "people"
    assert "nobody can be flagged" in v.summary() and "rests on the people share alone" in v.summary()


def test_agents_who_cannot_be_flagged_are_counted_and_min_periods_suggested() -> None:
    rng = np.random.default_rng(11)
    long = _panel(rng, 20, 10, 0.6)
    short = _panel(rng, 10, 3, 0.6).assign(agent=lambda f: f["agent"] + 100)
    frame = pd.concat([long, short], ignore_index=True)
    rank = rank_consistency(frame, "agent", "month", "aht", False)
    retest = rank_consistency(frame, "agent", "month", "aht", False, min_periods=6)
    v = verdict(rank, variance_components(frame, "agent", "month", "aht"), retest=retest)
    assert v.cannot_flag >= 9 and "--min-periods 6" in v.summary()
    assert v.if_min_periods_needed == (retest.n_non_random, retest.n_tested)
    few = _verdict(_panel(rng, 20, 24, 0.6))
    assert few.cannot_flag == 0 and "can never flag" not in few.summary()


def test_interval_across_bands_is_not_settled() -> None:
    rng = np.random.default_rng(12)
    v = _verdict(_panel(rng, 6, 4, 0.3))
    assert not v.settled and "more agents or periods are needed" in v.summary()


def test_scale_figures_match_the_explanation_page() -> None:
    assert band(SYSTEM_BELOW - 1e-9) == "system" and band(SYSTEM_BELOW) == "mixed"
    assert band(PEOPLE_FROM) == "people"
    assert same_half_chance(0.2) == pytest.approx(0.564, abs=0.001)
    assert same_half_chance(0.5) == pytest.approx(2 / 3)
    assert periods_for_reliability(0.2) == pytest.approx(16.0)
    assert periods_for_reliability(0.5) == pytest.approx(4.0)
    # docs/explanation/rank-consistency.md's table (normal effects and noise)
    assert expected_flagged_share(0.25, 6) == pytest.approx(0.135, abs=0.002)
    assert expected_flagged_share(0.4, 12) == pytest.approx(0.383, abs=0.002)
    assert expected_flagged_share(0.0, 12) == pytest.approx(0.039, abs=0.001)
    assert expected_flagged_share(0.9, 5) == 0.0


def test_overall_verdict() -> None:
    rng = np.random.default_rng(13)
    people = _verdict(_panel(rng, 30, 8, 0.85))
    system = _verdict(_panel(rng, 30, 8, 0.0))
    assert overall_verdict([people, people]) == "people"
    assert overall_verdict([people, system]) == "mixed"
    assert overall_verdict([]) is None
    assert set(people.to_dict()) >= {"verdict", "icc", "icc_ci", "share_flagged", "chance_share", "text"}

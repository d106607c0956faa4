"""The coin-flip rank-consistency test: exact chance rates, known panels, invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from scipy import stats as sps

from incentsim.errors import InputError
from incentsim.stats import chance_flag_probability, rank_consistency
from tests.strategies_stats import panels


def _brute_force_chance(periods: int, alpha: float) -> float:
    return sum(sps.binom.pmf(k, periods, 0.5) for k in range(periods + 1)
               if sps.binomtest(k, periods, 0.5).pvalue <= alpha)


def _noise_panel(rng: np.random.Generator, agents: int, periods: int,
                 missing: float = 0.0, effect_sd: float = 0.0) -> pd.DataFrame:
    effect = rng.normal(0, effect_sd, agents) if effect_sd else np.zeros(agents)
    agent, period = np.meshgrid(np.arange(agents), np.arange(periods), indexing="ij")
    frame = pd.DataFrame({"agent": agent.ravel(), "month": period.ravel()})
    frame["aht"] = effect[frame["agent"]] + rng.normal(size=len(frame))
    frame["qa"] = -effect[frame["agent"]] + rng.normal(size=len(frame))
    keep = rng.random(len(frame)) >= missing
    return frame.loc[keep].reset_index(drop=True)


@pytest.mark.parametrize(("periods", "expected"), [
    (1, 0.0), (5, 0.0), (6, 2 / 64), (8, 2 / 256), (12, 2 * (1 + 12 + 66) / 4096)])
def test_chance_flag_probability_known_values(periods: int, expected: float) -> None:
    assert chance_flag_probability(periods, 0.05) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1, 0.2])
def test_chance_flag_probability_matches_brute_force(alpha: float) -> None:
    for periods in range(1, 25):
        chance = chance_flag_probability(periods, alpha)
        assert chance == pytest.approx(_brute_force_chance(periods, alpha), abs=1e-12)
        assert chance <= alpha + 1e-12  # an exact test never exceeds its level


def test_hand_panel_known_counts() -> None:
    # 4 agents, 6 months. "a" always fastest; "d" always slowest; b and c swap.
    rows = []
    for month in range(6):
        b, c = (2.0, 3.0) if month % 2 else (3.0, 2.0)
        rows += [("a", month, 1.0), ("b", month, b), ("c", month, c), ("d", month, 4.0)]
    frame = pd.DataFrame(rows, columns=["name", "month", "aht"])
    result = rank_consistency(frame, "name", "month", "aht", higher_is_better=False)
    table = result.agents.set_index("agent")
    assert table.loc["a", "better_half"] == 6 and table.loc["a", "periods"] == 6
    assert table.loc["d", "better_half"] == 0
    assert table.loc["b", "better_half"] == 3
    assert table.loc["a", "p_value"] == pytest.approx(2 / 64)
    assert list(table["non_random"]) == [True, False, False, True]
    assert table.loc["a", "direction"] == "better" and table.loc["d", "direction"] == "worse"
    assert result.share_non_random == 0.5
    assert result.chance_share == pytest.approx(2 / 64)
    assert result.n_tested == 4 and result.n_non_random == 2
    # flipping the direction swaps better and worse halves, nothing else
    flipped = rank_consistency(frame, "name", "month", "aht", higher_is_better=True)
    assert flipped.agents.set_index("agent").loc["a", "better_half"] == 0
    assert flipped.share_non_random == result.share_non_random


def test_odd_agents_median_tie_is_not_counted() -> None:
    rows = [(name, m, value) for m in range(8)
            for name, value in (("low", 1.0), ("mid", 2.0), ("high", 3.0))]
    frame = pd.DataFrame(rows, columns=["agent", "month", "qa"])
    result = rank_consistency(frame, "agent", "month", "qa", higher_is_better=True)
    table = result.agents.set_index("agent")
    assert table.loc["mid", "present"] == 8
    assert table.loc["mid", "periods"] == 0
    assert not table.loc["mid", "tested"]
    assert np.isnan(table.loc["mid", "p_value"])
    assert table.loc["high", "better_half"] == 8 and table.loc["low", "better_half"] == 0
    assert result.n_tested == 2 and result.share_non_random == 1.0
    assert result.tied_share == pytest.approx(8 / 24)


def test_agents_present_only_some_periods_and_min_periods() -> None:
    rows = [("full", m, 1.0) for m in range(8)] + [("other", m, 2.0) for m in range(8)]
    rows += [("late", m, 0.5) for m in (6, 7)]  # joins for the last two months
    frame = pd.DataFrame(rows, columns=["agent", "month", "aht"])
    result = rank_consistency(frame, "agent", "month", "aht", False, min_periods=3)
    table = result.agents.set_index("agent")
    assert table.loc["late", "present"] == 2
    assert not table.loc["late", "tested"]
    assert not table.loc["late", "non_random"]
    assert result.n_tested == 2


@pytest.mark.parametrize(("agents", "periods", "missing"), [(55, 12, 0.0), (40, 10, 0.25)])
def test_pure_noise_flags_at_the_chance_rate(agents: int, periods: int, missing: float) -> None:
    # 300 panels; per panel the flagged share has sd about sqrt(0.04/agents) ~ 0.03, so the
    # mean over 300 has sd about 0.002. Tolerance 0.008 is four of those.
    rng = np.random.default_rng(2024)
    flagged, chance = [], []
    for _ in range(300):
        result = rank_consistency(_noise_panel(rng, agents, periods, missing), "agent",
                                  "month", "aht", higher_is_better=False)
        flagged.append(result.share_non_random)
        chance.append(result.chance_share)
    assert np.mean(flagged) == pytest.approx(np.mean(chance), abs=0.008)
    assert np.mean(chance) < 0.05  # with this few periods chance is below alpha


def test_pure_noise_combined_rate_is_product() -> None:
    rng = np.random.default_rng(7)
    shares = []
    for _ in range(120):  # per-panel sd of the share ~0.005, so the mean's is ~0.0005
        result = rank_consistency(_noise_panel(rng, 54, 12), "agent", "month", ["aht", "qa"],
                                  [False, True])
        shares.append(result.share_non_random)
        # 54 agents (even): every agent counts all 12 months, so the chance is exact
        assert result.chance_share == pytest.approx((158 / 4096) ** 2)
    assert np.mean(shares) == pytest.approx((158 / 4096) ** 2, abs=0.003)


def test_strong_fixed_effects_flag_everyone() -> None:
    rng = np.random.default_rng(3)
    frame = _noise_panel(rng, 54, 8)
    frame["aht"] = frame["agent"] * 10.0 + rng.normal(0, 0.01, len(frame))
    result = rank_consistency(frame, "agent", "month", "aht", False)
    assert result.share_non_random == 1.0
    assert result.chance_p_value < 1e-12
    assert "of 54 agents, 54" in result.summary()


def test_large_but_noisy_effects_flag_nearly_all() -> None:
    rng = np.random.default_rng(4)
    result = rank_consistency(_noise_panel(rng, 55, 12, effect_sd=5.0), "agent", "month",
                              "aht", False)
    assert result.share_non_random >= 0.85


def test_combined_table_columns_and_logic() -> None:
    rng = np.random.default_rng(5)
    frame = _noise_panel(rng, 30, 10, missing=0.1, effect_sd=1.5)
    result = rank_consistency(frame, "agent", "month", ["aht", "qa"], [False, True])
    table = result.agents
    for column in ("agent", "periods", "better_half", "p_value", "non_random",
                   "aht_p_value", "qa_non_random", "aht_periods"):
        assert column in table.columns
    both = table["aht_non_random"] & table["qa_non_random"]
    assert (table["non_random"] == both).all()
    tested = table["tested"]
    assert (table.loc[tested, "p_value"] == table.loc[tested, ["aht_p_value", "qa_p_value"]]
            .max(axis=1)).all()
    assert set(result.by_metric) == {"aht", "qa"}
    assert result.share_non_random <= min(r.share_non_random for r in result.by_metric.values())
    assert list(result.table()["metric"]) == ["aht", "qa", "aht & qa"]
    assert len(result.summary().splitlines()) == 3


def test_chance_p_value_matches_simulation() -> None:
    from incentsim.stats.rank_consistency import _poisson_binomial_tail

    rng = np.random.default_rng(9)
    probs = rng.uniform(0, 0.2, 15)
    draws = (rng.random((200_000, 15)) < probs).sum(axis=1)
    for k in (0, 2, 4):
        assert _poisson_binomial_tail(probs, k) == pytest.approx((draws >= k).mean(), abs=0.005)


def test_bad_input_names_the_field() -> None:
    frame = pd.DataFrame({"agent": [1, 2, 1, 2], "month": [1, 1, 2, 2], "aht": [1.0, 2, 3, 4]})
    with pytest.raises(InputError, match="qa: column not found"):
        rank_consistency(frame, "agent", "month", "qa", True)
    with pytest.raises(InputError, match="higher_is_better"):
        rank_consistency(frame, "agent", "month", ["aht"], [True, False])
    with pytest.raises(InputError, match="alpha"):
        rank_consistency(frame, "agent", "month", "aht", True, alpha=1.5)
    with pytest.raises(InputError, match="at least 2"):
        rank_consistency(frame.loc[frame["month"] == 1], "agent", "month", "aht", True)
    bad = frame.assign(aht=["1", "x", "3", "4"])
    with pytest.raises(InputError, match="'x'"):
        rank_consistency(bad, "agent", "month", "aht", True)
    with pytest.raises(InputError, match="repeat an agent"):
        rank_consistency(pd.concat([frame, frame]), "agent", "month", "aht", True)


def _same_result(a: object, b: object) -> None:
    assert a.n_tested == b.n_tested
    assert a.n_non_random == b.n_non_random
    np.testing.assert_allclose(a.chance_share, b.chance_share)
    np.testing.assert_allclose(a.tied_share, b.tied_share)


@settings(max_examples=40, deadline=None)
@given(frame=panels())
def test_invariants_over_random_panels(frame: pd.DataFrame) -> None:
    result = rank_consistency(frame, "agent", "period", ["aht", "qa"], [False, True])
    for part in [result, *result.by_metric.values()]:
        if part.n_tested:
            assert 0.0 <= part.share_non_random <= 1.0
            assert 0.0 <= part.chance_share <= part.alpha
        assert 0.0 <= part.chance_p_value <= 1.0
        assert 0.0 <= part.tied_share <= 1.0
        assert (part.agents["better_half"] <= part.agents["periods"]).all()
        assert (part.agents["periods"] <= part.agents["present"]).all()

    # relabelling agents (a permutation of names) changes nothing but the names
    names = frame["agent"].unique()
    relabel = dict(zip(names, np.random.default_rng(0).permutation(names), strict=True))
    renamed = rank_consistency(frame.assign(agent=frame["agent"].map(relabel)), "agent",
                               "period", ["aht", "qa"], [False, True])
    _same_result(result, renamed)
    back = renamed.agents.assign(agent=renamed.agents["agent"].map(
        {v: k for k, v in relabel.items()})).set_index("agent").sort_index()
    pd.testing.assert_frame_equal(back, result.agents.set_index("agent").sort_index())

    # shuffling the rows changes nothing
    shuffled = frame.sample(frac=1.0, random_state=1)
    _same_result(result, rank_consistency(shuffled, "agent", "period", ["aht", "qa"],
                                          [False, True]))

    # negating a metric and flipping its direction changes nothing
    negated = frame.assign(aht=-frame["aht"], qa=-frame["qa"])
    flipped = rank_consistency(negated, "agent", "period", ["aht", "qa"], [True, False])
    _same_result(result, flipped)
    pd.testing.assert_frame_equal(flipped.agents, result.agents)


def test_too_few_periods_says_so() -> None:
    rng = np.random.default_rng(12)
    result = rank_consistency(_noise_panel(rng, 20, 5, effect_sd=10.0), "agent", "month",
                              "aht", False)
    assert result.chance_share == 0.0 and result.n_non_random == 0
    assert "needs 6 or more per agent" in result.summary()
    lenient = rank_consistency(_noise_panel(rng, 20, 5), "agent", "month", "aht", False,
                               alpha=0.1)
    assert lenient.chance_share > 0.0  # five out of five has p = 0.0625 <= 0.1

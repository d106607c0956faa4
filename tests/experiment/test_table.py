"""The comparison table against known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from incentsim.experiment.table import comparison_table, render, verdict


def frame(values: dict[str, list[float]]) -> pd.DataFrame:
    rows = []
    for policy, outcome in values.items():
        rows += [{"policy": policy, "replication": r, "wait": v} for r, v in enumerate(outcome)]
    return pd.DataFrame(rows)


def test_means_intervals_and_paired_differences_match_textbook_t_intervals() -> None:
    rng = np.random.default_rng(4)
    luck = rng.normal(0, 5, size=12)  # shared across policies: cancels in the paired difference
    base = 10 + luck
    worse = base + 1 + rng.normal(0, 0.1, size=12)
    same = base + rng.normal(0, 0.1, size=12)
    table = comparison_table(frame({"flat": base, "worse": worse, "same": same}),
                             ["flat", "worse", "same"], "flat", ["wait"])
    rows = table.set_index("policy")
    t = stats.t.ppf(0.975, 11)
    half = t * base.std(ddof=1) / np.sqrt(12)
    assert rows.loc["flat", "mean"] == pytest.approx(base.mean())
    assert rows.loc["flat", "ci_high"] - rows.loc["flat", "mean"] == pytest.approx(half)
    d = worse - base
    assert rows.loc["worse", "diff"] == pytest.approx(d.mean())
    assert rows.loc["worse", "diff_low"] == pytest.approx(d.mean() - t * d.std(ddof=1) / np.sqrt(12))
    assert list(rows["verdict"]) == ["baseline", "higher", "no clear difference"]
    # Unpaired, the shared luck would swamp a difference of 1; paired, it is clear.
    assert rows.loc["worse", "ci_low"] < rows.loc["flat", "mean"] < rows.loc["worse", "ci_high"]


def test_missing_values_are_left_out_of_their_pairs_only() -> None:
    table = comparison_table(frame({"flat": [1.0, 2.0, np.nan, 4.0], "b": [0.0, 1.0, 2.0, 3.0]}),
                             ["flat", "b"], "flat", ["wait"])
    row = table.set_index("policy").loc["b"]
    assert row["n"] == 4 and row["diff"] == pytest.approx(-1.0)
    assert row["verdict"] == "lower"  # constant difference of -1 on the three pairs


def test_unmeasured_outcomes_and_single_replications_say_so() -> None:
    unmeasured = comparison_table(frame({"flat": [np.nan] * 3, "b": [np.nan] * 3}),
                                  ["flat", "b"], "flat", ["wait"])
    assert set(unmeasured["verdict"]) == {"not measured"}
    single = comparison_table(frame({"flat": [1.0], "b": [2.0]}), ["flat", "b"], "flat", ["wait"])
    assert single.set_index("policy").loc["b", "verdict"] == "too few replications"


@pytest.mark.parametrize("low, high, word", [(0.1, 0.2, "higher"), (-0.2, -0.1, "lower"),
                                             (-0.1, 0.1, "no clear difference"),
                                             (0.0, 0.0, "no clear difference")])
def test_verdict_words(low: float, high: float, word: str) -> None:
    assert verdict(low, high) == word


def test_rendered_text_says_better_or_worse_where_the_direction_is_known() -> None:
    rows = frame({"flat": [1.0, 2.0, 3.0], "slow": [2.0, 3.1, 4.0]})
    table = comparison_table(rows.rename(columns={"wait": "mean_wait"}), ["flat", "slow"], "flat",
                             ["mean_wait"])
    text = render(table, ["flat", "slow"], "flat")
    assert "mean wait (minutes)" in text
    assert "higher (worse)" in text

"""Verdict shares, their intervals and their plain words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incentsim.robustness.analysis import boxes, choose, verdicts
from incentsim.robustness.assumptions import Assumption
from incentsim.robustness.design import sobol_design
from incentsim.robustness.verdicts import effective_size, reading, status, verdict, wilson


def _summaries(values: dict[str, np.ndarray], replications: int = 1) -> pd.DataFrame:
    rows = []
    for policy, y in values.items():
        for point, value in enumerate(y):
            for r in range(replications):
                rows.append({"point": point, "policy": policy, "replication": r, "true_csat": float(value)})
    return pd.DataFrame(rows)


def test_a_difference_that_cannot_change_sign_survives_everywhere() -> None:
    design = sobol_design([Assumption("a", 0, 1), Assumption("b", 0, 1)], ["a"], 16, seed=1)
    x = design.values
    base = 0.5 + 0.3 * x[:, 1]
    runs = _summaries({"flat": base, "team": base + 0.01 + x[:, 0] ** 2})
    nominal = _summaries({"flat": np.array([0.6, 0.61, 0.59]), "team": np.array([0.65, 0.66, 0.64])})
    nominal["replication"] = [0, 1, 2, 0, 1, 2]
    nominal["point"] = 0
    table = verdicts(nominal, design, runs, ["flat", "team"], ["true_csat"], 1)
    row = table.iloc[0]
    assert row["share"] == 1.0 and row["status"] == "survives"
    assert row["share_high"] == 1.0 and row["share_low"] > 0.9
    assert row["reading"].startswith("team beats flat on true satisfaction across 100% of plausible assumptions")
    assert boxes(table, nominal, design, runs, ["flat", "team"], pd.DataFrame(
        columns=["assumption", "policy", "against", "outcome", "mu_star", "ST"])).empty


def test_a_flip_is_found_in_its_box() -> None:
    design = sobol_design([Assumption("a", 0, 1), Assumption("b", 0, 1), Assumption("c", 0, 1)], ["a"], 64, 2)
    x = design.values
    team = 0.7 - 0.2 * (x[:, 1] > 0.75)  # flat wins only when b > 0.75
    runs = _summaries({"flat": np.full(len(x), 0.6), "team": team})
    nominal = pd.DataFrame({"point": 0, "replication": [0, 1, 0, 1], "policy": ["flat", "flat", "team", "team"],
                            "true_csat": [0.6, 0.6, 0.7, 0.71]})
    table = verdicts(nominal, design, runs, ["flat", "team"], ["true_csat"], 1)
    assert table.iloc[0]["share"] == pytest.approx(np.mean(x[:, 1] <= 0.75))
    importance = pd.DataFrame({"assumption": ["a", "b", "c"], "policy": "team", "against": "flat",
                               "outcome": "true_csat", "mu_star": [0.01, 0.2, 0.0], "ST": np.nan})
    found = boxes(table, nominal, design, runs, ["flat", "team"], importance)
    assert len(found) == 1
    box = found.iloc[0]
    assert list(box["limits"]) == ["b"] and box["limits"]["b"][0] > 0.7
    assert box["reading"].startswith("flat beats team on true satisfaction only when b >= 0.7")
    assert box["coverage"] == 1.0 and box["density"] == 1.0


def test_choose_ranks_by_mean_share_of_mu_star() -> None:
    rows = []
    for contrast, weights in {"b - a": {"x": 1.0, "y": 0.1, "z": 0.0}, "c - a": {"x": 0.2, "y": 1.0, "z": 0.05},
                              "c - b": {"x": 0.5, "y": 0.5, "z": 0.0}}.items():
        for key, w in weights.items():
            rows.append({"assumption": key, "contrast": contrast, "against": "a", "outcome": "q", "mu_star": w})
    rows.append({"assumption": "z", "contrast": "c", "against": "", "outcome": "q", "mu_star": 100.0})  # a level
    assert choose(pd.DataFrame(rows), 2) == ["x", "y"]


def test_words_for_direction_and_outcomes_without_one() -> None:
    assert reading("bonus", "flat", "mean_stress", 1, 0.9, 0.8, 0.95, False).startswith(
        "flat beats bonus on stress across 90%")
    assert reading("bonus", "flat", "measured_csat", -1, 0.9, 0.8, 0.95, True).startswith(
        "flat gives higher measured satisfaction")
    assert reading("bonus", "flat", "quits", 0, 1.0, 0.9, 1.0, False).startswith("bonus and flat give the same")
    assert [status(s) for s in (0.97, 0.85, 0.6, 0.2)] == ["survives", "mostly survives", "fragile", "reverses"]


def test_missing_outcomes_are_not_measured() -> None:
    row = verdict("b", "a", "true_csat", np.array([np.nan]), np.array([0.1, 0.2]), np.array([0, 1]), 0.1, 1)
    assert row["status"] == "not measured"


def test_within_noise_counts_points_smaller_than_replication_noise() -> None:
    row = verdict("b", "a", "true_csat", np.array([0.1, 0.12, 0.08]), np.array([0.001, -0.002, 0.5, 0.6]),
                  np.arange(4), noise_sd=0.01, replications=1)
    assert row["within_noise"] == 0.5


@settings(max_examples=40, deadline=None)
@given(kept=st.lists(st.booleans(), min_size=4, max_size=60), size=st.integers(1, 6))
def test_effective_size_lies_between_the_clusters_and_the_points(kept: list[bool], size: int) -> None:
    k = np.array(kept)
    clusters = np.arange(len(k)) // size
    n = effective_size(k, clusters)
    assert len(set(clusters)) - 1e-9 <= n <= len(k) + 1e-9 or n == len(k)


def test_wilson_interval_holds_the_share_and_stays_in_zero_one() -> None:
    low, high = wilson(1.0, 20)
    assert high == 1.0 and 0.8 < low < 1.0
    low, high = wilson(0.5, 100)
    assert low < 0.5 < high and high - low == pytest.approx(0.19, abs=0.01)

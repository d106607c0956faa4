"""Paired comparisons and replication counts against hand-computed and theoretical answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from incentsim.stats import (
    ConfidenceInterval,
    compare_policies,
    mean_ci,
    paired_difference,
    replications_needed,
    required_replications,
)


def test_mean_ci_matches_hand_computation() -> None:
    ci = mean_ci([1.0, 2.0, 3.0, 4.0])
    sd = math.sqrt(5.0 / 3.0)
    half = 3.182446305284263 * sd / 2.0  # t(0.975, 3)
    assert ci.mean == pytest.approx(2.5)
    assert ci.sd == pytest.approx(sd)
    assert ci.low == pytest.approx(2.5 - half)
    assert ci.high == pytest.approx(2.5 + half)
    assert ci.n == 4
    assert ci.half_width == pytest.approx(half)


def test_mean_ci_one_value_has_nan_bounds() -> None:
    ci = mean_ci([3.0])
    assert ci.mean == 3.0 and ci.n == 1
    assert math.isnan(ci.low) and math.isnan(ci.high) and math.isnan(ci.sd)
    assert not ci.excludes_zero()


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5, float("nan")])
def test_mean_ci_rejects_bad_confidence(bad: float) -> None:
    with pytest.raises(ValueError, match="confidence"):
        mean_ci([1.0, 2.0], confidence=bad)


def test_mean_ci_rejects_empty_and_nan() -> None:
    with pytest.raises(ValueError, match="empty"):
        mean_ci([])
    with pytest.raises(ValueError, match="NaN"):
        mean_ci([1.0, float("nan")])


def test_mean_ci_coverage_is_nominal() -> None:
    rng = np.random.default_rng(5)
    samples = rng.normal(10.0, 3.0, size=(4000, 6))
    covered = sum(ci.low <= 10.0 <= ci.high for ci in map(mean_ci, samples))
    # binomial sd of the coverage over 4000 trials is about 0.0034
    assert covered / 4000 == pytest.approx(0.95, abs=0.015)


def test_paired_difference_pairs_series_by_index() -> None:
    a = pd.Series([1.0, 2.0, 3.0], index=[2, 0, 1])
    b = pd.Series([0.0, 1.0, 1.0], index=[0, 1, 2])
    ci = paired_difference(a, b)
    # replication 0: 2-0, 1: 3-1, 2: 1-1
    assert ci.mean == pytest.approx(4.0 / 3.0)
    assert ci == mean_ci([2.0, 2.0, 0.0])


def test_paired_difference_removes_shared_noise() -> None:
    rng = np.random.default_rng(11)
    shared = rng.normal(0, 10, size=30)
    a = shared + 1.0 + rng.normal(0, 0.1, size=30)
    b = shared + rng.normal(0, 0.1, size=30)
    paired = paired_difference(a, b)
    assert paired.excludes_zero()
    assert paired.low < 1.0 < paired.high
    # unpaired intervals overlap heavily: the shared luck hides the effect
    assert mean_ci(a).low < mean_ci(b).high


def test_paired_difference_length_mismatch() -> None:
    with pytest.raises(ValueError, match="length"):
        paired_difference([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="length"):
        paired_difference(pd.Series([1.0, 2.0]), pd.Series([1.0]))
    with pytest.raises(ValueError, match="share"):
        paired_difference(pd.Series([1.0, 2.0], index=[0, 1]), pd.Series([1.0, 2.0], index=[0, 5]))


@pytest.mark.parametrize(("sd", "half_width", "expected"), [(1.0, 0.5, 18), (10.0, 1.0, 387)])
def test_replications_needed_known_answers(sd: float, half_width: float, expected: int) -> None:
    assert replications_needed(sd, half_width) == expected


@settings(max_examples=60, deadline=None)
@given(sd=st.floats(0.01, 100.0), half_width=st.floats(0.01, 100.0),
       confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_replications_needed_is_smallest_that_fits(sd: float, half_width: float,
                                                   confidence: float) -> None:
    assume(sd / half_width < 300)  # beyond this the answer exceeds MAX_REPLICATIONS
    n = replications_needed(sd, half_width, confidence)
    upper = 0.5 + confidence / 2

    def half(k: int) -> float:
        return float(sps.t.ppf(upper, k - 1)) * sd / math.sqrt(k)

    assert n >= 2
    assert half(n) <= half_width
    if n > 2:
        assert half(n - 1) > half_width
    # never below the normal-approximation answer
    assert n >= math.ceil((sps.norm.ppf(upper) * sd / half_width) ** 2)


def test_replications_needed_bad_input() -> None:
    with pytest.raises(ValueError, match="half_width"):
        replications_needed(1.0, 0.0)
    with pytest.raises(ValueError, match="sd"):
        replications_needed(-1.0, 1.0)
    with pytest.raises(ValueError, match="replications needed"):
        replications_needed(1e6, 1e-3)
    assert replications_needed(0.0, 1.0) == 2


def test_required_replications_uses_pilot_sd() -> None:
    pilot = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert required_replications(pilot, 0.5) == replications_needed(float(np.std(pilot, ddof=1)),
                                                                     0.5)
    with pytest.raises(ValueError, match="at least 2"):
        required_replications([1.0], 0.5)


def test_compare_policies_tidy_table() -> None:
    summary = pd.DataFrame({
        "policy": ["flat"] * 4 + ["bonus"] * 4,
        "replication": [0, 1, 2, 3, 3, 2, 1, 0],
        "csat": [0.5, 0.6, 0.7, 0.8, 0.9, 0.8, 0.7, 0.6],
    })
    table = compare_policies(summary, "policy", "replication", "csat", baseline="flat")
    assert list(table["policy"]) == ["flat", "bonus"]
    bonus = table.set_index("policy").loc["bonus"]
    # bonus minus flat per replication: 0.1, 0.1, 0.1, 0.1
    assert bonus["diff"] == pytest.approx(0.1)
    assert bool(bonus["diff_significant"])
    with pytest.raises(ValueError, match="baseline"):
        compare_policies(summary, "policy", "replication", "csat", baseline="nope")
    with pytest.raises(ValueError, match="present"):
        compare_policies(summary, "policy", "replication", "aht", baseline="flat")


def test_confidence_interval_is_frozen() -> None:
    ci = ConfidenceInterval(1.0, 0.0, 2.0, 1.0, 3)
    with pytest.raises(AttributeError):
        ci.mean = 2.0  # type: ignore[misc]

"""Surveys: base response rate over a neutral population, U-shaped selection, begging."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from incentsim.measurement import response_probability, survey
from incentsim.scenario.measurement import Surveys

N = 200_000


@settings(max_examples=15, deadline=None)
@given(rate=st.floats(0.01, 0.6), extremity=st.floats(0, 2.9), seed=st.integers(0, 2**32 - 1))
def test_neutral_population_responds_at_the_base_rate(rate: float, extremity: float,
                                                      seed: int) -> None:
    assume(rate * (1 + 2 * extremity / 3) <= 1)
    rng = np.random.default_rng(seed)
    params = Surveys(response_rate=rate, extremity=extremity)
    sat = rng.random(N)  # the neutral population: uniform true satisfaction
    exact = response_probability(sat, np.zeros(N, bool), params).mean()
    se = np.sqrt(rate * (1 - rate) / N)
    assert exact == pytest.approx(rate, abs=4 * se)
    responded, _ = survey(sat, np.zeros(N, bool), rng.random(N), rng.standard_normal(N), params)
    assert responded.mean() == pytest.approx(rate, abs=5 * se)


def test_settings_that_would_clip_the_extremes_are_rejected() -> None:
    with pytest.raises(ValidationError, match="extremity"):
        Surveys(response_rate=0.5, extremity=2.0)


def test_default_base_rate_is_source_004s_twenty_percent() -> None:
    assert Surveys().response_rate == 0.2


def test_response_is_u_shaped() -> None:
    s = np.linspace(0, 1, 101)
    p = response_probability(s, np.zeros(101, bool), Surveys())
    middle = int(np.argmin(p))
    assert abs(s[middle] - 0.5) < 0.011
    assert np.all(np.diff(p[: middle + 1]) <= 0) and np.all(np.diff(p[middle:]) >= 0)
    assert p[0] > 1.5 * p[middle] and p[-1] > 1.5 * p[middle]


def test_abandoned_callers_never_respond() -> None:
    n = 1000
    responded, rating = survey(np.full(n, 0.99), np.zeros(n, bool), np.zeros(n),
                               np.zeros(n), abandoned=np.ones(n, bool))
    assert not responded.any() and np.isnan(rating).all()


def test_ratings_are_integers_one_to_five_and_nan_without_response() -> None:
    rng = np.random.default_rng(1)
    n = 5000
    responded, rating = survey(rng.random(n), rng.random(n) < 0.3, rng.random(n),
                               3 * rng.standard_normal(n))
    assert np.isnan(rating[~responded]).all()
    got = rating[responded]
    assert set(np.unique(got)) <= {1.0, 2.0, 3.0, 4.0, 5.0}


def test_begging_raises_response_and_rating_among_satisfied_callers_only() -> None:
    rng = np.random.default_rng(2)
    n = 100_000
    u, z = rng.random(n), rng.standard_normal(n)
    for level, should_lift in ((0.8, True), (0.3, False)):
        sat = np.full(n, level)
        plain = survey(sat, np.zeros(n, bool), u, z)
        begged = survey(sat, np.ones(n, bool), u, z)
        if should_lift:
            assert begged[0].mean() > 1.3 * plain[0].mean()
            assert np.nanmean(begged[1]) > np.nanmean(plain[1]) + 0.3
        else:
            assert np.array_equal(begged[0], plain[0])
            assert np.array_equal(begged[1], plain[1], equal_nan=True)


def test_same_draws_same_surveys() -> None:
    rng = np.random.default_rng(3)
    args = (rng.random(100), rng.random(100) < 0.5, rng.random(100), rng.standard_normal(100))
    a, b = survey(*args), survey(*args)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1], equal_nan=True)


def test_rating_tracks_true_satisfaction() -> None:
    rng = np.random.default_rng(4)
    sat = rng.random(20_000)
    responded, rating = survey(sat, np.zeros(20_000, bool), np.zeros(20_000),
                               rng.standard_normal(20_000))
    assert responded.all()
    assert np.corrcoef(sat, rating)[0, 1] > 0.8


def test_mismatched_lengths_are_rejected() -> None:
    with pytest.raises(ValueError, match="same length"):
        survey(np.ones(3), np.zeros(2, bool), np.ones(3), np.ones(3))

"""Crowding out reproduces Deci, Koestner & Ryan (1999) in a simulated free-choice experiment."""

from __future__ import annotations

import numpy as np
import pytest

from incentsim.behaviour.crowding import (
    DKR_1999_D,
    calibrated,
    crowding,
    crowding_for_d,
    free_choice_experiment,
    predicted_d,
)
from incentsim.scenario.behaviour import Motivation

#: 50,000 subjects per group: the standard error of d is about 0.0065, so +-0.05 is over 7 SE.
N_PER_GROUP = 50_000
TOLERANCE = 0.05


@pytest.mark.parametrize("condition", list(DKR_1999_D))
def test_default_crowding_reproduces_dkr_effect_sizes(condition: str) -> None:
    rng = np.random.default_rng(20260101 + list(DKR_1999_D).index(condition))
    result = free_choice_experiment(Motivation(), condition, N_PER_GROUP, rng)
    assert result.d == pytest.approx(DKR_1999_D[condition], abs=TOLERANCE)
    assert result.predicted_d == pytest.approx(DKR_1999_D[condition], abs=0.005)


def test_defaults_are_the_calibrated_values() -> None:
    params = Motivation()
    tuned = calibrated(params)
    for name in ("crowding_performance", "crowding_completion", "crowding_engagement",
                 "feedback_boost"):
        assert getattr(params, name) == pytest.approx(getattr(tuned, name), abs=1e-4)


def test_calibration_follows_the_noise_scale() -> None:
    params = calibrated(Motivation(free_choice_noise=0.4, intrinsic_sd=0.05))
    assert predicted_d(params, "performance") == pytest.approx(-0.28)
    result = free_choice_experiment(params, "engagement", N_PER_GROUP, np.random.default_rng(4))
    assert result.d == pytest.approx(-0.40, abs=TOLERANCE)


def test_no_crowding_gives_no_effect() -> None:
    params = Motivation(crowding_performance=0.0)
    result = free_choice_experiment(params, "performance", N_PER_GROUP, np.random.default_rng(5))
    assert abs(result.d) < TOLERANCE


def test_mapping_is_linear_in_d() -> None:
    params = Motivation()
    assert crowding_for_d(-0.56, params) == pytest.approx(2 * crowding_for_d(-0.28, params))


def test_unknown_inputs_are_rejected() -> None:
    with pytest.raises(ValueError, match="allowed"):
        crowding(Motivation(), "piece-rate")
    with pytest.raises(ValueError, match="allowed"):
        free_choice_experiment(Motivation(), "praise", 10, np.random.default_rng(0))  # type: ignore[arg-type]

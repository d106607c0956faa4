"""Churn from accumulated bad experiences."""

from __future__ import annotations

import numpy as np
import pytest

from incentsim.truth import bad_experiences, churned_customers


def test_known_answer() -> None:
    customers = np.array([1, 1, 2, 2, 2, 3, 4, 4])
    sat = np.array([0.1, 0.3, 0.9, 0.2, 0.8, 0.1, 0.39, 0.4])
    assert churned_customers(customers, sat, threshold=2).tolist() == [1]
    assert churned_customers(customers, sat, threshold=1).tolist() == [1, 2, 3, 4]
    assert churned_customers(customers, sat, threshold=1, bad_below=0.35).tolist() == [1, 2, 3]
    ids, counts = bad_experiences(customers, sat)
    assert dict(zip(ids.tolist(), counts.tolist(), strict=True)) == {1: 2, 2: 1, 3: 1, 4: 1}


def test_more_bad_calls_never_fewer_churners() -> None:
    rng = np.random.default_rng(0)
    customers = rng.integers(0, 50, 400)
    sat = rng.random(400)
    worse = sat * 0.8
    assert set(churned_customers(customers, sat, 2)) <= set(churned_customers(customers, worse, 2))


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="threshold"):
        churned_customers(np.array([1]), np.array([0.1]), threshold=0)
    with pytest.raises(ValueError, match="same length"):
        churned_customers(np.array([1, 2]), np.array([0.1]), threshold=1)

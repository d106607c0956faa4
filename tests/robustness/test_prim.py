"""PRIM finds a planted box and says nothing where there is nothing to find."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incentsim.robustness.prim import describe_limits, prim


def test_prim_finds_a_planted_box_among_irrelevant_inputs() -> None:
    rng = np.random.default_rng(11)
    x = rng.random((600, 6))
    planted = (x[:, 1] > 0.6) & (x[:, 4] < 0.3)
    y = planted ^ (rng.random(600) < 0.03)  # 3% label noise
    box = prim(x, y)
    assert box is not None
    assert set(box.limits) == {1, 4}
    assert box.limits[1][0] == pytest.approx(0.6, abs=0.05)
    assert box.limits[4][1] == pytest.approx(0.3, abs=0.05)
    assert box.coverage > 0.8 and box.density > 0.8
    assert box.mass == pytest.approx(planted.mean(), abs=0.04)
    words = describe_limits(box.limits, list("abcdef"), x.min(axis=0), x.max(axis=0))
    assert words[0].startswith("b >= 0.6") and words[1].startswith("e <= 0.")


def test_no_cases_or_all_cases_give_no_box() -> None:
    x = np.random.default_rng(1).random((50, 3))
    assert prim(x, np.zeros(50, bool)) is None
    assert prim(x, np.ones(50, bool)) is None


def test_integer_inputs_are_peeled_whole() -> None:
    rng = np.random.default_rng(2)
    x = np.column_stack([rng.integers(1, 4, 300), rng.random(300)]).astype(float)
    y = x[:, 0] == 3
    box = prim(x, y)
    assert box is not None and set(box.limits) == {0}
    assert box.limits[0][0] == 3.0 and box.density == 1.0 and box.coverage == 1.0


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(20, 120), d=st.integers(1, 4))
def test_a_box_reports_its_own_coverage_density_and_mass(seed: int, n: int, d: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.random((n, d))
    y = rng.random(n) < 0.3
    box = prim(x, y)
    if box is None:
        assert y.sum() in (0, n)
        return
    inside = box.contains(x)
    assert box.mass == pytest.approx(inside.mean())
    assert box.coverage == pytest.approx((inside & y).sum() / y.sum())
    assert box.density == pytest.approx((inside & y).sum() / max(inside.sum(), 1))

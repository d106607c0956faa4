"""Sensitivity indices through the package's own design and analysis wrappers, on known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from incentsim.robustness.assumptions import Assumption
from incentsim.robustness.design import OTHERS, morris_design, screening_world, sobol_design
from incentsim.robustness.indices import morris_indices, sobol_indices


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[list[float], list[float]]:
    """Analytic S1 and ST of the Ishigami function (Ishigami & Homma 1990)."""
    pi4 = math.pi ** 4
    v1 = 0.5 * (1 + b * pi4 / 5) ** 2
    v2 = a * a / 8
    v13 = b * b * math.pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


IN = [Assumption(k, -math.pi, math.pi) for k in ("x1", "x2", "x3")]


def test_sobol_indices_of_ishigami_match_the_analytic_values() -> None:
    s1, st = ishigami_indices()
    design = sobol_design(IN, ["x1", "x2", "x3"], 2048, seed=4)
    got = sobol_indices(design, ishigami(design.values), seed=1).set_index("assumption")
    for key, first, total in zip(["x1", "x2", "x3"], s1, st, strict=True):
        assert got.loc[key, "S1"] == pytest.approx(first, abs=0.05)
        assert got.loc[key, "ST"] == pytest.approx(total, abs=0.05)
        assert got.loc[key, "ST_conf"] < 0.1


def test_the_others_group_carries_the_unchosen_assumptions_share() -> None:
    s1, st = ishigami_indices()
    design = sobol_design(IN, ["x1", "x2"], 2048, seed=5)
    assert len(design.unit) == 2048 * (3 + 2)
    got = sobol_indices(design, ishigami(design.values), seed=1).set_index("assumption")
    assert list(got.index) == ["x1", "x2", OTHERS]
    assert got.loc[OTHERS, "ST"] == pytest.approx(st[2], abs=0.05)
    assert got.loc["x2", "S1"] == pytest.approx(s1[1], abs=0.05)


def test_a_constant_output_has_zero_indices_and_missing_values_give_nan() -> None:
    design = sobol_design(IN, ["x1"], 16, seed=1)
    zero = sobol_indices(design, np.full(len(design.unit), 3.0))
    assert (zero[["S1", "ST"]] == 0).all().all()
    y = ishigami(design.values)
    y[3] = np.nan
    assert sobol_indices(design, y)["ST"].isna().all()


def test_morris_mu_star_of_a_linear_function_is_its_effect_across_the_range() -> None:
    inputs = [Assumption("a", 0.0, 2.0), Assumption("b", 10.0, 20.0), Assumption("unused", 0.0, 1.0)]
    design = morris_design(inputs, 6, seed=2)
    assert len(design.unit) == 6 * 4
    x = design.values
    got = morris_indices(design, 3.0 * x[:, 0] - 0.5 * x[:, 1]).set_index("assumption")
    assert got.loc["a", "mu_star"] == pytest.approx(3.0 * 2.0)       # slope x range
    assert got.loc["b", "mu_star"] == pytest.approx(0.5 * 10.0)
    assert got.loc["b", "mu"] == pytest.approx(-5.0)
    assert got.loc["unused", "mu_star"] == 0.0
    assert got["sigma"].abs().max() == pytest.approx(0.0, abs=1e-9)  # no interaction, no curvature


def test_designs_are_reproducible_from_the_seed() -> None:
    assert np.array_equal(sobol_design(IN, ["x1"], 8, 3).unit, sobol_design(IN, ["x1"], 8, 3).unit)
    assert not np.array_equal(morris_design(IN, 4, 3).unit, morris_design(IN, 4, 4).unit)
    design = morris_design(IN, 4, 3)
    assert list(design.clusters) == [i // 4 for i in range(16)]


def test_the_screening_world_keeps_calls_per_agent() -> None:
    import incentsim as isim

    sc = isim.Scenario.shipped("baseline")
    small = screening_world(sc, 0.25, 2)
    assert small.center.months == 2 and small.center.tier1_agents == 14
    assert small.demand.calls_per_hour / small.center.tier1_agents == pytest.approx(
        sc.demand.calls_per_hour / sc.center.tier1_agents)
    assert screening_world(sc, 1.0, None) is sc

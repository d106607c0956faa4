"""Control charts: textbook constants, limits, Western Electric rules, plotting."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import integrate
from scipy import stats as sps

from incentsim.stats import (
    CHART_KINDS,
    chart_constants,
    control_chart,
    plot_control_chart,
    western_electric_signals,
)
from incentsim.stats.control_chart_constants import SUBGROUP_SIZES

matplotlib.use("Agg")


@pytest.mark.parametrize(("n", "name", "value"), [
    (2, "d2", 1.128), (5, "d2", 2.326), (10, "d2", 3.078), (25, "d2", 3.931),
    (2, "D4", 3.267), (5, "D4", 2.114), (7, "D3", 0.076), (6, "D3", 0.0), (10, "D3", 0.223),
    (2, "A2", 1.880), (5, "A2", 0.577), (10, "A2", 0.308), (2, "d3", 0.853)])
def test_textbook_constants(n: int, name: str, value: float) -> None:
    assert getattr(chart_constants(n), name) == value


def _expected_range(n: int) -> float:
    def integrand(x: float) -> float:
        return 1 - (1 - sps.norm.cdf(x)) ** n - sps.norm.cdf(x) ** n

    return integrate.quad(integrand, -np.inf, np.inf)[0]


def test_constants_agree_with_theory() -> None:
    assert SUBGROUP_SIZES == tuple(range(2, 26))
    for n in SUBGROUP_SIZES:
        c = chart_constants(n)
        assert c.d2 == pytest.approx(_expected_range(n), abs=6e-4)  # E[range of n normals]
        assert c.A2 == pytest.approx(3 / (c.d2 * math.sqrt(n)), abs=1.5e-3)
        assert c.D4 == pytest.approx(1 + 3 * c.d3 / c.d2, abs=2e-3)
        assert c.D3 == pytest.approx(max(0.0, 1 - 3 * c.d3 / c.d2), abs=2e-3)


def test_d3_by_simulation() -> None:
    rng = np.random.default_rng(0)
    for n in (2, 5, 10):
        draws = rng.standard_normal((200_000, n))
        ranges = draws.max(axis=1) - draws.min(axis=1)
        assert ranges.std() == pytest.approx(chart_constants(n).d3, abs=0.01)


def test_constants_outside_table() -> None:
    with pytest.raises(ValueError, match="2 to 25"):
        chart_constants(1)


def test_xmr_limits() -> None:
    values = np.array([10.0, 12.0, 11.0, 13.0, 12.0, 10.0, 11.0])
    chart = control_chart(values, "xmr")
    mr_bar = np.mean(np.abs(np.diff(values)))
    assert chart.center == pytest.approx(values.mean())
    assert chart.ucl == pytest.approx(values.mean() + 2.66 * mr_bar, rel=1e-3)
    assert chart.lcl == pytest.approx(values.mean() - 2.66 * mr_bar, rel=1e-3)
    moving = chart.secondary
    assert moving is not None and np.isnan(moving.values[0])
    assert moving.center == pytest.approx(mr_bar)
    assert moving.ucl == pytest.approx(3.267 * mr_bar)
    assert moving.lcl == 0.0
    assert chart.signals == []


def test_p_chart_with_varying_sample_sizes() -> None:
    share = np.array([0.10, 0.20, 0.05, 0.50])
    sizes = np.array([50, 60, 40, 100])
    chart = control_chart(share, "p", n=sizes)
    p_bar = float(np.sum(share * sizes) / sizes.sum())
    sigma = np.sqrt(p_bar * (1 - p_bar) / sizes)
    assert chart.center == pytest.approx(p_bar)
    np.testing.assert_allclose(chart.ucl, p_bar + 3 * sigma)
    np.testing.assert_allclose(chart.lcl, np.maximum(0.0, p_bar - 3 * sigma))
    assert isinstance(chart.ucl, np.ndarray) and chart.ucl.shape == (4,)
    assert (3, "beyond_limits") in chart.signals
    # a small p-bar clips the lower limit at zero
    low = control_chart([0.0, 0.02, 0.01, 0.03], "p", n=30)
    assert low.lcl == 0.0


def test_np_and_c_charts() -> None:
    counts = np.array([3.0, 2.0, 5.0, 4.0, 1.0])
    chart = control_chart(counts, "np", n=50)
    p_bar = counts.mean() / 50
    assert chart.center == pytest.approx(50 * p_bar)
    assert chart.ucl == pytest.approx(50 * p_bar + 3 * math.sqrt(50 * p_bar * (1 - p_bar)))
    assert chart.lcl == 0.0
    defects = np.array([4.0, 6.0, 5.0, 3.0, 20.0])
    c_chart = control_chart(defects, "c")
    c_bar = defects.mean()
    assert c_chart.ucl == pytest.approx(c_bar + 3 * math.sqrt(c_bar))
    assert c_chart.lcl == 0.0
    assert (4, "beyond_limits") in c_chart.signals


def test_xbar_r_limits() -> None:
    rng = np.random.default_rng(3)
    groups = rng.normal(50, 2, size=(25, 5))
    chart = control_chart(groups, "xbar_r")
    r_bar = float(np.mean(groups.max(axis=1) - groups.min(axis=1)))
    grand = float(groups.mean())
    assert chart.center == pytest.approx(grand)
    assert chart.ucl == pytest.approx(grand + 0.577 * r_bar)
    assert chart.lcl == pytest.approx(grand - 0.577 * r_bar)
    ranges = chart.secondary
    assert ranges is not None
    assert ranges.ucl == pytest.approx(2.114 * r_bar) and ranges.lcl == 0.0
    seven = control_chart(rng.normal(size=(10, 7)), "xbar_r").secondary
    assert seven is not None and seven.lcl == pytest.approx(0.076 * seven.center)
    # the R-bar / d2 estimate of sigma is about right
    assert r_bar / chart_constants(5).d2 == pytest.approx(2.0, rel=0.15)


def test_bad_kind_and_inputs() -> None:
    with pytest.raises(ValueError, match="allowed: xmr, p, np, c, xbar_r"):
        control_chart([1.0, 2.0], "ewma")
    with pytest.raises(ValueError, match="sample size n"):
        control_chart([0.1, 0.2], "p")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        control_chart([0.1, 1.2], "p", n=10)
    with pytest.raises(ValueError, match="negative"):
        control_chart([1.0, -2.0], "c")
    with pytest.raises(ValueError, match="only by p and np"):
        control_chart([1.0, 2.0], "xmr", n=5)
    with pytest.raises(ValueError, match="2-D"):
        control_chart([1.0, 2.0, 3.0], "xbar_r")
    with pytest.raises(ValueError, match="missing"):
        control_chart([1.0, float("nan"), 3.0], "xmr")
    assert CHART_KINDS == ("xmr", "p", "np", "c", "xbar_r")


def _rules(values: list[float]) -> list[tuple[int, str]]:
    n = len(values)
    ones, zeros = np.ones(n), np.zeros(n)
    return [tuple(s) for s in western_electric_signals(values, zeros, ones, zeros - 3,
                                                       ones * 3)]


def test_rule_1_beyond_limits() -> None:
    assert _rules([0.0, 3.5, 0.0, -3.2]) == [(1, "beyond_limits"), (3, "beyond_limits")]


def test_rule_2_two_of_three_beyond_two_sigma() -> None:
    assert _rules([2.5, 0.0, 2.2]) == [(2, "2_of_3_beyond_2_sigma")]
    assert _rules([2.5, 0.0, -2.2]) == []  # opposite sides
    assert _rules([2.5, 0.0, 0.0, 2.2]) == []  # not within three


def test_rule_3_four_of_five_beyond_one_sigma() -> None:
    assert _rules([-1.5, -1.2, 0.0, -1.1, -1.3]) == [(4, "4_of_5_beyond_1_sigma")]
    assert _rules([1.5, 1.2, 0.0, 1.1, -1.3]) == []


def test_rule_4_eight_on_one_side() -> None:
    values = [0.5, 0.2, 0.1, 0.3, 0.9, 0.4, 0.2, 0.6, 0.3]
    assert _rules(values) == [(7, "8_on_one_side"), (8, "8_on_one_side")]
    assert _rules(values[:7]) == []


def test_in_control_false_alarm_rate_of_rule_1() -> None:
    # Known sigma: a point falls beyond 3 sigma with probability 0.0027.
    rng = np.random.default_rng(8)
    values = rng.standard_normal(400_000)
    zeros, ones = np.zeros_like(values), np.ones_like(values)
    signals = western_electric_signals(values, zeros, ones, zeros - 3, ones + 2,
                                       rules=["beyond_limits"])
    assert len(signals) / values.size == pytest.approx(2 * sps.norm.sf(3), rel=0.08)


def test_plot_control_chart_returns_axes() -> None:
    import matplotlib.pyplot as plt

    chart = control_chart([0.1, 0.12, 0.11, 0.4, 0.1], "p", n=[100, 80, 120, 100, 90])
    ax = plot_control_chart(chart, title="QA failures")
    assert ax.get_title() == "QA failures"
    assert any("signal" in text.get_text() for text in ax.get_legend().get_texts())
    fig, given = plt.subplots()
    assert plot_control_chart(control_chart([1.0, 2.0, 1.5], "xmr"), ax=given) is given
    plt.close("all")


@settings(max_examples=50, deadline=None)
@given(values=st.lists(st.floats(-1e3, 1e3), min_size=3, max_size=60),
       scale=st.floats(0.01, 100.0), shift=st.floats(-1e3, 1e3))
def test_xmr_signals_survive_change_of_units(values: list[float], scale: float,
                                             shift: float) -> None:
    assume(np.ptp(values) > 1e-3)
    chart = control_chart(values, "xmr")
    moved = control_chart(np.asarray(values) * scale + shift, "xmr")
    assert chart.lcl <= chart.center <= chart.ucl
    assert all(0 <= s.index < len(values) for s in chart.signals)
    # rules 1-4 are stated in sigma units: a change of units (minutes to seconds) cannot
    # change them, except for points sitting on a limit to rounding precision
    z = (np.asarray(values) - chart.center) / chart.sigma
    assume(np.all(np.abs(np.abs(z) - np.array([[0.0], [1.0], [2.0], [3.0]])) > 1e-6))
    assert moved.signals == chart.signals


def test_plot_rank_churn_highlights_flagged_agents() -> None:
    import matplotlib.pyplot as plt
    import pandas as pd

    from incentsim.stats import plot_rank_churn, rank_consistency

    rows = [(f"a{a}", m, float(a) + 0.01 * ((a * m) % 3)) for a in range(8) for m in range(7)]
    frame = pd.DataFrame(rows, columns=["agent", "month", "aht"])
    result = rank_consistency(frame, "agent", "month", "aht", higher_is_better=False)
    ax = plot_rank_churn(frame, "agent", "month", "aht", False, result=result)
    assert "8 of 8 agents non-random" in ax.get_title()
    assert len(ax.get_lines()) == 8
    assert ax.yaxis_inverted()
    plt.close("all")

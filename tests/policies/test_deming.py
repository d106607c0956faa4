"""DemingManagement on handmade measured frames: act on outliers only."""

from __future__ import annotations

import numpy as np
import pytest
from strategies_policies import measured

from incentsim.policies import DemingManagement
from incentsim.policies.deming import outliers


def _frame(outlier_periods: set[int], periods: int = 4, agents: int = 20, seed: int = 3):
    """Agents with common-cause AHT noise; agent 0 is far out in ``outlier_periods``."""
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(periods):
        for a in range(agents):
            aht = 6.0 + rng.normal(0, 0.2) + (5.0 if a == 0 and p in outlier_periods else 0.0)
            rows.append({"agent": a, "period": p, "aht": aht})
    return measured(*rows)


def test_xmr_flags_only_the_special_cause() -> None:
    frame = _frame({0})
    assert outliers(frame[frame.period == 0], "aht") == {0}
    assert outliers(frame[frame.period == 1], "aht") == set()


def test_xmr_limits_match_hand_computation() -> None:
    values = [5.0, 6.0, 5.5, 6.5, 9.9]
    frame = measured(*({"agent": a, "period": 0, "aht": v} for a, v in enumerate(values)))
    centre = np.mean(values)
    ucl = centre + 3 * np.mean(np.abs(np.diff(values))) / 1.128
    assert ucl > 9.9  # 9.9 is within the limits, so nobody is flagged
    assert outliers(frame, "aht") == set()


def test_p_chart_uses_each_agents_sample_size() -> None:
    # team p = 0.9; an agent at 0.7 on 200 responses is far out, on 10 responses is not
    rows = [{"agent": a, "period": 0, "survey_responses": 200, "survey_positive": 182}
            for a in range(10)]
    rows += [{"agent": 10, "period": 0, "survey_responses": 200, "survey_positive": 140},
             {"agent": 11, "period": 0, "survey_responses": 10, "survey_positive": 7}]
    assert outliers(measured(*rows), "csat") == {10}


def test_good_side_outliers_are_not_acted_on() -> None:
    frame = _frame(set())
    frame.loc[frame.agent == 0, "aht"] = 1.0  # remarkably fast: study, do not coach
    assert outliers(frame[frame.period == 0], "aht") == set()


@pytest.mark.parametrize("outside,coached", [({0}, False), ({0, 2}, True), ({1, 2}, True),
                                             (set(), False)])
def test_coaching_needs_two_of_the_last_three_periods(outside: set[int], coached: bool) -> None:
    frame = _frame(outside, periods=3)
    review = DemingManagement(metrics=["aht"]).review(frame, 2)
    assert (0 in review.coaching) is coached
    assert review.coaching <= {0}  # in-control agents are never coached
    assert review.payouts == {} and review.ranks == {} and review.sanctions == {}


def test_removal_only_after_coaching_failed_and_only_if_enabled() -> None:
    frame = _frame({0, 1, 2, 3}, periods=4)
    keep = DemingManagement(metrics=["aht"])
    assert keep.review(frame, 3).sanctions == {}
    remove = DemingManagement(metrics=["aht"], remove_after=2)
    assert remove.review(frame[frame.period <= 2], 2).sanctions == {}  # coached once before
    review = remove.review(frame, 3)  # coached at 1 and 2, still out
    assert review.sanctions == {0: "fire"} and 0 not in review.coaching


def test_no_pay_no_ranking_half_the_time_on_the_process() -> None:
    review = DemingManagement().review(_frame({0}, periods=3), 2)
    assert review.payouts == {} and review.ranks == {} and review.sanctions == {}
    assert review.process_improvement == 0.5
    assert DemingManagement(process_improvement=0.0).review(_frame({0}, periods=3), 2).process_improvement == 0


def test_fast_limits_equal_the_control_chart() -> None:
    """The review's own limits are those of incentsim.stats.control_chart."""
    import numpy as np

    from incentsim.policies.deming import _outliers
    from incentsim.stats import control_chart

    rng = np.random.default_rng(3)
    for _ in range(20):
        n = rng.integers(5, 40)
        values = rng.normal(6, 1, n)
        chart = control_chart(values, "xmr")
        for sigma in (1.0, 2.0, 3.0):
            bad = values > chart.per_point("center") + sigma * chart.per_point("sigma")
            assert _outliers(np.arange(n), values, np.ones(n), "aht", sigma) == set(np.flatnonzero(bad))
        sizes = rng.integers(1, 60, n).astype(float)
        hits = rng.binomial(sizes.astype(int), 0.7).astype(float)
        chart = control_chart(hits / sizes, "p", n=sizes)
        bad = hits / sizes < chart.per_point("center") - 2.0 * chart.per_point("sigma")
        assert _outliers(np.arange(n), hits, sizes, "csat", 2.0) == set(np.flatnonzero(bad))


def test_outside_periods_cannot_exceed_window() -> None:
    with pytest.raises(ValueError, match="outside_periods"):
        DemingManagement(outside_periods=4, window=3).review(_frame({0}, periods=1), 0)

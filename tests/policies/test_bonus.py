"""IndividualBonus and TeamBonus on handmade measured frames."""

from __future__ import annotations

import pytest
from strategies_policies import measured

from incentsim.policies import IndividualBonus, TeamBonus


def test_individual_bonus_pays_exactly_those_at_or_above_threshold() -> None:
    frame = measured(
        {"agent": 1, "period": 0, "survey_responses": 20, "survey_positive": 19},  # 0.95: pays
        {"agent": 2, "period": 0, "survey_responses": 20, "survey_positive": 18},  # 0.90
        {"agent": 3, "period": 0, "survey_responses": 10, "survey_positive": 10},  # 1.00: pays
    )
    review = IndividualBonus(metric="csat", threshold=0.95, amount=100).review(frame, 0)
    assert review.payouts == {1: 100.0, 3: 100.0}
    assert review.ranks == {} and review.sanctions == {}


def test_minimum_responses_to_qualify() -> None:
    frame = measured(
        {"agent": 1, "period": 0, "survey_responses": 2, "survey_positive": 2},
        {"agent": 2, "period": 0, "survey_responses": 3, "survey_positive": 3},
        {"agent": 3, "period": 0, "survey_responses": 0, "survey_positive": 0},  # NaN csat
    )
    assert IndividualBonus(metric="csat", threshold=0.95).review(frame, 0).payouts == {2: 100.0}
    assert IndividualBonus(metric="csat", threshold=0.95, min_responses=1).review(
        frame, 0).payouts == {1: 100.0, 2: 100.0}


def test_lower_is_better_threshold_is_a_maximum() -> None:
    frame = measured({"agent": 1, "period": 0, "aht": 5.9}, {"agent": 2, "period": 0, "aht": 6.0},
                     {"agent": 3, "period": 0, "aht": 6.1})
    review = IndividualBonus(metric="aht", threshold=6.0, amount=50).review(frame, 0)
    assert review.payouts == {1: 50.0, 2: 50.0}


def test_only_the_reviewed_period_and_active_agents_count() -> None:
    frame = measured(
        {"agent": 1, "period": 0, "qa": 99.0}, {"agent": 1, "period": 1, "qa": 50.0},
        {"agent": 2, "period": 1, "qa": 95.0, "status": "quit"},
        {"agent": 3, "period": 1, "qa": 91.0},
    )
    review = IndividualBonus(metric="qa", threshold=90, amount=10).review(frame, 1)
    assert review.payouts == {3: 10.0}


def test_individual_bonus_does_only_what_it_pays() -> None:
    frame = measured({"agent": 1, "period": 0, "survey_responses": 10, "survey_positive": 10})
    review = IndividualBonus(metric="csat", threshold=0.95, amount=100).review(frame, 0)
    assert review.payouts == {1: 100.0} and not review.ranks and not review.sanctions
    assert not review.coaching and review.process_improvement == 0.0
    spent = IndividualBonus(metric="csat", threshold=0.95, process_improvement=0.3).review(frame, 0)
    assert spent.process_improvement == 0.3


def test_bonus_that_stops_pays_then_stops_paying() -> None:
    rows = [{"agent": 1, "period": p, "survey_responses": 10, "survey_positive": 10}
            for p in range(4)]
    frame = measured(*rows)
    policy = IndividualBonus(metric="csat", threshold=0.9, amount=100, stop_after=2)
    reviews = [policy.review(frame[frame["period"] <= p], p) for p in range(4)]
    assert [dict(r.payouts) for r in reviews] == [{1: 100.0}, {1: 100.0}, {}, {}]


def test_team_csat_is_pooled_over_the_periods_rows() -> None:
    # pooled: (17 + 80) / (20 + 100) = 0.808; the mean of agents' shares would be 0.825
    frame = measured(
        {"agent": 1, "period": 0, "survey_responses": 20, "survey_positive": 17},
        {"agent": 2, "period": 0, "survey_responses": 100, "survey_positive": 80},
    )
    assert TeamBonus(metric="csat", threshold=0.81).review(frame, 0).payouts == {}
    assert TeamBonus(metric="csat", threshold=0.80).review(frame, 0).payouts == {1: 100.0,
                                                                                  2: 100.0}


def test_team_includes_leavers_work_but_pays_only_active_agents() -> None:
    frame = measured(
        {"agent": 1, "period": 0, "survey_responses": 10, "survey_positive": 10},
        {"agent": 2, "period": 0, "survey_responses": 10, "survey_positive": 5, "status": "quit"},
    )
    policy = TeamBonus(metric="csat", threshold=0.85, amount=100)
    assert policy.review(frame, 0).payouts == {}  # 15/20 = 0.75 counts the leaver's surveys
    frame.loc[1, ["survey_positive", "csat"]] = [9, 0.9]
    assert policy.review(frame, 0).payouts == {1: 100.0}


def test_each_team_is_paid_on_its_own_number() -> None:
    frame = measured(
        {"agent": 1, "period": 0, "team": 0, "survey_responses": 10, "survey_positive": 10},
        {"agent": 2, "period": 0, "team": 0, "survey_responses": 10, "survey_positive": 9},
        {"agent": 3, "period": 0, "team": 1, "survey_responses": 10, "survey_positive": 5},
    )
    review = TeamBonus(metric="csat", threshold=0.85, amount=100).review(frame, 0)
    assert review.payouts == {1: 100.0, 2: 100.0}
    assert review.process_improvement == 0.2  # source 001's team leader works on the process


def test_team_bonus_stop_keeps_process_work() -> None:
    frame = measured({"agent": 1, "period": 0, "survey_responses": 10, "survey_positive": 10},
                     {"agent": 1, "period": 1, "survey_responses": 10, "survey_positive": 10})
    policy = TeamBonus(metric="csat", threshold=0.85, stop_after=1)
    first, second = policy.review(frame[frame.period == 0], 0), policy.review(frame, 1)
    assert first.payouts == {1: 100.0} and second.payouts == {}
    assert second.process_improvement == first.process_improvement == policy.process_improvement


@pytest.mark.parametrize("metric,threshold,amount", [("csat", 95, 100), ("nps", 0.9, 100),
                                                     ("csat", 0.9, -1)])
def test_bad_parameters_fail_at_use_not_construction(metric: str, threshold: float,
                                                     amount: float) -> None:
    policy = IndividualBonus(metric=metric, threshold=threshold, amount=amount)  # stores only
    with pytest.raises(ValueError, match="metric|threshold|amount"):
        policy.review(measured({"agent": 1, "period": 0}), 0)

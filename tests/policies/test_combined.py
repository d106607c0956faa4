"""Combined: stacking policies and the merge rules."""

from __future__ import annotations

from strategies_policies import measured

from incentsim.policies import (
    Combined,
    DemingManagement,
    Flat,
    ForcedRanking,
    HandleTimeTarget,
    IndividualBonus,
    TeamBonus,
    build_policy,
    check_policy,
)


def _frame():
    return measured(*({"agent": a, "period": 0, "aht": 5.0 + a, "survey_responses": 10,
                       "survey_positive": 10} for a in range(10)))


def test_payouts_add_and_fire_beats_warning() -> None:
    frame = _frame()
    both = Combined(IndividualBonus(metric="csat", threshold=0.9, amount=100),
                    ForcedRanking(metrics=["aht"], bonus=30, fire_after=None),
                    HandleTimeTarget(minutes=13.5, sanction="fire"))
    review = both.review(frame, 0)
    assert review.payouts[0] == 130.0 and review.payouts[5] == 100.0
    assert review.sanctions == {9: "fire"}  # warned by ranking, fired by the target
    assert review.ranks == ForcedRanking(metrics=["aht"]).review(frame, 0).ranks


def test_warning_alone_stays_a_warning_and_coaching_is_united() -> None:
    review = Combined(ForcedRanking(metrics=["aht"], fire_after=None),
                      DemingManagement()).review(_frame(), 0)
    assert review.sanctions == {9: "warning"} and review.coaching == frozenset()


def test_process_time_is_the_largest_part_not_the_sum() -> None:
    review = Combined(TeamBonus(metric="csat", threshold=0.85, process_improvement=0.2),
                      DemingManagement(process_improvement=0.5), Flat()).review(_frame(), 0)
    assert review.process_improvement == 0.5


def test_combined_from_specs_round_trips_and_conforms() -> None:
    spec = {"type": "Combined", "policies": [
        {"type": "TeamBonus", "metric": "csat", "threshold": 0.85},
        {"type": "HandleTimeTarget", "minutes": 6}]}
    policy = build_policy(spec)
    same = Combined(TeamBonus(metric="csat", threshold=0.85), HandleTimeTarget(minutes=6))
    assert build_policy(policy.to_spec()).to_spec() == policy.to_spec()
    assert policy.review(_frame(), 0) == same.review(_frame(), 0)
    check_policy(policy)

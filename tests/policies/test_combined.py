"""Combined: stacking policies and the merge rules."""

from __future__ import annotations

from strategies_policies import measured

from incentsim.policies import (
    Combined,
    DemingManagement,
    ForcedRanking,
    HandleTimeTarget,
    IndividualBonus,
    Signals,
    TeamBonus,
    build_policy,
    check_policy,
    merge_signals,
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


def test_signal_merge_rules() -> None:
    a = Signals(individual_metrics=("csat",), contingency="performance", individual_stakes=100,
                threat=0.5, feedback=0.2, handle_time_target=7.0, process_improvement=0.1)
    b = Signals(individual_metrics=("aht", "csat"), team_metrics=("csat",), team_stakes=50,
                ranking=True, threat=0.3, feedback=0.6, handle_time_target=6.0,
                process_improvement=0.4)
    merged = merge_signals([a, b])
    assert merged.individual_metrics == ("csat", "aht") and merged.team_metrics == ("csat",)
    assert merged.contingency == "performance" and merged.ranking
    assert (merged.individual_stakes, merged.team_stakes) == (100.0, 50.0)
    assert (merged.threat, merged.feedback, merged.process_improvement) == (0.5, 0.6, 0.4)
    assert merged.handle_time_target == 6.0
    assert merge_signals([]) == Signals()


def test_combined_from_specs_round_trips_and_conforms() -> None:
    spec = {"type": "Combined", "policies": [
        {"type": "TeamBonus", "metric": "csat", "threshold": 0.85},
        {"type": "HandleTimeTarget", "minutes": 6}]}
    policy = build_policy(spec)
    assert policy.signals().team_stakes == 100.0
    assert policy.signals() == Combined(TeamBonus(metric="csat", threshold=0.85),
                                        HandleTimeTarget(minutes=6)).signals()
    assert build_policy(policy.to_spec()).signals() == policy.signals()
    check_policy(policy)

"""Invariants of every built-in over random measured frames (hypothesis)."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies_policies import measured_frames

from incentsim.policies import (
    Combined,
    DemingManagement,
    ForcedRanking,
    HandleTimeTarget,
    IndividualBonus,
    Policy,
    TeamBonus,
)

POLICIES: list[Policy] = [
    IndividualBonus(metric="csat", threshold=0.9, amount=100),
    IndividualBonus(metric="aht", threshold=8.0, amount=40),
    TeamBonus(metric="csat", threshold=0.5),
    HandleTimeTarget(minutes=10, periods=2),
    ForcedRanking(metrics=["aht", "qa", "csat"], top_share=0.25, bottom_share=0.25, fire_after=2),
    DemingManagement(outside_periods=1, window=2, remove_after=1),
    Combined(TeamBonus(metric="qa", threshold=50), HandleTimeTarget(minutes=8)),
]


def _active(frame: pd.DataFrame, period: int) -> set[int]:
    rows = frame[(frame.period == period) & (frame.status == "active")]
    return {int(a) for a in rows.agent}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=measured_frames(), which=st.integers(0, len(POLICIES) - 1))
def test_reviews_are_well_formed_and_touch_only_active_agents(frame: pd.DataFrame,
                                                               which: int) -> None:
    policy = POLICIES[which]
    before = frame.copy()
    for period in sorted(frame.period.unique()):
        so_far = frame[frame.period <= period]
        review = policy.review(so_far, int(period))
        active = _active(frame, period)
        assert set(review.payouts) <= active and set(review.sanctions) <= active
        assert set(review.ranks) <= active and review.coaching <= active
        assert all(math.isfinite(v) and v >= 0 for v in review.payouts.values())
        assert sorted(review.ranks.values()) == list(range(1, len(review.ranks) + 1))
        assert set(review.sanctions.values()) <= {"warning", "fire"}
        assert review == policy.review(so_far.sample(frac=1.0, random_state=1), int(period))
    pd.testing.assert_frame_equal(frame, before)


@settings(max_examples=40, deadline=None)
@given(frame=measured_frames(max_agents=10, max_periods=2))
def test_forced_ranking_group_sizes(frame: pd.DataFrame) -> None:
    policy = ForcedRanking(metrics=["aht", "qa"], top_share=0.2, bottom_share=0.3, fire_after=None)
    period = int(frame.period.max())
    review = policy.review(frame, period)
    n = len(review.ranks)
    assert len(review.payouts) == math.floor(0.2 * n + 1e-9)
    assert len(review.sanctions) == min(math.floor(0.3 * n + 1e-9), n - len(review.payouts))
    worst = {a for a, r in review.ranks.items() if r > n - len(review.sanctions)}
    assert set(review.sanctions) == worst
    assert not set(review.payouts) & set(review.sanctions)


@settings(max_examples=40, deadline=None)
@given(frame=measured_frames(), threshold=st.floats(0.0, 1.0))
def test_team_bonus_is_all_or_nothing(frame: pd.DataFrame, threshold: float) -> None:
    period = int(frame.period.max())
    payouts = TeamBonus(metric="csat", threshold=threshold, amount=10).review(frame, period).payouts
    rows = frame[frame.period == period]
    for team in rows.team.unique():
        members = {int(a) for a in rows.loc[(rows.team == team) & (rows.status == "active"), "agent"]}
        assert set(payouts) & members in (set(), members)  # each team: all or nothing
    assert set(payouts) <= _active(frame, period)

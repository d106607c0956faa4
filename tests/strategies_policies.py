"""Handmade measured frames and hypothesis strategies for the policy tests."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from hypothesis import strategies as st

from incentsim.policies import (
    MEASURED_COLUMNS,
    Combined,
    DemingManagement,
    Flat,
    ForcedRanking,
    HandleTimeTarget,
    IndividualBonus,
    Policy,
    TeamBonus,
)

#: One or more instances of every built-in policy, with defaults and with unusual settings.
BUILT_INS: list[Policy] = [
    Flat(),
    IndividualBonus(metric="csat", threshold=0.95, amount=100),
    IndividualBonus(metric="aht", threshold=6.5, amount=20, stop_after=2),
    TeamBonus(metric="csat", threshold=0.85, amount=100),
    TeamBonus(metric="qa", threshold=70, stop_after=1),
    HandleTimeTarget(minutes=6),
    HandleTimeTarget(minutes=6, sanction="fire", periods=2),
    ForcedRanking(metrics=["aht", "qa"]),
    ForcedRanking(metrics=["csat", "transfer_rate", "calls"], top_share=0.3, bottom_share=0.3,
                  fire_after=0),
    DemingManagement(),
    DemingManagement(remove_after=1, metrics=["aht", "qa", "csat", "transfer_rate", "calls"]),
    Combined(TeamBonus(metric="csat", threshold=0.85), HandleTimeTarget(minutes=6)),
]

DEFAULT_ROW: dict[str, Any] = {
    "team": 0, "status": "active", "tenure_days": 300.0, "calls": 800, "aht": 6.0, "qa": 80.0,
    "qa_samples": 4, "csat": math.nan, "survey_responses": 0, "survey_positive": 0,
    "transfer_rate": 0.05,
}


def measured(*rows: dict[str, Any]) -> pd.DataFrame:
    """A measured frame from partial rows (``agent`` and ``period`` required).

    Give ``survey_responses`` and ``survey_positive`` and ``csat`` is derived.
    """
    full = []
    for row in rows:
        r = {**DEFAULT_ROW, **row}
        if "csat" not in row:
            r["csat"] = (r["survey_positive"] / r["survey_responses"]
                         if r["survey_responses"] else math.nan)
        full.append(r)
    return pd.DataFrame(full, columns=list(MEASURED_COLUMNS))


@st.composite
def measured_frames(draw: st.DrawFn, max_agents: int = 8, max_periods: int = 4) -> pd.DataFrame:
    """Random measured frames: agents who leave, NaN csat/qa, zero calls, any order of values."""
    n_agents = draw(st.integers(1, max_agents))
    n_periods = draw(st.integers(1, max_periods))
    rows = []
    for agent in range(n_agents):
        leaves_at = draw(st.one_of(st.none(), st.integers(0, n_periods - 1)))
        for period in range(n_periods):
            if leaves_at is not None and period > leaves_at:
                break
            status = "active"
            if leaves_at == period:
                status = draw(st.sampled_from(["quit", "fired"]))
            calls = draw(st.integers(0, 900))
            responses = draw(st.integers(0, calls // 3)) if calls else 0
            positive = draw(st.integers(0, responses))
            samples = draw(st.integers(0, min(calls, 5)))
            rows.append({
                "agent": agent, "period": period, "team": agent // 3, "status": status,
                "tenure_days": float(21 * (period + 1)), "calls": calls,
                "aht": draw(st.floats(1.0, 30.0)) if calls else math.nan,
                "qa": draw(st.floats(0.0, 100.0)) if samples else math.nan,
                "qa_samples": samples, "survey_responses": responses,
                "survey_positive": positive,
                "transfer_rate": draw(st.floats(0.0, 1.0)) if calls else math.nan,
            })
    return measured(*rows)

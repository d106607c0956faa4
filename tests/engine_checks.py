"""Invariants every run must satisfy, shared by the engine's tests."""

from __future__ import annotations

import numpy as np

import incentsim as isim
from incentsim.engine.clock import WorkingClock


def check_run(run: isim.Run) -> None:
    sc = run.scenario
    calls = run.calls
    horizon = WorkingClock(sc).horizon  # opening minutes of the whole run
    answered = calls["answered"].to_numpy()
    abandoned = calls["abandoned"].to_numpy()
    waiting = ~answered & ~abandoned
    # Every arrived call is exactly one of: answered, abandoned, still waiting.
    assert not (answered & abandoned).any()
    assert int(answered.sum() + abandoned.sum() + waiting.sum()) == len(calls)
    # Still-waiting callers are those whose patience outlasts the horizon.
    assert (calls.loc[waiting, "arrival_time"] <= horizon).all()
    # Times are non-negative and ordered.
    assert (calls["arrival_time"] >= 0).all() and (calls["arrival_time"] < horizon).all()
    done = answered | abandoned
    assert (calls.loc[done, "wait_time"] >= 0).all()
    ans = calls[answered]
    np.testing.assert_allclose(ans["answer_time"], ans["arrival_time"] + ans["wait_time"], atol=1e-9)
    assert (ans["handle_time"] > 0).all()
    assert (ans["end_time"].dropna() >= ans["answer_time"][ans["end_time"].notna()] - 1e-9).all()
    assert (calls.loc[abandoned, "agent"] < 0).all()
    # No agent holds two calls at once (tier-1 legs).
    for _, legs in ans.sort_values("answer_time").groupby("agent"):
        start = legs["answer_time"].to_numpy()
        stop = start + legs["handle_time"].to_numpy()
        assert (start[1:] >= stop[:-1] - 1e-9).all()
    # Repeat calls come from an earlier call of the same customer.
    rep = calls[calls["repeat_of"] >= 0]
    if len(rep):
        orig = calls.set_index("call_id").loc[rep["repeat_of"]]
        assert (orig["customer_id"].to_numpy() == rep["customer_id"].to_numpy()).all()
        assert (orig["arrival_time"].to_numpy() < rep["arrival_time"].to_numpy()).all()
        assert not orig["resolved"].any()
    # Transfers only with a tier 2; survey attribution sane.
    if sc.center.tier2_agents == 0:
        assert (calls["transfer"] == "none").all()
    assert set(calls["transfer"].astype(str)) <= {"none", "escalation", "dump"}
    assert (calls.loc[calls["transfer"] == "none", "tier2_wait"].isna()).all()
    # Agent-period rows: one per agent per period.
    assert not run.agents.duplicated(["agent", "period"]).any()

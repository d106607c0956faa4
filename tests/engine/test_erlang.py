"""The engine against queueing theory: Erlang C (M/M/c) and Erlang A (M/M/c+M).

``Scenario.erlang`` is the pure queueing special case, so with salary only its
waits and abandonment must match theory (:mod:`incentsim.validation.queueing`).
Each case runs independent replications; per replication we keep the calls that
arrived after a warm-up (the centre starts empty, which biases early waits
down) and at least two hours before the end (so every kept call has left the
queue), and take the replication's average. Theory must lie inside the t
confidence interval of the replication averages. The intervals are simultaneous
95% intervals for the whole file (Bonferroni over its checks), so a correct
engine fails this file less than 5% of the time whatever the seeds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import incentsim as isim
from incentsim.validation.queueing import erlang_a, erlang_c

REPLICATIONS = 12
WARMUP_MINUTES = 5 * 60
TAIL_MINUTES = 2 * 60
#: figures checked against theory in this file: arrival rate and handle time in every
#: case, three queueing figures per case
CHECKS = 4 * 2 + 4 * 3
SERVICE_LEVEL_MINUTES = 20 / 60
CONFIDENCE = 1 - 0.05 / CHECKS

#: (name, agents, calls per hour, mean handle time, mean patience, hours, seed)
CASES = {
    "C_util_0.80": (10, 96.0, 5.0, None, 100.0, 101),
    "C_util_0.95": (50, 712.5, 4.0, None, 40.0, 102),
    "A_load_0.80": (10, 96.0, 5.0, 5.0, 100.0, 103),
    "A_load_1.00": (40, 600.0, 4.0, 3.0, 40.0, 104),
}


def replicate(agents: int, calls_per_hour: float, handle: float, patience: float | None,
              hours: float, seed: int) -> pd.DataFrame:
    rows = []
    for r in range(REPLICATIONS):
        sc = isim.Scenario.erlang(agents, calls_per_hour, handle, mean_patience=patience,
                                  hours=hours)
        calls = isim.simulate(sc, seed=seed, replication=r).calls
        kept = calls[(calls["arrival_time"] >= WARMUP_MINUTES)
                     & (calls["arrival_time"] < hours * 60 - TAIL_MINUTES)]
        assert (kept["answered"] | kept["abandoned"]).all()
        rows.append({
            "mean_wait": kept["wait_time"].mean(),
            "p_wait": (kept["wait_time"] > 0).mean(),
            "service_level": (kept["answered"]
                              & (kept["wait_time"] <= SERVICE_LEVEL_MINUTES)).mean(),
            "abandon_rate": kept["abandoned"].mean(),
            "calls_per_hour": len(calls) / hours,
            "handle_time": kept.loc[kept["answered"], "handle_time"].mean(),
        })
    return pd.DataFrame(rows)


def assert_in_interval(samples: pd.Series, theory: float, what: str) -> None:
    n = len(samples)
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * samples.std(ddof=1) / np.sqrt(n)
    mean = samples.mean()
    assert abs(mean - theory) <= half, (
        f"{what}: simulated {mean:.4f} +- {half:.4f} ({REPLICATIONS} replications), "
        f"theory {theory:.4f}")


@pytest.fixture(scope="module", params=list(CASES))
def case(request: pytest.FixtureRequest) -> tuple[str, pd.DataFrame]:
    return request.param, replicate(*CASES[request.param])


def test_inputs_reach_the_engine(case: tuple[str, pd.DataFrame]) -> None:
    name, reps = case
    _, cph, handle, *_ = CASES[name]
    assert_in_interval(reps["calls_per_hour"], cph, f"{name} arrival rate")
    assert_in_interval(reps["handle_time"], handle, f"{name} mean handle time")


def test_agrees_with_theory(case: tuple[str, pd.DataFrame]) -> None:
    name, reps = case
    agents, cph, handle, patience, *_ = CASES[name]
    if patience is None:
        theory = erlang_c(agents, cph, handle)
        assert_in_interval(reps["mean_wait"], theory.mean_wait, f"{name} mean wait (minutes)")
        assert_in_interval(reps["p_wait"], theory.p_wait, f"{name} probability of waiting")
        assert_in_interval(reps["service_level"], theory.service_level(SERVICE_LEVEL_MINUTES),
                           f"{name} share answered within 20 seconds")
        assert (reps["abandon_rate"] == 0).all()
    else:
        theory = erlang_a(agents, cph, handle, patience)
        assert_in_interval(reps["abandon_rate"], theory.p_abandon, f"{name} abandonment share")
        assert_in_interval(reps["p_wait"], theory.p_wait, f"{name} probability of waiting")
        assert_in_interval(reps["mean_wait"], theory.mean_wait, f"{name} mean wait (minutes)")


def test_summary_matches_calls_on_a_short_run() -> None:
    # run.summary() reports the same quantities the checks above compute from run.calls
    run = isim.simulate(isim.Scenario.erlang(5, 50, 5, mean_patience=4, hours=24), seed=1)
    calls = run.calls
    done = calls["answered"] | calls["abandoned"]
    summary = run.summary()
    assert summary["mean_wait"] == pytest.approx(calls.loc[done, "wait_time"].mean())
    assert summary["p_wait"] == pytest.approx((calls.loc[done, "wait_time"] > 0).mean())
    assert summary["abandon_rate"] == pytest.approx(calls.loc[done, "abandoned"].mean())
    quick = calls["answered"] & (calls["wait_time"] <= SERVICE_LEVEL_MINUTES)
    assert summary["service_level"] == pytest.approx(quick[done].mean())

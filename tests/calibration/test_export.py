"""The engine-side exporter: a run's calls in the call-log format, on a stated calendar."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import incentsim as isim
from incentsim.calibration import check_call_log, engine_calls, to_call_log
from incentsim.calibration.export import working_dates


@pytest.fixture(scope="module")
def run() -> isim.Run:
    sc = isim.Scenario.shipped("baseline").replace(**{
        "center.months": 1, "center.days_per_month": 8, "center.tier1_agents": 8, "center.tier2_agents": 1,
        "demand.calls_per_hour": 40.0, "policies": {}, "baseline": ""})
    return isim.simulate(sc, seed=4)


def test_the_log_is_valid_and_holds_every_call_that_ended(run: isim.Run) -> None:
    log = to_call_log(run)
    ended = run.calls["answered"] | run.calls["abandoned"]
    assert len(log) == int(ended.sum())
    checked = check_call_log(log)
    assert int(checked["answered"].sum()) == int(run.calls["answered"].sum())
    assert checked["call_type"].nunique() == 3 and checked["customer_id"].notna().all()
    answered = run.calls.loc[run.calls["answered"]]
    assert checked.loc[checked["answered"], "handle_seconds"].sum() == pytest.approx(
        answered["handle_time"].sum() * 60.0)
    assert checked["transferred"].sum() == int((answered["transfer"] != "none").sum())


def test_the_stated_calendar(run: isim.Run) -> None:
    log = to_call_log(run, start="2024-03-01", opens="07:30", weekdays=(0, 2, 4))
    stamps = log["arrival"]
    assert set(stamps.dt.day_of_week) <= {0, 2, 4}
    assert stamps.min() >= pd.Timestamp("2024-03-01 07:30") and stamps.dt.normalize().nunique() == 8
    minutes = stamps.dt.hour * 60 + stamps.dt.minute
    assert minutes.min() >= 7 * 60 + 30 and minutes.max() < 7 * 60 + 30 + 8 * 60
    day = np.searchsorted(working_dates("2024-03-01", 8, (0, 2, 4)).to_numpy(), stamps.dt.normalize().to_numpy())
    arrival = day * 480.0 + (minutes.to_numpy() - 450) + stamps.dt.second.to_numpy() / 60.0
    expected = np.sort(run.calls.loc[run.calls["answered"] | run.calls["abandoned"], "arrival_time"].to_numpy())
    assert np.allclose(np.sort(arrival), expected, atol=1 / 60 + 1e-6)
    with pytest.raises(ValueError, match="weekdays"):
        working_dates("2024-03-01", 3, (7,))


def test_the_adapter_reads_engine_codes_as_well(run: isim.Run) -> None:
    # run.calls carries readable labels; the adapter also reads the engine's codes.
    names = [ct.name for ct in run.scenario.demand.call_types]
    coded = run.calls.copy()
    coded["call_type"] = pd.Categorical(coded["call_type"], categories=names).codes.astype(np.int64)
    coded["agent"] = coded["agent"].fillna(-2).astype(np.int64)
    other = isim.Run(scenario=run.scenario, policy=run.policy, seed=run.seed, replication=0, calls=coded,
                     agents=run.agents, days=run.days)
    pd.testing.assert_frame_equal(engine_calls(other), engine_calls(run))
    empty = isim.Run(scenario=run.scenario, policy=run.policy, seed=0, replication=0, calls=run.calls.iloc[0:0],
                     agents=run.agents, days=run.days)
    with pytest.raises(ValueError, match="keep_calls=True"):
        to_call_log(empty)

"""Round trips: a call log the engine generates from a known scenario is calibrated back.

Each scenario is simulated once (seed 11; the long-days centre works Monday to Saturday
from 07:00), written as a call log with
:func:`~incentsim.calibration.to_call_log` and calibrated with one refinement step. The
true scenario is the ``base``, so what a log cannot tell (motivation, measurement) is the
same on both sides and every estimated value is compared with the truth.

Tolerances, each the data's own sampling error plus a margin (estimates from one log
cannot be closer than the log's luck allows):

============================  =======================  ==========================================
value                         tolerance                why
============================  =======================  ==========================================
calls_per_hour                5%                       Poisson count of 20,000+ calls: 1%; defect days
intraday profile entries      0.08 absolute            ~2,500 calls per hour of day
call-type share               0.02 absolute            binomial on 20,000+ calls
handle-time mean              4% + 2.5 luck            luck = speed_sd / sqrt(agents): the data's own
                                                       AHT moves by that with the agents drawn
handle-time CV                15%                      the same, on a second moment
patience mean                 15%                      1,000+ abandonments: 3%; law choice
repeat_chance                 0.08 absolute            ~1,500 abandoned calls: 0.013; model bias
repeat_delay_hours            25%                      a few thousand repeats
resolution                    0.08 absolute            repeats after answered calls of each type
escalation                    0.03 absolute            binomial on transfers
people.speed_sd               0.08 absolute            the sd of 16-30 drawn agents: 0.03-0.04
tier1_agents                  exact                    every seat serves every hour in the engine
============================  =======================  ==========================================
"""

from __future__ import annotations

import math

import pytest

import incentsim as isim
from incentsim.calibration import fit, to_call_log
from incentsim.scenario import Scenario


def _pure_queue() -> Scenario:
    """One call type, exponential handle and patience, no repeats, tier 2 or defect days."""
    base = Scenario.erlang(10, 70.0, 7.0, mean_patience=3.0, hours=8.0)
    return base.replace(**{"name": "pure queue", "center.hours_per_day": 8.0, "center.days_per_month": 21,
                           "center.months": 2, "customers.population": 1_000_000})


def _realistic() -> Scenario:
    return Scenario.shipped("baseline").replace(**{
        "name": "realistic", "policies": {}, "baseline": "",
        "center.tier1_agents": 16, "center.tier2_agents": 2, "center.months": 3,
        "demand.calls_per_hour": 108.0, "demand.intraday_profile": [0.6, 1.1, 1.3, 1.1, 0.8, 1.0, 1.2, 0.9],
        "customers.population": 20_000, "people.speed_sd": 0.15})


def _long_days() -> Scenario:
    types = [{"name": "orders", "share": 0.7, "handle_time": {"law": "lognormal", "mean": 4.0, "cv": 0.6},
              "resolution": 0.9, "escalation": 0.0, "upset": 0.1},
             {"name": "faults", "share": 0.3, "handle_time": {"law": "lognormal", "mean": 9.0, "cv": 1.0},
              "resolution": 0.7, "escalation": 0.0, "upset": 0.4}]
    return Scenario.shipped("baseline").replace(**{
        "name": "long days", "policies": {}, "baseline": "",
        "center.tier1_agents": 30, "center.tier2_agents": 0, "center.hours_per_day": 10.0,
        "center.days_per_month": 25, "center.months": 1, "demand.calls_per_hour": 210.0,
        "demand.intraday_profile": [], "demand.call_types": types,
        "customers.patience": {"law": "lognormal", "mean": 2.0, "cv": 1.8},
        "customers.repeat_chance": 0.4, "customers.repeat_delay_hours": 8.0, "customers.population": 50_000,
        "people.speed_sd": 0.3})


def _close(found: float, truth: float, rel: float | None = None, abs_: float | None = None) -> bool:
    return found == pytest.approx(truth, rel=rel, abs=abs_)


@pytest.mark.slow
@pytest.mark.parametrize(("make", "calendar"), [
    (_pure_queue, {}),
    (_realistic, {}),
    (_long_days, {"opens": "07:00", "weekdays": (0, 1, 2, 3, 4, 5)}),
], ids=["pure-queue", "realistic", "long-days"])
def test_calibration_recovers_the_scenario(make: object, calendar: dict[str, object]) -> None:
    truth: Scenario = make()  # type: ignore[operator]
    log = to_call_log(isim.simulate(truth, seed=11), **calendar)  # type: ignore[arg-type]
    result = fit(log, base=truth, refine=1, check=0, seed=2, refine_calls=20_000)
    got = result.scenario
    c, t = got.center, truth.center
    assert (c.tier1_agents, c.hours_per_day, c.days_per_month, c.months) == (
        t.tier1_agents, t.hours_per_day, t.days_per_month, t.months)
    assert _close(got.demand.calls_per_hour, truth.demand.calls_per_hour, rel=0.05)
    if truth.demand.intraday_profile:
        assert got.demand.intraday_profile == pytest.approx(list(truth.demand.intraday_profile), abs=0.08)
    shares = sum(ct.share for ct in truth.demand.call_types)
    found = {ct.name: ct for ct in got.demand.call_types}
    assert set(found) == {ct.name for ct in truth.demand.call_types}
    for true_type in truth.demand.call_types:
        mine = found[true_type.name]
        assert _close(mine.share, true_type.share / shares, abs_=0.02), true_type.name
        assert mine.handle_time.law == true_type.handle_time.law, true_type.name
        luck = truth.people.speed_sd / math.sqrt(truth.center.tier1_agents)
        assert _close(mine.handle_time.mean, true_type.handle_time.mean, rel=0.04 + 2.5 * luck), true_type.name
        if true_type.handle_time.law == "lognormal":
            assert _close(mine.handle_time.cv, true_type.handle_time.cv, rel=0.15), true_type.name
        assert _close(mine.escalation, true_type.escalation, abs_=0.03), true_type.name
        if truth.customers.repeat_chance > 0:
            assert _close(mine.resolution, true_type.resolution, abs_=0.08), true_type.name
    patience, true_patience = got.customers.patience, truth.customers.patience
    assert patience.law == true_patience.law
    assert _close(patience.mean, true_patience.mean, rel=0.15)
    assert _close(got.customers.repeat_chance, truth.customers.repeat_chance, abs_=0.08)
    if truth.customers.repeat_chance > 0:
        assert _close(got.customers.repeat_delay_hours, truth.customers.repeat_delay_hours, rel=0.25)
    assert _close(got.people.speed_sd, truth.people.speed_sd, abs_=0.08)
    assert not [w for w in result.warnings if any(k in w for k in ("handle time", "patience", "speed_sd",
                                                                  "intraday", "arrival rates"))]


@pytest.mark.slow
def test_the_side_by_side_check_agrees_with_the_data() -> None:
    truth = _realistic()
    log = to_call_log(isim.simulate(truth, seed=12))
    result = fit(log, base=truth, refine=1, check=1, seed=3, refine_calls=20_000)
    table = result.comparison.set_index("figure")
    for figure, tolerance in [("calls per opening hour", 0.05), ("AHT simple (s)", 0.1), ("AHT complex (s)", 0.1),
                              ("share transferred", 0.2), ("agents serving per opening hour", 0.05)]:
        data, simulated = table.loc[figure, "data"], table.loc[figure, "simulated"]
        assert math.isclose(data, simulated, rel_tol=tolerance), (figure, data, simulated)
    assert abs(table.loc["abandonment among queued", "data"] - table.loc["abandonment among queued", "simulated"]) < 0.1
    text = result.summary()
    for needle in ("Written to the scenario", "customers.patience", "people.speed_sd", "center.tier1_agents",
                   "not yet in the scenario", "staffing by hour", "skills:", "Data against 1 simulation(s)",
                   "share queued", "ICC of monthly AHT"):
        assert needle in text
    doc = result.to_dict()
    assert doc["staffing"]["tier1_agents"] == 16 and doc["skills"]["specialised"] == 0
    assert len(doc["people"]["agent_effects"]) >= 16 and doc["comparison"][0]["figure"] == "calls per opening hour"

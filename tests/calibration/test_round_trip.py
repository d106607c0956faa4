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

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from strategies import staffed_scenarios

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
    # A centre that works every day alike with one pool of agents keeps the simple scenario.
    assert not result.week.written and not c.opening.given and not c.staff and not got.demand.weekday_profile


_WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri")


def _week() -> Scenario:
    """Skill groups (billing, tech, both), tech in two overlapping shifts, a short Saturday, a busy Monday."""
    types = [{"name": "billing", "share": 0.6, "handle_time": {"law": "lognormal", "mean": 4.0, "cv": 0.6},
              "resolution": 0.9, "escalation": 0.0, "upset": 0.1},
             {"name": "tech", "share": 0.4, "handle_time": {"law": "lognormal", "mean": 7.0, "cv": 0.8},
              "resolution": 0.8, "escalation": 0.0, "upset": 0.3}]
    return Scenario.shipped("baseline").replace(**{
        "name": "week", "policies": {}, "baseline": "",
        "center.tier1_agents": 24, "center.tier2_agents": 0, "center.days_per_month": 22, "center.months": 2,
        "center.opening": {**{d: [8.0, 18.0] for d in _WEEK}, "Sat": [9.0, 13.0]},
        "center.staff": [
            {"name": "billing", "agents": 8, "skills": ["billing"], "days": list(_WEEK)},
            {"name": "tech early", "agents": 5, "skills": ["tech"], "days": list(_WEEK), "start": 8.0, "hours": 6.0},
            {"name": "tech late", "agents": 5, "skills": ["tech"], "days": list(_WEEK), "start": 12.0, "hours": 6.0},
            {"name": "both", "agents": 6}],
        "demand.calls_per_hour": 150.0, "demand.call_types": types,
        "demand.intraday_profile": [0] * 8 + [0.8, 1.1, 1.2, 1.1, 1.2, 1.3, 1.1, 1.0, 0.8, 0.6] + [0] * 6,
        "demand.weekday_profile": [1.3, 1.0, 1.0, 1.0, 0.9, 0.7, 0],
        "customers.population": 50_000, "people.speed_sd": 0.15})


def _on_duty(scenario: Scenario) -> dict[frozenset[str], np.ndarray]:
    """Agents on duty per skill set, weekday (rows) and clock hour (columns) of a staffing plan."""
    from incentsim.scenario.staffing import WEEKDAYS

    all_types = frozenset(ct.name for ct in scenario.demand.call_types)
    opening = scenario.center.opening
    out: dict[frozenset[str], np.ndarray] = {}
    for line in scenario.center.staff:
        grid = out.setdefault(frozenset(line.skills) or all_types, np.zeros((7, 24)))
        for w, day in enumerate(WEEKDAYS):
            span = opening.span(day)
            if span is None or (line.days and day not in line.days):
                continue
            begin = span[0] if line.start is None else max(span[0], line.start)
            end = span[1] if line.hours is None else min(span[1], (line.start or span[0]) + line.hours)
            grid[w, int(begin):int(end)] += line.agents
    return out


def _relative(profile: tuple[float, ...], weight: np.ndarray) -> np.ndarray:
    values = np.asarray(profile, dtype=float)
    return values / float((values * weight).sum() / weight.sum())


@pytest.mark.slow
def test_calibration_recovers_the_week() -> None:
    truth = _week()
    log = to_call_log(isim.simulate(truth, seed=11))
    result = fit(log, base=truth, refine=1, check=0, seed=2, refine_calls=20_000)
    got = result.scenario
    assert result.week.written and len(result.week.reasons) == 4
    # Opening hours per weekday exactly; the calendar as before.
    assert got.center.opening == truth.center.opening
    assert (got.center.days_per_month, got.center.months) == (truth.center.days_per_month, truth.center.months)
    assert _close(got.demand.calls_per_hour, truth.demand.calls_per_hour, rel=0.05)
    # Profiles are relative: compare each after scaling to mean 1 over the hours they apply to.
    hours = np.asarray(truth.demand.intraday_profile) > 0
    assert _relative(got.demand.intraday_profile, hours) == pytest.approx(
        _relative(truth.demand.intraday_profile, hours), abs=0.08)
    open_hours = np.array([10, 10, 10, 10, 10, 4, 0], dtype=float)
    assert _relative(got.demand.weekday_profile, open_hours) == pytest.approx(
        _relative(truth.demand.weekday_profile, open_hours), abs=0.08)
    # Skill groups and who is on duty when: within one agent in every group, weekday and hour.
    found, true = _on_duty(got), _on_duty(truth)
    assert set(found) == set(true)
    for skills, grid in true.items():
        assert np.abs(found[skills] - grid).max() <= 1, (sorted(skills), found[skills] - grid)
    assert got.center.tier1_agents == sum(line.agents for line in got.center.staff)
    # The other estimates still hold with skills and shifts; a type's AHT moves with the
    # speeds of the agents who take it (14 for billing, 16 for tech).
    for true_type, mine, agents in zip(truth.demand.call_types, got.demand.call_types, (14, 16), strict=True):
        luck = truth.people.speed_sd / math.sqrt(agents)
        assert _close(mine.handle_time.mean, true_type.handle_time.mean, rel=0.04 + 2.5 * luck), true_type.name
    text = result.summary()
    for needle in ("center.opening", "demand.weekday_profile", "center.staff", "x tech: Mon,Tue,Wed,Thu,Fri"):
        assert needle in text
    assert not any(line.startswith(("staffing by hour", "skills:", "weekday:")) for line in result.not_represented())
    # The calibrated scenario runs, and a log of it calibrates back to the same plan.
    again = fit(to_call_log(isim.simulate(got, seed=5)), base=got, refine=0, check=0).scenario
    assert again.center.opening == got.center.opening and set(_on_duty(again)) == set(found)


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


# No shrinking: a failing example is reported as found (shrinking one calibration after
# another can take minutes of the CI budget).
@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(scenario=staffed_scenarios(), seed=st.integers(0, 1000))
def test_any_staffed_centres_log_calibrates_to_a_scenario_that_runs(scenario: Scenario, seed: int) -> None:
    # Opening hours by weekday, skill groups and shifts of every kind (small centres,
    # short horizons): calibrate gives a valid scenario, whatever it writes of the week.
    log = to_call_log(isim.simulate(scenario, seed=seed))
    assume(bool((log["outcome"] == "answered").any()))
    result = fit(log, refine=0, check=0)
    got = result.scenario
    if got.center.staff:
        assert got.center.tier1_agents == sum(line.agents for line in got.center.staff)
        assert got.center.opening.given
    assert isim.simulate(got.replace(**{"center.months": 1}), seed=0).summary()["calls"] >= 0

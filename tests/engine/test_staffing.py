"""Skills-based routing, shifts and opening hours in the engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from engine_checks import check_run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import staffed_scenarios

import incentsim as isim
from incentsim.engine.clock import WorkingClock
from incentsim.engine.seats import SeatPlan


@pytest.fixture(scope="module")
def small() -> isim.Scenario:
    return isim.Scenario.load("scenarios/baseline.toml").replace(
        **{"center.tier1_agents": 12, "center.tier2_agents": 2, "center.months": 2,
           "center.days_per_month": 3, "demand.calls_per_hour": 60.0}
    )


def test_one_line_holding_everything_is_the_world_without_a_staffing_plan(small: isim.Scenario) -> None:
    plan = small.replace(**{"center.staff": [{"agents": 12}]})
    policy = isim.policies.IndividualBonus(metric="csat", threshold=0.8, amount=100)
    a = isim.simulate(small, policy, seed=4)
    b = isim.simulate(plan, policy, seed=4)
    pd.testing.assert_frame_equal(a.calls, b.calls)
    pd.testing.assert_frame_equal(a.agents, b.agents)


def test_every_weekday_open_as_long_is_the_world_without_opening_hours(small: isim.Scenario) -> None:
    # A day that opens at 00:00 of its own clock for eight hours, every day of the week.
    profile = [1.0, 1.2, 1.5, 1.4, 1.0, 0.9, 1.1, 0.8]
    legacy = small.replace(**{"demand.intraday_profile": profile})
    week = small.replace(**{"center.opening": {day: [0.0, 8.0] for day in ("Mon", "Tue", "Wed", "Thu", "Fri",
                                                                          "Sat", "Sun")},
                            "demand.intraday_profile": profile + [0.0] * 16})
    a = isim.simulate(legacy, seed=2)
    b = isim.simulate(week, seed=2)
    pd.testing.assert_frame_equal(a.calls, b.calls)
    assert a.summary() == b.summary()


def test_calls_reach_only_agents_holding_their_type_on_duty(small: isim.Scenario) -> None:
    sc = small.replace(**{
        "center.opening": {"Mon": [8.0, 16.0], "Tue": [8.0, 16.0], "Wed": [8.0, 12.0]},
        "center.staff": [{"agents": 5, "skills": ["simple"]},
                         {"agents": 4, "skills": ["complex", "complaint"], "start": 8.0, "hours": 8.0},
                         {"agents": 3, "skills": ["simple", "complaint"], "days": ["Mon", "Wed"], "start": 10.0}],
    })
    run = isim.simulate(sc, seed=7)
    check_run(run)
    calls = run.calls[run.calls["answered"]]
    line = SeatPlan.from_scenario(sc, WorkingClock(sc)).line[calls["seat"].to_numpy(dtype=int)]
    kind = calls["call_type"].astype(str).to_numpy()
    assert set(kind[line == 0]) == {"simple"}
    assert set(kind[line == 1]) == {"complex", "complaint"}
    assert set(kind[line == 2]) <= {"simple", "complaint"}
    # The Monday/Wednesday line answers only on those days, from 10:00.
    clock = WorkingClock(sc)
    answer = calls["answer_time"].to_numpy()[line == 2]
    day = clock.day_of(answer)
    assert set(clock.weekday[day].tolist()) <= {0, 2}
    hour = clock.open_hour[day] + (answer - clock.day_start[day]) / 60.0
    assert (hour >= 10.0 - 1e-9).all()


def test_an_arriving_call_goes_to_the_longest_idle_skilled_agent() -> None:
    # A quiet centre: every call is answered at once, by the skilled agent who has been idle longest,
    # so the agents of a line take turns and none of them takes another type.
    sc = isim.Scenario.erlang(4, 6.0, 2.0, hours=40).replace(**{
        "demand.call_types": [{"name": "a", "share": 1.0, "handle_time": {"law": "exponential", "mean": 2.0}},
                              {"name": "b", "share": 1.0, "handle_time": {"law": "exponential", "mean": 2.0}}],
        "center.staff": [{"agents": 2, "skills": ["a"]}, {"agents": 2, "skills": ["b"]}]})
    calls = isim.simulate(sc, seed=1).calls
    for name, seats in (("a", {0, 1}), ("b", {2, 3})):
        taken = calls.loc[(calls["call_type"] == name).to_numpy(), "seat"].astype(int).to_numpy()
        assert set(taken) == seats
        waited = calls.loc[(calls["call_type"] == name).to_numpy(), "wait_time"].to_numpy()
        first_idle = taken[waited == 0]
        # with two agents and rare calls, the agent idle longer is the other one nearly always
        assert (first_idle[1:] != first_idle[:-1]).mean() > 0.8


def test_teams_form_within_skill_groups() -> None:
    sc = isim.Scenario(center={"tier1_agents": 10, "team_size": 4, "staff": [
        {"agents": 3, "skills": ["simple"]}, {"agents": 5, "skills": ["complex", "complaint"]},
        {"agents": 2, "skills": ["simple"]}]})
    plan = SeatPlan.from_scenario(sc, WorkingClock(sc))
    assert plan.group.tolist() == [0, 0, 0, 1, 1, 1, 1, 1, 0, 0]
    assert plan.team.tolist() == [0, 0, 0, 2, 2, 2, 2, 3, 0, 1]


def test_part_time_lines_work_their_hours(small: isim.Scenario) -> None:
    part_time = small.replace(**{"center.staff": [{"agents": 6}, {"agents": 6, "start": 2.0, "hours": 4.0}]})
    clock = WorkingClock(part_time)
    plan = SeatPlan.from_scenario(part_time, clock)
    minutes = plan.duty_minutes(0.0, clock.horizon)
    assert minutes[:6] == pytest.approx([clock.horizon] * 6)
    assert minutes[6:] == pytest.approx([clock.horizon / 2] * 6)
    calls = isim.simulate(part_time, seed=1).calls
    answered = calls[calls["answered"] & (calls["seat"] >= 6)]
    hour = (answered["answer_time"].to_numpy() % (8 * 60)) / 60.0
    assert ((hour >= 2.0 - 1e-9) & (hour < 6.0 + 1e-9)).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(scenario=staffed_scenarios(), seed=st.integers(0, 2**32 - 1))
def test_invariants_hold_with_skills_and_shifts(scenario: isim.Scenario, seed: int) -> None:
    run = isim.simulate(scenario, seed=seed)
    check_run(run)
    calls = run.calls[run.calls["answered"]]
    plan = SeatPlan.from_scenario(scenario, WorkingClock(scenario))
    seat = calls["seat"].to_numpy(dtype=int)
    kind = calls["call_type"].cat.codes.to_numpy()
    held = np.array([k in plan.group_types[g] for k, g in zip(kind, plan.group[seat], strict=True)])
    assert held.all()
    # An agent answers only while on duty.
    answer = calls["answer_time"].to_numpy()
    for s_line, intervals in enumerate(plan.duty):
        mine = plan.line[seat] == s_line
        if mine.any():
            t = answer[mine]
            inside = ((intervals[:, 0][None, :] <= t[:, None] + 1e-9)
                      & (t[:, None] < intervals[:, 1][None, :] + 1e-9)).any(axis=1)
            assert inside.all()


def _tiny(opening: dict[str, list[float]], staff: list[dict[str, object]], profile: list[float]) -> isim.Scenario:
    types = [{"name": name, "share": 1.0, "handle_time": {"law": "lognormal", "mean": 1.0, "cv": 1.0},
              "resolution": 0.0, "escalation": 0.0, "upset": 0.0} for name in ("a", "b")]
    return isim.Scenario(center={"tier1_agents": 2, "tier2_agents": 0, "days_per_month": 1, "months": 1,
                                 "team_size": 1, "opening": opening, "staff": staff},
                         demand={"calls_per_hour": 2.0, "intraday_profile": profile, "call_types": types},
                         customers={"population": 1, "patience": {"law": "none", "mean": 4.0}})


def test_a_horizon_shorter_than_a_week_keeps_the_weeks_rate() -> None:
    # Found by the test above: one working day (Monday 00-01) of a centre whose only
    # demand is at 08:00 on Tuesday. The rate's mean is a whole week's, so Monday has
    # no calls (rather than a rate divided by zero).
    sc = _tiny({"Mon": [0, 1], "Tue": [5, 9]}, [{"agents": 1, "skills": ["a"]}, {"agents": 1}],
               [0.0] * 8 + [1.0] + [0.0] * 15)
    segments = WorkingClock(sc).segments()
    assert np.isfinite(segments.rate).all() and (segments.rate == 0).all()
    run = isim.simulate(sc, seed=0)
    check_run(run)
    assert len(run.calls) == 0


def test_a_skill_group_never_on_duty_in_the_horizon() -> None:
    # Found by the test above: the first line starts at 01:00, after Monday (the one
    # working day) has closed; its group's first reading takes the mix of its types.
    sc = _tiny({"Mon": [0, 1], "Tue": [0, 2]}, [{"agents": 1, "skills": ["a"], "start": 1.0},
                                                {"agents": 1, "skills": ["a", "b"]}], [])
    run = isim.simulate(sc, seed=0)
    check_run(run)
    assert (run.calls.loc[run.calls["answered"], "seat"] == 1).all()

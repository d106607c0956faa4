"""Shared hypothesis strategies: small but varied scenarios."""

from __future__ import annotations

import hypothesis
from hypothesis import strategies as st

import incentsim as isim
from incentsim.errors import InputError
from incentsim.scenario import CallType, Center, Customers, Demand, Duration, Patience, People, System, Tier2

durations = st.builds(
    Duration,
    law=st.sampled_from(["lognormal", "exponential"]),
    mean=st.floats(0.5, 20.0),
    cv=st.floats(0.2, 2.0),
)

call_types = st.lists(
    st.builds(
        CallType,
        name=st.text("abcdefgh", min_size=1, max_size=6),
        share=st.floats(0.05, 1.0),
        handle_time=durations,
        resolution=st.floats(0.0, 1.0),
        escalation=st.floats(0.0, 0.5),
        upset=st.floats(0.0, 1.0),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda c: c.name,
).map(tuple)

patience = st.one_of(
    st.just(Patience(law="none")),
    st.builds(Patience, law=st.sampled_from(["exponential", "lognormal"]), mean=st.floats(0.5, 15.0),
              cv=st.floats(0.3, 2.0)),
)


@st.composite
def small_scenarios(draw: st.DrawFn) -> isim.Scenario:
    """A small scenario (a few agents, a few short days) exercising every engine path."""
    agents = draw(st.integers(1, 6))
    hours = draw(st.floats(0.5, 3.0))
    center = Center(tier1_agents=agents, tier2_agents=draw(st.integers(0, 3)), hours_per_day=hours,
                    days_per_month=draw(st.integers(1, 3)), months=draw(st.integers(1, 3)))
    profile = draw(st.one_of(st.just(()), st.lists(st.floats(0.0, 3.0), min_size=-(-int(hours * 60) // 60),
                                                    max_size=-(-int(hours * 60) // 60))
                             .filter(lambda v: sum(v) > 0).map(tuple)))
    import math
    if profile and len(profile) != math.ceil(hours):
        profile = ()
    return isim.Scenario(
        center=center,
        demand=Demand(calls_per_hour=draw(st.floats(2.0, 25.0)) * agents, intraday_profile=profile,
                      call_types=draw(call_types)),
        customers=Customers(population=draw(st.integers(1, 500)), patience=draw(patience),
                            repeat_chance=draw(st.floats(0.0, 1.0)), repeat_delay_hours=draw(st.floats(0.25, 2.0))),
        system=System(defect_day_probability=draw(st.floats(0.0, 1.0)), defect_volume=draw(st.floats(0.0, 1.0))),
        tier2=Tier2(handle_time=draw(durations), resolution=draw(st.floats(0.0, 1.0))),
        people=People(speed_sd=draw(st.floats(0.0, 0.5)), quality_sd=draw(st.floats(0.0, 0.2)),
                      hiring_lag_days=draw(st.integers(0, 2)), initial_tenure_days=draw(st.floats(0.0, 50.0))),
    )


WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@st.composite
def staffed_scenarios(draw: st.DrawFn) -> isim.Scenario:
    """A small scenario with opening hours by weekday, skill groups and shifts."""
    base = draw(small_scenarios())
    names = [ct.name for ct in base.demand.call_types]
    open_days = draw(st.lists(st.sampled_from(WEEKDAY_NAMES), min_size=1, max_size=7, unique=True))
    opening = {}
    for day in open_days:
        start = draw(st.integers(0, 20))
        opening[day] = [float(start), float(draw(st.integers(start + 1, min(24, start + 4))))]
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        skills = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
        days = draw(st.one_of(st.just([]), st.lists(st.sampled_from(open_days), min_size=1, unique=True)))
        start = draw(st.one_of(st.none(), st.integers(0, 20).map(float)))
        hours = draw(st.one_of(st.none(), st.integers(1, 4).map(float)))
        lines.append({"agents": draw(st.integers(1, 3)), "skills": skills, "days": days, "start": start,
                      "hours": hours})
    # Every type must be held by a line working whenever the centre opens, so that no call type
    # is left unanswerable.
    lines.append({"agents": 1, "skills": names})
    agents = sum(line["agents"] for line in lines)
    profile = draw(st.one_of(st.just([]), st.lists(st.floats(0.0, 3.0), min_size=24, max_size=24)))
    weekday = draw(st.one_of(st.just([]), st.lists(st.floats(0.1, 2.0), min_size=7, max_size=7)))
    changes = {"center.opening": opening, "center.staff": lines, "center.tier1_agents": agents,
               "center.team_size": draw(st.integers(1, 4)), "demand.intraday_profile": profile,
               "demand.weekday_profile": weekday}
    try:
        return base.replace(**changes)
    except InputError:
        hypothesis.assume(False)
        raise

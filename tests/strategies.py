"""Shared hypothesis strategies: small but varied scenarios."""

from __future__ import annotations

from hypothesis import strategies as st

import incentsim as isim
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

"""Skills and staffing against theory: disjoint skill groups, time-varying demand, shifts.

Three checks of the routing and staffing of issue 13, each against a known answer:

* **Disjoint skill groups.** Two call types, each taken by its own group of agents:
  each group is an M/M/c queue of its own, so Erlang C per group gives each type's
  chance of waiting and mean wait exactly (:func:`~incentsim.validation.queueing.erlang_c`).
* **Time-varying demand.** Opening hours on weekdays with an intraday profile, a
  constant number of agents, exponential handle times and patience: the number in
  the system is a birth-death chain whose distribution, hour by hour over the whole
  calendar (queues carried over the night), is exact
  (:mod:`~incentsim.validation.transient`). Checked: the share of callers who wait
  in four opening hours (quiet, rising, falling, late), averaged over the days.
* **Shifts.** One long day in which three staffing lines come on duty at different
  hours (so staffing rises 8, 12, 18) while demand rises: the same chain with the
  agents on duty changing by the hour. Checked: the share who wait in the first
  hour of each staffing level and a later one.

Staffing in the shift check only rises: agents going off duty finish the call in
hand, which a one-dimensional chain cannot follow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from incentsim.scenario import Scenario
from incentsim.validation.queueing import erlang_c
from incentsim.validation.results import CheckResult, Sizes
from incentsim.validation.transient import Stretch, transient

#: Two disjoint groups: (call type, share of calls, mean handle minutes, agents) at 150 calls an hour:
#: utilisation 0.90 for the first group, 0.80 for the second.
GROUPS = (("billing", 0.6, 6.0, 10), ("technical", 0.4, 8.0, 10))
GROUP_CALLS_PER_HOUR = 150.0
#: The time-varying case: opening 08:00-18:00 on weekdays, 12 agents, exponential laws.
PROFILE = (0.6, 1.0, 1.4, 1.5, 1.2, 1.0, 1.1, 1.3, 0.9, 0.5)
VARYING = {"agents": 12, "calls_per_hour": 120.0, "handle": 5.0, "patience": 15.0, "days": 10}
#: Hours checked (index from opening): quiet, rising to the peak, after it, late. With patience three
#: times the handle time the queue carries from hour to hour, so each hour's own steady state is off
#: (at 10:00 it gives 0.82 against the chain's 0.76, at 12:00 0.58 against 0.65).
VARYING_HOURS = (0, 2, 4, 8)
#: The shift case: one 12-hour day, lines of 8, 4 and 6 agents from hours 0, 3 and 6.
SHIFT_LINES = ((8, 0.0), (4, 3.0), (6, 6.0))
SHIFT_RATES = (70.0,) * 3 + (120.0,) * 3 + (180.0,) * 6
SHIFT_HOURS = (3, 6, 9)
SHIFT = {"handle": 5.0, "patience": 15.0}


def groups_scenario(hours: float) -> Scenario:
    """Two disjoint skill groups (exponential laws, no abandonment): two Erlang C queues."""
    base = Scenario.erlang(sum(g[3] for g in GROUPS), GROUP_CALLS_PER_HOUR, 6.0, hours=hours)
    types = [{"name": name, "share": share, "resolution": 1.0, "escalation": 0.0, "upset": 0.0,
              "handle_time": {"law": "exponential", "mean": handle}} for name, share, handle, _ in GROUPS]
    staff = [{"name": name, "agents": agents, "skills": [name]} for name, _, _, agents in GROUPS]
    return base.replace(**{"demand.call_types": types, "center.staff": staff,
                           "name": "erlang_groups", "description": "two disjoint skill groups"})


def varying_scenario(days: int) -> Scenario:
    """Weekday opening hours 08:00-18:00 with an intraday profile and constant staffing."""
    v = VARYING
    base = Scenario.erlang(int(v["agents"]), v["calls_per_hour"], v["handle"], mean_patience=v["patience"],
                           hours=10.0)
    profile = [0.0] * 8 + list(PROFILE) + [0.0] * 6
    opening = {day: [8.0, 18.0] for day in ("Mon", "Tue", "Wed", "Thu", "Fri")}
    return base.replace(**{"center.opening": opening, "center.days_per_month": days, "center.months": 1,
                           "demand.intraday_profile": profile, "name": "erlang_varying",
                           "description": "time-varying demand"})


def shift_scenario() -> Scenario:
    """One 12-hour day; staffing lines come on at hours 0, 3 and 6 while demand rises."""
    agents = sum(a for a, _ in SHIFT_LINES)
    mean_rate = float(np.mean(SHIFT_RATES))
    base = Scenario.erlang(agents, mean_rate, SHIFT["handle"], mean_patience=SHIFT["patience"], hours=12.0)
    profile = [0.0] * 6 + [r / mean_rate for r in SHIFT_RATES] + [0.0] * 6
    staff = [{"name": f"from {6 + start:g}h", "agents": a, "start": 6.0 + start} for a, start in SHIFT_LINES]
    return base.replace(**{"center.opening": {"Mon": [6.0, 18.0]}, "center.days_per_month": 1,
                           "center.months": 1, "demand.intraday_profile": profile, "center.staff": staff,
                           "name": "erlang_shifts", "description": "staffing that rises by the hour"})


def _interval(name: str, samples: np.ndarray, expected: float, confidence: float, detail: str) -> CheckResult:
    from incentsim.validation.checks import interval_check

    return interval_check(name, samples, expected, confidence, detail)


def group_checks(sizes: Sizes, seed: int, confidence: float) -> list[CheckResult]:
    """Disjoint skill groups: each type's chance of waiting and mean wait against Erlang C per group."""
    from incentsim.engine.simulate import simulate

    hours = sizes.hours
    scenario = groups_scenario(hours)
    rows = []
    for replication in range(sizes.replications):
        calls = simulate(scenario, seed=seed, replication=replication).calls
        arrival = calls["arrival_time"]
        kept = calls[(arrival >= sizes.warmup_hours * 60) & (arrival < (hours - 2.0) * 60)]
        row = {}
        for name, *_ in GROUPS:
            wait = kept.loc[(kept["call_type"] == name).to_numpy(), "wait_time"].to_numpy()
            row[f"{name} p_wait"] = float((wait > 0).mean())
            row[f"{name} mean_wait"] = float(wait.mean())
        rows.append(row)
    reps = pd.DataFrame(rows)
    out = []
    for name, share, handle, agents in GROUPS:
        theory = erlang_c(agents, GROUP_CALLS_PER_HOUR * share, handle)
        detail = (f"{agents} agents take only {name} calls ({GROUP_CALLS_PER_HOUR * share:g}/h, handle "
                  f"{handle:g} min, utilisation {theory.utilisation:.2f}); {hours:g} h per replication")
        out.append(_interval(f"Skill groups, {name}: P(wait) (Erlang C of its group)", reps[f"{name} p_wait"],
                             theory.p_wait, confidence, detail))
        out.append(_interval(f"Skill groups, {name}: mean wait (min)", reps[f"{name} mean_wait"],
                             theory.mean_wait, confidence, detail))
    return out


def _hourly_waits(calls: pd.DataFrame, day_start: np.ndarray, hours: int) -> np.ndarray:
    """Share of callers who waited, by opening hour (pooled over days)."""
    arrival = calls["arrival_time"].to_numpy()
    day = np.searchsorted(day_start, arrival, side="right") - 1
    hour = np.clip(((arrival - day_start[day]) // 60).astype(int), 0, hours - 1)
    waited = calls["wait_time"].to_numpy() > 0
    counts = np.bincount(hour, minlength=hours)
    return np.bincount(hour, weights=waited, minlength=hours) / np.maximum(counts, 1)


def varying_checks(sizes: Sizes, seed: int, confidence: float) -> list[CheckResult]:
    """Time-varying demand with constant staffing: share waiting by hour against the transient chain."""
    from incentsim.engine.clock import WorkingClock
    from incentsim.engine.simulate import simulate

    v = VARYING
    days = max(2, int(round(v["days"] * sizes.hours / 100.0)))
    scenario = varying_scenario(days)
    clock = WorkingClock(scenario)
    rates = v["calls_per_hour"] * np.asarray(PROFILE) / np.mean(PROFILE)
    stretches = [Stretch(60.0, float(rates[h]), int(v["agents"])) for _ in range(days) for h in range(len(PROFILE))]
    theory = transient(stretches, v["handle"], v["patience"])
    by_hour = (theory.p_wait * theory.arrivals).reshape(days, -1).sum(axis=0) / theory.arrivals.reshape(
        days, -1).sum(axis=0)
    reps = np.array([_hourly_waits(simulate(scenario, seed=seed, replication=r).calls, clock.day_start,
                                   len(PROFILE)) for r in range(sizes.replications)])
    out = []
    for h in VARYING_HOURS:
        detail = (f"{v['agents']} agents, {rates[h]:.0f} calls/h in {8 + h:02d}:00-{9 + h:02d}:00 (profile "
                  f"{', '.join(f'{x:g}' for x in PROFILE)} over 08:00-18:00), handle {v['handle']:g} min, "
                  f"patience {v['patience']:g} min; {days} weekdays per replication, theory by the "
                  "transient chain over the whole calendar")
        out.append(_interval(f"Time-varying demand, {8 + h:02d}:00: P(wait)", reps[:, h], float(by_hour[h]),
                             confidence, detail))
    return out


def shift_checks(sizes: Sizes, seed: int, confidence: float) -> list[CheckResult]:
    """Staffing rising by shifts: share waiting by hour against the transient chain."""
    from incentsim.engine.clock import WorkingClock
    from incentsim.engine.simulate import simulate

    scenario = shift_scenario()
    clock = WorkingClock(scenario)
    staffing = [sum(a for a, start in SHIFT_LINES if start <= h) for h in range(len(SHIFT_RATES))]
    stretches = [Stretch(60.0, rate, c) for rate, c in zip(SHIFT_RATES, staffing, strict=True)]
    theory = transient(stretches, SHIFT["handle"], SHIFT["patience"])
    replications = max(4, sizes.replications * 4)
    reps = np.array([_hourly_waits(simulate(scenario, seed=seed, replication=r).calls, clock.day_start,
                                   len(SHIFT_RATES)) for r in range(replications)])
    out = []
    for h in SHIFT_HOURS:
        detail = (f"{staffing[h]} agents on duty (lines of {', '.join(str(a) for a, _ in SHIFT_LINES)} from "
                  f"06:00, 09:00, 12:00), {SHIFT_RATES[h]:g} calls/h in {6 + h:02d}:00-{7 + h:02d}:00, handle "
                  f"{SHIFT['handle']:g} min, patience {SHIFT['patience']:g} min; one day per replication")
        out.append(_interval(f"Shifts, {6 + h:02d}:00 ({staffing[h]} on duty): P(wait)", reps[:, h],
                             float(theory.p_wait[h]), confidence, detail))
    return out


#: Interval checks in this module (for the suite's Bonferroni correction).
INTERVAL_CHECKS = 2 * len(GROUPS) + len(VARYING_HOURS) + len(SHIFT_HOURS)

__all__ = ["INTERVAL_CHECKS", "group_checks", "groups_scenario", "shift_checks", "shift_scenario",
           "varying_checks", "varying_scenario"]

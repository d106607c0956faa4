"""The week a call log shows: opening hours per weekday, demand by weekday and hour, skill groups and shifts.

These are what calibrate writes as ``center.opening``, ``demand.weekday_profile`` (with a
24-hour ``demand.intraday_profile``) and ``center.staff`` (:mod:`incentsim.scenario.staffing`).

**Demand by weekday and hour.** New calls (each weighted by the chance it is not a repeat,
:mod:`~incentsim.calibration.arrivals`) are counted per weekday ``w`` and clock hour ``h``;
the engine's rate is ``calls_per_hour * weekday[w] * intraday[h]`` (rescaled), so both
profiles are the maximum-likelihood estimates of the Poisson model
``n[w, h] ~ Poisson(a[w] * b[h] * days[w, h])``, ``days[w, h]`` the working days of
weekday ``w`` open in hour ``h``; iterative proportional fitting solves it (a log-linear
model of independence with structural zeros, Bishop, Fienberg & Holland, *Discrete
Multivariate Analysis*, 1975, ch. 3). With every weekday open the same hours it is the
plain ratio of margins.

**Skill groups.** An agent's skill set is the call types they hold
(:func:`~incentsim.calibration.agents.skills`: at least 5 and 1% of their calls; an agent
holding none holds the type they took most); agents with the same set are one group. A
call type no group holds goes to the group that answered most of it.

**Shifts.** For each group, weekday and opening hour, the mean number of the group's agents
*serving* (answering at least one call in the hour, a lower bound in quiet hours:
:mod:`~incentsim.calibration.agents`), rounded to whole agents, is the number on duty the
scenario asks for. The schedule becomes staffing lines by layers: for ``k = 1, 2, ...``
each run of consecutive hours with at least ``k`` agents on a weekday is one agent's
shift; equal shifts on different weekdays are one line over those ``days``. The lines'
agents add up to ``center.tier1_agents``: the seats needed so that the schedule is met
every hour without anyone working two shifts (an agent who in reality works five days of
seven is, in the engine, two seats sharing a week: what the engine needs is who is on
duty when).

**When the week is written.** A log from a centre that works every day alike, one pool of
agents all day, gets the scenario calibrate wrote before (one day shape, every seat on
duty while open), so a plain centre's scenario stays as simple as it is. The week is
written when the log shows any of:

* more than one skill group;
* opening hours that differ between weekdays;
* a weekday whose demand per opening hour differs from the mean by more than
  :data:`WEEKDAY_DIFFERENCE` (assumption: day-to-day luck of a few weeks of data stays
  within it; plausible 0.1 to 0.25);
* a staffing schedule whose hours differ by more than :data:`STAFF_DIFFERENCE` agents and
  :data:`STAFF_SHARE` of the mean (assumption: rounding and quiet-hour undercounting stay
  within it).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from incentsim.calibration.agents import Skills
from incentsim.calibration.calendar import Calendar
from incentsim.scenario.staffing import WEEKDAYS

__all__ = ["STAFF_DIFFERENCE", "STAFF_SHARE", "WEEKDAY_DIFFERENCE", "Week", "demand_profiles", "describe_plan",
           "read_week", "shift_lines"]

#: Relative difference of a weekday's demand per opening hour that makes calibrate write the weekday profile.
WEEKDAY_DIFFERENCE = 0.15
#: Agents by which the staffing of two opening hours must differ for calibrate to write shifts ...
STAFF_DIFFERENCE = 2.0
#: ... and the share of the mean staffing they must also exceed.
STAFF_SHARE = 0.2

@dataclass(frozen=True)
class Week:
    """What the log shows of the centre's week.

    Attributes:
        opening: Opening hours per weekday, ``{"Mon": [8.0, 18.0], ...}`` (open weekdays only).
        intraday: Relative new-call rate per clock hour (24 entries, mean 1 over the
            opening hours of a week; 0 in hours never open).
        weekday: Relative new-call rate per opening hour of each weekday (7 entries,
            Monday first, mean 1 over open weekdays; 0 when closed).
        groups: Skill set (call types, sorted) of each group, largest group first.
        agent_group: Each agent's group (index into ``groups``).
        schedule: Per group, mean agents serving by weekday (7 rows) and clock hour (24
            columns); NaN where the centre is closed.
        reasons: Why the week is written (empty: it is not).
    """

    opening: dict[str, list[float]]
    intraday: np.ndarray
    weekday: np.ndarray
    groups: list[tuple[str, ...]]
    agent_group: pd.Series
    schedule: list[np.ndarray]
    reasons: list[str] = field(default_factory=list)

    @property
    def written(self) -> bool:
        """Whether calibrate writes the week into the scenario."""
        return bool(self.reasons)

    @property
    def staffed(self) -> bool:
        """Whether calibrate writes a staffing plan (``center.staff``)."""
        return any(r.startswith(("skill groups", "staffing")) for r in self.reasons)

    def plan(self, scale: float = 1.0, types: tuple[str, ...] = ()) -> list[dict[str, object]]:
        """The staffing lines of the schedule scaled by ``scale`` (``center.staff``)."""
        grids = [np.floor(np.nan_to_num(s) * scale + 0.5).astype(np.int64) for s in self.schedule]
        return shift_lines(grids, self.groups, types)


def demand_profiles(day_hour: np.ndarray, exposure: np.ndarray, iterations: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Weekday and hourly factors of ``day_hour ~ Poisson(a[w] b[h] exposure[w, h])`` (module docs).

    Returns ``(a, b)`` scaled so that the exposure-weighted mean of ``a[w] b[h]`` is 1 and the
    exposure-weighted mean of ``b`` is 1; 0 where there is no exposure.
    """
    a = np.where(exposure.sum(axis=1) > 0, 1.0, 0.0)
    b = np.where(exposure.sum(axis=0) > 0, 1.0, 0.0)
    for _ in range(iterations):
        denom_b = (a[:, None] * exposure).sum(axis=0)
        b = np.divide(day_hour.sum(axis=0), denom_b, out=np.zeros_like(b), where=denom_b > 0)
        denom_a = (b[None, :] * exposure).sum(axis=1)
        a_new = np.divide(day_hour.sum(axis=1), denom_a, out=np.zeros_like(a), where=denom_a > 0)
        if np.allclose(a_new, a, rtol=1e-10, atol=0):
            a = a_new
            break
        a = a_new
    hours = exposure.sum(axis=0)
    b_mean = float((b * hours).sum() / hours.sum()) if hours.sum() else 1.0
    if b_mean > 0:
        b, a = b / b_mean, a * b_mean
    rate = float((a[:, None] * b[None, :] * exposure).sum() / exposure.sum()) if exposure.sum() else 1.0
    if rate > 0:
        a = a / rate
    return a, b


def _groups(skill: Skills) -> tuple[list[tuple[str, ...]], pd.Series]:
    holds = skill.holds.copy()
    counts = skill.counts
    none = ~holds.any(axis=1)
    for agent in holds.index[none]:
        holds.loc[agent, counts.loc[agent].idxmax()] = True
    sets = holds.apply(lambda row: tuple(sorted(c for c in holds.columns if row[c])), axis=1)
    missing = [c for c in holds.columns if not holds[c].any()]
    if missing:  # a type nobody holds goes to the group that answered most of it
        for kind in missing:
            by_set = counts[kind].groupby(sets).sum()
            target = by_set.idxmax()
            sets = sets.map(lambda s, t=target, k=kind: tuple(sorted((*s, k))) if s == t else s)
    order = sets.value_counts()
    groups = sorted(order.index, key=lambda s: (-order[s], s))
    index = {g: i for i, g in enumerate(groups)}
    return list(groups), sets.map(index)


def _schedule(log: pd.DataFrame, calendar: Calendar, agent_group: pd.Series, n_groups: int) -> list[np.ndarray]:
    answered = log.loc[log["answered"]]
    # To the millisecond: a call answered at the next opening (the engine carries the queue
    # over the night) is stamped at the closing instant, which float rounding can put just before it.
    answer = (answered["arrival"] + pd.to_timedelta(answered["wait_seconds"], unit="s")).dt.round("ms")
    day = calendar.day_index(answer)
    hour = answer.dt.hour.to_numpy()
    weekday = calendar.days.day_of_week.to_numpy()
    open_at = np.array([calendar.span(int(w))[0] for w in weekday])
    close_at = np.array([calendar.span(int(w))[1] for w in weekday])
    inside = day >= 0
    inside[inside] &= (hour[inside] >= open_at[day[inside]]) & (hour[inside] < close_at[day[inside]])
    group = agent_group.reindex(answered["agent"].to_numpy()).to_numpy()
    frame = pd.DataFrame({"day": day[inside], "hour": hour[inside], "group": group[inside],
                          "agent": answered["agent"].to_numpy()[inside]}).dropna(subset=["group"])
    serving = frame.groupby(["group", "day", "hour"])["agent"].nunique()
    out = []
    days_of = np.bincount(weekday, minlength=7).astype(float)
    for g in range(n_groups):
        grid = np.zeros((7, 24))
        if g in serving.index.get_level_values(0):
            mine = serving.xs(g, level=0)
            d = mine.index.get_level_values(0).to_numpy()
            h = mine.index.get_level_values(1).to_numpy()
            np.add.at(grid, (weekday[d], h), mine.to_numpy(dtype=float))
        grid = np.divide(grid, days_of[:, None], out=np.zeros_like(grid), where=days_of[:, None] > 0)
        for w in range(7):
            lo, hi = calendar.spans.get(w, (0, 0)) if days_of[w] else (0, 0)
            grid[w, :lo] = np.nan
            grid[w, hi:] = np.nan
        out.append(grid)
    return out


def read_week(log: pd.DataFrame, calendar: Calendar, new_weight: np.ndarray, skill: Skills) -> Week:
    """The week a checked log shows (module documentation)."""
    weekday_of_day = calendar.days.day_of_week.to_numpy()
    exposure = np.zeros((7, 24))
    for w in range(7):
        n = int((weekday_of_day == w).sum())
        if n:
            lo, hi = calendar.span(w)
            exposure[w, lo:hi] = n
    day = calendar.day_index(log["arrival"])
    hour = log["arrival"].dt.hour.to_numpy()
    ok = day >= 0
    w_of = weekday_of_day[np.maximum(day, 0)]
    open_at = np.array([calendar.span(w)[0] for w in range(7)])[w_of]
    close_at = np.array([calendar.span(w)[1] for w in range(7)])[w_of]
    hour = np.clip(hour, open_at, close_at - 1)  # outside hours count in the nearest opening hour
    day_hour = np.zeros((7, 24))
    np.add.at(day_hour, (w_of[ok], hour[ok]), new_weight[ok])
    a, b = demand_profiles(day_hour, exposure)
    groups, agent_group = _groups(skill)
    schedule = _schedule(log, calendar, agent_group, len(groups))
    opening = calendar.opening()
    reasons = []
    if len(groups) > 1:
        reasons.append(f"skill groups: {len(groups)} sets of call types held ("
                       + "; ".join("+".join(g) for g in groups) + ")")
    if len(set(calendar.spans.values())) > 1:
        reasons.append("opening hours differ between weekdays")
    open_days = a[a > 0]
    if open_days.size > 1 and float(np.max(np.abs(open_days - 1.0))) > WEEKDAY_DIFFERENCE:
        reasons.append(f"a weekday's demand per opening hour differs from the mean by more than "
                       f"{WEEKDAY_DIFFERENCE:.0%}")
    total = np.nansum(np.stack(schedule), axis=0) if schedule else np.zeros((7, 24))
    total = np.where(np.isnan(schedule[0]), np.nan, total) if schedule else total
    values = total[np.isfinite(total)]
    if values.size:
        rounded = np.floor(values + 0.5)
        spread = float(rounded.max() - rounded.min())
        if spread > STAFF_DIFFERENCE and spread > STAFF_SHARE * float(values.mean()):
            reasons.append(f"staffing differs between opening hours ({rounded.min():.0f} to {rounded.max():.0f} "
                           f"agents serving)")
    return Week(opening=opening, intraday=b, weekday=a, groups=groups, agent_group=agent_group,
                schedule=schedule, reasons=reasons)


def _runs(row: np.ndarray, level: int) -> list[tuple[int, int]]:
    """``(start, hours)`` of each run of consecutive hours with at least ``level`` agents."""
    out, start = [], None
    for h in range(len(row) + 1):
        on = h < len(row) and row[h] >= level
        if on and start is None:
            start = h
        elif not on and start is not None:
            out.append((start, h - start))
            start = None
    return out


def shift_lines(grids: list[np.ndarray], groups: list[tuple[str, ...]],
                types: tuple[str, ...] = ()) -> list[dict[str, object]]:
    """Staffing lines (``center.staff``) meeting whole-agent schedules by weekday and clock hour (module docs).

    Args:
        grids: Per group, agents on duty by weekday (7 rows) and clock hour (24 columns).
        groups: Each group's call types.
        types: Every call type of the scenario: a group holding all of them gets ``skills = []``.
    """
    lines: list[dict[str, object]] = []
    for grid, skills in zip(grids, groups, strict=True):
        shifts: Counter[tuple[int, int, int]] = Counter()
        for w in range(7):
            row = grid[w]
            for level in range(1, int(row.max(initial=0)) + 1):
                for start, hours in _runs(row, level):
                    shifts[(w, start, hours)] += 1
        by_shift: defaultdict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * 7)
        for (w, start, hours), n in shifts.items():
            by_shift[(start, hours)][w] += n
        held = [] if types and set(skills) == set(types) else list(skills)
        name = ("+".join(skills) if held else "all")[:40]
        for (start, hours), counts in sorted(by_shift.items()):
            seats: Counter[tuple[int, ...]] = Counter()
            for level in range(1, max(counts) + 1):
                seats[tuple(w for w in range(7) if counts[w] >= level)] += 1
            for days, n in sorted(seats.items()):
                lines.append({"name": name, "agents": n, "skills": held, "days": [WEEKDAYS[w] for w in days],
                              "start": float(start), "hours": float(hours)})
    return lines


def describe_plan(lines: list[dict[str, object]]) -> list[str]:
    """One line of text per staffing line."""
    out = []
    for line in lines:
        start, hours = float(line["start"]), float(line["hours"])  # type: ignore[arg-type]
        days = line["days"] or ["every day"]
        out.append(f"{line['agents']} x {line['name']}: {','.join(days)} "  # type: ignore[arg-type]
                   f"{math.floor(start):02d}:00-{math.floor(start + hours) % 24:02d}:00")
    return out

"""Seats, skill groups, teams and duty intervals from the staffing plan (``center.staff``).

Seats are numbered line by line through ``center.staff`` (one line holding every
seat when it is empty). Agents holding the same set of call types form a *skill
group* (groups in order of first appearance); teams of ``center.team_size`` are
formed within each group, in seat order, so a team shares one mix of calls and a
team bonus compares like with like. Without a staffing plan there is one group
and teams are consecutive seats, as before skills existed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from incentsim.engine.clock import WorkingClock, overlap
from incentsim.scenario import Scenario
from incentsim.scenario.staffing import Staff


@dataclass(frozen=True)
class SeatPlan:
    """Who sits where, takes what and works when.

    Attributes:
        line: Staffing line of each seat.
        group: Skill group of each seat.
        team: Team of each seat.
        group_types: Call-type indices each group takes.
        type_groups: Groups taking each call type.
        duty: On-duty intervals of each line (rows ``[begin, end)``, working minutes).
        always: Whether every line is on duty over the whole horizon (no shift events).
    """

    line: np.ndarray
    group: np.ndarray
    team: np.ndarray
    group_types: tuple[tuple[int, ...], ...]
    type_groups: tuple[tuple[int, ...], ...]
    duty: tuple[np.ndarray, ...]
    always: bool

    @classmethod
    def from_scenario(cls, scenario: Scenario, clock: WorkingClock) -> SeatPlan:
        """Build the plan of a scenario."""
        c = scenario.center
        names = [ct.name for ct in scenario.demand.call_types]
        lines = c.staff or (Staff(agents=c.tier1_agents),)
        skill_sets: list[tuple[int, ...]] = []
        line_of_seat, group_of_seat = [], []
        for k, entry in enumerate(lines):
            skills = tuple(sorted(names.index(s) for s in entry.skills)) if entry.skills else tuple(
                range(len(names)))
            if skills not in skill_sets:
                skill_sets.append(skills)
            line_of_seat += [k] * entry.agents
            group_of_seat += [skill_sets.index(skills)] * entry.agents
        group = np.asarray(group_of_seat, dtype=np.int64)
        team = np.empty(group.size, dtype=np.int64)
        next_team = 0
        for g in range(len(skill_sets)):
            seats = np.flatnonzero(group == g)
            team[seats] = next_team + np.arange(seats.size) // c.team_size
            next_team += -(-seats.size // c.team_size)
        duty = tuple(clock.duty(entry.days, entry.start, entry.hours) for entry in lines)
        always = all(d.shape[0] == 1 and d[0, 0] <= 0.0 and d[0, 1] >= clock.horizon for d in duty)
        type_groups = tuple(tuple(g for g, types in enumerate(skill_sets) if t in types)
                            for t in range(len(names)))
        return cls(line=np.asarray(line_of_seat, dtype=np.int64), group=group, team=team,
                   group_types=tuple(skill_sets), type_groups=type_groups, duty=duty, always=always)

    @property
    def seats(self) -> int:
        """Number of seats."""
        return int(self.line.size)

    def duty_minutes(self, begin: float, end: float) -> np.ndarray:
        """Minutes each seat is on duty within ``[begin, end)``."""
        per_line = np.array([overlap(d, begin, end) for d in self.duty])
        return per_line[self.line]

    def transitions(self, begin: float, end: float) -> list[tuple[float, int, bool]]:
        """Shift starts and ends in ``[begin, end)``: ``(time, line, on)``, in time order (ends first on ties)."""
        out = []
        for k, d in enumerate(self.duty):
            for a, b in d.tolist():
                if begin <= a < end:
                    out.append((a, k, True))
                if begin <= b < end:
                    out.append((b, k, False))
        out.sort(key=lambda x: (x[0], x[2]))
        return out

    def on_duty(self, t: float) -> np.ndarray:
        """Whether each seat is on duty at working minute ``t``."""
        per_line = np.array([bool(((d[:, 0] <= t) & (t < d[:, 1])).any()) if d.size else False
                             for d in self.duty])
        return per_line[self.line]


__all__ = ["SeatPlan"]

"""The call centre's people and seats: who sits where, how fast and well they work, what a review changes.

:class:`Center` holds the seats and the agents in them (skill, learning,
coaching, vacancies), the conduct plan in force and the process factors, and
turns them into the per-seat effects the hot path reads
(:class:`~incentsim.engine.switchboard.Switchboard`). At a review the engine
applies the review's decisions in one step (:meth:`Center.apply`): coaching,
vacancies, process factors, time off the phones and the conduct plan for the
next period.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field

import numpy as np
import simpy

from incentsim.behaviour.conduct import ConductPlan
from incentsim.behaviour.perception import Roster
from incentsim.behaviour.process import ProcessState
from incentsim.engine.clock import WorkingClock
from incentsim.engine.seats import SeatPlan
from incentsim.engine.switchboard import Switchboard
from incentsim.random import Streams
from incentsim.scenario import Scenario

#: Agents per block of individual-effect draws (drawn by agent id: common random numbers).
SKILL_BLOCK = 1024


@dataclass
class Decisions:
    """What a review changes in the centre, applied at once by :meth:`Center.apply`.

    Attributes:
        coaching: Agents coached (part of a below-average skill gap closes).
        leaving: Seats whose agent quit or was fired (a green hire follows after the lag).
        process: Process factors from now on.
        plan: Conduct plan per seat for the next period (``None``: keep the current one).
        off_phones: Minutes each seat spends off the phones next period (coaching,
            process work), in one session.
    """

    coaching: frozenset[int] = frozenset()
    leaving: Sequence[int] = ()
    process: ProcessState = field(default_factory=ProcessState)
    plan: ConductPlan | None = None
    off_phones: Sequence[float] = ()


class Center:
    """Live state of one replication's people and seats.

    Args:
        env: The simpy environment.
        scenario: The scenario.
        streams: The replication's random streams.
    """

    def __init__(self, env: simpy.Environment, scenario: Scenario, streams: Streams) -> None:
        self.env = env
        self.scenario = scenario
        self.streams = streams
        c = scenario.center
        self.clock = WorkingClock(scenario)
        self.seats = SeatPlan.from_scenario(scenario, self.clock)
        self.calls = Switchboard(env, scenario, streams, self.clock, self.seats)
        self.days = self.clock.days
        self.horizon = self.clock.horizon
        self.period = 0

        # Seats and the agents in them; teams are formed within skill groups.
        n = c.tier1_agents
        self.n_seats = n
        self.team_of_seat: list[int] = self.seats.team.tolist()
        self.seat_agent = self.calls.seat_agent
        self.next_agent = n
        self.hired_day: list[float] = [-scenario.people.initial_tenure_days] * n
        self._skill_speed: list[float] = []
        self._skill_quality: list[float] = []
        self._ensure_agents(n)

        # Process state (improved by management) and per-seat conduct.
        self.ht_factor = 1.0
        self.plan = ConductPlan.neutral(n)
        self.learning_moves = scenario.people.new_hire_speed != 1.0 or scenario.people.new_hire_quality != 0.0

    # ------------------------------------------------------------ people
    def _ensure_agents(self, count: int) -> None:
        p = self.scenario.people
        while len(self._skill_speed) < count:
            block = len(self._skill_speed) // SKILL_BLOCK
            z = self.streams.generator("people", block).standard_normal((SKILL_BLOCK, 2))
            self._skill_speed.extend(np.exp(p.speed_sd * z[:, 0]).tolist())
            self._skill_quality.extend((p.quality_sd * z[:, 1]).tolist())

    def skill(self, agent: int) -> tuple[float, float]:
        """Handle-time multiplier and resolution-chance shift of an agent's own skill."""
        return self._skill_speed[agent], self._skill_quality[agent]

    def coach(self, agent: int) -> None:
        """Close part of a coached agent's below-average skill gap."""
        self._skill_speed[agent], self._skill_quality[agent] = self.coached_skill(agent)

    def coached_skill(self, agent: int) -> tuple[float, float]:
        """An agent's skill after a coaching session (below-average parts move toward average)."""
        k = 1.0 - self.scenario.people.coaching_effect
        speed, quality = self._skill_speed[agent], self._skill_quality[agent]
        return (speed**k if speed > 1.0 else speed), (quality * k if quality < 0.0 else quality)

    def learning(self, tenure_days: float) -> tuple[float, float]:
        """Handle-time multiplier and resolution shift of a hire's learning at a tenure."""
        p = self.scenario.people
        gap = math.exp(-max(0.0, tenure_days) / p.learning_days)
        return 1.0 + (p.new_hire_speed - 1.0) * gap, p.new_hire_quality * gap

    def productivity(self, agent: int) -> float:
        """True productivity in standard deviations of the centre's skill spread (0 if people do not differ).

        The mean of the standardised speed (faster is better) and quality effects
        that have a spread, rescaled to unit variance.
        """
        p = self.scenario.people
        parts = []
        if p.speed_sd > 0:
            parts.append(-math.log(self._skill_speed[agent]) / p.speed_sd)
        if p.quality_sd > 0:
            parts.append(self._skill_quality[agent] / p.quality_sd)
        return sum(parts) / math.sqrt(len(parts)) if parts else 0.0

    def tenure_days(self, seat: int, now: float) -> float:
        """Working days the seat's agent has been on the job at ``now``."""
        return max(0.0, self.clock.day_position(now) - self.hired_day[seat])

    def hired_at(self, seat: int) -> float:
        """Working minute the seat's agent started (before 0 for the starting staff)."""
        position = self.hired_day[seat]
        if position < 0:
            return position * float(self.clock.day_start[1])
        return self.clock.after_days(0.0, position)

    def replace_agent(self, seat: int, now: float) -> int:
        """The seat's agent leaves now; a green hire arrives after the hiring lag."""
        lag = self.scenario.people.hiring_lag_days
        new = self.next_agent
        self.next_agent += 1
        self._ensure_agents(self.next_agent)
        self.seat_agent[seat] = new
        self.hired_day[seat] = self.clock.day_position(now) + lag
        self.calls.hold(seat, self.clock.after_days(now, lag))
        return new

    def set_plan(self, plan: ConductPlan) -> None:
        """Put a behaviour plan in force and refresh the per-seat call effects."""
        self.plan = plan
        self.refresh_seats()

    def team_help(self, helping: np.ndarray) -> np.ndarray:
        """Resolution shift per seat from the help of the rest of its team."""
        from incentsim.behaviour.perception import _team_help

        return _team_help(np.asarray(helping, dtype=float), np.asarray(self.team_of_seat),
                          self.scenario.behaviour.conduct.help_resolution)

    def refresh_seats(self) -> None:
        """Recompute per-seat handle-time multipliers, resolution shifts and gaming chances.

        Called at reviews and at each day's start (learning moves daily).
        Helping colleagues costs the helper some time and lifts the rest of
        the team's resolution (``behaviour.conduct.help_time`` and ``help_resolution``).
        """
        cd = self.scenario.behaviour.conduct
        now = self.env.now
        plan = self.plan
        care = np.asarray(plan.care, dtype=float)
        helping = np.asarray(plan.helping, dtype=float)
        speed = np.asarray(plan.speed, dtype=float)
        help_time = 1.0 + cd.help_time * helping
        help_res = self.team_help(helping)
        speed_skill = np.array([self._skill_speed[a] for a in self.seat_agent])
        quality = np.array([self._skill_quality[a] for a in self.seat_agent])
        learned = [self.learning(self.tenure_days(s, now)) for s in range(self.n_seats)]
        learn_speed = np.array([x[0] for x in learned])
        learn_quality = np.array([x[1] for x in learned])
        calls = self.calls
        calls.ht_mult[:] = (speed_skill * learn_speed * speed * self.ht_factor * help_time
                            * np.maximum(0.05, 1.0 + cd.care_time * (care - 1.0))).tolist()
        calls.res_shift[:] = (quality + learn_quality + cd.care_resolution * (care - 1.0) + help_res).tolist()
        calls.rush[:] = np.asarray(plan.rush, dtype=float).tolist()
        calls.dump[:] = (np.asarray(plan.dump, dtype=float) if calls.has_tier2
                         else np.zeros(self.n_seats)).tolist()

    # ------------------------------------------------------------ reviews
    def duty_minutes(self, begin: float, end: float) -> np.ndarray:
        """Minutes each seat is on duty within ``[begin, end)``."""
        return self.seats.duty_minutes(begin, end)

    def roster_after(self, decisions: Decisions, period: int) -> Roster:
        """Who will work in ``period`` once ``decisions`` apply, with their skill (nothing changes).

        Args:
            decisions: The review's decisions (coaching and leaving are used).
            period: The period coming.
        """
        now = self.env.now
        start_p, until = self.clock.period_bounds(period)
        span = max(until - start_p, 1e-9)
        lag = self.scenario.people.hiring_lag_days
        leaving = set(decisions.leaving)
        off = list(decisions.off_phones) or [0.0] * self.n_seats
        n = self.n_seats
        agent = np.empty(n, dtype=np.int64)
        tenure = np.empty(n)
        available = np.empty(n)
        ht_mult = np.empty(n)
        res_shift = np.empty(n)
        next_id = self.next_agent
        end_day = self.clock.day_position(until) if until < self.horizon else float(self.clock.days)
        for s in range(n):
            if s in leaving:
                a, start, hired = next_id, self.clock.after_days(now, lag), self.clock.day_position(now) + lag
                next_id += 1
                self._ensure_agents(next_id)
                sp, q = self.skill(a)
            else:
                a = self.seat_agent[s]
                start, hired = max(self.calls.available_from[s], now), self.hired_day[s]
                sp, q = self.coached_skill(a) if a in decisions.coaching else self.skill(a)
            begin = max(start_p, start)
            on = max(0.0, (self.seats.duty_minutes(begin, until)[s] if begin < until else 0.0) - off[s])
            mid = (self.clock.day_position(begin) + end_day) / 2.0 if begin < until else end_day
            learn_speed, learn_quality = self.learning(mid - hired)
            agent[s], available[s] = a, on / span
            tenure[s] = max(0.0, end_day - hired)
            ht_mult[s], res_shift[s] = sp * learn_speed, q + learn_quality
        return Roster(agent=agent, team=np.asarray(self.team_of_seat, dtype=np.int64), tenure_days=tenure,
                      available=available, ht_mult=ht_mult, res_shift=res_shift)

    def apply(self, decisions: Decisions, period: int) -> None:
        """Apply a review's decisions for ``period``: coaching, vacancies, process, time off, conduct."""
        for agent in sorted(decisions.coaching):
            self.coach(agent)
        now = self.env.now
        for seat in sorted(decisions.leaving):
            self.replace_agent(seat, now)
        process = decisions.process
        calls = self.calls
        self.ht_factor = calls.ht_factor = process.handle_time_factor
        calls.escalation_factor = process.escalation_factor
        calls.defect_factor = process.defect_factor
        calls.laws.set_variation(process.variation_factor)
        for seat, minutes in enumerate(decisions.off_phones):
            if minutes > 0:
                self._schedule_off_phones(seat, minutes, period)
        if decisions.plan is not None:
            self.plan = decisions.plan
        self.refresh_seats()
        calls.set_conduct(period, np.asarray(self.plan.care, dtype=float), np.asarray(self.plan.beg, dtype=float))

    def _schedule_off_phones(self, seat: int, minutes: float, period: int) -> None:
        """Take a seat off the phones for ``minutes`` once during ``period``.

        Sessions are spread over the period's days by seat, a quarter into the
        day, so the whole team is never off at once; an agent on a call
        finishes it first.
        """
        days = self.clock.period_days(period)
        day = days.start + min(len(days) - 1, int((seat + 0.5) / max(1, self.n_seats) * len(days)))
        day_start = float(self.clock.day_start[day])
        at = day_start + 0.25 * (float(self.clock.day_start[day + 1]) - day_start)
        event = self.env.timeout(max(0.0, at - self.env.now))
        calls = self.calls

        def off(_event: simpy.Event) -> None:
            calls.hold(seat, max(calls.available_from[seat], self.env.now) + minutes)

        event.callbacks.append(off)

    # ------------------------------------------------------------ days
    def days_process(self) -> Generator[simpy.Event, object, None]:
        """Each working day's start: learning moves on (only when new hires differ)."""
        if not self.learning_moves:
            return
        for day in range(1, self.days):
            start = float(self.clock.day_start[day])
            if self.env.now < start:
                yield self.env.timeout(start - self.env.now)
            self.refresh_seats()


__all__ = ["Center", "Decisions"]

"""The call centre's live state and what happens to a call at each step.

:class:`Center` holds the queues, the seats and the per-agent effects; the simpy
processes in :mod:`incentsim.engine.processes` move calls through it. The queue is
FIFO with *lazy abandonment*: a waiting caller whose patience has run out is
dropped (as abandoned at ``arrival + patience``) when an agent next looks at the
queue. That is exact for FIFO service, because a caller abandons if and only if
no agent reached them within their patience, and it needs no process per caller.
Routing is "next free agent takes the next call" (the longest-idle agent first),
so which calls an agent gets is chance.

Every call that closes (abandoned, or finished at tier 1 or tier 2) joins
:attr:`Center.closed`, so that the review measures each call exactly once, in
the period it closed. At a review the engine applies the review's decisions in
one step (:meth:`Center.apply`): coaching, vacancies, process factors, time
off the phones and the conduct plan for the next period.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import simpy

from incentsim.behaviour.conduct import ConductPlan
from incentsim.behaviour.perception import Roster
from incentsim.behaviour.process import ProcessState
from incentsim.engine.arrivals import build_schedule
from incentsim.engine.draws import CallDraws
from incentsim.engine.records import (
    NO_AGENT,
    TIER2,
    TRANSFER_DUMP,
    TRANSFER_ESCALATION,
    TRANSFER_NONE,
    CallRecords,
)
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
            process work), spread over the period.
    """

    coaching: frozenset[int] = frozenset()
    leaving: Sequence[int] = ()
    process: ProcessState = field(default_factory=ProcessState)
    plan: ConductPlan | None = None
    off_phones: Sequence[float] = ()


class Center:
    """Live state of one replication.

    Args:
        env: The simpy environment.
        scenario: The scenario.
        streams: The replication's random streams.
    """

    # Columns and draws the per-call code reads, bound by ``_cache_hot_path``.
    c_answered: list[Any]
    c_wait_time: list[Any]
    c_answer_time: list[Any]
    c_agent: list[Any]
    c_seat: list[Any]
    c_handle_time: list[Any]
    c_transfer: list[Any]
    c_rushed: list[Any]
    c_begged: list[Any]
    c_care: list[Any]
    c_upset: list[Any]
    c_resolved: list[Any]
    c_survey_agent: list[Any]
    c_day: list[Any]
    c_defect_day: list[Any]
    c_call_type: list[Any]
    c_repeat_of: list[Any]
    u_rush: list[float]
    u_dump: list[float]
    u_beg: list[float]
    u_esc: list[float]
    u_res: list[float]

    def __init__(self, env: simpy.Environment, scenario: Scenario, streams: Streams) -> None:
        self.env = env
        self.scenario = scenario
        self.streams = streams
        c = scenario.center
        self.day_len = c.hours_per_day * 60.0
        self.days = c.days_per_month * c.months
        self.period_len = self.day_len * c.days_per_month
        self.horizon = self.day_len * self.days

        self.schedule = build_schedule(scenario, streams)
        self.draws = CallDraws(scenario, streams, self.schedule.size, self.schedule.call_type)
        self.rec = CallRecords(self.draws.capacity)
        cols = self.rec.columns
        n_new = self.schedule.size
        cols["arrival_time"][:n_new] = self.schedule.time.tolist()
        cols["customer_id"][:n_new] = self.schedule.customer.tolist()
        cols["call_type"][:n_new] = self.schedule.call_type.tolist()
        self.next_call = n_new
        # Arrival time per call number: drawn for new calls, set when a repeat is scheduled,
        # and overwritten with the clock's value on arrival. The record column itself.
        self.times: list[float] = cols["arrival_time"]

        types = scenario.demand.call_types
        self.type_resolution = [ct.resolution for ct in types]
        self.type_escalation = [ct.escalation for ct in types]
        self.type_upset = [ct.upset for ct in types]
        self.upset0: list[float] = [0.0] * self.draws.capacity

        # Daily system state.
        self.defect_u = streams.generator("defects").random(self.days).tolist()
        self.defect_days: list[bool] = [False] * self.days
        self.today = 0
        self.today_defect = False

        # Queues: (call number) for tier 1; tier 2 likewise.
        self.queue: deque[int] = deque()
        self.idle: deque[tuple[int, simpy.Event]] = deque()
        self.t2_queue: deque[int] = deque()
        self.t2_idle: deque[simpy.Event] = deque()
        self.has_tier2 = c.tier2_agents > 0
        # Time each transferred call joined the tier-2 queue.
        self.times_t2: dict[int, float] = {}

        # Seats and the agents in them; seats are grouped in order into teams.
        n = c.tier1_agents
        self.n_seats = n
        self.team_of_seat: list[int] = [s // c.team_size for s in range(n)]
        self.seat_agent: list[int] = list(range(n))
        self.next_agent = n
        self.available_from: list[float] = [0.0] * n
        self.hired_at: list[float] = [-scenario.people.initial_tenure_days * self.day_len] * n
        self.seat_event: list[simpy.Event | None] = [None] * n
        self._skill_speed: list[float] = []
        self._skill_quality: list[float] = []
        self.busy: list[float] = []
        self._ensure_agents(n)

        # Process state (improved by management) and per-seat conduct.
        self.ht_factor = 1.0
        self.escalation_factor = 1.0
        self.defect_factor = 1.0
        self.plan = ConductPlan.neutral(n)
        # Calls closed since the last review, in closing order.
        self.closed: list[int] = []
        self.ht_mult: list[float] = [1.0] * n
        self.res_shift: list[float] = [0.0] * n
        self.care: list[float] = [1.0] * n
        self.rush: list[float] = [0.0] * n
        self.dump: list[float] = [0.0] * n
        self.beg: list[float] = [0.0] * n
        self.refresh_seats()
        self._cache_hot_path()

    def _cache_hot_path(self) -> None:
        """Bind the columns and constants the per-call code reads to attributes (fewer lookups)."""
        sc = self.scenario
        cd = sc.behaviour.conduct
        self.days_per_period = sc.center.days_per_month
        self.defect_upset = sc.system.defect_upset
        self.defect_complexity = sc.system.defect_complexity
        self.defect_escalation = sc.system.defect_escalation
        self.patience_upset = sc.customers.patience_upset
        self.rush_time = cd.rush_time_factor
        self.rush_resolution = cd.rush_resolution_factor
        self.dump_threshold = cd.dump_threshold
        self.dump_time = cd.dump_handle_time
        cols = self.rec.columns
        for name in ("answered", "wait_time", "answer_time", "agent", "seat", "handle_time", "transfer",
                     "rushed", "begged", "care", "upset", "resolved", "survey_agent", "day",
                     "defect_day", "call_type", "repeat_of"):
            setattr(self, "c_" + name, cols[name])
        d = self.draws.cols
        self.u_rush, self.u_dump, self.u_beg = d["u_rush"], d["u_dump"], d["u_beg"]
        self.u_esc, self.u_res = d["u_esc"], d["u_res"]

    # ------------------------------------------------------------ people
    def _ensure_agents(self, count: int) -> None:
        p = self.scenario.people
        while len(self._skill_speed) < count:
            block = len(self._skill_speed) // SKILL_BLOCK
            z = self.streams.generator("people", block).standard_normal((SKILL_BLOCK, 2))
            self._skill_speed.extend(np.exp(p.speed_sd * z[:, 0]).tolist())
            self._skill_quality.extend((p.quality_sd * z[:, 1]).tolist())
            self.busy.extend([0.0] * SKILL_BLOCK)

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
        return max(0.0, (now - self.hired_at[seat]) / self.day_len)

    def replace_agent(self, seat: int, now: float) -> int:
        """The seat's agent leaves now; a green hire arrives after the hiring lag."""
        lag = self.scenario.people.hiring_lag_days * self.day_len
        new = self.next_agent
        self.next_agent += 1
        self._ensure_agents(self.next_agent)
        self.seat_agent[seat] = new
        self.available_from[seat] = now + lag
        self.hired_at[seat] = now + lag
        self._wake(seat)
        return new

    def _wake(self, seat: int) -> None:
        """If the seat is idle in the queue of free agents, take it out and wake its process.

        The process then waits until ``available_from`` before taking calls again.
        """
        ev = self.seat_event[seat]
        if ev is not None:
            self.idle.remove((seat, ev))
            self.seat_event[seat] = None
            ev.succeed(-1)

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
        """Recompute per-seat handle-time multipliers and resolution shifts.

        Called at reviews and at each day's start (learning moves daily).
        Helping colleagues costs the helper some time and lifts the rest of
        the team's resolution (``behaviour.conduct.help_time`` and ``help_resolution``).
        """
        cd = self.scenario.behaviour.conduct
        now = self.env.now
        plan = self.plan
        care = np.asarray(plan.care, dtype=float)
        self.care = care.tolist()
        self.rush = np.asarray(plan.rush, dtype=float).tolist()
        self.dump = (np.asarray(plan.dump, dtype=float) if self.has_tier2
                     else np.zeros(self.n_seats)).tolist()
        self.beg = np.asarray(plan.beg, dtype=float).tolist()
        speed = np.asarray(plan.speed, dtype=float).tolist()
        helping = np.asarray(plan.helping, dtype=float)
        help_time = (1.0 + cd.help_time * helping).tolist()
        help_res = self.team_help(helping).tolist()
        for s in range(self.n_seats):
            sp, q = self.skill(self.seat_agent[s])
            learn_speed, learn_quality = self.learning(self.tenure_days(s, now))
            self.ht_mult[s] = (sp * learn_speed * speed[s] * self.ht_factor * help_time[s]
                               * max(0.05, 1.0 + cd.care_time * (care[s] - 1.0)))
            self.res_shift[s] = q + learn_quality + cd.care_resolution * (care[s] - 1.0) + help_res[s]

    # ------------------------------------------------------------ reviews
    def roster_after(self, decisions: Decisions, until: float) -> Roster:
        """Who will work until ``until`` once ``decisions`` apply, with their skill (nothing changes).

        Args:
            decisions: The review's decisions (coaching and leaving are used).
            until: End of the next period (minutes).
        """
        now = self.env.now
        span = max(until - now, 1e-9)
        lag = self.scenario.people.hiring_lag_days * self.day_len
        leaving = set(decisions.leaving)
        off = list(decisions.off_phones) or [0.0] * self.n_seats
        n = self.n_seats
        agent = np.empty(n, dtype=np.int64)
        tenure = np.empty(n)
        available = np.empty(n)
        ht_mult = np.empty(n)
        res_shift = np.empty(n)
        next_id = self.next_agent
        for s in range(n):
            if s in leaving:
                a, start, hired = next_id, now + lag, now + lag
                next_id += 1
                self._ensure_agents(next_id)
                sp, q = self.skill(a)
            else:
                a, start, hired = self.seat_agent[s], max(self.available_from[s], now), self.hired_at[s]
                sp, q = self.coached_skill(a) if a in decisions.coaching else self.skill(a)
            on = max(0.0, until - start - off[s])
            mid = max(now, start) + 0.5 * max(0.0, until - max(now, start))
            learn_speed, learn_quality = self.learning((mid - hired) / self.day_len)
            agent[s], available[s] = a, on / span
            tenure[s] = max(0.0, (until - hired) / self.day_len)
            ht_mult[s], res_shift[s] = sp * learn_speed, q + learn_quality
        return Roster(agent=agent, team=np.asarray(self.team_of_seat, dtype=np.int64), tenure_days=tenure,
                      available=available, ht_mult=ht_mult, res_shift=res_shift)

    def apply(self, decisions: Decisions) -> None:
        """Apply a review's decisions: coaching, vacancies, process factors, time off, conduct."""
        for agent in sorted(decisions.coaching):
            self.coach(agent)
        now = self.env.now
        for seat in sorted(decisions.leaving):
            self.replace_agent(seat, now)
        process = decisions.process
        self.ht_factor = process.handle_time_factor
        self.escalation_factor = process.escalation_factor
        self.defect_factor = process.defect_factor
        self.draws.set_variation(process.variation_factor)
        for seat, minutes in enumerate(decisions.off_phones):
            if minutes > 0:
                self._schedule_off_phones(seat, minutes)
        if decisions.plan is not None:
            self.set_plan(decisions.plan)
        else:
            self.refresh_seats()

    def _schedule_off_phones(self, seat: int, minutes: float) -> None:
        """Take a seat off the phones for ``minutes`` once during the next period.

        Sessions are spread over the period's days by seat, so the whole team is
        never off at once; an agent on a call finishes it first.
        """
        offset = ((seat + 0.5) / max(1, self.n_seats)) * self.period_len
        offset = math.floor(offset / self.day_len) * self.day_len + 0.25 * self.day_len
        event = self.env.timeout(offset)
        event.callbacks.append(partial(self._off_phones, seat, minutes))

    def _off_phones(self, seat: int, minutes: float, _event: simpy.Event) -> None:
        now = self.env.now
        self.available_from[seat] = max(self.available_from[seat], now) + minutes
        self._wake(seat)

    # ------------------------------------------------------------ calls
    def start_day(self, day: int) -> bool:
        """Open day ``day``: decide whether it is a defect day; learning moves on."""
        p = self.scenario.system.defect_day_probability * self.defect_factor
        defect = self.defect_u[day] < p
        self.defect_days[day] = defect
        self.today = day
        self.today_defect = defect
        if self.scenario.people.new_hire_speed != 1.0 or self.scenario.people.new_hire_quality:
            self.refresh_seats()
        return defect

    def new_index(self) -> int:
        """A fresh call number for a repeat call (grows draws and records)."""
        i = self.next_call
        self.next_call += 1
        if i >= self.draws.capacity:
            self.draws.ensure(i)
            self.rec.grow(self.draws.capacity)
            self.upset0.extend([0.0] * (self.draws.capacity - len(self.upset0)))
        return i

    def arrive(self, i: int) -> None:
        """Call ``i`` arrives now: straight to an idle agent, else to the queue."""
        self.rec.arrived.append(i)
        # The clock's own value: summing timeouts may differ from the drawn time by rounding.
        self.times[i] = self.env._now
        day = self.today
        self.c_day[i] = day
        defect = self.today_defect
        self.c_defect_day[i] = defect
        base = self.upset0[i] if self.c_repeat_of[i] >= 0 else self.type_upset[self.c_call_type[i]]
        if defect:
            base += self.defect_upset
        self.upset0[i] = base if base < 1.0 else 1.0
        if self.idle:
            seat, ev = self.idle.popleft()
            self.seat_event[seat] = None
            ev.succeed(i)
        else:
            self.queue.append(i)

    def take_next(self, now: float) -> int:
        """Next caller still waiting in the tier-1 queue (abandoned ones are recorded and dropped)."""
        queue = self.queue
        patience = self.draws.patience
        times = self.times
        while queue:
            i = queue.popleft()
            if times[i] + patience[i] >= now:
                return i
            self._abandon(i, times[i] + patience[i])
        return -1

    def _abandon(self, i: int, at: float) -> None:
        cols = self.rec.columns
        cols["abandoned"][i] = True
        cols["wait_time"][i] = at - self.times[i]
        cols["end_time"][i] = at
        cols["survey_agent"][i] = NO_AGENT
        self.closed.append(i)
        self._maybe_repeat(i, at, self.upset0[i])

    def serve(self, seat: int, i: int, now: float) -> float:
        """Seat ``seat`` answers call ``i`` now; returns the minutes of this leg.

        The agent's conduct plan decides care, rushing, dumping and begging; the
        call's own draws decide its handle time, escalation and resolution.
        """
        wait = now - self.times[i]
        t = self.c_call_type[i]
        agent = self.seat_agent[seat]
        upset = self.upset0[i] + wait * self.patience_upset
        if upset > 1.0:
            upset = 1.0
        ht = self.draws.base_handle_time[t][i] * self.ht_mult[seat]
        p_res = self.type_resolution[t] + self.res_shift[seat]
        p_esc = self.type_escalation[t] * self.escalation_factor
        if self.c_defect_day[i]:
            ht *= self.defect_complexity
            p_esc *= self.defect_escalation
        rushed = self.u_rush[i] < self.rush[seat]
        if rushed:
            ht *= self.rush_time
            p_res *= self.rush_resolution
        transfer = TRANSFER_NONE
        resolved = False
        if self.u_esc[i] < p_esc:
            # Beyond tier 1: escalate if there is a tier 2, else it stays unresolved.
            if self.has_tier2:
                transfer = TRANSFER_ESCALATION
        elif upset >= self.dump_threshold and self.u_dump[i] < self.dump[seat]:
            transfer = TRANSFER_DUMP
            ht = self.dump_time
        else:
            resolved = self.u_res[i] < p_res
        self.c_answered[i] = True
        self.c_wait_time[i] = wait
        self.c_answer_time[i] = now
        self.c_agent[i] = agent
        self.c_seat[i] = seat
        self.c_handle_time[i] = ht
        self.c_transfer[i] = transfer
        self.c_rushed[i] = rushed
        self.c_begged[i] = transfer != TRANSFER_DUMP and self.u_beg[i] < self.beg[seat]
        self.c_care[i] = self.care[seat]
        self.c_upset[i] = upset
        self.c_resolved[i] = resolved
        self.c_survey_agent[i] = agent if transfer == TRANSFER_NONE else TIER2
        self.busy[agent] += ht
        return ht

    def end_leg(self, i: int, now: float) -> None:
        """Tier-1 leg of call ``i`` ends now: transfer it or close it."""
        if self.c_transfer[i] != TRANSFER_NONE:
            self.upset0[i] = min(1.0, self.c_upset[i] + self.scenario.tier2.transfer_upset)
            self.times_t2[i] = now
            if self.t2_idle:
                self.t2_idle.popleft().succeed(i)
            else:
                self.t2_queue.append(i)
            return
        self.rec.columns["end_time"][i] = now
        self.closed.append(i)
        if not self.c_resolved[i]:
            self._maybe_repeat(i, now, self.c_upset[i])

    # ------------------------------------------------------------ tier 2
    def take_next_t2(self, now: float) -> int:
        """Next transferred caller still waiting for tier 2."""
        queue = self.t2_queue
        while queue:
            i = queue.popleft()
            limit = self._t2_limit(i)
            if limit >= now:
                return i
            self._abandon_t2(i, limit)
        return -1

    def _t2_limit(self, i: int) -> float:
        """When transferred caller ``i`` gives up waiting for tier 2."""
        return self.times_t2[i] + self.draws.patience[i] * self.scenario.tier2.patience_factor

    def _abandon_t2(self, i: int, at: float) -> None:
        cols = self.rec.columns
        cols["tier2_wait"][i] = at - self.times_t2[i]
        cols["end_time"][i] = at
        self.closed.append(i)
        self._maybe_repeat(i, at, self.upset0[i])

    def serve_t2(self, i: int, now: float) -> float:
        """Tier 2 answers call ``i``; returns its handle time."""
        cols = self.rec.columns
        cols["tier2_wait"][i] = now - self.times_t2[i]
        ht = self.draws.t2_handle_time[i] * self.ht_factor
        cols["tier2_handle_time"][i] = ht
        cols["resolved"][i] = self.draws.cols["u_t2_res"][i] < self.scenario.tier2.resolution
        return ht

    def end_t2(self, i: int, now: float) -> None:
        """Tier-2 leg ends: close the call."""
        cols = self.rec.columns
        cols["end_time"][i] = now
        self.closed.append(i)
        if not cols["resolved"][i]:
            self._maybe_repeat(i, now, self.upset0[i])

    # ------------------------------------------------------------ repeats
    def _maybe_repeat(self, i: int, at: float, upset: float) -> None:
        """An unresolved call may come back as a repeat call (failure demand)."""
        cust = self.scenario.customers
        if self.draws.cols["u_repeat"][i] >= cust.repeat_chance:
            return
        when = at + self.draws.repeat_delay[i]
        if when >= self.horizon:
            return
        k = self.new_index()
        cols = self.rec.columns
        cols["came_back"][i] = True
        cols["customer_id"][k] = cols["customer_id"][i]
        cols["call_type"][k] = cols["call_type"][i]
        cols["repeat_of"][k] = i
        self.times[k] = when
        self.upset0[k] = min(1.0, upset + cust.repeat_upset)
        delay = max(0.0, when - self.env.now)
        # A callback, not a process: one event per repeat call.
        self.env.timeout(delay).callbacks.append(partial(self._repeat_arrives, k))

    def _repeat_arrives(self, k: int, _event: simpy.Event) -> None:
        self.arrive(k)

    # ------------------------------------------------------------ the end
    def close(self) -> None:
        """At the horizon: callers whose patience ran out are abandoned; the rest still wait."""
        end = self.horizon
        for i in list(self.queue):
            if self.times[i] + self.draws.patience[i] < end:
                self._abandon(i, self.times[i] + self.draws.patience[i])
        for i in list(self.t2_queue):
            limit = self._t2_limit(i)
            if limit < end:
                self._abandon_t2(i, limit)

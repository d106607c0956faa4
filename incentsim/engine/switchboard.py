"""Calls through the queues to the agents: the engine's hot path, as callbacks on simpy's event queue.

simpy stays the scheduler (its clock, its heap, its ``run``); what moves a call
is not a generator process but a handful of callbacks on small reusable events
pushed onto the environment's queue: one cursor event walks through the
period's arrivals in time order, one event per seat and per tier-2 agent marks
the end of the call in hand, and a repeat call arriving in the same period gets
an event of its own. No Python object is made per call beyond the numbers in
the period's columns.

**Routing** (skills-based, :mod:`incentsim.scenario.staffing`): one
first-in-first-out queue per call type; an arriving call goes to the agent idle
longest among those on duty holding its type; an agent who comes free (or on
duty) takes the call waiting longest among the types it holds. With one skill
group holding every type this is "the next free agent takes the next call",
the longest-idle agent first. Tier 2 is one FIFO queue and a pool of agents.

**Abandonment is lazy**: a waiting caller whose patience has run out is dropped
(as abandoned at ``arrival + patience``) when an agent next looks at the queue,
or at a review. That is exact for first-come-first-served service, because a
caller abandons if and only if no agent reached them within their patience, and
it needs no event per caller.

**Memory by period.** Calls live in the columns of the current review period:
the period's new calls, the repeat calls arriving in it, and the calls carried
over from the previous period (still queued, in service or at tier 2 at the
review). At each review the period's closed calls become one table
(:meth:`Switchboard.close_period`) and are released; the rest are carried into
the next period's columns (:meth:`Switchboard.open_period`). A repeat call due
in a later period waits as a few numbers until that period opens.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections import deque
from functools import partial
from heapq import heappush
from typing import Any

import numpy as np
import pandas as pd
import simpy

from incentsim.engine.arrivals import BASE, EXTRA, REPEAT, NewCalls
from incentsim.engine.clock import WorkingClock
from incentsim.engine.draws import COLD as DRAWS_AT_REVIEW
from incentsim.engine.draws import REPEAT_BLOCK, CallLaws, RepeatDraws, uniforms
from incentsim.engine.records import NO_AGENT, TIER2, TRANSFER_DUMP, TRANSFER_ESCALATION, TRANSFER_NONE
from incentsim.engine.scheduler import Stream, Tick
from incentsim.engine.seats import SeatPlan
from incentsim.random import Streams
from incentsim.scenario import Scenario

#: Seat states.
AWAY, IDLE, BUSY = 0, 1, 2
NAN = math.nan
INF = math.inf

#: Per-call columns the callbacks read (every call's path, or tier 2's and repeat calls').
HOT: tuple[str, ...] = ("time", "deadline", "ctype", "bht", "esc", "u_rush", "u_dump", "u_res", "upset0",
                        "repeat_after", "t2_res", "t2_ht", "cid", "customer")
#: Per-call columns read only at the review (numpy arrays for the calls built at the period's start;
#: repeat calls added while it runs are found by their repeat number).
COLD: tuple[str, ...] = ("repeat_of", *DRAWS_AT_REVIEW, "u_ht", "u_esc")
#: Per-call results every answered call gets, and their value before it is answered.
OUTPUTS: dict[str, Any] = {"answer": NAN, "seat": -1, "agent": NO_AGENT, "ht": NAN, "transfer": TRANSFER_NONE,
                           "resolved": False, "upset": NAN, "end": NAN}
#: Item type of each hot column and result (``array.array`` typecodes: float, 64-bit integer, flag).
TYPECODE: dict[str, str] = {"time": "d", "deadline": "d", "ctype": "q", "bht": "d", "esc": "B", "u_rush": "d",
                            "u_dump": "d", "u_res": "d", "upset0": "d", "repeat_after": "d", "t2_res": "B",
                            "t2_ht": "d", "cid": "q", "customer": "q", "answer": "d",
                            "seat": "q", "agent": "q", "ht": "d", "transfer": "q", "resolved": "B",
                            "upset": "d", "end": "d"}
#: The numpy type of each typecode (the same bytes).
DTYPE: dict[str, type] = {"d": np.float64, "q": np.int64, "B": np.bool_}
#: Results only some calls get: sets of calls (flags) and dicts of values by call.
FLAGS: tuple[str, ...] = ("rushed", "abandoned", "came_back")
VALUES: tuple[str, ...] = ("t2_join", "t2_wait", "t2_handle")


class Switchboard:
    """The calls of one replication: queues, seats' calls in hand, tier 2, repeat calls.

    Args:
        env: The simpy environment (its queue carries the events).
        scenario: The scenario.
        streams: The replication's random streams.
        clock: The working clock.
        seats: The seat plan.
    """

    def __init__(self, env: simpy.Environment, scenario: Scenario, streams: Streams, clock: WorkingClock,
                 seats: SeatPlan) -> None:
        self.env = env
        self.scenario = scenario
        self.streams = streams
        self.clock = clock
        self.plan = seats
        self.laws = CallLaws(scenario)
        self.new_calls = NewCalls(scenario, clock, streams)
        self.repeats = RepeatDraws(streams, self.laws, REPEAT)
        self.n_repeats = 0
        # Repeat calls due in a later period: (time, repeat number, customer, type, parent call, upset).
        self.pending: dict[int, list[tuple[float, int, int, int, int, float]]] = {}
        types = scenario.demand.call_types
        self.type_resolution = [ct.resolution for ct in types]
        self.type_escalation = np.array([ct.escalation for ct in types])
        self.type_upset = np.array([ct.upset for ct in types])
        self.n_types = len(types)
        self.defect_u = streams.generator("defects").random(clock.days)
        self.defect_days = np.zeros(clock.days, dtype=bool)
        self.has_tier2 = scenario.center.tier2_agents > 0
        system = scenario.system
        self.defect_complexity = system.defect_complexity
        self.defect_escalation = system.defect_escalation
        self.defect_upset = system.defect_upset
        self.t2_resolution = scenario.tier2.resolution
        # Process factors (set at each review by the centre).
        self.ht_factor = 1.0
        self.escalation_factor = 1.0
        self.defect_factor = 1.0

        n = seats.seats
        self.n_seats = n
        # Per-seat state the hot path reads; the centre writes the effects in place.
        self.ht_mult: list[float] = [1.0] * n
        self.res_shift: list[float] = [0.0] * n
        self.rush: list[float] = [0.0] * n
        self.dump: list[float] = [0.0] * n
        self.seat_agent: list[int] = list(range(n))
        self.available_from: list[float] = [0.0] * n
        self.on_duty: list[bool] = [False] * n
        self.state: list[int] = [AWAY] * n
        self.token: list[int] = [0] * n
        self.seat_call: list[int] = [-1] * n
        self.busy: list[float] = [0.0] * n  # minutes handled, by calls answered this period
        self.group_of_seat: list[int] = seats.group.tolist()
        self.seats_of_line: list[list[int]] = [np.flatnonzero(seats.line == k).tolist()
                                               for k in range(len(seats.duty))]
        self.idle: list[deque[tuple[float, int, int]]] = [deque() for _ in seats.group_types]
        self.queues: list[deque[int]] = [deque() for _ in range(self.n_types)]
        self.t2_queue: deque[int] = deque()
        self.t2_idle: deque[int] = deque(range(scenario.center.tier2_agents))
        self.t2_call: list[int] = [-1] * scenario.center.tier2_agents

        # The period's calls (the same containers all run long): hot columns and results as
        # ``array.array`` (the hot path reads and writes single items as Python numbers, a
        # review views them whole as numpy arrays), rare results as sets and dicts, the rest
        # as numpy arrays (see the module constants).
        self.cols: dict[str, array[Any]] = {name: array(TYPECODE[name]) for name in (*HOT, *OUTPUTS)}
        self.flags: dict[str, set[int]] = {name: set() for name in FLAGS}
        self.values: dict[str, dict[int, float]] = {name: {} for name in VALUES}
        self.built: dict[str, np.ndarray] = {}
        self.n_built = 0
        self.next_arrival = 0  # the arrival stream's head: a call of the period's columns
        self.added: dict[str, list[Any]] = {"repeat": [], "parent": []}
        self.period = -1
        self.period_start = 0.0
        self.period_end = 0.0
        self.first_day = 0
        self.day_starts: list[float] = []
        self.defect_list: list[bool] = []
        self.esc_list: list[float] = []
        # Conduct in force per period (care and begging chance per seat), for the records.
        self.conduct_history: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._carry: dict[str, Any] = {}
        self._wire()

    # ------------------------------------------------------------ the hot path
    def _wire(self) -> None:  # noqa: C901, PLR0915 - one closure scope keeps the per-call code fast
        env = self.env
        heap: list[Any] = env._queue  # simpy's own queue: entries (time, priority, id, event)
        next_id = env._eid.__next__
        sc = self.scenario
        cd = sc.behaviour.conduct
        c = self.cols
        c_time, c_deadline, c_ctype, c_bht, c_esc = c["time"], c["deadline"], c["ctype"], c["bht"], c["esc"]
        c_urush, c_udump, c_ures, c_upset0 = c["u_rush"], c["u_dump"], c["u_res"], c["upset0"]
        c_rafter = c["repeat_after"]
        c_t2res, c_t2ht, c_cid, c_customer = c["t2_res"], c["t2_ht"], c["cid"], c["customer"]
        c_answer, c_seat, c_agent, c_ht, c_transfer = c["answer"], c["seat"], c["agent"], c["ht"], c["transfer"]
        c_resolved, c_upset, c_end = c["resolved"], c["upset"], c["end"]
        rushed, abandoned, came_back = self.flags["rushed"], self.flags["abandoned"], self.flags["came_back"]
        t2_join, t2_wait, t2_handle = self.values["t2_join"], self.values["t2_wait"], self.values["t2_handle"]
        ht_mult, res_shift, rush, dump = self.ht_mult, self.res_shift, self.rush, self.dump
        seat_agent, available_from, on_duty = self.seat_agent, self.available_from, self.on_duty
        state, token, seat_call, busy = self.state, self.token, self.seat_call, self.busy
        group_of_seat, idle, queues = self.group_of_seat, self.idle, self.queues
        group_types = [list(t) for t in self.plan.group_types]
        type_groups = [list(g) for g in self.plan.type_groups]
        single_group = len(group_types) == 1
        # Each seat's one queue if its group holds one call type (else None: it chooses among several).
        seat_queue = [queues[group_types[g][0]] if len(group_types[g]) == 1 else None for g in self.group_of_seat]
        seat_queues = [[queues[t] for t in group_types[g]] for g in self.group_of_seat]
        type_resolution = self.type_resolution
        t2_queue, t2_idle, t2_call = self.t2_queue, self.t2_idle, self.t2_call
        has_tier2 = self.has_tier2
        patience_upset = sc.customers.patience_upset
        rush_time, rush_resolution = cd.rush_time_factor, cd.rush_resolution_factor
        dump_threshold, dump_time = cd.dump_threshold, cd.dump_handle_time
        transfer_upset = sc.tier2.transfer_upset
        t2_patience = sc.tier2.patience_factor
        horizon = self.clock.horizon
        repeat_upset = sc.customers.repeat_upset
        added = self.added
        added_repeat, added_parent = added["repeat"], added["parent"]
        repeats = self.repeats
        laws = self.laws
        pending = self.pending
        clock = self.clock
        n_new = self.new_calls.n_new
        t2_resolution = self.t2_resolution
        me = self

        def serve(s: int, k: int, now: float) -> None:
            """Seat ``s`` answers call ``k`` now: conduct and the call's draws decide how it goes."""
            ht = c_bht[k] * ht_mult[s]
            up = c_upset0[k] + (now - c_time[k]) * patience_upset
            if up > 1.0:
                up = 1.0
            p_res = type_resolution[c_ctype[k]] + res_shift[s]
            r = rush[s]
            if r and c_urush[k] < r:
                ht *= rush_time
                p_res *= rush_resolution
                rushed.add(k)
            if c_esc[k]:
                # Beyond tier 1: escalated if there is a tier 2, else it stays unresolved.
                if has_tier2:
                    c_transfer[k] = TRANSFER_ESCALATION
            elif up >= dump_threshold and dump[s] and c_udump[k] < dump[s]:
                c_transfer[k] = TRANSFER_DUMP
                ht = dump_time
            elif c_ures[k] < p_res:
                c_resolved[k] = True
            c_answer[k] = now
            c_seat[k] = s
            c_agent[k] = seat_agent[s]
            c_ht[k] = ht
            c_upset[k] = up
            busy[s] += ht
            seat_call[s] = k
            state[s] = BUSY
            ev = done[s]
            heappush(heap, (now + ht, 1, next_id(), ev))

        def abandon(k: int) -> None:
            at = c_deadline[k]
            abandoned.add(k)
            c_end[k] = at
            maybe_repeat(k, at, c_upset0[k])

        def take_next(s: int, now: float) -> int:
            """The call seat ``s`` takes now (-1: none waiting); expired callers are dropped."""
            q = seat_queue[s]
            if q is not None:
                while q:
                    k = q.popleft()
                    if c_deadline[k] >= now:
                        return k
                    abandon(k)
                return -1
            best = None
            first = INF
            for q in seat_queues[s]:
                while q:
                    k = q[0]
                    if c_deadline[k] < now:
                        q.popleft()
                        abandon(k)
                        continue
                    if c_time[k] < first:
                        first = c_time[k]
                        best = q
                    break
            return best.popleft() if best is not None else -1

        def free(s: int, now: float) -> None:
            """Seat ``s`` can take a call: the longest-waiting one, else it goes idle."""
            k = take_next(s, now)
            if k >= 0:
                serve(s, k, now)
            else:
                state[s] = IDLE
                tok = token[s] + 1
                token[s] = tok
                idle[group_of_seat[s]].append((now, s, tok))

        def arrive(k: int, now: float) -> None:
            """Call ``k`` arrives now: to the longest-idle skilled agent, else to its queue."""
            t = c_ctype[k]
            if single_group:
                dq = idle[0]
                while dq:
                    _, s, tok = dq.popleft()
                    if token[s] == tok and state[s] == IDLE:
                        serve(s, k, now)
                        return
            else:
                best = None
                since = INF
                for g in type_groups[t]:
                    dq = idle[g]
                    while dq:
                        head = dq[0]
                        if token[head[1]] == head[2] and state[head[1]] == IDLE:
                            if head[0] < since:
                                since = head[0]
                                best = dq
                            break
                        dq.popleft()
                if best is not None:
                    serve(best.popleft()[1], k, now)
                    return
            queues[t].append(k)

        def on_arrival() -> None:
            # The head of the arrival stream is due (see :func:`scheduler.run`).
            k = me.next_arrival
            arrive(k, c_time[k])
            k += 1
            me.next_arrival = k
            if k < me.n_built:
                stream.head(c_time[k])
            else:
                stream.exhaust()

        def on_repeat(ev: Tick) -> None:
            arrive(ev.tag, env._now)

        def on_done(ev: Tick) -> None:
            s = ev.tag
            k = seat_call[s]
            now = env._now
            if c_transfer[k]:
                c_upset0[k] = min(1.0, c_upset[k] + transfer_upset)
                t2_join[k] = now
                if t2_idle:
                    serve_t2(t2_idle.popleft(), k, now)
                else:
                    t2_queue.append(k)
            else:
                c_end[k] = now
                if not c_resolved[k]:
                    maybe_repeat(k, now, c_upset[k])
            if on_duty[s] and available_from[s] <= now:
                q = seat_queue[s]
                if q is not None:  # the common case, inline: the head of the seat's one queue
                    while q:
                        k = q.popleft()
                        if c_deadline[k] >= now:
                            serve(s, k, now)  # the seat's call in hand is now ``k``
                            return
                        abandon(k)
                else:  # several call types: the longest-waiting head among their queues
                    k = take_next(s, now)
                    if k >= 0:
                        serve(s, k, now)
                        return
                seat_call[s] = -1
                state[s] = IDLE
                tok = token[s] + 1
                token[s] = tok
                idle[group_of_seat[s]].append((now, s, tok))
            else:
                seat_call[s] = -1
                state[s] = AWAY

        def serve_t2(j: int, k: int, now: float) -> None:
            t2_wait[k] = now - t2_join[k]
            ht = c_t2ht[k] * me.ht_factor
            t2_handle[k] = ht
            c_resolved[k] = c_t2res[k]
            t2_call[j] = k
            ev = t2_done[j]
            heappush(heap, (now + ht, 1, next_id(), ev))

        def t2_deadline(k: int) -> float:
            return t2_join[k] + (c_deadline[k] - c_time[k]) * t2_patience

        def on_t2_done(ev: Tick) -> None:
            j = ev.tag
            k = t2_call[j]
            t2_call[j] = -1
            now = env._now
            c_end[k] = now
            if not c_resolved[k]:
                maybe_repeat(k, now, c_upset0[k])
            while t2_queue:
                k = t2_queue.popleft()
                limit = t2_deadline(k)
                if limit >= now:
                    serve_t2(j, k, now)
                    return
                abandon_t2(k, limit)
            t2_idle.append(j)

        def abandon_t2(k: int, at: float) -> None:
            t2_wait[k] = at - t2_join[k]
            c_end[k] = at
            maybe_repeat(k, at, c_upset0[k])

        def maybe_repeat(k: int, at: float, upset: float) -> None:
            """An unresolved call may come back as a repeat call (failure demand)."""
            after = c_rafter[k]
            if after == INF:
                return
            now = env._now
            when = at + after
            if when < now:  # the abandonment was noticed late: the caller calls back now
                when = now
            if when >= horizon:
                return
            r = me.n_repeats
            me.n_repeats = r + 1
            came_back.add(k)
            u0 = upset + repeat_upset
            if u0 > 1.0:
                u0 = 1.0
            entry = (when, r, c_customer[k], c_ctype[k], c_cid[k], u0)
            if when >= me.period_end:
                pending.setdefault(clock.period_of(when), []).append(entry)
            else:
                add_repeat(*entry)

        def add_repeat(when: float, r: int, customer: int, t: int, parent: int, u0: float) -> None:
            """A repeat call arriving in this period joins the period's calls now."""
            rows = repeats.row(r)
            i = r % REPEAT_BLOCK
            day = bisect_right(me.day_starts, when) - 1
            bht = laws.handle_time(t, rows["u_ht"][i], rows["z_ht"][i])
            p_esc = me.esc_list[t]
            if me.defect_list[day]:
                bht *= me.defect_complexity
                p_esc *= me.defect_escalation
                u0 += me.defect_upset
                if u0 > 1.0:
                    u0 = 1.0
            k = len(c_time)
            c_time.append(when)
            c_deadline.append(when + rows["patience"][i])
            c_ctype.append(t)
            c_bht.append(bht)
            c_esc.append(rows["u_esc"][i] < p_esc)
            c_urush.append(rows["u_rush"][i])
            c_udump.append(rows["u_dump"][i])
            c_ures.append(rows["u_res"][i])
            c_upset0.append(u0)
            c_rafter.append(rows["repeat_after"][i])
            c_t2res.append(rows["u_t2_res"][i] < t2_resolution)
            c_t2ht.append(rows["t2_ht"][i])
            c_cid.append(n_new + r)
            c_customer.append(customer)
            c_answer.append(NAN)
            c_seat.append(-1)
            c_agent.append(NO_AGENT)
            c_ht.append(NAN)
            c_transfer.append(TRANSFER_NONE)
            c_resolved.append(False)
            c_upset.append(NAN)
            c_end.append(NAN)
            added_repeat.append(r)
            added_parent.append(parent)
            heappush(heap, (when, 1, next_id(), Tick(on_repeat, k)))

        def wake(ev: Tick) -> None:
            s = ev.tag
            now = env._now
            if state[s] == AWAY and on_duty[s] and available_from[s] <= now:
                free(s, now)

        def hold(s: int, until: float) -> None:
            """Seat ``s`` takes no calls until ``until`` (a call in hand is finished first)."""
            available_from[s] = until
            if state[s] == IDLE:
                state[s] = AWAY
                token[s] += 1
            heappush(heap, (until, 1, next_id(), Tick(wake, s)))

        def shift(line: int, on: bool) -> None:
            now = env._now
            for s in self.seats_of_line[line]:
                on_duty[s] = on
                if on:
                    if state[s] == AWAY and available_from[s] <= now:
                        free(s, now)
                elif state[s] == IDLE:
                    state[s] = AWAY
                    token[s] += 1

        assert n_new >= 0
        done = [Tick(on_done, s) for s in range(self.n_seats)]
        t2_done = [Tick(on_t2_done, j) for j in range(len(t2_call))]
        stream = self.arrival_stream = Stream(env, on_arrival)
        self._abandon = abandon
        self._abandon_t2 = abandon_t2
        self._t2_deadline = t2_deadline
        self.hold = hold
        self.shift = shift
        self.free = free

    # ------------------------------------------------------------ periods
    def open_period(self, period: int) -> None:
        """Open a review period: its new calls, the repeats due in it, the calls carried over."""
        sc = self.scenario
        clock = self.clock
        self.period = period
        self.period_start, self.period_end = clock.period_bounds(period)
        days = clock.period_days(period)
        self.first_day = days.start
        self.day_starts = clock.day_start_list[days.start:days.stop]
        p_defect = sc.system.defect_day_probability * self.defect_factor
        defect = self.defect_u[days.start:days.stop] < p_defect
        self.defect_days[days.start:days.stop] = defect
        self.defect_list = defect.tolist()
        self.esc_list = (self.type_escalation * self.escalation_factor).tolist()

        carry = self._carry
        n_carry = len(carry["time"]) if carry else 0
        arrivals = self._arrivals(period, defect)
        n_arrivals = int(arrivals["time"].size)
        cols = self.cols
        for name, column in cols.items():
            dtype = DTYPE[column.typecode]
            del column[:]
            if n_carry:
                column.frombytes(_raw(carry[name], dtype))
            if name in OUTPUTS:
                column.frombytes(_raw(np.full(n_arrivals, OUTPUTS[name], dtype=dtype), dtype))
            else:
                column.frombytes(_raw(arrivals[name], dtype))
        self.built = {name: (np.concatenate([carry["cold"][name], arrivals[name]]) if n_carry else arrivals[name])
                      for name in COLD}
        for name in FLAGS:
            self.flags[name].clear()
            self.flags[name].update(carry["flags"][name] if n_carry else ())
        for name in VALUES:
            self.values[name].clear()
            self.values[name].update(carry["values"][name] if n_carry else {})
        for values in self.added.values():
            values.clear()
        self.n_built = n_carry + n_arrivals
        self._carry = {}
        # A carried call still queued is answered under the new process factors (handle-time
        # spread and escalation), as if it had just arrived.
        if n_carry:
            self._refresh_waiting(n_carry)
        self.busy[:] = [0.0] * self.n_seats
        self.next_arrival = n_carry
        if n_arrivals:
            self.arrival_stream.head(cols["time"][n_carry])
        self._schedule_shifts()
        lowest = min([self.n_repeats] + [e[1] for entries in self.pending.values() for e in entries])
        self.repeats.release_below(lowest)

    def _arrivals(self, period: int, defect: np.ndarray) -> dict[str, np.ndarray]:
        """Columns of the calls arriving in a period (new calls, defect-day extras, repeats due), by time."""
        sc = self.scenario
        base = self.new_calls.period(period, BASE)
        extra = self.new_calls.period(period, EXTRA)
        first_day = self.clock.period_days(period).start
        u = uniforms(self.streams, BASE, period, base.size)
        parts = [base]
        joined = defect[extra.day - first_day] if extra.size else np.zeros(0, bool)
        due = sorted(self.pending.pop(period, []))
        if joined.any() or due:
            extra = extra.take(joined)
            u_extra = {k: v[joined] for k, v in uniforms(self.streams, EXTRA, period, joined.size).items()}
            rep = np.asarray([e[1] for e in due], dtype=np.int64)
            u_rep = {name: self.repeats.gather(name, rep) for name in u}
            parts = [base, extra]
            time = np.concatenate([base.time, extra.time, np.asarray([e[0] for e in due], dtype=float)])
            order = np.argsort(time, kind="stable")
            u = {name: np.concatenate([u[name], u_extra[name], u_rep[name]])[order] for name in u}
            out: dict[str, np.ndarray] = {"time": time[order]}

            def joined_column(name: str, repeat_values: list[Any], dtype: type) -> np.ndarray:
                values = [getattr(part, name) for part in parts] + [np.asarray(repeat_values, dtype=dtype)]
                return np.concatenate(values)[order]

            out["ctype"] = joined_column("call_type", [e[3] for e in due], np.int64)
            out["customer"] = joined_column("customer", [e[2] for e in due], np.int64)
            out["cid"] = np.concatenate([base.call_id, extra.call_id, self.new_calls.n_new + rep])[order]
            out["repeat_of"] = np.concatenate([np.full(base.size + extra.size, -1, dtype=np.int64),
                                               np.asarray([e[4] for e in due], dtype=np.int64)])[order]
            upset0 = np.concatenate([self.type_upset[base.call_type], self.type_upset[extra.call_type],
                                     np.asarray([e[5] for e in due], dtype=float)])[order]
        else:
            out = {"time": base.time, "ctype": base.call_type, "customer": base.customer, "cid": base.call_id,
                   "repeat_of": np.full(base.size, -1, dtype=np.int64)}
            upset0 = self.type_upset[base.call_type]
        day = self.clock.day_of(out["time"])
        on_defect = self.defect_days[day]
        system = sc.system
        out["deadline"] = out["time"] + self.laws.patience(u["u_patience"])
        out["bht"] = self.laws.handle_times(out["ctype"], u["u_ht"])
        p_esc = self.type_escalation[out["ctype"]] * self.escalation_factor
        if on_defect.any():
            out["bht"] *= np.where(on_defect, system.defect_complexity, 1.0)
            p_esc = p_esc * np.where(on_defect, system.defect_escalation, 1.0)
            upset0 = upset0 + np.where(on_defect, system.defect_upset, 0.0)
        out["esc"] = u["u_esc"] < p_esc
        out["upset0"] = np.minimum(1.0, upset0)
        out["t2_res"] = u["u_t2_res"] < sc.tier2.resolution
        out["t2_ht"] = self.laws.tier2_handle_times(u["u_t2_ht"])
        out["repeat_after"] = self.laws.repeat_after(u["u_repeat"], u["u_delay"])
        for name in ("u_rush", "u_dump", "u_res", *DRAWS_AT_REVIEW, "u_ht", "u_esc"):
            out[name] = u[name]
        return out

    def _refresh_waiting(self, n_carry: int) -> None:
        cols = self.cols
        idx = np.flatnonzero(np.isnan(self._column("answer", float, np.arange(n_carry))))
        if not idx.size:
            return
        time = self._column("time", float, idx)
        ctype = self._column("ctype", np.int64, idx)
        on_defect = self.defect_days[self.clock.day_of(time)]
        system = self.scenario.system
        bht = self.laws.handle_times(ctype, self.built["u_ht"][idx]) * np.where(
            on_defect, system.defect_complexity, 1.0)
        p_esc = self.type_escalation[ctype] * self.escalation_factor * np.where(
            on_defect, system.defect_escalation, 1.0)
        esc = self.built["u_esc"][idx] < p_esc
        for j, k in enumerate(idx.tolist()):
            cols["bht"][k] = float(bht[j])
            cols["esc"][k] = bool(esc[j])

    def _schedule_shifts(self) -> None:
        """Shift starts and ends of the period, as events; at time 0 the first shifts start."""
        plan = self.plan
        if self.period == 0:
            at_start = plan.on_duty(0.0)
            for s in range(self.n_seats):
                self.on_duty[s] = bool(at_start[s])
        if plan.always:
            return
        for when, line, on in plan.transitions(self.period_start, self.period_end):
            if when <= 0.0 and self.period == 0:
                continue
            ev = self.env.timeout(when - self.env.now)
            ev.callbacks.append(partial(self._shift_event, line, on))

    def _shift_event(self, line: int, on: bool, _event: simpy.Event) -> None:
        self.shift(line, on)

    def start(self) -> None:
        """Open the first period; seats on duty at time 0 wait for calls."""
        self.conduct_history.setdefault(0, (np.ones(self.n_seats), np.zeros(self.n_seats)))
        self.open_period(0)
        for s in range(self.n_seats):
            if self.on_duty[s] and self.available_from[s] <= 0.0:
                self.free(s, 0.0)

    def close_period(self, *, last: bool) -> pd.DataFrame:
        """The calls measured at this review, as one table; the others are carried to the next period.

        Callers whose patience ran out before now are abandoned first. At the last
        review every call that arrived is measured as it stands.
        """
        now = self.env.now
        cols = self.cols
        for q in self.queues:
            kept: deque[int] = deque()
            while q:
                k = q.popleft()
                if cols["deadline"][k] < now:
                    self._abandon(k)
                else:
                    kept.append(k)
            q.extend(kept)
        kept_t2: deque[int] = deque()
        while self.t2_queue:
            k = self.t2_queue.popleft()
            limit = self._t2_deadline(k)
            if limit < now:
                self._abandon_t2(k, limit)
            else:
                kept_t2.append(k)
        self.t2_queue.extend(kept_t2)
        end = self._column("end", float)
        closed = np.ones(end.size, dtype=bool) if last else ~np.isnan(end)
        frame = self._frame(np.flatnonzero(closed))
        if not last:
            self._take_carry(np.flatnonzero(~closed))
        return frame

    def _column(self, name: str, dtype: Any, idx: np.ndarray | None = None) -> np.ndarray:
        """A column of the period's calls (rows ``idx``, else all) as a new array."""
        fresh = True  # ``values`` is an array of this call's own, not the switchboard's
        if name in self.cols:
            column = self.cols[name]
            values: np.ndarray = np.frombuffer(column, dtype=DTYPE[column.typecode])  # a view: not to outlive the call
            fresh = False
        elif name in self.built:
            values = self.built[name]
            fresh = False
            if len(self.cols["time"]) > self.n_built:  # and the repeat calls added since the period opened
                more = (np.asarray(self.added["parent"], dtype=np.int64) if name == "repeat_of"
                        else self.repeats.gather(name, np.asarray(self.added["repeat"], dtype=np.int64)))
                values, fresh = np.concatenate([values, more]), True
        elif name in self.flags:
            values = np.zeros(len(self.cols["time"]), dtype=bool)
            values[list(self.flags[name])] = True
        else:
            values = np.full(len(self.cols["time"]), NAN)
            by_call = self.values[name]
            if by_call:
                values[np.fromiter(by_call.keys(), dtype=np.int64, count=len(by_call))] = np.fromiter(
                    by_call.values(), dtype=np.float64, count=len(by_call))
        if idx is not None:
            return values[idx].astype(dtype, copy=False)
        return values.astype(dtype, copy=not fresh)

    def _take_carry(self, idx: np.ndarray) -> None:
        """Keep the open calls for the next period and renumber every reference to them."""
        keep = idx.tolist()
        position = {k: j for j, k in enumerate(keep)}
        carry: dict[str, Any] = {name: self._column(name, DTYPE[column.typecode], idx)
                                 for name, column in self.cols.items()}
        carry["cold"] = {name: self._column(name, self.built[name].dtype, idx) for name in COLD}
        carry["flags"] = {name: {position[k] for k in self.flags[name] if k in position} for name in FLAGS}
        carry["values"] = {name: {position[k]: v for k, v in self.values[name].items() if k in position}
                           for name in VALUES}
        self._carry = carry
        for q in self.queues:
            moved = [position[k] for k in q]
            q.clear()
            q.extend(moved)
        moved_t2 = [position[k] for k in self.t2_queue]
        self.t2_queue.clear()
        self.t2_queue.extend(moved_t2)
        self.seat_call[:] = [position[k] if k >= 0 else -1 for k in self.seat_call]
        self.t2_call[:] = [position[k] if k >= 0 else -1 for k in self.t2_call]

    def _frame(self, idx: np.ndarray) -> pd.DataFrame:
        """The engine's record of calls ``idx`` (codes, not labels; see :func:`records.readable`)."""
        clock = self.clock
        everything = idx.size == len(self.cols["time"])

        def col(name: str, dtype: type) -> np.ndarray:
            return self._column(name, dtype, None if everything else idx)

        time = col("time", float)
        answer = col("answer", float)
        answered = ~np.isnan(answer)
        abandoned = col("abandoned", bool)
        seat = col("seat", np.int64)
        agent = col("agent", np.int64)
        transfer = col("transfer", np.int64)
        day = clock.day_of(time)
        period = np.clip(np.searchsorted(clock.period_start, answer, side="right") - 1, 0, clock.periods - 1)
        care = np.full(idx.size, NAN)
        beg = np.zeros(idx.size)
        for p in np.unique(period[answered]).tolist():
            mask = answered & (period == p)
            care_p, beg_p = self.conduct_history[p]
            care[mask] = care_p[seat[mask]]
            beg[mask] = beg_p[seat[mask]]
        u_beg = col("u_beg", float)
        wait = np.where(answered, answer - time, np.where(abandoned, col("deadline", float) - time, NAN))
        survey_agent = np.where(answered, np.where(transfer == TRANSFER_NONE, agent, TIER2), NO_AGENT)
        return pd.DataFrame({
            "call_id": col("cid", np.int64), "arrival_time": time, "wait_time": wait, "answer_time": answer,
            "handle_time": col("ht", float), "care": care, "upset": col("upset", float),
            "tier2_wait": col("t2_wait", float), "tier2_handle_time": col("t2_handle", float),
            "end_time": col("end", float), "customer_id": col("customer", np.int64),
            "call_type": col("ctype", np.int64), "period": np.full(idx.size, -2, dtype=np.int64),
            "day": day, "agent": agent, "transfer": transfer, "repeat_of": col("repeat_of", np.int64),
            "survey_agent": survey_agent, "seat": seat, "abandoned": abandoned, "answered": answered,
            "rushed": col("rushed", bool), "begged": answered & (transfer != TRANSFER_DUMP) & (u_beg < beg),
            "resolved": col("resolved", bool), "defect_day": self.defect_days[day],
            "came_back": col("came_back", bool),
            "u_survey": col("u_survey", float), "u_rating": col("u_rating", float),
            "u_annoy": col("u_annoy", float), "base_handle_time": col("bht", float),
        }, copy=False)  # every column is a new array already

    def set_conduct(self, period: int, care: np.ndarray, beg: np.ndarray) -> None:
        """Record the care and begging chance per seat in force during ``period``."""
        self.conduct_history[period] = (np.asarray(care, dtype=float).copy(), np.asarray(beg, dtype=float).copy())


def _raw(values: np.ndarray, dtype: type) -> memoryview:
    """The bytes of ``values`` as ``dtype``, for ``array.frombytes`` (no copy when already so)."""
    return np.ascontiguousarray(values, dtype=dtype).data.cast("B")


__all__ = ["COLD", "DTYPE", "FLAGS", "HOT", "OUTPUTS", "TYPECODE", "VALUES", "Switchboard", "Tick"]

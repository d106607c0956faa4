"""The simpy processes: plain generator functions over a :class:`~incentsim.engine.center.Center`.

Following simpy's style, processes are generator functions, not subclasses:
``arrivals`` opens each working day and releases its calls, each tier-1 seat is
one long-lived ``tier1_agent`` taking the next call, tier 2 is a pool of
``tier2_agent`` processes, and ``review_clock`` runs the end-of-period review.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import simpy

from incentsim.engine.center import Center

Proc = Generator[simpy.Event, object, None]


def arrivals(env: simpy.Environment, center: Center) -> Proc:
    """Open each working day (decide its defect state) and release its new calls."""
    schedule = center.schedule
    times = center.times
    timeout, arrive = env.timeout, center.arrive
    for day in range(center.days):
        start = day * center.day_len
        if env._now < start:
            yield timeout(start - env._now)
        defect = center.start_day(day)
        for i in schedule.day_calls(day, defect).tolist():
            dt = times[i] - env._now
            if dt > 0:
                yield timeout(dt)
            arrive(i)


def tier1_agent(env: simpy.Environment, center: Center, seat: int) -> Proc:
    """One tier-1 seat: take the next call, handle it, repeat; idle when the queue is empty."""
    idle = center.idle
    seat_event = center.seat_event
    available_from = center.available_from
    take_next, serve, end_leg = center.take_next, center.serve, center.end_leg
    timeout, event = env.timeout, env.event
    while True:
        ready = available_from[seat]
        if ready > env._now:
            yield timeout(ready - env._now)
        i = take_next(env._now)
        if i < 0:
            ev = event()
            seat_event[seat] = ev
            idle.append((seat, ev))
            i = yield ev  # type: ignore[assignment]
            if i < 0:  # woken because the seat fell vacant
                continue
        yield timeout(serve(seat, i, env._now))
        end_leg(i, env._now)


def tier2_agent(env: simpy.Environment, center: Center) -> Proc:
    """One tier-2 agent: handle transferred calls in order."""
    while True:
        i = center.take_next_t2(env.now)
        if i < 0:
            ev = env.event()
            center.t2_idle.append(ev)
            i = yield ev  # type: ignore[assignment]
        yield env.timeout(center.serve_t2(i, env.now))
        center.end_t2(i, env.now)


def review_clock(env: simpy.Environment, center: Center,
                 review: Callable[[int], None]) -> Proc:
    """Call ``review(period)`` at the end of every period but the last.

    The last review runs after the simulation stops at the horizon.
    """
    for period in range(center.scenario.center.months - 1):
        end = (period + 1) * center.period_len
        yield env.timeout(end - env.now)
        review(period)

"""The engine's loop over simpy's queue fires events exactly as ``env.run(until=...)`` does."""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush

import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from incentsim.engine import scheduler
from incentsim.engine.scheduler import Stream, Tick

#: Delays on a coarse grid, so that many events fall at the same instant (ties are where order
#: rules matter) and some fall exactly at the stopping time.
delays = st.lists(st.integers(0, 6).map(float), min_size=1, max_size=12)


def plain_event(env: simpy.Environment, at: float, callback: Callable[[object], None]) -> None:
    """A plain simpy event at ``at`` calling ``callback`` (the reference for a tick or a stream's event)."""
    event = simpy.Event(env)
    event.callbacks.append(callback)
    event._ok = True
    event._value = None
    env.schedule(event, delay=at - env.now)


def model(env: simpy.Environment, plans: list[list[float]], ticks: list[float], log: list[tuple[float, str]],
          use_ticks: bool) -> None:
    """Processes waiting out ``plans`` and one-off events at ``ticks``, each logging when it fires.

    With ``use_ticks`` the one-off events are :class:`Tick` entries pushed on the queue; without,
    plain simpy events carrying the same callback, so ``env.run`` can fire them.
    """

    def proc(name: str, plan: list[float]) -> simpy.events.ProcessGenerator:
        for delay in plan:
            yield env.timeout(delay)
            log.append((env.now, name))

    for i, plan in enumerate(plans):
        env.process(proc(f"p{i}", plan))

    def fire(tag: int) -> Callable[[object], None]:
        def call(_event: object) -> None:
            log.append((env.now, f"t{tag}"))
            if tag % 3 == 0:  # some ticks schedule a follow-up: the queue changes while running
                push(env.now + 1.0, tag + 100)
        return call

    def push(at: float, tag: int) -> None:
        if use_ticks:
            queue: list[tuple[float, int, int, object]] = env._queue  # type: ignore[assignment]
            heappush(queue, (at, 1, next(env._eid), Tick(fire(tag), tag)))
        else:
            plain_event(env, at, fire(tag))

    for tag, at in enumerate(ticks):
        push(at, tag)


@settings(max_examples=150, deadline=None)
@given(plans=st.lists(delays, min_size=1, max_size=4), ticks=delays,
       until=st.integers(1, 30).map(float))
def test_same_order_and_clock_as_simpy(plans: list[list[float]], ticks: list[float], until: float) -> None:
    runs = []
    for use_ticks in (False, True):
        env = simpy.Environment()
        log: list[tuple[float, str]] = []
        model(env, plans, ticks, log, use_ticks)
        if use_ticks:
            scheduler.run(env, until)
        else:
            env.run(until=until)
        runs.append((log, env.now))
    assert runs[0] == runs[1]
    assert all(t < until for t, _ in runs[1][0])  # nothing at the stopping time or later fired
    assert runs[1][1] == until


def test_run_in_steps_matches_one_run() -> None:
    logs = []
    for stops in ([20.0], [3.0, 3.0, 7.5, 20.0]):
        env = simpy.Environment()
        log: list[tuple[float, str]] = []
        model(env, [[1.0, 2.0, 2.0, 5.0], [3.0, 3.0]], [0.0, 3.0, 3.0, 7.5, 9.0], log, True)
        for stop in stops:
            scheduler.run(env, stop)
        logs.append(log)
    assert logs[0] == logs[1]


def test_a_failing_process_raises_as_in_simpy() -> None:
    env = simpy.Environment()

    def broken(env: simpy.Environment) -> simpy.events.ProcessGenerator:
        yield env.timeout(1.0)
        raise RuntimeError("boom")

    env.process(broken(env))
    with pytest.raises(RuntimeError, match="boom"):
        scheduler.run(env, 5.0)


def test_until_before_now_is_refused() -> None:
    env = simpy.Environment(initial_time=4.0)
    with pytest.raises(ValueError, match="must not be before"):
        scheduler.run(env, 2.0)


def with_arrivals(plans: list[list[float]], ticks: list[float], times: list[float], until: float,
                  as_stream: bool) -> list[tuple[float, str]]:
    """The model plus events at ``times``, each scheduled when the one before fires, logging ``a<i>``.

    ``as_stream``: a :class:`Stream` under :func:`scheduler.run`; otherwise plain events
    pushed on simpy's queue, under ``env.run`` (the reference).
    """
    env = simpy.Environment()
    log: list[tuple[float, str]] = []
    model(env, plans, ticks, log, as_stream)
    current = [0]  # the stream's head
    stream = Stream(env, lambda: fire(current[0]))

    def schedule(i: int) -> None:
        if as_stream:
            current[0] = i
            stream.head(times[i])
        else:
            plain_event(env, times[i], lambda _event: fire(i))

    def fire(i: int) -> None:
        log.append((env.now, f"a{i}"))
        if i + 1 < len(times):
            schedule(i + 1)
        elif as_stream:
            stream.exhaust()

    if times:
        schedule(0)
    if as_stream:
        scheduler.run(env, until, stream)
    else:
        env.run(until=until)
    return log


@settings(max_examples=150, deadline=None)
@given(plans=st.lists(delays, min_size=1, max_size=3), ticks=delays,
       gaps=st.lists(st.integers(0, 4).map(float), max_size=12), until=st.integers(1, 30).map(float))
def test_a_stream_fires_where_simpy_would(plans: list[list[float]], ticks: list[float], gaps: list[float],
                                          until: float) -> None:
    times = [sum(gaps[: i + 1]) for i in range(len(gaps))]
    reference = with_arrivals(plans, ticks, times, until, as_stream=False)
    assert with_arrivals(plans, ticks, times, until, as_stream=True) == reference
    assert any(name.startswith("a") for _, name in reference) or not times or times[0] >= until

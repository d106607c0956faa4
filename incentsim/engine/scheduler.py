"""Running simpy's event queue with the switchboard's events dispatched directly.

simpy stays the scheduler: its clock (``env.now``), its heap of
``(time, priority, id, event)`` entries, its events and processes, and the order
in which they fire. :func:`run` only replaces the loop of ``env.run(until=...)``:
a :class:`Tick` at the head of the queue (a call ending, the arrival cursor, a
seat coming back) has its one callback called without simpy's generic
``step``; every other event (the calendar's processes, timeouts, the review) goes
through ``env.step()`` as usual. A :class:`Stream` (the period's arrivals, known
in advance and in time order) stays off the heap altogether: its head carries
the key ``(time, priority, id)`` it would have on the queue, and the loop fires
it whenever that key sorts before the queue's head. The order of events is
simpy's own, so results are those of ``env.run``, bit for bit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

import simpy
from simpy.events import NORMAL, URGENT


class Tick:
    """A reusable event on simpy's queue: :func:`run` calls ``call(self)``; ``tag`` says for whom.

    A tick is pushed straight onto the environment's heap and may be pushed again
    once it has fired. Only :func:`run` dispatches ticks (``env.run`` and
    ``env.step`` would fire one once and leave it spent).

    Args:
        call: What to do when it fires.
        tag: Whom it is for (a seat, a call, a tier-2 agent).
    """

    __slots__ = ("_ok", "_value", "call", "callbacks", "tag")

    def __init__(self, call: Callable[[Tick], None], tag: int = 0) -> None:
        self._ok = True
        self._value = None
        self.tag = tag
        self.call = call
        self.callbacks: list[Callable[[Tick], None]] | None = [call]


class Stream:
    """Events known in advance, in time order, fired by :func:`run` without passing through the heap.

    The head event is ``(time, id)`` at normal priority: it fires when ``(time,
    NORMAL, id)`` sorts before the queue's head entry, exactly where simpy would
    fire the same event pushed on its queue with that id. ``fire()`` handles the
    head and must then call :meth:`head` with the next event (or
    :meth:`exhaust`), taking a fresh id from the environment as a push would.

    Args:
        env: The environment whose ids the stream's events take.
        fire: Handles the head event.
    """

    __slots__ = ("_eid", "fire", "id", "time")

    def __init__(self, env: simpy.Environment, fire: Callable[[], None]) -> None:
        self._eid = env._eid
        self.fire = fire
        self.time = math.inf
        self.id = 0

    def head(self, time: float) -> None:
        """The next event is at ``time`` (scheduled now: it takes the next id)."""
        self.time = time
        self.id = next(self._eid)

    def exhaust(self) -> None:
        """No event is due until :meth:`head` is called again."""
        self.time = math.inf


def run(env: simpy.Environment, until: float, stream: Stream | None = None) -> None:
    """Process every event before ``until``, then set the clock to ``until``: ``env.run(until=until)``.

    Args:
        env: The environment.
        until: The time to stop at; events scheduled at ``until`` or later stay queued.
        stream: Events kept off the heap (see :class:`Stream`), merged in simpy's order.

    Raises:
        ValueError: If ``until`` is before the current time.
    """
    if until < env.now:
        raise ValueError(f"until ({until}) must not be before the current time ({env.now})")
    heap: list[Any] = env._queue  # simpy's queue: entries (time, priority, id, event)
    # As env.run does, an urgent event at ``until`` stops the run: nothing at ``until`` or
    # later fires, and the queue is never empty before it (callbacks may peek at its head).
    stop = simpy.Event(env)
    heappush(heap, (until, URGENT, next(env._eid), stop))
    step = env.step
    if stream is None:
        stream = Stream(env, _nothing)
    while True:
        entry = heap[0]
        due = stream.time
        if due <= entry[0] and (due < entry[0] or (NORMAL, stream.id) < (entry[1], entry[2])):
            env._now = due
            stream.fire()
            continue
        event = entry[3]
        if event.__class__ is Tick:
            heappop(heap)
            env._now = entry[0]
            event.call(event)
        elif event is stop:
            heappop(heap)
            break
        else:
            step()
    env._now = until


def _nothing() -> None:
    """The fire of a stream that never has an event."""


__all__ = ["Stream", "Tick", "run"]

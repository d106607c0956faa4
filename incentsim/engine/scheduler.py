"""Running simpy's event queue with the switchboard's events dispatched directly.

simpy stays the scheduler: its clock (``env.now``), its heap of
``(time, priority, id, event)`` entries, its events and processes, and the order
in which they fire. :func:`run` only replaces the loop of ``env.run(until=...)``:
a :class:`Tick` at the head of the queue (a call ending, the arrival cursor, a
seat coming back) has its one callback called without simpy's generic
``step``; every other event (the calendar's processes, timeouts, the review) goes
through ``env.step()`` as usual. The order of events is simpy's own, so results
are those of ``env.run``, bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

import simpy


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


def run(env: simpy.Environment, until: float) -> None:
    """Process every event before ``until``, then set the clock to ``until``: ``env.run(until=until)``.

    Args:
        env: The environment.
        until: The time to stop at; events scheduled at ``until`` or later stay queued.

    Raises:
        ValueError: If ``until`` is before the current time.
    """
    if until < env.now:
        raise ValueError(f"until ({until}) must not be before the current time ({env.now})")
    heap: list[Any] = env._queue  # simpy's queue: entries (time, priority, id, event)
    # As env.run does, an urgent event at ``until`` stops the run: nothing at ``until`` or
    # later fires, and the queue is never empty before it (callbacks may peek at its head).
    stop = simpy.Event(env)
    heappush(heap, (until, simpy.events.URGENT, next(env._eid), stop))
    step = env.step
    while True:
        entry = heap[0]
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

__all__ = ["Tick", "run"]

"""The simpy processes of the calendar: plain generator functions over a :class:`~incentsim.engine.center.Center`.

Following simpy's style, processes are generator functions, not subclasses. The
per-call work is not a process (see :mod:`incentsim.engine.switchboard`); what
remains are the few events of the calendar: ``review_clock`` runs the
end-of-period review, and :meth:`Center.days_process` moves learning on each
morning.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import simpy

from incentsim.engine.center import Center

Proc = Generator[simpy.Event, object, None]


def review_clock(env: simpy.Environment, center: Center, review: Callable[[int], None]) -> Proc:
    """Call ``review(period)`` at the end of every period but the last.

    The last review runs after the simulation stops at the horizon.
    """
    for period in range(center.scenario.center.months - 1):
        end = center.clock.period_bounds(period)[1]
        yield env.timeout(end - env.now)
        review(period)

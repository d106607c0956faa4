"""New-call arrivals: a non-homogeneous Poisson process over the working clock, period by period.

The rate is piecewise constant per opening hour (:meth:`WorkingClock.segments`),
so arrivals are exact: a Poisson count per segment, placed uniformly within it.
The counts of the whole horizon are drawn at the start (a few numbers per
opening hour), so every potential new call has a fixed number whatever happens
in the run; the times, call types and customers of a period's calls are drawn
when the period opens, from streams keyed by the period, so memory holds one
period's calls, not the horizon's.

Defect days add extra arrivals drawn for *every* day from streams of their own;
a day's extras join only if that day turns out to be a defect day. So when
process improvement removes a defect day, the normal arrivals stay the same
calls (common random numbers).

Numbering: normal new calls are ``0 .. n_base - 1`` in time order over the
horizon, the potential extras follow (by day), and repeat calls take numbers
from ``n_new`` on in the order they are created.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from incentsim.engine.clock import WorkingClock
from incentsim.random import Streams
from incentsim.scenario import Scenario

#: Second stream key of the draws of a period's normal new calls, of its potential extras,
#: and of repeat-call blocks.
BASE, EXTRA, REPEAT = 2, 3, 4


@dataclass(frozen=True)
class PeriodArrivals:
    """One period's potential new calls of one kind (normal or defect-day extra), in time order.

    Attributes:
        call_id: Call number.
        time: Arrival time (working minutes).
        day: Working day.
        call_type: Call-type index.
        customer: Customer id.
    """

    call_id: np.ndarray
    time: np.ndarray
    day: np.ndarray
    call_type: np.ndarray
    customer: np.ndarray

    @property
    def size(self) -> int:
        """Number of calls."""
        return int(self.time.size)

    def take(self, mask: np.ndarray) -> PeriodArrivals:
        """The calls where ``mask`` holds."""
        return PeriodArrivals(self.call_id[mask], self.time[mask], self.day[mask], self.call_type[mask],
                              self.customer[mask])


class NewCalls:
    """Every potential new call of the horizon: counts now, details period by period.

    Args:
        scenario: The scenario.
        clock: Its working clock.
        streams: The replication's random streams.
    """

    def __init__(self, scenario: Scenario, clock: WorkingClock, streams: Streams) -> None:
        self.scenario = scenario
        self.clock = clock
        self.streams = streams
        seg = clock.segments()
        self.segments = seg
        self.base_counts = streams.generator("arrivals", 0).poisson(seg.rate * seg.length)
        self.extra_counts = streams.generator("arrivals", 1).poisson(
            seg.rate * scenario.system.defect_volume * seg.length)
        period = seg.day // clock.days_per_period
        self.segment_period = period
        per_base = np.bincount(period, weights=self.base_counts, minlength=clock.periods).astype(np.int64)
        per_extra = np.bincount(period, weights=self.extra_counts, minlength=clock.periods).astype(np.int64)
        self.base_offset = np.concatenate([[0], np.cumsum(per_base)])
        self.extra_offset = np.concatenate([[0], np.cumsum(per_extra)])
        self.n_base = int(self.base_offset[-1])
        self.n_new = self.n_base + int(self.extra_offset[-1])
        shares = np.array([ct.share for ct in scenario.demand.call_types], dtype=float)
        self._cum_share = np.cumsum(shares / shares.sum())

    def period(self, period: int, kind: int = BASE) -> PeriodArrivals:
        """The potential calls of one period: ``kind`` is :data:`BASE` or :data:`EXTRA`."""
        seg = self.segments
        mask = self.segment_period == period
        counts = (self.base_counts if kind == BASE else self.extra_counts)[mask]
        rng = self.streams.generator("arrivals", kind, period)
        n = int(counts.sum())
        offsets = rng.random(n)
        start = np.repeat(seg.start[mask], counts)
        length = np.repeat(seg.length[mask], counts)
        # Strictly inside the segment, so that no call arrives at a review's own instant.
        time = np.minimum(start + offsets * length, np.nextafter(start + length, -np.inf))
        day = np.repeat(seg.day[mask], counts)
        order = np.argsort(time, kind="stable")
        time, day = time[order], day[order]
        types = np.minimum(np.searchsorted(self._cum_share, self.streams.generator("call_types", kind, period)
                                           .random(n), side="right"), len(self._cum_share) - 1)
        customer = self.streams.generator("customers", kind, period).integers(
            0, self.scenario.customers.population, n)
        first = (int(self.base_offset[period]) if kind == BASE
                 else self.n_base + int(self.extra_offset[period]))
        return PeriodArrivals(call_id=first + np.arange(n, dtype=np.int64), time=time,
                              day=day.astype(np.int64), call_type=types.astype(np.int64),
                              customer=customer.astype(np.int64))


__all__ = ["BASE", "EXTRA", "REPEAT", "NewCalls", "PeriodArrivals"]

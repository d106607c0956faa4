"""New-call arrivals: a non-homogeneous Poisson process over the working calendar.

Time is working time in minutes: day ``d`` covers ``[d*L, (d+1)*L)`` with ``L``
the opening minutes per day, and nights are skipped, so the queue at closing time
carries into the next morning as if the line stayed open a little longer (an
assumption that keeps every call answered, abandoned or waiting). The rate is
piecewise constant per opening hour (``demand.intraday_profile``), so arrivals
are exact: a Poisson count per hour, placed uniformly within it.

Defect days add extra arrivals drawn in advance for *every* day from a stream of
their own; a day's extras join only if that day turns out to be a defect day. So
when process improvement removes a defect day, the normal arrivals stay the same
calls (common random numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from incentsim.random import Streams
from incentsim.scenario import Scenario


@dataclass(frozen=True)
class ArrivalSchedule:
    """Potential new calls: base arrivals, then every day's defect-day extras.

    Attributes:
        time: Arrival time (working minutes) per potential call.
        day: Working day per potential call.
        extra: Whether the call is a defect-day extra.
        base_bounds: ``base_bounds[d]:base_bounds[d+1]`` are day ``d``'s base calls.
        extra_bounds: Likewise for the extras (offset included).
        call_type: Call-type index per potential call.
        customer: Customer id per potential call.
    """

    time: np.ndarray
    day: np.ndarray
    extra: np.ndarray
    base_bounds: np.ndarray
    extra_bounds: np.ndarray
    call_type: np.ndarray
    customer: np.ndarray

    @property
    def size(self) -> int:
        """Number of potential new calls."""
        return int(self.time.size)

    def day_calls(self, day: int, defect: bool) -> np.ndarray:
        """Call numbers arriving on ``day`` in time order."""
        base = np.arange(self.base_bounds[day], self.base_bounds[day + 1])
        if not defect:
            return base
        extra = np.arange(self.extra_bounds[day], self.extra_bounds[day + 1])
        both = np.concatenate([base, extra])
        return both[np.argsort(self.time[both], kind="stable")]


def hourly_rates(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Segment lengths (minutes) and arrival rates (per minute) within one day."""
    hours = scenario.center.hours_per_day
    n = math.ceil(hours)
    lengths = np.full(n, 60.0)
    lengths[-1] = (hours - (n - 1)) * 60.0
    profile = np.asarray(scenario.demand.intraday_profile or [1.0] * n, dtype=float)
    # Rescale so the mean rate over the opening time equals calls_per_hour.
    profile = profile * lengths.sum() / float((profile * lengths).sum())
    return lengths, scenario.demand.calls_per_hour / 60.0 * profile


def _poisson_times(rng: np.random.Generator, days: int, day_len: float, lengths: np.ndarray,
                   rates: np.ndarray) -> np.ndarray:
    starts = np.concatenate([[0.0], np.cumsum(lengths)[:-1]])
    counts = rng.poisson(np.tile(rates * lengths, days))
    seg_start = (np.arange(days)[:, None] * day_len + starts[None, :]).ravel()
    seg_len = np.tile(lengths, days)
    offsets = rng.random(int(counts.sum()))
    t = np.repeat(seg_start, counts) + offsets * np.repeat(seg_len, counts)
    return np.sort(t)


def build_schedule(scenario: Scenario, streams: Streams) -> ArrivalSchedule:
    """Draw every potential new call of the horizon, with its type and customer."""
    c = scenario.center
    days = c.days_per_month * c.months
    day_len = c.hours_per_day * 60.0
    lengths, rates = hourly_rates(scenario)
    base = _poisson_times(streams.generator("arrivals", 0), days, day_len, lengths, rates)
    extra = _poisson_times(streams.generator("arrivals", 1), days, day_len, lengths,
                           rates * scenario.system.defect_volume)
    day_edges = np.arange(days + 1) * day_len
    base_bounds = np.searchsorted(base, day_edges)
    extra_bounds = np.searchsorted(extra, day_edges) + base.size
    time = np.concatenate([base, extra])
    n = time.size
    shares = np.array([ct.share for ct in scenario.demand.call_types], dtype=float)
    cum = np.cumsum(shares / shares.sum())
    call_type = np.minimum(np.searchsorted(cum, streams.generator("call_types").random(n),
                                           side="right"), len(shares) - 1)
    customer = streams.generator("customers").integers(0, scenario.customers.population, n)
    return ArrivalSchedule(
        time=time,
        day=np.minimum((time // day_len).astype(np.int64), days - 1),
        extra=np.concatenate([np.zeros(base.size, bool), np.ones(extra.size, bool)]),
        base_bounds=base_bounds,
        extra_bounds=extra_bounds,
        call_type=call_type.astype(np.int64),
        customer=customer.astype(np.int64),
    )

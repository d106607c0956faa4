"""The working clock: working days, opening hours, review periods and shifts, in working minutes.

Time in the engine is *working time* in minutes: day ``d`` covers
``[day_start[d], day_start[d+1])`` and nights (and closed weekdays) are skipped,
so the queue at closing time carries into the next opening as if the line stayed
open a little longer (an assumption that keeps every call answered, abandoned
or waiting, and the queue a continuous process).

Without ``center.opening`` every working day lasts ``hours_per_day`` hours and a
day's clock starts at 0 at opening. With it, working days follow the weekdays
the centre opens, Monday first, and each lasts its weekday's span. A review
period is ``days_per_month`` working days.

Arrival rates are piecewise constant per clock hour (:meth:`WorkingClock.segments`):
``demand.calls_per_hour`` times the weekday and intraday weights, rescaled so
that the mean rate over the opening hours of a week (of a day, without opening
hours) is ``calls_per_hour``.

Each line of ``center.staff`` is on duty in intervals of working time: its shift
clipped to each day's opening hours; shifts that meet across a night (a line
working to closing and from opening the next day) merge into one interval.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from incentsim.scenario import Scenario
from incentsim.scenario.staffing import WEEKDAYS, week_demand


@dataclass(frozen=True)
class Segments:
    """Stretches of constant arrival rate over the horizon (one per opening hour, or part of one).

    Attributes:
        start: Working minute each segment starts.
        length: Its length in minutes.
        rate: Arrival rate per minute (before defect days).
        day: Working day of each segment.
    """

    start: np.ndarray
    length: np.ndarray
    rate: np.ndarray
    day: np.ndarray


class WorkingClock:
    """Working days, periods and duty intervals of one scenario.

    Args:
        scenario: The scenario.
    """

    def __init__(self, scenario: Scenario) -> None:
        c = scenario.center
        self.scenario = scenario
        self.days_per_period = c.days_per_month
        self.periods = c.months
        self.days = c.days_per_month * c.months
        opening = c.opening
        if opening.given:
            week = opening.open_days
            self.weekday = np.array([WEEKDAYS.index(week[d % len(week)]) for d in range(self.days)],
                                    dtype=np.int64)
            spans = [opening.span(WEEKDAYS[w]) for w in self.weekday]
            self.open_hour = np.array([s[0] for s in spans if s is not None])
            self.close_hour = np.array([s[1] for s in spans if s is not None])
        else:
            self.weekday = np.full(self.days, -1, dtype=np.int64)
            self.open_hour = np.zeros(self.days)
            self.close_hour = np.full(self.days, float(c.hours_per_day))
        lengths = (self.close_hour - self.open_hour) * 60.0
        self.day_start = np.concatenate([[0.0], np.cumsum(lengths)])
        self.day_start_list: list[float] = self.day_start.tolist()
        self.horizon = float(self.day_start[-1])
        self.period_start = self.day_start[::self.days_per_period][: self.periods + 1].copy()
        self.period_start[-1] = self.horizon

    # ------------------------------------------------------------ days and periods
    def period_bounds(self, period: int) -> tuple[float, float]:
        """``(start, end)`` of a review period in working minutes."""
        return float(self.period_start[period]), float(self.period_start[period + 1])

    def period_days(self, period: int) -> range:
        """The working days of a review period."""
        first = period * self.days_per_period
        return range(first, min(self.days, first + self.days_per_period))

    def period_of(self, t: float) -> int:
        """The review period containing working minute ``t`` (the last for ``t`` at or past the horizon)."""
        return min(self.periods - 1, bisect_right(self.period_start.tolist(), t) - 1)

    def day_of(self, t: np.ndarray) -> np.ndarray:
        """Working day of each working minute."""
        return np.clip(np.searchsorted(self.day_start, t, side="right") - 1, 0, self.days - 1)

    def day_position(self, t: float) -> float:
        """Working days elapsed at working minute ``t``: the day index plus the share of it gone.

        Negative and beyond-horizon times extend the first and last day's length.
        """
        if t < 0:
            return t / (self.day_start[1] - self.day_start[0])
        d = min(self.days - 1, bisect_right(self.day_start_list, t) - 1)
        length = self.day_start[d + 1] - self.day_start[d]
        return d + (t - self.day_start[d]) / length

    def after_days(self, t: float, days: float) -> float:
        """The working minute ``days`` working days after ``t`` (same share of the day)."""
        target = self.day_position(t) + days
        if target >= self.days:
            return self.horizon + (target - self.days) * float(self.day_start[-1] - self.day_start[-2])
        d = int(math.floor(target))
        return float(self.day_start[d] + (target - d) * (self.day_start[d + 1] - self.day_start[d]))

    @property
    def mean_day_minutes(self) -> float:
        """Mean opening minutes per working day."""
        return self.horizon / self.days

    # ------------------------------------------------------------ arrivals
    def segments(self) -> Segments:
        """The horizon's stretches of constant arrival rate (one per clock hour open)."""
        sc = self.scenario
        demand = sc.demand
        with_opening = sc.center.opening.given
        profile = np.asarray(demand.intraday_profile, dtype=float)
        weekday = np.asarray(demand.weekday_profile or [1.0] * 7, dtype=float)
        starts, lengths, hours, days = [], [], [], []
        for d in range(self.days):
            lo, hi = float(self.open_hour[d]), float(self.close_hour[d])
            edges = [lo] + [float(h) for h in range(math.floor(lo) + 1, math.ceil(hi))] + [hi]
            for a, b in zip(edges[:-1], edges[1:], strict=True):
                starts.append(self.day_start[d] + (a - lo) * 60.0)
                lengths.append((b - a) * 60.0)
                hours.append(int(math.floor(a)))
                days.append(d)
        start = np.asarray(starts)
        length = np.asarray(lengths)
        hour = np.asarray(hours, dtype=np.int64)
        day = np.asarray(days, dtype=np.int64)
        weight = profile[hour] if profile.size else np.ones(hour.size)
        if with_opening:
            weight = weight * weekday[self.weekday[day]]
            # The mean over one week of opening hours (the weekdays the centre opens once each).
            open_days = sc.center.opening.open_days
            if self.days >= len(open_days):
                in_week = day < len(open_days)
                mean = float((weight[in_week] * length[in_week]).sum() / length[in_week].sum())
            else:  # a horizon shorter than a week: the mean over a whole week all the same
                mean = _week_mean(sc, profile, weekday)
        else:
            first = day == 0
            mean = float((weight[first] * length[first]).sum() / length[first].sum())
        rate = demand.calls_per_hour / 60.0 * weight / mean
        return Segments(start=start, length=length, rate=rate, day=day)

    # ------------------------------------------------------------ shifts
    def duty(self, line_days: tuple[str, ...], start: float | None, hours: float | None) -> np.ndarray:
        """On-duty intervals (rows ``[begin, end)`` in working minutes) of a staffing line, merged."""
        out: list[list[float]] = []
        for d in range(self.days):
            if line_days and (self.weekday[d] < 0 or WEEKDAYS[self.weekday[d]] not in line_days):
                continue
            lo, hi = float(self.open_hour[d]), float(self.close_hour[d])
            begin = lo if start is None else max(lo, start)
            end = hi if hours is None else min(hi, (lo if start is None else start) + hours)
            if end <= begin:
                continue
            a = self.day_start[d] + (begin - lo) * 60.0
            b = self.day_start[d] + (end - lo) * 60.0
            if out and abs(out[-1][1] - a) < 1e-9:
                out[-1][1] = b
            else:
                out.append([a, b])
        return np.asarray(out, dtype=float).reshape(-1, 2)


def _week_mean(sc: Scenario, profile: np.ndarray, weekday: np.ndarray) -> float:
    """Mean intraday-times-weekday weight over one week of opening hours (each open weekday once)."""
    opening = sc.center.opening
    spans = {day: span for day in opening.open_days if (span := opening.span(day)) is not None}
    total, hours = week_demand(spans, profile.tolist(), weekday.tolist())
    return total / hours


def overlap(intervals: np.ndarray, begin: float, end: float) -> float:
    """Minutes of ``[begin, end)`` covered by disjoint intervals (rows ``[a, b)``)."""
    if intervals.size == 0:
        return 0.0
    return float(np.clip(np.minimum(intervals[:, 1], end) - np.maximum(intervals[:, 0], begin), 0.0, None).sum())


__all__ = ["Segments", "WorkingClock", "overlap"]

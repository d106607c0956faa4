"""The centre's working calendar, read from a call log, and its working-time clock.

* **Working days** are the dates on which at least one call arrived.
* **Opening hours** are, for each weekday, the clock hours from the first to the last
  that hold at least 0.2% of that weekday's calls (stray calls at odd hours do not
  stretch the day); calls outside are counted in the nearest opening hour. They are
  written as ``center.opening``; ``open_hour`` and ``hours_per_day`` give the span
  that covers every weekday's.
* **Review periods** are calendar months; ``days_per_month`` is the median number of
  working days in the months strictly inside the log (all months when there are fewer
  than three), and ``months`` the log's working days divided by it.
* **Working time** counts minutes of opening time only, as the engine's clock does
  (``docs/explanation/model.md``): the minute a day opens follows the minute the day
  before closed. Repeat-call delays are measured on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from incentsim.scenario.base import field_bound
from incentsim.scenario.operation import Center
from incentsim.scenario.staffing import WEEKDAYS

__all__ = ["MIN_HOUR_SHARE", "Calendar"]

#: Share of calls a clock hour needs to count as an opening hour at either end of the day.
MIN_HOUR_SHARE = 0.002
#: Most review periods a calibrated scenario simulates (the scenario's limit).
MAX_MONTHS = field_bound(Center, "months", "le")


@dataclass(frozen=True)
class Calendar:
    """Opening hours, working days and review periods of a call log.

    Attributes:
        open_hour: Clock hour the day opens (0-23).
        hours_per_day: Opening hours per working day (whole hours).
        days: Working days (dates, midnight), in order.
        days_per_month: Working days per review period.
        months: Review periods the log covers (at least 1).
        outside: Calls that arrived outside the opening hours.
    """

    open_hour: int
    hours_per_day: int
    days: pd.DatetimeIndex
    days_per_month: int
    months: int
    outside: int
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def from_arrivals(cls, arrival: pd.Series) -> Calendar:
        """Read the calendar from arrival timestamps."""
        hours = arrival.dt.hour.to_numpy()
        weekday = arrival.dt.day_of_week.to_numpy()
        spans = {}
        for day in np.unique(weekday).tolist():
            mine = hours[weekday == day]
            counts = np.bincount(mine, minlength=24)
            busy = np.flatnonzero(counts >= MIN_HOUR_SHARE * len(mine))
            if busy.size == 0:
                busy = np.flatnonzero(counts)
            spans[int(day)] = (int(busy[0]), int(busy[-1]) + 1)
        first = min(a for a, _ in spans.values())
        last = max(b for _, b in spans.values()) - 1
        open_at = np.array([spans[int(d)][0] for d in weekday])
        close_at = np.array([spans[int(d)][1] for d in weekday])
        outside = int(((hours < open_at) | (hours >= close_at)).sum())
        days = pd.DatetimeIndex(np.unique(arrival.dt.normalize().to_numpy()))
        per_month = pd.Series(1, index=days).groupby(days.to_period("M")).sum().to_numpy()
        inner = per_month[1:-1] if per_month.size >= 3 else per_month
        days_per_month = max(1, round(float(np.median(inner))))
        months = min(MAX_MONTHS, max(1, round(len(days) / days_per_month)))
        return cls(open_hour=first, hours_per_day=last - first + 1, days=days,
                   days_per_month=days_per_month, months=months, outside=outside, spans=spans)

    def span(self, weekday: int) -> tuple[int, int]:
        """``(open, close)`` clock hours of a weekday (Monday 0); the covering span if unknown."""
        return self.spans.get(weekday, (self.open_hour, self.open_hour + self.hours_per_day))

    @property
    def day_hours(self) -> np.ndarray:
        """Opening hours of each working day."""
        return np.array([self.span(d)[1] - self.span(d)[0] for d in self.days.day_of_week], dtype=float)

    @property
    def day_open(self) -> np.ndarray:
        """Clock hour each working day opens."""
        return np.array([self.span(d)[0] for d in self.days.day_of_week], dtype=float)

    @property
    def day_start(self) -> np.ndarray:
        """Working minute each working day opens (one more entry: the end of the last day)."""
        return np.concatenate([[0.0], np.cumsum(60.0 * self.day_hours)])

    def opening(self) -> dict[str, list[float]]:
        """Opening hours per weekday, as ``center.opening`` takes them."""
        return {WEEKDAYS[d]: [float(a), float(b)] for d, (a, b) in sorted(self.spans.items())}

    def open_hours(self, weekday: int) -> np.ndarray:
        """Whether each clock hour of the covering span is open on a weekday (Monday 0)."""
        a, b = self.span(weekday)
        hour = self.open_hour + np.arange(self.hours_per_day)
        return (hour >= a) & (hour < b)

    @property
    def day_minutes(self) -> float:
        """Opening minutes of the covering span (the longest day)."""
        return 60.0 * self.hours_per_day

    @property
    def working_days(self) -> int:
        """Number of working days."""
        return len(self.days)

    @property
    def opening_hours(self) -> float:
        """Opening hours over the whole log."""
        return float(self.day_hours.sum())

    def clock_hour(self, stamps: pd.Series) -> np.ndarray:
        """Opening hour index (0 = first hour) of each timestamp, outside hours clipped in."""
        return np.clip(stamps.dt.hour.to_numpy() - self.open_hour, 0, self.hours_per_day - 1)

    def day_index(self, stamps: pd.Series) -> np.ndarray:
        """Working-day index of each timestamp's date (-1 for a date that is not a working day)."""
        dates = stamps.dt.normalize().to_numpy()
        index = np.searchsorted(self.days.to_numpy(), dates)
        index = np.minimum(index, len(self.days) - 1)
        return np.where(self.days.to_numpy()[index] == dates, index, -1)

    def working_minutes(self, stamps: pd.Series) -> np.ndarray:
        """Minutes of opening time from the log's first opening minute to each timestamp.

        A time before opening counts as the opening minute, one after closing as the
        closing minute; a date that is not a working day counts from the next working day.
        """
        dates = stamps.dt.normalize()
        index = np.searchsorted(self.days.to_numpy(), dates.to_numpy())
        inside = np.minimum(index, len(self.days) - 1)
        start = self.day_start
        length = 60.0 * self.day_hours
        minutes = ((stamps - dates).dt.total_seconds().to_numpy() / 60.0 - 60.0 * self.day_open[inside])
        minutes = np.where(index < len(self.days), np.clip(minutes, 0.0, length[inside]), 0.0)
        return start[index] + minutes

    @property
    def end_minutes(self) -> float:
        """Working minutes from the first opening to the last closing."""
        return float(self.day_start[-1])

    def weekday_days(self) -> pd.Series:
        """Working days per weekday (Mon..Sun), weekdays without any left out."""
        counts = pd.Series(self.days.day_of_week).value_counts().sort_index()
        return pd.Series(counts.to_numpy(), index=[WEEKDAYS[d] for d in counts.index])

    def describe(self) -> str:
        """``08:00-16:00, 8 hours a day, 21 working days a month, 3 months (63 working days)``."""
        distinct = sorted(set(self.spans.values()))
        if len(distinct) <= 1:
            close = (self.open_hour + self.hours_per_day) % 24
            hours = f"{self.open_hour:02d}:00-{close:02d}:00, {self.hours_per_day} hours a day"
        else:
            hours = ", ".join(f"{WEEKDAYS[d]} {a:02d}-{b % 24:02d}" for d, (a, b) in sorted(self.spans.items()))
        return (f"{hours}, {self.days_per_month} working days a month, {self.months} month(s) "
                f"({self.working_days} working days)")

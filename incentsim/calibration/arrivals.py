"""Arrival rates: new calls per opening hour, by hour of day and by weekday, and the call mix.

Every call counts with its weight as a *new* call (one minus the chance it is a repeat of
the same customer's previous call, :mod:`~incentsim.calibration.repeats`): the engine
makes repeat calls itself from unresolved ones, so counting them in the rate would count
them twice. Without customer ids every call counts as new.

* ``new_calls_per_hour``: the weighted calls over the opening hours of the log;
* the intraday profile: weighted calls per clock hour over their mean (the engine rescales
  ``demand.intraday_profile`` to mean 1);
* the weekday profile: weighted calls per working day of each weekday over the mean per
  working day (the engine has one day shape; reported, not written);
* the call mix: each type's share of the weighted calls;
* the daily index of dispersion (variance over mean of the calls per working day): 1 for
  a Poisson process with a constant rate; larger when days differ (weekdays, outages).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from incentsim.calibration.calendar import Calendar

__all__ = ["ArrivalFit", "fit_arrivals"]


@dataclass(frozen=True)
class ArrivalFit:
    """Arrival estimates.

    Attributes:
        calls_per_hour: All calls (new and repeat) per opening hour.
        new_calls_per_hour: New calls per opening hour.
        intraday: Relative new-call rate per clock hour (mean 1), index the hour.
        weekday: Relative new-call rate per working day of each weekday (mean 1).
        type_share: Share of new calls per call type.
        calls_by_hour: Calls (all) per clock hour, over the whole log.
        dispersion: Index of dispersion of the calls per working day.
    """

    calls_per_hour: float
    new_calls_per_hour: float
    intraday: pd.Series
    weekday: pd.Series
    type_share: pd.Series
    calls_by_hour: pd.Series
    dispersion: float


def fit_arrivals(log: pd.DataFrame, calendar: Calendar, new_weight: np.ndarray) -> ArrivalFit:
    """Arrival rates of a checked log (see the module documentation)."""
    hour = calendar.open_hour + calendar.clock_hour(log["arrival"])
    day = calendar.day_index(log["arrival"])
    hours = np.arange(calendar.open_hour, calendar.open_hour + calendar.hours_per_day)
    weighted = pd.Series(new_weight, index=log.index)
    by_hour = weighted.groupby(hour).sum().reindex(hours, fill_value=0.0)
    intraday = by_hour / by_hour.mean() if by_hour.mean() > 0 else by_hour * 0 + 1.0
    per_day = np.bincount(day[day >= 0], weights=new_weight[day >= 0], minlength=calendar.working_days)
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    weekdays = calendar.days.day_of_week.to_numpy()
    weekday = pd.Series(per_day).groupby(weekdays).mean()
    weekday = weekday / per_day.mean() if per_day.mean() > 0 else weekday
    weekday.index = [names[d] for d in weekday.index]
    all_per_day = np.bincount(day[day >= 0], minlength=calendar.working_days)
    dispersion = float(all_per_day.var(ddof=1) / all_per_day.mean()) if calendar.working_days > 1 else float("nan")
    shares = weighted.groupby(log["call_type"].to_numpy()).sum()
    shares = shares / shares.sum()
    return ArrivalFit(
        calls_per_hour=len(log) / calendar.opening_hours,
        new_calls_per_hour=float(new_weight.sum()) / calendar.opening_hours,
        intraday=intraday, weekday=weekday, type_share=shares.sort_index(),
        calls_by_hour=pd.Series(np.bincount(hour - calendar.open_hour, minlength=calendar.hours_per_day),
                                index=hours),
        dispersion=dispersion)

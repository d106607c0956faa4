"""The figures set side by side, data against a simulation of the calibrated scenario.

Each is computed by the same function on both logs (the manager's and the simulated
run's, written with :func:`~incentsim.calibration.to_call_log` on the data's calendar), so
a difference is the scenario's, not the method's:

* calls per opening hour (new and repeat);
* per call type: AHT (mean handle seconds of answered calls) and its CV;
* share queued: calls that waited at all (wait over 0 seconds);
* abandonment among queued: abandoned calls over queued calls;
* mean wait (seconds, every call);
* share transferred (answered calls passed on), when the log says;
* agents serving per opening hour and their occupancy (:mod:`~incentsim.calibration.agents`);
* the people share (ICC) of monthly AHT, raw and with the call-type mix removed (the
  agent-month mean of the log residual), over agent-months with at least 30 calls;
* the share of agents ranking non-randomly on monthly AHT (source 000's coin-flip test,
  :func:`~incentsim.stats.rank_consistency`) and the share chance alone would flag.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from incentsim.calibration.agents import monthly_panel, staffing
from incentsim.calibration.calendar import Calendar
from incentsim.errors import InputError

__all__ = ["log_figures"]


def _icc(panel: pd.DataFrame, metric: str) -> float:
    from incentsim.stats.variance_components import variance_components

    if panel["month"].nunique() < 2 or panel["agent"].nunique() < 2:
        return math.nan
    try:
        return float(variance_components(panel, "agent", "month", metric).icc)
    except InputError:
        return math.nan


def _non_random(panel: pd.DataFrame) -> tuple[float, float]:
    from incentsim.stats.rank_consistency import rank_consistency

    if panel["month"].nunique() < 2 or panel["agent"].nunique() < 2:
        return math.nan, math.nan
    try:
        result = rank_consistency(panel, "agent", "month", "aht", higher_is_better=False)
    except InputError:
        return math.nan, math.nan
    return result.share_non_random, result.chance_share


def log_figures(log: pd.DataFrame, calendar: Calendar | None = None) -> dict[str, float]:
    """The side-by-side figures of one checked call log, in display order (module documentation)."""
    calendar = calendar or Calendar.from_arrivals(log["arrival"])
    out: dict[str, float] = {"calls per opening hour": len(log) / calendar.opening_hours}
    answered = log.loc[log["answered"]]
    for kind, seconds in answered.groupby("call_type", sort=True)["handle_seconds"]:
        values = seconds.to_numpy(dtype=float)
        out[f"AHT {kind} (s)"] = float(values.mean())
        out[f"CV {kind}"] = float(values.std(ddof=1) / values.mean()) if values.size > 1 else math.nan
    wait = log["wait_seconds"].to_numpy(dtype=float)
    queued = wait > 0
    out["share queued"] = float(queued.mean())
    abandoned = ~log["answered"].to_numpy(dtype=bool)
    out["abandonment among queued"] = float((abandoned & queued).sum() / queued.sum()) if queued.any() else math.nan
    out["mean wait (s)"] = float(wait.mean())
    if "transferred" in log.columns:
        out["share transferred"] = float(answered["transferred"].mean()) if len(answered) else math.nan
    served = staffing(log, calendar)
    out["agents serving per opening hour"] = served.mean
    out["occupancy"] = served.occupancy
    panel = monthly_panel(log)
    out["ICC of monthly AHT"] = _icc(panel, "aht")
    out["ICC of monthly AHT, mix removed"] = _icc(panel, "mix_adjusted")
    share, chance = _non_random(panel)
    out["agents non-random on monthly AHT"] = share
    out["  chance alone would flag"] = chance
    return {k: (float(v) if v is not None and np.isfinite(v) else math.nan) for k, v in out.items()}

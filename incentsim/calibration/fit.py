"""``calibrate``: a call log in, a scenario of that centre out, with a report of the fit.

The steps, each in its own module:

1. check the log (:mod:`~incentsim.calibration.calllog`) and read its calendar
   (:mod:`~incentsim.calibration.calendar`);
2. estimate directly from the data: repeat calls (:mod:`~incentsim.calibration.repeats`),
   arrival rates (:mod:`~incentsim.calibration.arrivals`), handle-time laws
   (:mod:`~incentsim.calibration.handle_times`), patience
   (:mod:`~incentsim.calibration.patience`), speed differences, skills and staffing
   (:mod:`~incentsim.calibration.agents`), transfers (share of answered calls transferred,
   per type);
3. write them into a copy of a base scenario (``baseline`` unless told otherwise): what a
   call log cannot tell (motivation, measurement, costs, policies, defect days, tier 2's
   handle time) stays as the base has it;
4. **refine** by the method of simulated moments (McFadden 1989, *Econometrica* 57,
   995-1026): simulate the scenario under flat pay *with no individual speed spread*,
   compute the same statistics on the simulated log, and correct each parameter by the
   gap: multiplicatively for handle-time means, escalation and non-resolution (what
   care, learning, defect days and tier 2 add to them), additively for the
   log-variance of handle time. The simulation covers at least
   :data:`REFINE_CALLS` calls (more months than the log when the log is short), so that
   the simulation's own luck is small beside the data's. What the simulated
   agents still differ by is what the engine's other mechanisms add (care varies with
   motivation and costs time, new hires are slow); ``people.speed_sd`` gets the rest of
   the data's spread, ``speed_sd**2 = agent_var(data) - agent_var(simulated)``. Simulating
   without the speed spread keeps the step free of the luck of which agents a small
   simulated centre draws. The speed spread then enters analytically: with the
   longest-idle routing an agent with speed multiplier ``m`` takes calls in proportion to
   ``1 / (m + (1 - occupancy) / occupancy)`` (each agent waits about as long between
   calls), so the average handle time of *calls* is the mean of ``m`` under those weights
   (an approximation, exact at full and at low load); handle-time means are divided by it
   and the variance of ``log m`` under the same weights is taken off the log-variance.
   One step usually suffices; ``refine=0`` skips it and writes the direct estimates;
5. **check**: simulate the final scenario on a replication the refinement did not use and
   set the figures of :mod:`~incentsim.calibration.figures` side by side (with several
   replications, their range shows how much a centre of this size varies by luck alone).

``center.tier1_agents`` is the mean number of agents serving per opening hour, weighted by
the calls arriving in each hour (the staffing a caller meets on average), because without
a staffing plan every seat is filled whenever the centre is open; refinement scales it by
the data's over the simulation's agents serving, since seats stand empty while leavers are
replaced. When the log's week is not uniform (:mod:`~incentsim.calibration.schedule`:
skill groups, opening hours or demand that differ by weekday, staffing that varies by
hour) the scenario also gets ``center.opening``, ``demand.weekday_profile`` and a staffing
plan ``center.staff``, whose seats are then ``center.tier1_agents`` and which refinement
scales the same way.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from incentsim.calibration.agents import AgentSpread, agent_spread, monthly_panel, skills, staffing
from incentsim.calibration.arrivals import fit_arrivals
from incentsim.calibration.calendar import Calendar
from incentsim.calibration.calllog import check_call_log, read_call_log
from incentsim.calibration.export import to_call_log
from incentsim.calibration.figures import log_figures
from incentsim.calibration.handle_times import HandleTimeFit, fit_handle_times, lognormal_cv
from incentsim.calibration.patience import fit_patience
from incentsim.calibration.repeats import ABANDONED, RepeatFit, fit_repeats
from incentsim.calibration.report import CallLogFit, thin_data_warnings
from incentsim.calibration.schedule import Week, read_week
from incentsim.errors import InputError
from incentsim.scenario import Center, Customers, Duration, Patience, Scenario
from incentsim.scenario.base import field_bound

__all__ = ["calibrate", "fit", "speed_effect"]

#: Smallest log-variance written for a lognormal handle-time law (CV about 0.01).
_MIN_LOG_VAR = 1e-4
#: Fewest calls a refinement simulation covers (it runs more months than the log if needed).
REFINE_CALLS = 100_000
#: Load a tier-2 agent carries when tier 2 is sized from the escalations.
_TIER2_OCCUPANCY = 0.85
#: Largest coefficient of variation a scenario's handle-time and patience laws take (a few calls
#: in a tiny log can give more).
_MAX_CV = field_bound(Duration, "cv", "le")
_MAX_PATIENCE_CV = field_bound(Patience, "cv", "le")
#: Smallest ``customers.repeat_delay_hours`` a scenario takes.
_MIN_REPEAT_DELAY_HOURS = field_bound(Customers, "repeat_delay_hours", "ge")
#: Most seats and staffing lines a scenario takes (``center.tier1_agents``, ``center.staff``).
_MAX_SEATS, _MAX_LINES = field_bound(Center, "tier1_agents", "le"), field_bound(Center, "staff", "max_length")


@dataclass
class _Moments:
    """The statistics refinement matches: each computed the same way on data and simulation."""

    calls_per_hour: float
    aht: dict[str, float]
    log_var: dict[str, float]
    transferred: dict[str, float]
    unresolved: dict[str, float]
    agent_var: float
    serving: float


def _moments(log: pd.DataFrame, calendar: Calendar, handle: dict[str, HandleTimeFit], spread: AgentSpread,
             repeats: RepeatFit) -> _Moments:
    answered = log.loc[log["answered"]]
    transferred = (answered.groupby("call_type")["transferred"].mean().to_dict()
                   if "transferred" in log.columns else {})
    return _Moments(
        calls_per_hour=len(log) / calendar.opening_hours,
        aht={k: h.mean for k, h in handle.items()}, log_var={k: h.log_var for k, h in handle.items()},
        transferred={str(k): float(v) for k, v in transferred.items()},
        unresolved={k: v for k, v in repeats.chance_by_group.items() if k != ABANDONED},
        agent_var=spread.agent_var if spread.agent_var == spread.agent_var else 0.0,
        serving=staffing(log, calendar).weighted_mean)


@dataclass
class _Parameters:
    """What calibration writes, in a form refinement can adjust."""

    calls_per_hour: float
    share: dict[str, float]
    mean_minutes: dict[str, float]
    log_var: dict[str, float]
    law: dict[str, str]
    escalation: dict[str, float]
    resolution: dict[str, float]
    speed_var: float
    tier1: int
    tier1_fixed: bool
    staff_scale: float = 1.0

    def adjust(self, data: _Moments, sim: _Moments, occupancy: float) -> dict[str, Any]:
        """One step of simulated moments from a simulation at zero speed spread; returns the change."""
        before = self.shown()
        speed_var = max(0.0, data.agent_var - sim.agent_var)
        gain, spread = speed_effect(math.sqrt(speed_var), occupancy)
        for kind in self.mean_minutes:
            if sim.aht.get(kind, 0) > 0 and kind in data.aht:
                self.mean_minutes[kind] *= data.aht[kind] / (sim.aht[kind] * gain)
            if kind in sim.log_var and kind in data.log_var:
                added = sim.log_var[kind] - self.log_var[kind]  # what the engine adds to the base law
                self.log_var[kind] = max(_MIN_LOG_VAR, data.log_var[kind] - spread - added)
            if sim.transferred.get(kind, 0) > 0 and kind in data.transferred:
                self.escalation[kind] = min(1.0, self.escalation[kind] * data.transferred[kind]
                                            / sim.transferred[kind])
            if sim.unresolved.get(kind, 0) > 0 and kind in data.unresolved:
                unresolved = (1.0 - self.resolution[kind]) * data.unresolved[kind] / sim.unresolved[kind]
                self.resolution[kind] = min(1.0, max(0.0, 1.0 - unresolved))
        self.speed_var = speed_var
        if not self.tier1_fixed and sim.serving > 0:
            # Seats stand empty while a leaver's replacement is hired: scale so that as many
            # agents serve in the simulation as in the data.
            self.tier1 = max(1, round(self.tier1 * data.serving / sim.serving))
            self.staff_scale *= data.serving / sim.serving
        return {"before": before, "after": self.shown(), "engine_agent_var": sim.agent_var}

    def shown(self) -> dict[str, float]:
        """The parameters a report shows for a refinement step."""
        return {"calls_per_hour": self.calls_per_hour, "speed_sd": math.sqrt(self.speed_var),
                "tier1_agents": float(self.tier1),
                **{f"mean {k}": v for k, v in self.mean_minutes.items()},
                **{f"cv {k}": lognormal_cv(v) for k, v in self.log_var.items()}}


def speed_effect(speed_sd: float, occupancy: float) -> tuple[float, float]:
    """Mean and variance of an agent's log-normal speed multiplier over *calls* (``fit`` docs).

    Returns ``(mean multiplier, variance of its log)`` with each agent weighted by the calls
    it takes, ``1 / (m + (1 - occupancy) / occupancy)``.
    """
    if speed_sd <= 0:
        return 1.0, 0.0
    rho = min(max(occupancy, 0.05), 0.99) if occupancy == occupancy else 0.8
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    weights = weights / weights.sum()
    log_m = speed_sd * nodes
    calls = weights / (np.exp(log_m) + (1.0 - rho) / rho)
    calls /= calls.sum()
    mean = float((calls * np.exp(log_m)).sum())
    centre = float((calls * log_m).sum())
    return mean, float((calls * (log_m - centre) ** 2).sum())


def _base(base: Scenario | str | Path | None) -> Scenario:
    if isinstance(base, Scenario):
        return base
    if base is None:
        return Scenario.shipped("baseline")
    from incentsim.scenario.shipped import resolve

    return Scenario.load(resolve(base))


def _type_defaults(base: Scenario, kind: str) -> dict[str, float]:
    for ct in base.demand.call_types:
        if ct.name == kind:
            return {"upset": ct.upset, "resolution": ct.resolution, "escalation": ct.escalation}
    return {"upset": 0.2, "resolution": 0.85, "escalation": 0.0}


def _week_changes(week: Week, p: _Parameters) -> dict[str, Any]:
    """``center.opening``, the demand profiles and ``center.staff`` when the log's week is written."""
    if not week.written:
        return {"center.opening": {}, "demand.weekday_profile": [], "center.staff": []}
    changes: dict[str, Any] = {
        "center.opening": week.opening,
        "demand.intraday_profile": [round(float(v), 4) for v in week.intraday],
        "demand.weekday_profile": [round(float(v), 4) for v in week.weekday],
        "center.staff": []}
    if week.staffed and not p.tier1_fixed:
        types = tuple(sorted(p.share))
        lines = week.plan(p.staff_scale, types)
        seats = sum(int(line["agents"]) for line in lines)  # type: ignore[call-overload]
        held = {kind for line in lines for kind in (line["skills"] or types)}  # type: ignore[attr-defined]
        # A plan the scenario could not hold (a type nobody is on duty for, more seats or
        # lines than a scenario allows) is left out: the single pool stands instead.
        if lines and held >= set(types) and seats <= _MAX_SEATS and len(lines) <= _MAX_LINES:
            changes["center.staff"] = lines
            changes["center.tier1_agents"] = seats
    return changes


def _scenario(base: Scenario, p: _Parameters, calendar: Calendar, profile: list[float],
              patience: dict[str, Any], repeats: RepeatFit, name: str, description: str,
              week: Week | None = None) -> Scenario:
    week_changes = _week_changes(week, p) if week is not None else {}
    tier1 = int(week_changes.get("center.tier1_agents", p.tier1))
    types = []
    for kind in sorted(p.share):
        law = ({"law": "exponential", "mean": p.mean_minutes[kind], "cv": 1.0} if p.law[kind] == "exponential"
               else {"law": "lognormal", "mean": p.mean_minutes[kind],
                     "cv": min(_MAX_CV, lognormal_cv(p.log_var[kind]))})
        types.append({"name": kind, "share": max(p.share[kind], 1e-9), "handle_time": law,
                      "resolution": p.resolution[kind], "escalation": p.escalation[kind],
                      "upset": _type_defaults(base, kind)["upset"]})
    escalated = sum(p.share[k] * p.escalation[k] for k in p.share) / max(sum(p.share.values()), 1e-12)
    tier2_load = p.calls_per_hour * escalated * base.tier2.handle_time.mean / 60.0
    tier2 = (max(1, math.ceil(tier2_load / _TIER2_OCCUPANCY)) if escalated > 0
             else round(base.center.tier2_agents * tier1 / base.center.tier1_agents))
    changes: dict[str, Any] = {
        "name": name, "description": description,
        "center.tier1_agents": tier1, "center.tier2_agents": tier2,
        "center.hours_per_day": float(calendar.hours_per_day), "center.days_per_month": calendar.days_per_month,
        "center.months": calendar.months,
        "demand.calls_per_hour": p.calls_per_hour, "demand.intraday_profile": profile,
        "demand.call_types": types, "customers.patience": patience,
        "people.speed_sd": min(2.0, math.sqrt(p.speed_var)),
    }
    changes |= week_changes
    if repeats.available and repeats.found:
        changes |= {"customers.repeat_chance": repeats.repeat_chance,
                    # the scenario's smallest delay (a few calls in a tiny log can give less)
                    "customers.repeat_delay_hours": max(_MIN_REPEAT_DELAY_HOURS, repeats.delay_hours),
                    "customers.population": repeats.population(p.calls_per_hour)}
    elif repeats.available:
        changes |= {"customers.repeat_chance": 0.0, "customers.population": repeats.population(p.calls_per_hour)}
    else:
        changes |= {"customers.repeat_chance": 0.0}
    return base.replace(**changes)


def _simulate_log(scenario: Scenario, calendar: Calendar, seed: int, replication: int) -> pd.DataFrame:
    from incentsim.engine.simulate import simulate
    from incentsim.policies.builtin import Flat

    run = simulate(scenario, Flat(), seed=seed, replication=replication)
    weekdays = sorted(set(calendar.days.day_of_week.tolist()))
    log = to_call_log(run, start=str(calendar.days[0].date()), opens=f"{calendar.open_hour:02d}:00",
                      weekdays=weekdays)
    return check_call_log(log, source="simulated log")


def _estimates(log: pd.DataFrame, calendar: Calendar) -> tuple[RepeatFit, dict[str, HandleTimeFit], AgentSpread]:
    return fit_repeats(log, calendar), fit_handle_times(log), agent_spread(log)


def fit(calls: pd.DataFrame | str | Path, *, base: Scenario | str | Path | None = None, name: str | None = None,
        refine: int = 1, check: int = 1, seed: int = 0, tier1_agents: int | None = None,
        sep: str = ",", decimal: str = ".", progress: Callable[[str], None] | None = None,
        refine_calls: int = REFINE_CALLS) -> CallLogFit:
    """Calibrate a scenario to a call log and report the fit.

    Args:
        calls: The call log: a file (CSV or Parquet, the format of
            :mod:`~incentsim.calibration.calllog`) or a DataFrame in that format.
        base: The scenario whose settings a log cannot tell are kept: a shipped name, a
            ``.toml`` path or a :class:`~incentsim.Scenario` (default: ``baseline``).
        name: The new scenario's name (default: the file's stem, else ``my_centre``).
        refine: Refinement steps by simulated moments (each simulates the log's horizon
            once); 0 writes the direct estimates.
        check: Replications of the calibrated scenario to simulate (over the log's horizon)
            and set beside the data: the table shows their mean and, with two or more,
            their range; 0 skips the check.
        seed: Seed of the refinement and check simulations.
        tier1_agents: Override the estimated number of tier-1 agents.
        sep: Column separator of a CSV file.
        decimal: Decimal mark of a CSV file.
        progress: Called with a short message before each slow step (e.g. ``print``).
        refine_calls: Fewest calls a refinement simulation covers (more months than the
            log when the log is shorter).

    Returns:
        The :class:`~incentsim.calibration.CallLogFit`; its ``scenario`` is the result.

    Raises:
        InputError: If the log is unusable (every problem named, with rows) or an option
            is out of range.
    """
    if refine < 0 or refine > 5:
        raise InputError.single("calibrate", "refine", f"{refine!r}: allowed 0 to 5 steps")
    if check < 0 or check > 20:
        raise InputError.single("calibrate", "check", f"{check!r}: allowed 0 to 20 replications")
    if tier1_agents is not None and tier1_agents < 1:
        raise InputError.single("calibrate", "tier1_agents", f"{tier1_agents!r} must be at least 1")
    say = progress or (lambda _message: None)
    if isinstance(calls, pd.DataFrame):
        source, log = "call log", check_call_log(calls)
    else:
        source, log = str(calls), read_call_log(calls, sep=sep, decimal=decimal)
    base_scenario = _base(base)
    calendar = Calendar.from_arrivals(log["arrival"])
    repeats, handle, spread = _estimates(log, calendar)
    arrivals = fit_arrivals(log, calendar, repeats.new_weight)
    patience = fit_patience(log)
    served = staffing(log, calendar)
    skill = skills(log)
    week = read_week(log, calendar, repeats.new_weight, skill)
    data_moments = _moments(log, calendar, handle, spread, repeats)
    system = base_scenario.system
    defect_volume = 1.0 + system.defect_day_probability * system.defect_volume
    defect_time = 1.0 + system.defect_day_probability * (system.defect_complexity - 1.0)
    kinds = sorted(handle)
    agent_var = data_moments.agent_var
    gain, spread_var = speed_effect(math.sqrt(agent_var), served.occupancy)
    params = _Parameters(
        calls_per_hour=arrivals.new_calls_per_hour / defect_volume,
        share={k: float(arrivals.type_share.get(k, 0.0)) for k in kinds},
        mean_minutes={k: handle[k].mean / 60.0 / defect_time / gain for k in kinds},
        log_var={k: max(_MIN_LOG_VAR, handle[k].log_var - spread_var) for k in kinds},
        law={k: handle[k].law for k in kinds},
        escalation={k: data_moments.transferred.get(k, 0.0) for k in kinds},
        resolution={k: repeats.resolution.get(k, _type_defaults(base_scenario, k)["resolution"]) for k in kinds},
        speed_var=agent_var, tier1=tier1_agents or served.tier1_agents, tier1_fixed=tier1_agents is not None)
    profile = [round(float(v), 4) for v in arrivals.intraday.to_numpy()]
    if max(profile) <= 0:
        profile = []
    patience_law: dict[str, Any] = (
        {"law": "none", "mean": base_scenario.customers.patience.mean, "cv": 1.0} if patience.law == "none"
        else {"law": patience.law, "mean": patience.mean / 60.0,
              "cv": min(_MAX_PATIENCE_CV, patience.cv) if patience.law == "lognormal" else 1.0})
    name = name or (Path(source).stem if source != "call log" else "my_centre")
    first, last = log["arrival"].iloc[0], log["arrival"].iloc[-1]
    description = (f"Calibrated from {Path(source).name}: {len(log)} calls, {first:%Y-%m-%d} to {last:%Y-%m-%d} "
                   f"(incentsim calibrate)")

    def build(speed: bool = True) -> Scenario:
        built = _scenario(base_scenario, params, calendar, profile, patience_law, repeats, name, description, week)
        return built if speed else built.replace(**{"people.speed_sd": 0.0})

    calls_per_month = len(log) / max(calendar.working_days, 1) * calendar.days_per_month
    refine_months = min(120, max(calendar.months, math.ceil(refine_calls / max(calls_per_month, 1.0))))
    steps = []
    for step in range(refine):
        say(f"refining: simulating {refine_months} month(s) of the scenario without speed differences "
            f"(step {step + 1} of {refine})")
        probe = build(speed=False).replace(**{"center.months": refine_months})
        sim_log = _simulate_log(probe, calendar, seed, replication=0)
        sim_calendar = Calendar.from_arrivals(sim_log["arrival"])
        sim_repeats, sim_handle, sim_spread = _estimates(sim_log, sim_calendar)
        sim_moments = _moments(sim_log, sim_calendar, sim_handle, sim_spread, sim_repeats)
        # Staffing over the log's own span only: vacancies build up from a full start.
        first = sim_log.loc[sim_calendar.day_index(sim_log["arrival"]) < calendar.working_days]
        sim_moments.serving = staffing(first, Calendar.from_arrivals(first["arrival"])).weighted_mean
        steps.append({"step": step + 1, **params.adjust(data_moments, sim_moments, served.occupancy)})
    scenario = build()

    comparison = None
    if check:
        say(f"checking: simulating the calibrated scenario {int(check)} time(s) over the log's {calendar.months} "
            f"month(s)")
        data_figures = log_figures(log, calendar)
        sims = [log_figures(_simulate_log(scenario, calendar, seed, replication=1 + k)) for k in range(int(check))]
        rows = []
        for key, value in data_figures.items():
            values = np.array([f.get(key, math.nan) for f in sims], dtype=float)
            finite = values[np.isfinite(values)]
            rows.append({"figure": key, "data": value,
                         "simulated": float(finite.mean()) if finite.size else math.nan,
                         "low": float(finite.min()) if finite.size else math.nan,
                         "high": float(finite.max()) if finite.size else math.nan})
        comparison = pd.DataFrame(rows)
    panel = monthly_panel(log, min_calls=1)
    volume = panel.groupby(["agent", "month"])["calls"].sum()
    customers = int(log["customer_id"].nunique()) if "customer_id" in log.columns else 0
    summary = {"calls": len(log), "answered": int(log["answered"].sum()),
               "abandoned": int((~log["answered"]).sum()), "call_types": len(kinds),
               "agents": int(log["agent"].nunique()), "customers": customers,
               "first": str(first), "last": str(last), "columns": [str(c) for c in log.columns],
               "check_replications": int(check)}
    warnings = thin_data_warnings(log, calendar, handle, patience, repeats, spread, panel)
    return CallLogFit(
        scenario=scenario, source=source, log_summary=summary, calendar=calendar, arrivals=arrivals,
        handle_times=handle, patience=patience, repeats=repeats, spread=spread, skills=skill, staffing=served,
        escalation=dict(data_moments.transferred) if "transferred" in log.columns else None,
        agent_volume=volume.describe(percentiles=[0.1, 0.5, 0.9]) if len(volume) else pd.Series(dtype=float),
        refinement=steps, comparison=comparison, warnings=tuple(warnings), seed=seed,
        tier1_override=tier1_agents is not None, week=week)


def calibrate(calls: pd.DataFrame | str | Path, *, base: Scenario | str | Path | None = None, name: str | None = None,
              refine: int = 1, seed: int = 0, tier1_agents: int | None = None) -> Scenario:
    """A scenario of the centre a call log describes (see :func:`fit` for the method and the report).

    Args:
        calls: The call log: a CSV or Parquet file, or a DataFrame in the call-log format.
        base: Scenario whose settings a log cannot tell are kept (default: ``baseline``).
        name: The new scenario's name.
        refine: Refinement steps by simulated moments (0: direct estimates only).
        seed: Seed of the refinement simulations.
        tier1_agents: Override the estimated number of tier-1 agents.

    Returns:
        The calibrated :class:`~incentsim.Scenario`.

    Raises:
        InputError: If the log is unusable.

    Example:
        >>> import incentsim as isim
        >>> from incentsim.calibration import to_call_log
        >>> truth = isim.Scenario.erlang(4, 30, 6, mean_patience=4, hours=200)
        >>> log = to_call_log(isim.simulate(truth, seed=3))
        >>> mine = isim.calibrate(log, refine=0)
        >>> mine.center.tier1_agents, mine.demand.call_types[0].handle_time.law
        (4, 'exponential')
    """
    return fit(calls, base=base, name=name, refine=refine, check=False, seed=seed,
               tier1_agents=tier1_agents).scenario

"""The fit report: what was estimated, how, how well, what the scenario does not hold, and how sure.

:class:`CallLogFit` carries every estimate as data (the skill matrix, staffing by hour and
weekday, the week written or not) and renders them as the text ``incentsim calibrate``
prints and as JSON.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from incentsim.calibration.agents import AgentSpread, Skills, Staffing
from incentsim.calibration.arrivals import ArrivalFit
from incentsim.calibration.calendar import Calendar
from incentsim.calibration.handle_times import QUANTILES, HandleTimeFit
from incentsim.calibration.patience import PatienceFit
from incentsim.calibration.repeats import ABANDONED, MIN_ABANDONED_WITH_ID, RepeatFit
from incentsim.calibration.schedule import WEEKDAY_DIFFERENCE, Week, describe_plan
from incentsim.scenario import Scenario

__all__ = ["CallLogFit", "thin_data_warnings"]

#: Thin-data thresholds: fewer than these and the figure is flagged as uncertain.
MIN_TYPE_CALLS = 100
MIN_ABANDONED = 30
MIN_REPEATS = 30
MIN_AGENTS = 5
MIN_HOUR_CALLS = 30
MIN_WEEKDAY_DAYS = 2


def thin_data_warnings(log: pd.DataFrame, calendar: Calendar, handle: dict[str, HandleTimeFit],
                       patience: PatienceFit, repeats: RepeatFit, spread: AgentSpread,
                       panel: pd.DataFrame) -> list[str]:
    """Which figures rest on too little data, each named, with what it rests on."""
    out = []
    if calendar.working_days < 5:
        out.append(f"arrival rates: only {calendar.working_days} working day(s); the rate and the intraday "
                   f"profile are uncertain")
    for kind in sorted(set(log["call_type"]) - set(handle)):
        out.append(f"call type {kind!r}: no answered call, so it has no handle time; its calls are counted with "
                   f"the other types")
    for kind, fit in handle.items():
        if fit.calls < MIN_TYPE_CALLS:
            out.append(f"handle time of {kind!r}: only {fit.calls} answered call(s); its mean and CV are uncertain")
    if 0 < patience.abandoned < MIN_ABANDONED:
        out.append(f"customers.patience: only {patience.abandoned} abandoned call(s); the mean patience is "
                   f"uncertain")
    if patience.abandoned == 0:
        out.append("customers.patience: nobody abandoned, so patience cannot be measured; the scenario's "
                   "callers never abandon")
    elif patience.survival.loc["kaplan_meier"].iloc[-1] > 0.5:
        out.append(f"customers.patience: more than half of the callers who waited would still be waiting after "
                   f"{patience.survival.columns[-1]}; the law beyond the longest wait "
                   f"({patience.longest_wait:.0f} s) is extrapolated")
    if not repeats.available:
        out.append("customers.repeat_chance: no customer_id column, so repeat calls cannot be found: the scenario "
                   "has no repeat calls and every call counts as new; resolution stays as the base has it")
    elif not repeats.found:
        out.append("customers.repeat_chance: the customer ids show no repeat calls beyond customers' new calls, "
                   "so the scenario has none; resolution stays as the base has it")
    else:
        if repeats.repeats < MIN_REPEATS:
            out.append(f"customers.repeat_chance and repeat_delay_hours: only about {repeats.repeats:.0f} repeat "
                       f"call(s) found; both are uncertain")
        if not repeats.from_abandoned:
            out.append(f"customers.repeat_chance: fewer than {MIN_ABANDONED_WITH_ID} abandoned calls with a "
                       f"customer id, so it was taken from the most repeat-prone call type (whose resolution is "
                       f"then 0); the split between repeat chance and resolution is uncertain")
    if spread.agents < MIN_AGENTS:
        out.append(f"people.speed_sd: from only {spread.agents} agent(s); uncertain")
    months = panel["month"].nunique() if len(panel) else 0
    if months < 2:
        out.append("ICC of monthly AHT and the coin-flip test: need two calendar months or more with 30 calls "
                   "per agent")
    elif months < 6:
        out.append(f"coin-flip test on monthly AHT: {months} months; with fewer than 6 no agent can be flagged "
                   f"at alpha 0.05")
    by_hour = pd.Series(calendar.clock_hour(log["arrival"])).value_counts()
    thin = [calendar.open_hour + h for h in range(calendar.hours_per_day) if by_hour.get(h, 0) < MIN_HOUR_CALLS]
    if thin:
        out.append(f"demand.intraday_profile: hour(s) {', '.join(f'{h:02d}:00' for h in thin)} hold fewer than "
                   f"{MIN_HOUR_CALLS} calls each; their rates are uncertain")
    days = calendar.weekday_days()
    few = [d for d, n in days.items() if n < MIN_WEEKDAY_DAYS]
    if few:
        out.append(f"weekday profile: {', '.join(few)} appear(s) on fewer than {MIN_WEEKDAY_DAYS} working days")
    return out


def _num(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _series(values: pd.Series) -> dict[str, Any]:
    return {str(k): _num(v) for k, v in values.items()}


def _bullet(text: str) -> str:
    return textwrap.fill(text, width=110, initial_indent="  - ", subsequent_indent="    ")


def _fmt(value: float, digits: int = 2) -> str:
    if value != value:
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


@dataclass(frozen=True)
class CallLogFit:
    """What :func:`~incentsim.calibration.fit` estimated, wrote and checked.

    Attributes:
        scenario: The calibrated scenario.
        source: The log's file name (or ``call log``).
        log_summary: Counts: calls, answered, abandoned, call types, agents, customers, first
            and last arrival, columns read.
        calendar: Opening hours, working days and review periods.
        arrivals: Arrival rates, intraday and weekday profiles, call mix.
        handle_times: Per call type: the handle-time fit and its goodness of fit.
        patience: Patience estimates (censored data).
        repeats: Repeat chance, delay, resolution per type.
        spread: Agents' speed differences after call-type mix, per agent and type.
        skills: The agent-by-call-type matrix and how specialised agents are.
        staffing: Agents serving per opening hour, by hour and weekday.
        escalation: Share of answered calls transferred, per type (None without the column).
        agent_volume: Summary of answered calls per agent-month.
        refinement: Per refinement step, the parameters before and after.
        comparison: ``figure``, ``data``, ``simulated`` (None when not checked).
        warnings: Figures that rest on too little data.
        seed: Seed of the simulations.
        tier1_override: Whether ``tier1_agents`` was given rather than estimated.
        week: Opening hours per weekday, demand by weekday and hour, skill groups and
            their schedules (:mod:`~incentsim.calibration.schedule`), and whether they
            were written.
    """

    scenario: Scenario
    source: str
    log_summary: dict[str, Any]
    calendar: Calendar
    arrivals: ArrivalFit
    handle_times: dict[str, HandleTimeFit]
    patience: PatienceFit
    repeats: RepeatFit
    spread: AgentSpread
    skills: Skills
    staffing: Staffing
    escalation: dict[str, float] | None
    agent_volume: pd.Series
    refinement: list[dict[str, Any]] = field(default_factory=list)
    comparison: pd.DataFrame | None = None
    warnings: tuple[str, ...] = ()
    seed: int = 0
    tier1_override: bool = False
    week: Week | None = None

    # ------------------------------------------------------------ derived
    @property
    def engine_agent_sd(self) -> float:
        """Spread of agents' log speed the engine adds without ``people.speed_sd`` (refined fits only)."""
        if not self.refinement:
            return math.nan
        extra = self.spread.agent_var - self.scenario.people.speed_sd ** 2
        return math.sqrt(extra) if extra > 0 else 0.0

    def types_table(self) -> pd.DataFrame:
        """One row per call type: data figures, fit quality and what the scenario got."""
        written = {ct.name: ct for ct in self.scenario.demand.call_types}
        rows = []
        for kind, fit in self.handle_times.items():
            ct = written.get(kind)
            row = fit.as_row()
            row |= {"share_new": float(self.arrivals.type_share.get(kind, math.nan)),
                    "transferred": (self.escalation or {}).get(kind, math.nan),
                    "repeat_after": self.repeats.chance_by_group.get(kind, math.nan),
                    "scenario_law": ct.handle_time.law if ct else "",
                    "scenario_mean_min": ct.handle_time.mean if ct else math.nan,
                    "scenario_cv": (ct.handle_time.cv if ct and ct.handle_time.law == "lognormal" else 1.0),
                    "escalation": ct.escalation if ct else math.nan,
                    "resolution": ct.resolution if ct else math.nan,
                    "agent_sd": math.sqrt(self.spread.by_type[kind]) if self.spread.by_type.get(kind, math.nan)
                    == self.spread.by_type.get(kind, math.nan) else math.nan}
            rows.append(row)
        return pd.DataFrame(rows)

    def not_represented(self) -> list[str]:
        """What the log shows that the scenario does not hold, each with its figure and why."""
        out = []
        written = self.week is not None and self.week.written
        staffed = bool(self.scenario.center.staff)
        weekday = self.arrivals.weekday
        if len(weekday) > 1 and not written:
            out.append("weekday: new calls per working day relative to the mean, "
                       + ", ".join(f"{d} {v:.2f}" for d, v in weekday.items())
                       + f" (not written: no weekday differs by more than {WEEKDAY_DIFFERENCE:.0%} and "
                       "the opening hours are the same every day)")
        hours = self.staffing.by_hour
        if not staffed:
            out.append("staffing by hour: agents serving "
                       + ", ".join(f"{h:02d}h {v:.1f}" for h, v in hours.items())
                       + f" (not written: it varies too little; all {self.scenario.center.tier1_agents} seats "
                       "are on duty while the centre is open)")
        sk = self.skills
        if sk.counts.shape[1] > 1 and not staffed:
            text = (f"skills: Cramer's V of agents x call types {sk.cramers_v:.2f} (0 = every agent takes the "
                    f"centre's mix; chi-square p={sk.p_value:.2g}); {sk.specialised} of {sk.counts.shape[0]} "
                    f"agents do not take every type")
            out.append(text + " (not written: one skill group; every call goes to the longest-idle agent)")
        volume = self.agent_volume
        if len(volume) and volume.get("count", 0) > 0:
            out.append(f"agent volume: {volume['10%']:.0f} to {volume['90%']:.0f} answered calls per agent-month "
                       f"(10th to 90th percentile, median {volume['50%']:.0f}) (the engine gives agents equal "
                       f"shares of the work)")
        by_type = {k: math.sqrt(v) for k, v in self.spread.by_type.items() if v == v}
        if len(by_type) > 1:
            out.append("speed by call type: agents' log-speed sd within each type "
                       + ", ".join(f"{k} {v:.2f}" for k, v in by_type.items())
                       + " (the engine gives each agent one speed for every type)")
        if self.arrivals.dispersion == self.arrivals.dispersion:
            out.append(f"daily volume: index of dispersion {self.arrivals.dispersion:.1f} (1 for Poisson arrivals "
                       f"at a constant rate; the engine's defect days are the base's, not estimated)")
        return out

    # ------------------------------------------------------------ text
    def estimates_lines(self) -> list[str]:
        """The scenario values written, each with how it was estimated."""
        sc = self.scenario
        c, d, cu = sc.center, sc.demand, sc.customers
        system = sc.system
        uplift = 1.0 + system.defect_day_probability * system.defect_volume
        lines = [
            f"  center.hours_per_day      {c.hours_per_day:g}   days_per_month {c.days_per_month}   months {c.months}"
            f"   (calendar: {self.calendar.describe()})",
            f"  demand.calls_per_hour     {d.calls_per_hour:.2f}   (new calls per opening hour "
            f"{self.arrivals.new_calls_per_hour:.2f}, over the defect-day uplift {uplift:.3f} the base's system block "
            f"adds; the log has {self.arrivals.calls_per_hour:.2f} calls per hour in all, about "
            f"{self.repeats.repeats:.0f} of them repeats)",
            f"  demand.intraday_profile   {' '.join(f'{v:.2f}' for v in d.intraday_profile) or 'flat'}",
        ]
        p = self.patience
        if p.law == "none":
            lines.append("  customers.patience        none (nobody abandoned)")
        else:
            lines.append(f"  customers.patience        {cu.patience.law}, mean {cu.patience.mean:.2f} min"
                         + (f", cv {cu.patience.cv:.2f}" if cu.patience.law == "lognormal" else "")
                         + f"   (censored MLE from {p.abandoned} abandoned and {p.censored} answered waits; "
                           f"AIC exponential {p.aic_exponential:.0f}, lognormal {p.aic_lognormal:.0f})")
        r = self.repeats
        if r.available and not r.found:
            lines.append(f"  customers.repeat_chance   0   (customer ids show no repeat calls; population "
                         f"{cu.population})")
        elif r.available:
            lines.append(f"  customers.repeat_chance   {cu.repeat_chance:.3f}   repeat_delay_hours "
                         f"{cu.repeat_delay_hours:.1f}   population {cu.population}   (competing-risks MLE "
                         f"on customer ids; {r.calls_by_group.get(ABANDONED, 0)} abandoned calls)")
        else:
            lines.append("  customers.repeat_chance   0   (no customer ids)")
        spread = self.spread
        engine = self.engine_agent_sd
        lines.append(f"  people.speed_sd           {sc.people.speed_sd:.3f}   (agents' log-speed sd after the "
                     f"call-type mix {_fmt(spread.speed_sd, 3)} +/- {_fmt(spread.speed_sd_se, 3)} from "
                     f"{spread.agents} agents"
                     + (f"; the engine's other mechanisms add {engine:.3f}" if engine == engine else "") + ")")
        s = self.staffing
        how = ("given" if self.tier1_override else
               f"mean agents serving per opening hour, weighted by calls: {s.weighted_mean:.1f}"
               + (", scaled for seats empty while leavers are replaced" if self.refinement else "")
               + f"; unweighted {s.mean:.1f}; 10th-90th percentile {s.low:.0f}-{s.high:.0f}; occupancy "
                 f"{s.occupancy:.0%}")
        if c.staff:
            how = ("the staffing plan's seats: agents serving per skill group, weekday and opening hour, "
                   "rounded" + (", scaled for seats empty while leavers are replaced" if self.refinement else "")
                   + f"; occupancy {s.occupancy:.0%}")
        lines.append(f"  center.tier1_agents       {c.tier1_agents}   ({how})")
        if self.week is not None and self.week.written:
            spans = ", ".join(f"{day} {a:02.0f}-{b:02.0f}" for day, (a, b) in self.week.opening.items())
            lines.append(f"  center.opening            {spans}   (written because: {'; '.join(self.week.reasons)})")
            lines.append("  demand.weekday_profile    " + " ".join(f"{v:.2f}" for v in d.weekday_profile)
                         + "   (Poisson MLE of weekday x clock-hour rates, Monday first)")
            if c.staff:
                lines.append(f"  center.staff              {len(c.staff)} line(s):")
                lines += ["    " + text for text in describe_plan([line.model_dump() for line in c.staff])]
            elif self.week.staffed:
                why = ("tier1_agents was given" if self.tier1_override else
                       "the plan would not fit a scenario (a call type with nobody on duty, or too many seats)")
                lines.append(f"  center.staff              not written: {why}")
        lines.append(f"  center.tier2_agents       {c.tier2_agents}   ("
                     + ("sized for the escalations at 85% occupancy" if self.escalation and any(
                         v > 0 for v in self.escalation.values()) else "no transfers: the base's ratio to tier 1")
                     + ")")
        return lines

    def types_lines(self) -> list[str]:
        """The call-type table as text."""
        table = self.types_table()
        shown = pd.DataFrame({
            "type": table["call_type"], "share": table["share_new"].map(lambda v: f"{v:.3f}"),
            "calls": table["calls"], "AHT s": table["aht_seconds"].map(lambda v: f"{v:.0f}"),
            "CV": table["cv"].map(lambda v: f"{v:.2f}"), "law": table["law"],
            "D logn": table["ks_lognormal"].map(lambda v: _fmt(v, 3)),
            "D exp": table["ks_exponential"].map(lambda v: _fmt(v, 3)),
            "QQ " + "/".join(f"{round(q * 100)}" for q in QUANTILES): [
                "/".join(_fmt(row[f"qq_{round(q * 100)}"], 2) for q in QUANTILES) for _, row in table.iterrows()],
            "mean min": table["scenario_mean_min"].map(lambda v: f"{v:.2f}"),
            "cv": table["scenario_cv"].map(lambda v: f"{v:.2f}"),
            "escalation": table["escalation"].map(lambda v: f"{v:.3f}"),
            "resolution": table["resolution"].map(lambda v: f"{v:.3f}"),
        })
        return ["  " + line for line in shown.to_string(index=False).splitlines()]

    def comparison_lines(self) -> list[str]:
        """The side-by-side table as text."""
        if self.comparison is None:
            return []
        table = self.comparison

        def show(name: str, value: float) -> str:
            if value != value:
                return "n/a"
            if name.startswith(("share", "abandonment", "occupancy", "agents non-random", "  chance")):
                return f"{value:.1%}"
            if name.startswith(("ICC", "CV")):
                return f"{value:.2f}"
            return f"{value:.1f}"

        several = bool((table["low"] != table["high"]).any()) if "low" in table else False
        width = max(len(f) for f in table["figure"])
        header = f"{'figure':<{width}}  {'data':>9}  {'simulated':>9}" + ("  range" if several else "")
        lines = ["  " + header]
        for _, row in table.iterrows():
            name = str(row["figure"])
            line = f"{name:<{width}}  {show(name, row['data']):>9}  {show(name, row['simulated']):>9}"
            if several:
                line += f"  {show(name, row['low'])} to {show(name, row['high'])}"
            lines.append("  " + line)
        return lines

    def summary(self) -> str:
        """The whole report as text (what ``incentsim calibrate`` prints)."""
        s = self.log_summary
        lines = [f"{self.source}: {s['calls']} calls ({s['answered']} answered, {s['abandoned']} abandoned), "
                 f"{s['call_types']} call type(s), {s['agents']} agents"
                 + (f", {s['customers']} customers" if s["customers"] else "")
                 + f"; {s['first'][:16]} to {s['last'][:16]}"]
        if self.calendar.outside:
            lines.append(f"{self.calendar.outside} call(s) arrived outside the opening hours and count in the "
                         f"nearest opening hour")
        lines += ["", "Written to the scenario (how):", *self.estimates_lines(), "",
                  "Call types (data: share of new calls, answered calls, AHT, CV; fit: law chosen, KS distance D of "
                  "each law, QQ = data percentile / law percentile; scenario: the average agent's law, escalation, "
                  "resolution):", *self.types_lines(), "",
                  "Estimated but not yet in the scenario (the engine cannot represent it yet, or the log shows "
                  "too little of it to write):",
                  *[_bullet(line) for line in self.not_represented()]]
        if self.warnings:
            lines += ["", "Thin data (these figures are uncertain):", *[_bullet(w) for w in self.warnings]]
        if self.comparison is not None:
            reps = self.log_summary.get("check_replications", 1)
            lines += ["", f"Data against {reps} simulation(s) of the calibrated scenario over the log's horizon (flat "
                          f"pay, seed {self.seed}, replications the refinement did not use):", *self.comparison_lines()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Every estimate and figure, JSON-safe (NaN as None)."""
        p, r, s, sk = self.patience, self.repeats, self.staffing, self.skills
        types = self.types_table()
        effects = self.spread.effects.reset_index()
        return {
            "source": self.source, "log": self.log_summary,
            "calendar": {"open_hour": self.calendar.open_hour, "hours_per_day": self.calendar.hours_per_day,
                         "working_days": self.calendar.working_days, "days_per_month": self.calendar.days_per_month,
                         "months": self.calendar.months, "outside_opening_hours": self.calendar.outside},
            "arrivals": {"calls_per_hour": self.arrivals.calls_per_hour,
                         "new_calls_per_hour": self.arrivals.new_calls_per_hour,
                         "intraday": _series(self.arrivals.intraday), "weekday": _series(self.arrivals.weekday),
                         "daily_dispersion": _num(self.arrivals.dispersion)},
            "call_types": [{k: _num(v) for k, v in row.items()} for row in types.to_dict("records")],
            "patience": {"law": p.law, "mean_seconds": _num(p.mean), "cv": _num(p.cv), "abandoned": p.abandoned,
                         "censored": p.censored, "exponential_mean_seconds": _num(p.exponential_mean),
                         "lognormal_mean_seconds": _num(p.lognormal_mean), "lognormal_cv": _num(p.lognormal_cv),
                         "aic_exponential": _num(p.aic_exponential), "aic_lognormal": _num(p.aic_lognormal),
                         "longest_wait_seconds": _num(p.longest_wait),
                         "survival": {k: _series(v) for k, v in p.survival.iterrows()}},
            "repeats": {"available": r.available, "repeat_chance": _num(r.repeat_chance),
                        "delay_hours": _num(r.delay_hours), "chance_by_group": r.chance_by_group,
                        "calls_by_group": r.calls_by_group, "resolution": r.resolution,
                        "repeats_in_log": _num(r.repeats), "from_abandoned": r.from_abandoned,
                        "found": r.found},
            "people": {"speed_sd_data": _num(self.spread.speed_sd), "speed_sd_se": _num(self.spread.speed_sd_se),
                       "speed_sd_written": self.scenario.people.speed_sd,
                       "engine_agent_sd": _num(self.engine_agent_sd),
                       "agent_sd_by_type": {k: _num(math.sqrt(v)) if v == v else None
                                            for k, v in self.spread.by_type.items()},
                       "agent_effects": [{k: _num(v) if not isinstance(v, str) else v for k, v in row.items()}
                                         for row in effects.to_dict("records")],
                       "calls_per_agent_month": _series(self.agent_volume)},
            "skills": {"cramers_v": _num(sk.cramers_v), "p_value": _num(sk.p_value), "specialised": sk.specialised,
                       "counts": {str(a): {str(k): int(v) for k, v in row.items()} for a, row in sk.counts.iterrows()},
                       "holds": {str(a): [str(k) for k, v in row.items() if v] for a, row in sk.holds.iterrows()}},
            "staffing": {"tier1_agents": s.tier1_agents, "mean": s.mean, "weighted_mean": s.weighted_mean,
                         "low": s.low, "high": s.high, "occupancy": _num(s.occupancy),
                         "by_hour": _series(s.by_hour),
                         "by_weekday_hour": {str(d): _series(row) for d, row in s.by_weekday_hour.iterrows()}},
            "week": None if self.week is None else {
                "written": self.week.written, "reasons": list(self.week.reasons), "opening": self.week.opening,
                "intraday": [float(v) for v in self.week.intraday], "weekday": [float(v) for v in self.week.weekday],
                "groups": [list(g) for g in self.week.groups],
                "agent_group": {str(a): int(g) for a, g in self.week.agent_group.items()}},
            "not_represented": self.not_represented(), "warnings": list(self.warnings),
            "refinement": self.refinement,
            "comparison": None if self.comparison is None else [
                {k: _num(v) if k != "figure" else v for k, v in row.items()}
                for row in self.comparison.to_dict("records")],
            "scenario": self.scenario.to_dict(),
        }

"""The people side of a call log: speed differences, who takes which calls, who is on shift.

**Speed.** Each answered call's log handle time minus its call type's mean log handle time
is the call's *residual*: what remains after the call-type mix. A one-way random-effects
analysis of variance of the residuals with agents as groups (method of moments with
Searle's effective group size, as in :mod:`incentsim.stats.variance_components`) gives the
variance of the agents' own log speed, ``agent_var``; its square root is the standard
deviation of log speed that ``people.speed_sd`` describes. The same analysis within each
call type gives each type's own agent spread, and the mean residual per agent and type is
each agent's speed effect per call type.

**Skills.** The agent-by-type table of answered calls. If every agent took calls as they
come (the engine's routing) each agent's mix would match the centre's, up to chance; the
chi-square test of independence and Cramer's V (0: identical mixes, 1: every type has its
own agents; Cramer 1946) say how far the data are from that. An agent *holds* a type when
at least 5 of their calls, and 1% of them, are of that type.

**Staffing.** An agent *serves* in a clock hour of a working day when they answer at least
one call in it (answer time = arrival + wait). The mean number serving per opening hour,
by hour of day and by weekday, is the staffing the log shows; it misses an agent on shift
who took no call for a whole hour, so it is a lower bound in quiet hours. Occupancy is the
handle time of the calls answered in the hour over the agents serving.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from incentsim.calibration.calendar import Calendar

__all__ = ["AgentSpread", "Skills", "Staffing", "agent_spread", "monthly_panel", "skills", "staffing"]

#: Fewest calls of a type (and share of an agent's calls) for the agent to hold the skill.
SKILL_MIN_CALLS, SKILL_MIN_SHARE = 5, 0.01
#: Fewest answered calls for an agent-month to enter the monthly panel.
MIN_CALLS_PER_AGENT_MONTH = 30


def one_way(values: np.ndarray, groups: np.ndarray) -> tuple[float, float, int]:
    """Between-group and within-group variance (ANOVA moments) and the number of groups.

    Returns ``(nan, nan, groups)`` when there are fewer than two groups or no group with
    two values.
    """
    frame = pd.DataFrame({"v": values, "g": groups})
    grouped = frame.groupby("g", sort=False)["v"]
    sizes = grouped.size().to_numpy(dtype=float)
    means = grouped.mean().to_numpy(dtype=float)
    a, n = len(sizes), float(sizes.sum())
    if a < 2 or n - a < 1:
        return math.nan, math.nan, a
    grand = float(values.mean())
    within = float(((values - grouped.transform("mean").to_numpy()) ** 2).sum() / (n - a))
    between_ms = float((sizes * (means - grand) ** 2).sum() / (a - 1))
    n0 = (n - float((sizes**2).sum()) / n) / (a - 1)
    return max(0.0, (between_ms - within) / n0), within, a


def residuals(log: pd.DataFrame) -> pd.DataFrame:
    """Answered calls with ``residual``: log handle time minus its call type's mean log handle time."""
    answered = log.loc[log["answered"], ["arrival", "call_type", "agent", "handle_seconds"]].copy()
    logs = np.log(answered["handle_seconds"].to_numpy(dtype=float))
    answered["log_handle"] = logs
    answered["residual"] = logs - answered.groupby("call_type")["log_handle"].transform("mean").to_numpy()
    return answered


@dataclass(frozen=True)
class AgentSpread:
    """How much agents differ in speed once the call-type mix is removed.

    Attributes:
        agent_var: Variance of the agents' own log speed (all types together).
        within_var: Variance of a call's residual around its agent's mean.
        agents: Agents with answered calls.
        by_type: Agent variance of log speed within each call type.
        effects: One row per agent: ``calls`` and the mean residual per call type
            (columns named by type) and over all types (``all``); ``exp`` of an effect is
            the agent's handle-time multiplier.
    """

    agent_var: float
    within_var: float
    agents: int
    by_type: dict[str, float]
    effects: pd.DataFrame

    @property
    def speed_sd(self) -> float:
        """Standard deviation of the agents' log speed."""
        return math.sqrt(self.agent_var) if self.agent_var == self.agent_var else math.nan

    @property
    def speed_sd_se(self) -> float:
        """Approximate standard error of :attr:`speed_sd` from the number of agents alone."""
        if self.agents < 2 or self.agent_var != self.agent_var:
            return math.nan
        return self.speed_sd / math.sqrt(2.0 * (self.agents - 1))


def agent_spread(log: pd.DataFrame) -> AgentSpread:
    """Speed differences between agents after the call-type mix (module documentation)."""
    calls = residuals(log)
    between, within, a = one_way(calls["residual"].to_numpy(), calls["agent"].to_numpy(dtype=object))
    by_type = {}
    for kind, group in calls.groupby("call_type", sort=True):
        b, _, _ = one_way(group["residual"].to_numpy(), group["agent"].to_numpy(dtype=object))
        by_type[str(kind)] = b
    effects = calls.pivot_table(index="agent", columns="call_type", values="residual", aggfunc="mean")
    effects.columns = [str(c) for c in effects.columns]
    effects["all"] = calls.groupby("agent")["residual"].mean()
    effects.insert(0, "calls", calls.groupby("agent").size())
    return AgentSpread(between, within, a, by_type, effects)


def monthly_panel(log: pd.DataFrame, min_calls: int = MIN_CALLS_PER_AGENT_MONTH) -> pd.DataFrame:
    """Agent-by-calendar-month panel: ``agent``, ``month``, ``calls``, ``aht`` (s), ``mix_adjusted``.

    ``mix_adjusted`` is the agent-month's mean residual (log scale, call-type mix removed).
    Agent-months with fewer than ``min_calls`` answered calls are left out: their AHT is
    mostly the luck of a few calls.
    """
    calls = residuals(log)
    calls["month"] = calls["arrival"].dt.to_period("M").astype(str)
    grouped = calls.groupby(["agent", "month"], sort=True)
    panel = pd.DataFrame({"calls": grouped.size(), "aht": grouped["handle_seconds"].mean(),
                          "mix_adjusted": grouped["residual"].mean()}).reset_index()
    return panel.loc[panel["calls"] >= min_calls].reset_index(drop=True)


@dataclass(frozen=True)
class Skills:
    """Who takes which call types.

    Attributes:
        counts: Agents x call types: answered calls.
        shares: Agents x call types: share of each agent's calls.
        holds: Agents x call types: whether the agent holds the skill.
        cramers_v: Cramer's V of the table (0 = every agent the centre's mix).
        p_value: Chi-square test of independence of agent and call type.
    """

    counts: pd.DataFrame
    shares: pd.DataFrame
    holds: pd.DataFrame
    cramers_v: float
    p_value: float

    @property
    def specialised(self) -> int:
        """Agents who do not hold every call type."""
        return int((~self.holds.all(axis=1)).sum())


def skills(log: pd.DataFrame) -> Skills:
    """The skill matrix a log shows (module documentation)."""
    answered = log.loc[log["answered"]]
    counts = pd.crosstab(answered["agent"], answered["call_type"])
    counts.columns = [str(c) for c in counts.columns]
    totals = counts.sum(axis=1)
    shares = counts.div(totals, axis=0)
    holds = (counts >= SKILL_MIN_CALLS) & (shares >= SKILL_MIN_SHARE)
    if counts.shape[0] >= 2 and counts.shape[1] >= 2:
        kept = counts.loc[:, counts.sum(axis=0) > 0]
        chi2, p_value, _, _ = sps.chi2_contingency(kept.to_numpy())
        n = float(kept.to_numpy().sum())
        v = math.sqrt(chi2 / (n * (min(kept.shape) - 1))) if n else math.nan
    else:
        v, p_value = 0.0, 1.0
    return Skills(counts, shares, holds, float(v), float(p_value))


@dataclass(frozen=True)
class Staffing:
    """Agents serving per opening hour.

    Attributes:
        by_hour: Mean agents serving per clock hour (index: the hour, 8 = 08:00-09:00).
        by_weekday_hour: The same by weekday (rows) and clock hour (columns).
        mean: Mean agents serving per opening hour.
        weighted_mean: The same, each hour weighted by the calls arriving in it: the
            staffing a caller meets on average.
        low, high: The 10th and 90th percentile of agents serving in an opening hour.
        occupancy: Handle time answered in an hour over the agent-hours serving.
        tier1_agents: The whole number of agents the scenario gets (``weighted_mean``
            rounded, at least 1).
    """

    by_hour: pd.Series
    by_weekday_hour: pd.DataFrame
    mean: float
    weighted_mean: float
    low: float
    high: float
    occupancy: float
    tier1_agents: int


def staffing(log: pd.DataFrame, calendar: Calendar) -> Staffing:
    """Agents serving per opening hour (module documentation)."""
    hours = calendar.hours_per_day
    day = calendar.day_index(log["arrival"])
    slot_arrival = np.where(day >= 0, day * hours + calendar.clock_hour(log["arrival"]), -1)
    answered = log.loc[log["answered"]]
    # To the millisecond: a call answered at the next opening is stamped at the closing instant.
    answer = (answered["arrival"] + pd.to_timedelta(answered["wait_seconds"], unit="s")).dt.round("ms")
    answer_day = calendar.day_index(answer)
    answer_hour = answer.dt.hour.to_numpy() - calendar.open_hour
    inside = (answer_day >= 0) & (answer_hour >= 0) & (answer_hour < hours)
    slot = answer_day[inside] * hours + answer_hour[inside]
    frame = pd.DataFrame({"slot": slot, "agent": answered["agent"].to_numpy()[inside],
                          "seconds": answered["handle_seconds"].to_numpy()[inside]})
    n_slots = calendar.working_days * hours
    serving = np.zeros(n_slots)
    busy = np.zeros(n_slots)
    grouped = frame.groupby("slot")
    index = grouped.size().index.to_numpy(dtype=np.int64)
    serving[index] = grouped["agent"].nunique().to_numpy()
    busy[index] = grouped["seconds"].sum().to_numpy() / 3600.0
    arrivals = np.bincount(slot_arrival[slot_arrival >= 0], minlength=n_slots)[:n_slots].astype(float)
    clock = calendar.open_hour + np.tile(np.arange(hours), calendar.working_days)
    weekday = np.repeat(calendar.days.day_of_week.to_numpy(), hours)
    # Hours of the covering span a weekday is closed are no slots (opening hours per weekday).
    valid = np.concatenate([calendar.open_hours(int(w)) for w in calendar.days.day_of_week]) \
        if calendar.working_days else np.zeros(0, dtype=bool)
    serving, busy, arrivals = serving[valid], busy[valid], arrivals[valid]
    clock, weekday = clock[valid], weekday[valid]
    per_slot = pd.DataFrame({"hour": clock, "weekday": weekday, "serving": serving})
    by_hour = per_slot.groupby("hour")["serving"].mean()
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    by_weekday_hour = per_slot.pivot_table(index="weekday", columns="hour", values="serving", aggfunc="mean")
    by_weekday_hour.index = [names[d] for d in by_weekday_hour.index]
    weighted = float((serving * arrivals).sum() / arrivals.sum()) if arrivals.sum() else float(serving.mean())
    occupancy = float(busy.sum() / serving.sum()) if serving.sum() else math.nan
    return Staffing(by_hour=by_hour, by_weekday_hour=by_weekday_hour, mean=float(serving.mean()),
                    weighted_mean=weighted, low=float(np.quantile(serving, 0.1)),
                    high=float(np.quantile(serving, 0.9)), occupancy=occupancy,
                    tier1_agents=max(1, math.floor(weighted + 0.5)))

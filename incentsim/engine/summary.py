"""Outcome measures of a run: service, customers, gaming, workforce, money.

Each measure is defined once here so that ``run.summary()``, experiments and
reports agree. Denominators are said in each line's comment.

The call measures are sums over calls, so they are tallied review period by
review period (:class:`Tally`): a run need not keep its calls to summarise them,
and memory stays bounded by one period's calls. Churn needs each customer's bad
experiences over the whole run; the tally keeps those counts (one number per
customer with a bad experience) and the set of customers seen.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from incentsim.scenario import Scenario

#: Summary keys in the order reports show them.
SUMMARY_KEYS: tuple[str, ...] = (
    "calls", "mean_wait", "p_wait", "service_level", "abandon_rate",
    "measured_csat", "true_csat", "csat_gap", "fcr", "repeat_rate",
    "beg_rate", "dump_rate", "rush_rate",
    "mean_intrinsic_motivation", "mean_stress", "quits", "fired",
    "bonus_paid", "management_cost", "churn_rate", "cost_per_resolved_call",
)

#: Largest customer population counted in tables by customer id (about 25 MB).
_TABLE_POPULATION = 5_000_000

_COUNTS = ("calls", "done", "wait_sum", "waited", "quick", "answered", "responded", "positive", "truly",
           "repeats", "begged", "dumped", "rushed", "fcr", "resolved")


def _share(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else math.nan


class Tally:
    """Running sums of the call measures, added one review period's calls at a time.

    Args:
        scenario: The scenario (service-level threshold, satisfaction thresholds, churn).
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.sums = dict.fromkeys(_COUNTS, 0.0)
        self._bad_ids = np.empty(0, dtype=np.int64)
        self._bad_counts = np.empty(0, dtype=np.int64)
        self._customers = np.empty(0, dtype=np.int64)
        population = scenario.customers.population
        # A table by customer id when it is small (the usual case); sorted sets otherwise.
        self._by_id = population <= _TABLE_POPULATION
        if self._by_id:
            self._seen = np.zeros(population, dtype=bool)
            self._bad = np.zeros(population, dtype=np.int32)

    def add(self, calls: pd.DataFrame) -> None:
        """Add measured calls (``true_satisfaction`` and survey columns filled)."""
        sc = self.scenario
        s = self.sums
        answered = calls["answered"].to_numpy(dtype=bool)
        done = answered | calls["abandoned"].to_numpy(dtype=bool)  # left the tier-1 queue
        wait = calls["wait_time"].to_numpy(dtype=float)
        transfer = calls["transfer"]  # "none" | "escalation" | "dump" (compared as a Series: fast on categories)
        kept = (transfer == "none").to_numpy(dtype=bool)
        dumped = (transfer == "dump").to_numpy(dtype=bool)
        resolved = calls["resolved"].to_numpy(dtype=bool) & answered
        responded = (calls["survey_responded"].to_numpy(dtype=bool) if "survey_responded" in calls
                     else np.zeros(len(calls), bool))
        rating = (calls["survey_rating"].to_numpy(dtype=float) if "survey_rating" in calls
                  else np.full(len(calls), np.nan))
        truth = calls["true_satisfaction"].to_numpy(dtype=float)
        s["calls"] += len(calls)
        s["done"] += int(done.sum())
        s["wait_sum"] += float(wait[done].sum())
        s["waited"] += int((wait[done] > 0).sum())
        s["quick"] += int((answered & (wait <= sc.center.service_level_seconds / 60.0)).sum())
        s["answered"] += int(answered.sum())
        s["responded"] += int(responded.sum())
        s["positive"] += int((rating[responded] >= 4).sum())
        s["truly"] += int((answered & (truth >= sc.measurement.satisfaction.satisfied_at)).sum())
        s["repeats"] += int((calls["repeat_of"].to_numpy() >= 0).sum())
        s["begged"] += int(calls["begged"].to_numpy(dtype=bool).sum())
        s["dumped"] += int(dumped.sum())
        s["rushed"] += int(calls["rushed"].to_numpy(dtype=bool).sum())
        s["fcr"] += int((resolved & kept).sum())
        s["resolved"] += int(resolved.sum())
        customer = calls["customer_id"].to_numpy(dtype=np.int64)
        bad = customer[truth < sc.measurement.satisfaction.bad_below]
        if self._by_id:
            self._seen[customer] = True
            np.add.at(self._bad, bad, 1)
            return
        self._customers = np.union1d(self._customers, customer)
        if bad.size:
            ids, inverse = np.unique(np.concatenate([self._bad_ids, bad]), return_inverse=True)
            weights = np.concatenate([self._bad_counts, np.ones(bad.size, dtype=np.int64)])
            self._bad_ids = ids
            self._bad_counts = np.bincount(inverse, weights=weights, minlength=ids.size).astype(np.int64)

    @property
    def churned(self) -> int:
        """Customers with at least ``customers.churn_threshold`` bad experiences."""
        counts = self._bad if self._by_id else self._bad_counts
        return int((counts >= self.scenario.customers.churn_threshold).sum())

    @property
    def customers(self) -> int:
        """Distinct customers who called."""
        return int(self._seen.sum()) if self._by_id else int(self._customers.size)

    def result(self, agents: pd.DataFrame, *, hires: int = 0, management_cost: float = 0.0,
               wage_hours: float | None = None) -> dict[str, float]:
        """The summary: call measures from the tally, workforce and money from the agent-periods.

        Args:
            agents: The run's agent-period rows.
            hires: Replacements hired.
            management_cost: Cost of the management hours the reviews used.
            wage_hours: Paid agent-hours (tier 1 on duty plus tier 2); ``None``: every
                agent for every opening hour.
        """
        return _summary(self.sums, agents, self.scenario, churned=self.churned, customers=self.customers,
                        hires=hires, management_cost=management_cost, wage_hours=wage_hours)


def summarise(calls: pd.DataFrame, agents: pd.DataFrame, scenario: Scenario,
              *, churned: int | None = None, customers: int | None = None, hires: int = 0,
              management_cost: float = 0.0, wage_hours: float | None = None) -> dict[str, float]:
    """Compute the summary of one run from its full call table and agent-periods.

    ``cost_per_resolved_call`` is wages, bonuses, hiring, failure demand and the
    cost of the management hours the reviews used, over calls resolved. ``churned``
    and ``customers`` default to what the call table shows.
    """
    tally = Tally(scenario)
    tally.add(calls)
    return _summary(tally.sums, agents, scenario,
                    churned=tally.churned if churned is None else churned,
                    customers=tally.customers if customers is None else customers,
                    hires=hires, management_cost=management_cost, wage_hours=wage_hours)


def _summary(s: dict[str, float], agents: pd.DataFrame, scenario: Scenario, *, churned: int, customers: int,
             hires: int, management_cost: float, wage_hours: float | None) -> dict[str, float]:
    c = scenario.center
    if wage_hours is None:
        wage_hours = (c.tier1_agents + c.tier2_agents) * c.hours_per_day * c.days_per_month * c.months
    wages = wage_hours * c.wage_per_hour
    bonus = float(agents["bonus"].sum()) if "bonus" in agents else 0.0
    cost = (wages + bonus + hires * scenario.costs.hiring_cost + s["repeats"] * scenario.costs.repeat_call_cost
            + management_cost)
    status = agents["status"] if "status" in agents else pd.Series(dtype=object)
    measured_csat = _share(s["positive"], s["responded"])
    true_csat = _share(s["truly"], s["answered"])
    out = {
        "calls": float(s["calls"]),
        "mean_wait": _share(s["wait_sum"], s["done"]),  # over callers who left the queue
        "p_wait": _share(s["waited"], s["done"]),
        "service_level": _share(s["quick"], s["done"]),  # answered in time / (answered + abandoned)
        "abandon_rate": _share(s["done"] - s["answered"], s["done"]),
        "measured_csat": measured_csat,  # share of survey responses rated 4-5
        "true_csat": true_csat,  # share of answered callers truly satisfied
        "csat_gap": measured_csat - true_csat,
        "fcr": _share(s["fcr"], s["answered"]),
        "repeat_rate": _share(s["repeats"], s["calls"]),
        "beg_rate": _share(s["begged"], s["answered"]),
        "dump_rate": _share(s["dumped"], s["answered"]),
        "rush_rate": _share(s["rushed"], s["answered"]),
        "mean_intrinsic_motivation": float(agents["intrinsic_motivation"].mean())
        if "intrinsic_motivation" in agents and len(agents) else math.nan,
        "mean_stress": float(agents["stress"].mean()) if "stress" in agents and len(agents) else math.nan,
        # an agent who left can still appear later, when calls they answered close
        "quits": float(agents.loc[(status == "quit").to_numpy(), "agent"].nunique()) if len(agents) else 0.0,
        "fired": float(agents.loc[(status == "fired").to_numpy(), "agent"].nunique()) if len(agents) else 0.0,
        "bonus_paid": bonus,
        "management_cost": float(management_cost),
        "churn_rate": _share(churned, customers),
        "cost_per_resolved_call": _share(cost, s["resolved"]),
    }
    return {k: out[k] for k in SUMMARY_KEYS}

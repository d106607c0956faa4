"""``simulate``: one replication of one policy on one scenario."""

from __future__ import annotations

import time
from typing import Any

import pandas as pd
import simpy

from incentsim.engine.center import Center
from incentsim.engine.processes import arrivals, review_clock, tier1_agent, tier2_agent
from incentsim.engine.records import readable
from incentsim.engine.review import Reviewer
from incentsim.engine.run import Run
from incentsim.engine.summary import summarise
from incentsim.policies.base import Policy
from incentsim.policies.builtin import Flat
from incentsim.random import Streams
from incentsim.scenario import Scenario
from incentsim.truth import churned_customers


def simulate(scenario: Scenario, policy: Policy | None = None, seed: int = 0, *,
             replication: int = 0, keep_calls: bool = True, behaviour: Any = None) -> Run:
    """Simulate one replication of ``policy`` on ``scenario``.

    Args:
        scenario: What to simulate.
        policy: The reward or management scheme; ``None`` means salary only (:class:`Flat`).
        seed: Experiment seed (non-negative integer).
        replication: Replication index; replication ``r`` of every policy shares its
            random streams with every other policy's replication ``r``.
        keep_calls: Keep the per-call table in :attr:`Run.calls` (the summary is
            computed from it either way).
        behaviour: A behaviour model (see :class:`~incentsim.behaviour.BehaviourModel`);
            ``None`` uses :class:`~incentsim.behaviour.DefaultBehaviour` with the
            scenario's behaviour block.

    Returns:
        The :class:`Run`. Same arguments give identical results.

    Example:
        >>> import incentsim as isim
        >>> run = isim.simulate(isim.Scenario.erlang(5, 50, 5, hours=8), seed=1)
        >>> run.summary()["abandon_rate"]
        0.0
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be an incentsim.Scenario, got {type(scenario).__name__}")
    policy = Flat() if policy is None else policy
    started = time.perf_counter()
    streams = Streams(seed, replication)
    env = simpy.Environment()
    center = Center(env, scenario, streams)
    reviewer = Reviewer(center, policy, behaviour)
    env.process(arrivals(env, center))
    for seat in range(center.n_seats):
        env.process(tier1_agent(env, center, seat))
    for _ in range(scenario.center.tier2_agents):
        env.process(tier2_agent(env, center))
    env.process(review_clock(env, center, reviewer))
    env.run(until=center.horizon)
    center.close()
    reviewer(scenario.center.months - 1)
    calls = pd.concat(reviewer.calls, ignore_index=True)
    agents = pd.concat(reviewer.rows, ignore_index=True)
    sat = scenario.measurement.satisfaction
    churned = churned_customers(calls["customer_id"].to_numpy(), calls["true_satisfaction"].to_numpy(),
                                scenario.customers.churn_threshold, bad_below=sat.bad_below)
    totals = summarise(calls, agents, scenario, hires=reviewer.hires, churned=len(churned),
                       customers=int(calls["customer_id"].nunique()),
                       management_cost=reviewer.management_cost())
    days = pd.DataFrame({"day": range(center.days), "defect": center.defect_days})
    kept = calls.sort_values("arrival_time", kind="stable", ignore_index=True) if keep_calls else calls.iloc[0:0]
    calls = readable(kept, [ct.name for ct in scenario.demand.call_types])
    return Run(scenario=scenario, policy=policy, seed=seed, replication=replication,
               calls=calls, agents=agents, days=days, totals=totals,
               meta={"seconds": time.perf_counter() - started})
